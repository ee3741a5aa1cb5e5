// Command diffargo answers controller-function cases with the real Argo Rollouts v1.9.1 code.
//
// Input: one JSON case per line on stdin, {"fn": NAME, "args": {...}}. Output: one JSON line per
// case, in order: {"ok": ANSWER}, {"panic": MESSAGE} when the Go code panicked, or
// {"invalid": MESSAGE} when the arguments do not decode into the Go types (e.g. an int32 overflow).
// diff-argo/build.sh copies this file into cmd/diffargo of the downloaded module; the
// unexported functions are reached through the thin Diffargo* wrappers in diff-argo/exports.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	"github.com/argoproj/argo-rollouts/rollout"
	"github.com/argoproj/argo-rollouts/rollout/trafficrouting/istio"
	"github.com/argoproj/argo-rollouts/utils/conditions"
	"github.com/argoproj/argo-rollouts/utils/defaults"
	replicasetutil "github.com/argoproj/argo-rollouts/utils/replicaset"
	rolloututil "github.com/argoproj/argo-rollouts/utils/rollout"
	timeutil "github.com/argoproj/argo-rollouts/utils/time"
	"github.com/argoproj/argo-rollouts/utils/weightutil"
)

type args struct {
	Ro              *v1alpha1.Rollout                      `json:"ro"`
	NewRS           *appsv1.ReplicaSet                     `json:"newRS"`
	StableRS        *appsv1.ReplicaSet                     `json:"stableRS"`
	RS              *appsv1.ReplicaSet                     `json:"rs"`
	Others          []*appsv1.ReplicaSet                   `json:"others"`
	ReplicaSets     []*appsv1.ReplicaSet                   `json:"replicaSets"`
	Weights         *v1alpha1.TrafficWeights               `json:"weights"`
	Threshold       *v1alpha1.ReplicaProgressThreshold     `json:"threshold"`
	Step            *v1alpha1.CanaryStep                   `json:"step"`
	MaxSurge        *intstr.IntOrString                    `json:"maxSurge"`
	MaxUnavailable  *intstr.IntOrString                    `json:"maxUnavailable"`
	N               int32                                  `json:"n"`
	Weight          int32                                  `json:"weight"`
	Max             int32                                  `json:"max"`
	Surge           int32                                  `json:"surge"`
	Desired         int32                                  `json:"desired"`
	Ignore          bool                                   `json:"ignore"`
	CanaryHash      string                                 `json:"canaryHash"`
	StableHash      string                                 `json:"stableHash"`
	RouteNames      []string                               `json:"routeNames"`
	HTTPRoutes      []istio.VirtualServiceHTTPRoute        `json:"httpRoutes"`
	TLSRefs         []v1alpha1.TLSRoute                    `json:"tlsRefs"`
	TLSRoutes       []istio.VirtualServiceTLSRoute         `json:"tlsRoutes"`
	TCPRefs         []v1alpha1.TCPRoute                    `json:"tcpRefs"`
	TCPRoutes       []istio.VirtualServiceTCPRoute         `json:"tcpRoutes"`
	Destinations    []istio.VirtualServiceRouteDestination `json:"destinations"`
	StableSvc       string                                 `json:"stableSvc"`
	CanarySvc       string                                 `json:"canarySvc"`
	DestinationRule *v1alpha1.IstioDestinationRule         `json:"destinationRule"`
	VS              map[string]any                         `json:"vs"`
	VSRef           *v1alpha1.IstioVirtualService          `json:"vsRef"`
	Additional      []v1alpha1.WeightDestination           `json:"additional"`
	Pause           *v1alpha1.RolloutPause                 `json:"pause"`
	NowMs           int64                                  `json:"nowMs"`
	NewStatus       *v1alpha1.RolloutStatus                `json:"newStatus"`
	Metadata        *metav1.ObjectMeta                     `json:"metadata"`
	ExistingMeta    *v1alpha1.PodTemplateMetadata          `json:"existingMeta"`
	DesiredMeta     *v1alpha1.PodTemplateMetadata          `json:"desiredMeta"`
}

// atNow runs fn with the controller's clock (utils/time Now) at nowMs.
func atNow(nowMs int64, fn func() any) any {
	timeutil.SetNowTimeFunc(func() time.Time { return time.UnixMilli(nowMs) })
	defer timeutil.SetNowTimeFunc(time.Now)
	return fn()
}

func seconds(d time.Duration) int64 { return int64(d / time.Second) }

// metaMaps is the labels and annotations of an ObjectMeta (nil maps stay absent).
func metaMaps(m *metav1.ObjectMeta) map[string]any {
	out := map[string]any{}
	if m.Labels != nil {
		out["labels"] = m.Labels
	}
	if m.Annotations != nil {
		out["annotations"] = m.Annotations
	}
	return out
}

func errText(err error) any {
	if err == nil {
		return nil
	}
	return err.Error()
}

func pair(a, b int32) []int32 { return []int32{a, b} }

var functions = map[string]func(a *args) any{
	"parsePauseDurationSeconds":         func(a *args) any { return a.Pause.DurationSeconds() },
	"getScaleDownDelaySecondsOrDefault": func(a *args) any { return seconds(defaults.GetScaleDownDelaySecondsOrDefault(a.Ro)) },
	"getAbortScaleDownDelaySecondsOrDefault": func(a *args) any {
		d, wasSet := defaults.GetAbortScaleDownDelaySecondsOrDefault(a.Ro)
		var delay any
		if d != nil {
			delay = seconds(*d)
		}
		return map[string]any{"delaySeconds": delay, "wasSet": wasSet}
	},
	"needsRestart": func(a *args) any { return atNow(a.NowMs, func() any { return replicasetutil.NeedsRestart(a.Ro) }) },
	"rolloutTimedOut": func(a *args) any {
		return atNow(a.NowMs, func() any { return conditions.RolloutTimedOut(a.Ro, a.NewStatus) })
	},
	"rolloutHealthy":     func(a *args) any { return conditions.RolloutHealthy(a.Ro, a.NewStatus) },
	"rolloutProgressing": func(a *args) any { return conditions.RolloutProgressing(a.Ro, a.NewStatus) },
	"isRollbackWithinWindow": func(a *args) any {
		return rollout.DiffArgoIsRollbackWithinWindow(a.Ro, a.NewRS, a.StableRS, a.ReplicaSets)
	},
	"parseExistingPodMetadata": func(a *args) any { return replicasetutil.ParseExistingPodMetadata(a.RS) },
	"syncEphemeralPodMetadata": func(a *args) any {
		m, modified := replicasetutil.SyncEphemeralPodMetadata(a.Metadata, a.ExistingMeta, a.DesiredMeta)
		return map[string]any{"metadata": metaMaps(m), "modified": modified}
	},
	"syncReplicaSetEphemeralPodMetadata": func(a *args) any {
		rs, modified := replicasetutil.SyncReplicaSetEphemeralPodMetadata(a.RS, a.DesiredMeta)
		out := map[string]any{"templateMetadata": metaMaps(&rs.Spec.Template.ObjectMeta), "modified": modified}
		if rs.Annotations != nil {
			out["annotations"] = rs.Annotations
		}
		return out
	},
	"resolveFenceposts": func(a *args) any {
		s, u, err := replicasetutil.DiffArgoResolveFenceposts(a.MaxSurge, a.MaxUnavailable, a.Desired)
		// Only whether there is an error: the TypeScript message names the field instead.
		return map[string]any{"surge": s, "unavailable": u, "error": err != nil}
	},
	"maxSurge":                            func(a *args) any { return replicasetutil.MaxSurge(a.Ro) },
	"maxUnavailable":                      func(a *args) any { return replicasetutil.MaxUnavailable(a.Ro) },
	"getMaxTrafficWeight":                 func(a *args) any { return weightutil.MaxTrafficWeight(a.Ro) },
	"getMaxSurgeOrDefault":                func(a *args) any { return defaults.GetMaxSurgeOrDefault(a.Ro) },
	"getMaxUnavailableOrDefault":          func(a *args) any { return defaults.GetMaxUnavailableOrDefault(a.Ro) },
	"getRevisionHistoryLimitOrDefault":    func(a *args) any { return defaults.GetRevisionHistoryLimitOrDefault(a.Ro) },
	"getProgressDeadlineSecondsOrDefault": func(a *args) any { return defaults.GetProgressDeadlineSecondsOrDefault(a.Ro) },
	"getCurrentCanaryStep": func(a *args) any {
		step, index := replicasetutil.GetCurrentCanaryStep(a.Ro)
		// The step is reported by its string form: the JSON of a Go step has zero-value fields.
		var text any
		if step != nil {
			text = rolloututil.CanaryStepString(*step)
		}
		return map[string]any{"step": text, "index": index}
	},
	"getCurrentSetWeight": func(a *args) any { return replicasetutil.GetCurrentSetWeight(a.Ro) },
	"useSetCanaryScale":   func(a *args) any { return replicasetutil.UseSetCanaryScale(a.Ro) },
	"getCanaryReplicasOrWeight": func(a *args) any {
		replicas, weight := replicasetutil.GetCanaryReplicasOrWeight(a.Ro, a.NewRS, a.StableRS)
		return map[string]any{"replicas": replicas, "weight": weight}
	},
	"getDesiredCanaryWeight": func(a *args) any { return replicasetutil.GetDesiredCanaryWeight(a.Ro, a.NewRS, a.StableRS) },
	"beforeStartingStep":     func(a *args) any { return replicasetutil.BeforeStartingStep(a.Ro) },
	"getCurrentExperimentStep": func(a *args) any {
		// Reported by its template names (a Go struct's JSON has zero-value fields).
		step := replicasetutil.GetCurrentExperimentStep(a.Ro)
		if step == nil {
			return nil
		}
		names := []string{}
		for _, template := range step.Templates {
			names = append(names, template.Name)
		}
		return names
	},
	"canaryStepString":        func(a *args) any { return rolloututil.CanaryStepString(*a.Step) },
	"trafficWeightToReplicas": func(a *args) any { return replicasetutil.DiffArgoTrafficWeightToReplicas(a.N, a.Weight, a.Max) },
	"approximateWeightedCanaryStableReplicaCounts": func(a *args) any {
		return pair(replicasetutil.DiffArgoApproximateWeightedCanaryStableReplicaCounts(a.N, a.Weight, a.Max, a.Surge))
	},
	"calculateReplicaCountsForBasicCanary": func(a *args) any {
		return pair(replicasetutil.CalculateReplicaCountsForBasicCanary(a.Ro, a.NewRS, a.StableRS, a.Others))
	},
	"calculateReplicaCountsForTrafficRoutedCanary": func(a *args) any {
		return pair(replicasetutil.CalculateReplicaCountsForTrafficRoutedCanary(a.Ro, a.NewRS, a.StableRS, a.Weights))
	},
	"atDesiredReplicaCountsForCanary": func(a *args) any {
		return replicasetutil.AtDesiredReplicaCountsForCanary(a.Ro, a.NewRS, a.StableRS, a.Others, a.Weights)
	},
	"allDesiredAreAvailable":      func(a *args) any { return replicasetutil.DiffArgoAllDesiredAreAvailable(a.RS, a.Desired) },
	"replicaProgressThresholdMet": func(a *args) any { return replicasetutil.ReplicaProgressThresholdMet(a.Threshold, a.RS, a.Desired) },
	"getReplicasForScaleDown":     func(a *args) any { return replicasetutil.GetReplicasForScaleDown(a.RS, a.Ignore) },
	"checkMinPodsPerReplicaSet":   func(a *args) any { return replicasetutil.CheckMinPodsPerReplicaSet(a.Ro, a.N) },
	"checkStableRSExists":         func(a *args) any { return replicasetutil.CheckStableRSExists(a.NewRS, a.StableRS) },
	"checkReplicasAvailable":      func(a *args) any { return rollout.DiffArgoCheckReplicasAvailable(a.Ro, a.RS, a.Weight) },
	"isDynamicallyRollingBackToStable": func(a *args) any {
		ok, _ := rolloututil.IsDynamicallyRollingBackToStable(a.Ro, a.NewRS)
		return ok
	},
	"shouldDelayDestinationRuleUpdate": func(a *args) any {
		delay, name := istio.DiffArgoShouldDelayDestinationRuleUpdate(a.Ro, a.ReplicaSets, a.CanaryHash, a.StableHash)
		return map[string]any{"delay": delay, "rsName": name}
	},
	"calculateDesiredWeightOnAbortOrStableRollback": func(a *args) any {
		return rollout.DiffArgoCalculateDesiredWeightOnAbortOrStableRollback(a.Ro, a.NewRS, a.StableRS)
	},
	"calculateRolloutPhase": func(a *args) any {
		phase, message := rolloututil.CalculateRolloutPhase(a.Ro.Spec, a.Ro.Status)
		return map[string]any{"phase": phase, "message": message}
	},
	"getRolloutPhase": func(a *args) any {
		phase, message := rolloututil.GetRolloutPhase(a.Ro)
		return map[string]any{"phase": phase, "message": message}
	},
	"isFullyPromoted":    func(a *args) any { return rolloututil.IsFullyPromoted(a.Ro) },
	"shouldVerifyWeight": func(a *args) any { return rolloututil.ShouldVerifyWeight(a.Ro, a.Weight) },
	"getHttpRouteIndexesToPatch": func(a *args) any {
		indexes, err := istio.DiffArgoGetHttpRouteIndexesToPatch(a.RouteNames, a.HTTPRoutes)
		return map[string]any{"indexes": indexes, "error": errText(err)}
	},
	"getTlsRouteIndexesToPatch": func(a *args) any {
		indexes, err := istio.DiffArgoGetTlsRouteIndexesToPatch(a.TLSRefs, a.TLSRoutes)
		return map[string]any{"indexes": indexes, "error": errText(err)}
	},
	"getTcpRouteIndexesToPatch": func(a *args) any {
		indexes, err := istio.DiffArgoGetTcpRouteIndexesToPatch(a.TCPRefs, a.TCPRoutes)
		return map[string]any{"indexes": indexes, "error": errText(err)}
	},
	"validateVirtualServiceRouteDestinations": func(a *args) any {
		return errText(istio.DiffArgoValidateVirtualServiceRouteDestinations(a.Destinations, a.StableSvc, a.CanarySvc, a.DestinationRule))
	},
	"reconcileVirtualService": func(a *args) any {
		obj := &unstructured.Unstructured{Object: a.VS}
		out, modified, err := istio.DiffArgoReconcileVirtualService(a.Ro, obj, a.VSRef.Routes, a.VSRef.TLSRoutes, a.VSRef.TCPRoutes, a.Weight, a.Additional...)
		var object any
		if out != nil && err == nil {
			object = out.Object
		}
		return map[string]any{"vs": object, "modified": modified, "error": errText(err)}
	},
}

func answer(line []byte) (result map[string]any) {
	var c struct {
		Fn   string          `json:"fn"`
		Args json.RawMessage `json:"args"`
	}
	if err := json.Unmarshal(line, &c); err != nil {
		return map[string]any{"invalid": "case: " + err.Error()}
	}
	fn, ok := functions[c.Fn]
	if !ok {
		return map[string]any{"invalid": "unknown function " + c.Fn}
	}
	var a args
	if err := json.Unmarshal(c.Args, &a); err != nil {
		return map[string]any{"invalid": err.Error()}
	}
	if a.Ro != nil {
		// json:"-" in the Go type: carried next to the Rollout.
		var flag struct {
			Ro struct {
				TemplateResolvedFromRef bool `json:"templateResolvedFromRef"`
			} `json:"ro"`
		}
		_ = json.Unmarshal(c.Args, &flag)
		a.Ro.Spec.TemplateResolvedFromRef = flag.Ro.TemplateResolvedFromRef
	}
	defer func() {
		if r := recover(); r != nil {
			result = map[string]any{"panic": fmt.Sprint(r)}
		}
	}()
	return map[string]any{"ok": fn(&a)}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer out.Flush()
	enc := json.NewEncoder(out)
	if len(os.Args) > 1 && os.Args[1] == "--functions" {
		for name := range functions {
			fmt.Fprintln(out, name)
		}
		return
	}
	for in.Scan() {
		if err := enc.Encode(answer(in.Bytes())); err != nil {
			fmt.Fprintln(os.Stderr, "diffargo:", err)
			os.Exit(1)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "diffargo:", err)
		os.Exit(1)
	}
}
