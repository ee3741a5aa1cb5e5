// Copied into rollout/ of the downloaded argo-rollouts v1.9.1 module by diff-argo/build.sh (as a
// _test.go file, so it can use the controller test fixture newFixture). It runs one controller tick
// per scenario read from $DIFF_ARGO_TICKS (a JSON list) and writes, per scenario, the router calls
// and the Kubernetes writes the tick made to $DIFF_ARGO_TICKS_OUT. No assertion on the calls: this
// only records what the Go controller does, for test/diff-argo/ticks.ts to compare.

package rollout

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	core "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"
	"k8s.io/utils/ptr"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
)

type diffArgoTickRS struct {
	Role      string `json:"role"`
	Spec      int    `json:"specReplicas"`
	Available int    `json:"availableReplicas"`
}

type diffArgoTick struct {
	Name               string                `json:"name"`
	Replicas           int                   `json:"specReplicas"`
	Steps              []v1alpha1.CanaryStep `json:"steps"`
	CurrentStepIndex   *int32                `json:"currentStepIndex"`
	DynamicStableScale bool                  `json:"dynamicStableScale"`
	Abort              bool                  `json:"abort"`
	PromoteFull        bool                  `json:"promoteFull"`
	CanaryWeight       *int32                `json:"canaryWeight"`
	Stable             diffArgoTickRS        `json:"stable"`
	Canary             diffArgoTickRS        `json:"canary"`
}

type diffArgoTickResult struct {
	Name            string   `json:"name"`
	SetWeight       []int32  `json:"setWeightCalls"`
	UpdateHash      int      `json:"updateHashCalls"`
	ServiceSwitches []string `json:"serviceSwitches"`
	Scales          []string `json:"scales"`
	Error           string   `json:"error,omitempty"`
}

func diffArgoRunTick(t *testing.T, s diffArgoTick) diffArgoTickResult {
	f := newFixture(t)
	defer f.Close()
	r1 := newCanaryRollout("foo", s.Replicas, nil, s.Steps, s.CurrentStepIndex, intstr.FromInt(1), intstr.FromInt(1))
	r1.Spec.Strategy.Canary.DynamicStableScale = s.DynamicStableScale
	r1.Spec.Strategy.Canary.TrafficRouting = &v1alpha1.RolloutTrafficRouting{SMI: &v1alpha1.SMITrafficRouting{}}
	r1.Spec.Strategy.Canary.CanaryService = "canary"
	r1.Spec.Strategy.Canary.StableService = "stable"
	r1.Status.Abort = s.Abort
	if s.Abort {
		r1.Status.AbortedAt = &metav1.Time{Time: time.Now().Add(-1 * time.Minute)}
	}
	r2 := bumpVersion(r1)
	r2.Status.PromoteFull = s.PromoteFull
	rs1 := newReplicaSetWithStatus(r1, s.Stable.Spec, s.Stable.Available)
	rs2 := newReplicaSetWithStatus(r2, s.Canary.Spec, s.Canary.Available)
	rs1Hash := rs1.Labels[v1alpha1.DefaultRolloutUniqueLabelKey]
	rs2Hash := rs2.Labels[v1alpha1.DefaultRolloutUniqueLabelKey]
	canarySvc := newService("canary", 80, map[string]string{v1alpha1.DefaultRolloutUniqueLabelKey: rs2Hash}, r1)
	stableSvc := newService("stable", 80, map[string]string{v1alpha1.DefaultRolloutUniqueLabelKey: rs1Hash}, r1)
	r2.Status.StableRS = rs1Hash
	if s.CanaryWeight != nil {
		r2.Status.Canary.Weights = &v1alpha1.TrafficWeights{
			Canary: v1alpha1.WeightDestination{Weight: *s.CanaryWeight, ServiceName: "canary", PodTemplateHash: rs2Hash},
			Stable: v1alpha1.WeightDestination{Weight: 100 - *s.CanaryWeight, ServiceName: "stable", PodTemplateHash: rs1Hash},
		}
	}
	f.kubeobjects = append(f.kubeobjects, rs1, rs2, canarySvc, stableSvc)
	f.replicaSetLister = append(f.replicaSetLister, rs1, rs2)
	f.rolloutLister = append(f.rolloutLister, r2)
	f.objects = append(f.objects, r2)

	result := diffArgoTickResult{Name: s.Name, SetWeight: []int32{}, ServiceSwitches: []string{}, Scales: []string{}}
	role := map[string]string{rs1Hash: "stable", rs2Hash: "canary"}
	f.fakeTrafficRouting = newUnmockedFakeTrafficRoutingReconciler()
	f.fakeTrafficRouting.On("UpdateHash", mock.Anything, mock.Anything, mock.Anything).Return(func(canaryHash, stableHash string, additionalDestinations ...v1alpha1.WeightDestination) error {
		result.UpdateHash++
		return nil
	})
	f.fakeTrafficRouting.On("SetWeight", mock.Anything, mock.Anything).Return(func(desiredWeight int32, additionalDestinations ...v1alpha1.WeightDestination) error {
		result.SetWeight = append(result.SetWeight, desiredWeight)
		return nil
	})
	f.fakeTrafficRouting.On("SetHeaderRoute", mock.Anything, mock.Anything).Return(nil)
	f.fakeTrafficRouting.On("RemoveManagedRoutes", mock.Anything, mock.Anything).Return(nil)
	f.fakeTrafficRouting.On("VerifyWeight", mock.Anything).Return(ptr.To[bool](true), nil)

	c, i, k8sI := f.newController(noResyncPeriodFunc)
	stopCh := make(chan struct{})
	defer close(stopCh)
	i.Start(stopCh)
	k8sI.Start(stopCh)
	cache.WaitForCacheSync(stopCh, c.replicaSetSynced, c.rolloutsSynced)
	if err := c.syncHandler(context.Background(), getKey(r2, t)); err != nil {
		result.Error = err.Error()
	}
	for _, action := range filterInformerActions(f.kubeclient.Actions()) {
		if patch, ok := action.(core.PatchAction); ok && action.GetResource().Resource == "services" {
			var body struct {
				Spec struct {
					Selector map[string]string `json:"selector"`
				} `json:"spec"`
			}
			_ = json.Unmarshal(patch.GetPatch(), &body)
			result.ServiceSwitches = append(result.ServiceSwitches, patch.GetName()+"->"+role[body.Spec.Selector[v1alpha1.DefaultRolloutUniqueLabelKey]])
		}
		if update, ok := action.(core.UpdateAction); ok {
			if rs, ok := update.GetObject().(*appsv1.ReplicaSet); ok && rs.Spec.Replicas != nil {
				result.Scales = append(result.Scales, fmt.Sprintf("%s=%d", role[rs.Labels[v1alpha1.DefaultRolloutUniqueLabelKey]], *rs.Spec.Replicas))
			}
		}
	}
	return result
}

func TestDiffArgoTicks(t *testing.T) {
	in := os.Getenv("DIFF_ARGO_TICKS")
	if in == "" {
		t.Skip("DIFF_ARGO_TICKS not set")
	}
	raw, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	var scenarios []diffArgoTick
	if err := json.Unmarshal(raw, &scenarios); err != nil {
		t.Fatal(err)
	}
	results := []diffArgoTickResult{}
	for _, s := range scenarios {
		t.Run(s.Name, func(st *testing.T) { results = append(results, diffArgoRunTick(st, s)) })
	}
	out, _ := json.MarshalIndent(results, "", "  ")
	if err := os.WriteFile(os.Getenv("DIFF_ARGO_TICKS_OUT"), out, 0o644); err != nil {
		t.Fatal(err)
	}
}
