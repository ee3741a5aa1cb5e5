# Versions and cache locations of the e2e control plane. Sourced by the other e2e/*.sh scripts.
# Every cached component lives in its own directory keyed by version, so bumping a version here
# makes build.sh build the new one next to the old one instead of reusing a stale binary.

# Kubernetes release; its staging modules are published as v0.<minor>.<patch>.
K8S_VERSION=v1.34.5
# etcd as required (indirectly) by k8s.io/kubernetes v1.34.5's go.mod; built inside the same wrapper.
ETCD_VERSION=v3.6.4
ARGO_ROLLOUTS_VERSION=v1.9.1
KWOK_VERSION=v0.8.0
# The metrics server the AnalysisRuns query: Prometheus 3.16.0, whose Go module is published as
# v0.316.0 (v3.x.y -> v0.3xx.y).
PROMETHEUS_VERSION=v3.16.0
PROMETHEUS_MODULE_VERSION=v0.316.0

E2E_CACHE="${CDK8S_CANARY_E2E_CACHE:-$HOME/.cache/cdk8s-canary-e2e}"
K8S_BIN="$E2E_CACHE/kubernetes-$K8S_VERSION/bin"
ETCD_BIN="$E2E_CACHE/etcd-$ETCD_VERSION/bin"
ARGO_BIN="$E2E_CACHE/argo-rollouts-$ARGO_ROLLOUTS_VERSION/bin"
KWOK_BIN="$E2E_CACHE/kwok-$KWOK_VERSION/bin"
PROMETHEUS_BIN="$E2E_CACHE/prometheus-$PROMETHEUS_VERSION/bin"

# component -> its directory and the binaries it must contain
e2e_component_dir() {
  case "$1" in
    kubernetes) echo "$E2E_CACHE/kubernetes-$K8S_VERSION" ;;
    etcd) echo "$E2E_CACHE/etcd-$ETCD_VERSION" ;;
    argo-rollouts) echo "$E2E_CACHE/argo-rollouts-$ARGO_ROLLOUTS_VERSION" ;;
    kwok) echo "$E2E_CACHE/kwok-$KWOK_VERSION" ;;
    prometheus) echo "$E2E_CACHE/prometheus-$PROMETHEUS_VERSION" ;;
    *) echo "unknown component '$1' (valid: kubernetes, etcd, argo-rollouts, kwok, prometheus)" >&2; return 2 ;;
  esac
}
e2e_component_binaries() {
  case "$1" in
    kubernetes) echo "kube-apiserver kube-controller-manager kube-scheduler kubectl" ;;
    etcd) echo "etcd" ;;
    argo-rollouts) echo "rollouts-controller" ;;
    kwok) echo "kwok" ;;
    prometheus) echo "prometheus promwrite" ;;
    *) echo "unknown component '$1' (valid: kubernetes, etcd, argo-rollouts, kwok, prometheus)" >&2; return 2 ;;
  esac
}
E2E_COMPONENTS="etcd kubernetes kwok argo-rollouts prometheus"

# True when every binary of the component is present and executable.
e2e_component_cached() {
  local dir bins b
  dir="$(e2e_component_dir "$1")" || return 2
  bins="$(e2e_component_binaries "$1")" || return 2
  for b in $bins; do [ -x "$dir/bin/$b" ] || return 1; done
}
