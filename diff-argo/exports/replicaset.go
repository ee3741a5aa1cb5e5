// Copied into utils/replicaset of the downloaded argo-rollouts v1.9.1 module by diff-argo/build.sh.
// Thin exported names for unexported functions; no logic of its own.

package replicaset

import (
	appsv1 "k8s.io/api/apps/v1"
	intstrutil "k8s.io/apimachinery/pkg/util/intstr"
)

func DiffArgoResolveFenceposts(maxSurge, maxUnavailable *intstrutil.IntOrString, desired int32) (int32, int32, error) {
	return resolveFenceposts(maxSurge, maxUnavailable, desired)
}

func DiffArgoApproximateWeightedCanaryStableReplicaCounts(specReplicas, desiredWeight, maxWeight, maxSurge int32) (int32, int32) {
	return approximateWeightedCanaryStableReplicaCounts(specReplicas, desiredWeight, maxWeight, maxSurge)
}

func DiffArgoTrafficWeightToReplicas(replicas, weight, maxWeight int32) int32 {
	return trafficWeightToReplicas(replicas, weight, maxWeight)
}

func DiffArgoAllDesiredAreAvailable(rs *appsv1.ReplicaSet, desired int32) bool {
	return allDesiredAreAvailable(rs, desired)
}
