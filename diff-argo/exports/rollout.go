// Copied into rollout/ of the downloaded argo-rollouts v1.9.1 module by diff-argo/build.sh.
// Thin exported names for rolloutContext methods, on a context holding only what they read.

package rollout

import (
	"io"

	log "github.com/sirupsen/logrus"
	appsv1 "k8s.io/api/apps/v1"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
)

func diffArgoContext(ro *v1alpha1.Rollout, newRS, stableRS *appsv1.ReplicaSet) *rolloutContext {
	logger := log.New()
	logger.SetOutput(io.Discard)
	return &rolloutContext{rollout: ro, newRS: newRS, stableRS: stableRS, log: log.NewEntry(logger)}
}

func DiffArgoCheckReplicasAvailable(ro *v1alpha1.Rollout, rs *appsv1.ReplicaSet, weight int32) bool {
	return diffArgoContext(ro, nil, nil).checkReplicasAvailable(rs, weight)
}

func DiffArgoCalculateDesiredWeightOnAbortOrStableRollback(ro *v1alpha1.Rollout, newRS, stableRS *appsv1.ReplicaSet) int32 {
	return diffArgoContext(ro, newRS, stableRS).calculateDesiredWeightOnAbortOrStableRollback()
}

func DiffArgoIsRollbackWithinWindow(ro *v1alpha1.Rollout, newRS, stableRS *appsv1.ReplicaSet, allRSs []*appsv1.ReplicaSet) bool {
	c := diffArgoContext(ro, newRS, stableRS)
	c.allRSs = allRSs
	return c.isRollbackWithinWindow()
}
