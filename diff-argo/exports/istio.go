// Copied into rollout/trafficrouting/istio of the downloaded argo-rollouts v1.9.1 module by
// diff-argo/build.sh. Thin exported names for unexported functions and methods; no logic of its own.

package istio

import (
	"io"

	log "github.com/sirupsen/logrus"
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
)

func diffArgoReconciler(ro *v1alpha1.Rollout, replicaSets []*appsv1.ReplicaSet) *Reconciler {
	logger := log.New()
	logger.SetOutput(io.Discard)
	return &Reconciler{rollout: ro, log: log.NewEntry(logger), replicaSets: replicaSets}
}

func DiffArgoGetHttpRouteIndexesToPatch(routeNames []string, httpRoutes []VirtualServiceHTTPRoute) ([]int, error) {
	return getHttpRouteIndexesToPatch(routeNames, httpRoutes)
}

func DiffArgoGetTlsRouteIndexesToPatch(tlsRoutes []v1alpha1.TLSRoute, istioTlsRoutes []VirtualServiceTLSRoute) ([]int, error) {
	return getTlsRouteIndexesToPatch(tlsRoutes, istioTlsRoutes)
}

func DiffArgoGetTcpRouteIndexesToPatch(tcpRoutes []v1alpha1.TCPRoute, istioTcpRoutes []VirtualServiceTCPRoute) ([]int, error) {
	return getTcpRouteIndexesToPatch(tcpRoutes, istioTcpRoutes)
}

func DiffArgoValidateVirtualServiceRouteDestinations(hr []VirtualServiceRouteDestination, stableSvc, canarySvc string, dRule *v1alpha1.IstioDestinationRule) error {
	return validateVirtualServiceRouteDestinations(hr, stableSvc, canarySvc, dRule)
}

func DiffArgoShouldDelayDestinationRuleUpdate(ro *v1alpha1.Rollout, replicaSets []*appsv1.ReplicaSet, canaryHash, stableHash string) (bool, string) {
	return diffArgoReconciler(ro, replicaSets).shouldDelayDestinationRuleUpdate(canaryHash, stableHash)
}

func DiffArgoReconcileVirtualService(ro *v1alpha1.Rollout, obj *unstructured.Unstructured, vsvcRouteNames []string, vsvcTLSRoutes []v1alpha1.TLSRoute, vsvcTCPRoutes []v1alpha1.TCPRoute, desiredWeight int32, additionalDestinations ...v1alpha1.WeightDestination) (*unstructured.Unstructured, bool, error) {
	return diffArgoReconciler(ro, nil).reconcileVirtualService(obj, vsvcRouteNames, vsvcTLSRoutes, vsvcTCPRoutes, desiredWeight, additionalDestinations...)
}
