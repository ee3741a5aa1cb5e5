#!/usr/bin/env bash
# Starts and stops the e2e control plane from the binaries that e2e/build.sh cached:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok (one fake node whose Pods
# become Ready at once), Prometheus (remote-write receiver on, nothing scraped: the tests write the
# Istio series the AnalysisRuns query) and the Argo Rollouts controller, with the Argo Rollouts and
# Istio CRDs from ../shared/crds. Every listener is on 127.0.0.1, on ports picked free at start-up.
#
# Usage: e2e/cluster.sh up|down|status|env
#   up      start everything and wait (bounded) until each piece is healthy; on any failure the
#           pieces already started are stopped again and the command exits non-zero
#   down    stop every process started from the run directory (TERM, then KILL after 10 s) and
#           check that none is left
#   status  print each component's pid and whether it is alive
#   env     print `export KUBECONFIG=...` for the running cluster
# Environment: E2E_RUN_DIR (default /tmp/cdk8s-canary-e2e/run) holds certs, kubeconfig, data,
# pids and logs/<component>.log; E2E_CRDS_DIR (default <repo>/../shared/crds).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
# shellcheck source=e2e/versions.sh
. "$HERE/versions.sh"

RUN="${E2E_RUN_DIR:-/tmp/cdk8s-canary-e2e/run}"
CRDS="${E2E_CRDS_DIR:-$REPO/../shared/crds}"
PIDS="$RUN/pids"
LOGS="$RUN/logs"
PKI="$RUN/pki"
KUBECONFIG_FILE="$RUN/kubeconfig"
NODE_NAME=kwok-node-0
# Start order; down stops them in reverse.
ORDER=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok prometheus rollouts-controller)

log() { echo "e2e/cluster: $(date -u +%H:%M:%S) $*" >&2; }
die() { echo "e2e/cluster: $*" >&2; exit 1; }

kubectl_() { "$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" --request-timeout=20s "$@"; }

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# A pid belongs to this cluster only if it is alive and its command line mentions the run directory
# (every component gets a path under it), so a recycled pid is never signalled.
ours() {
  local pid="$1"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$RUN/"
}
pid_of() { [ -f "$PIDS/$1.pid" ] && cat "$PIDS/$1.pid" || true; }

# start NAME BINARY ARGS...: run in the background with stdin closed, log to logs/NAME.log.
start() {
  local name="$1"; shift
  [ -x "$1" ] || die "$name: binary $1 is missing; run e2e/build.sh first"
  "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
  log "$name started (pid $!)"
}

# wait_for NAME SECONDS CMD...: poll CMD every 0.5 s until it succeeds; fail early if NAME died.
wait_for() {
  local name="$1" secs="$2"; shift 2
  local deadline=$((SECONDS + secs)) pid
  pid="$(pid_of "$name")"
  until "$@" >/dev/null 2>&1; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$LOGS/$name.log" >&2 || true
      die "$name exited while starting (log: $LOGS/$name.log)"
    fi
    if [ $SECONDS -ge $deadline ]; then
      tail -n 30 "$LOGS/$name.log" >&2 || true
      die "$name not ready after ${secs}s (log: $LOGS/$name.log)"
    fi
    sleep 0.5
  done
  log "$name ready"
}

make_pki() {
  mkdir -p "$PKI"
  local o=(-nodes -days 2 -sha256)
  openssl req -x509 -newkey rsa:2048 "${o[@]}" -subj "/CN=cdk8s-canary-e2e-ca" \
    -keyout "$PKI/ca.key" -out "$PKI/ca.crt" 2>/dev/null
  # serving certificate of kube-apiserver: loopback plus the in-cluster names of the kubernetes Service
  cat >"$PKI/apiserver.ext" <<EOF
subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc
extendedKeyUsage=serverAuth
EOF
  # client certificate of every component and of the tests: group system:masters (cluster admin)
  printf 'extendedKeyUsage=clientAuth\n' >"$PKI/client.ext"
  local name subj ext
  for name in apiserver admin; do
    if [ $name = apiserver ]; then subj="/CN=kube-apiserver"; ext="$PKI/apiserver.ext"
    else subj="/O=system:masters/CN=cdk8s-canary-e2e-admin"; ext="$PKI/client.ext"; fi
    openssl req -new -newkey rsa:2048 -nodes -subj "$subj" -keyout "$PKI/$name.key" -out "$PKI/$name.csr" 2>/dev/null
    openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
      -days 2 -sha256 -extfile "$ext" -out "$PKI/$name.crt" 2>/dev/null
  done
  # service account token signing key pair
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
}

write_kubeconfig() {
  cat >"$KUBECONFIG_FILE" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority: $PKI/ca.crt
users:
- name: e2e-admin
  user:
    client-certificate: $PKI/admin.crt
    client-key: $PKI/admin.key
contexts:
- name: e2e
  context: {cluster: e2e, user: e2e-admin, namespace: default}
current-context: e2e
EOF
}

https_ok() { curl -sf --max-time 3 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "$1"; }
http_ok() { curl -sf --max-time 3 "$1"; }
insecure_ok() { curl -sfk --max-time 3 "$1"; }

node_ready() {
  [ "$(kubectl_ get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ]
}

# Prometheus for the AnalysisRuns: a remote-write receiver (the tests write the series), no scrape
# jobs, every query it answers logged to logs/prometheus-queries.log (the PromQL the controller sent).
start_prometheus() {
  mkdir -p "$RUN/prometheus"
  cat >"$RUN/prometheus/prometheus.yml" <<EOF
global:
  query_log_file: $LOGS/prometheus-queries.log
EOF
  start prometheus "$PROMETHEUS_BIN/prometheus" --config.file "$RUN/prometheus/prometheus.yml" \
    --storage.tsdb.path "$RUN/prometheus/data" --storage.tsdb.retention.time 1d \
    --web.listen-address "127.0.0.1:$PROMETHEUS_PORT" --web.enable-remote-write-receiver
  wait_for prometheus 60 http_ok "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"
}

up() {
  local name pid
  for name in "${ORDER[@]}"; do
    pid="$(pid_of "$name")"
    if ours "$pid"; then die "a cluster is already running from $RUN ($name pid $pid); run '$0 down' first"; fi
  done
  for c in $E2E_COMPONENTS; do
    e2e_component_cached "$c" || die "$c $(basename "$(e2e_component_dir "$c")") is not built; run e2e/build.sh first"
  done
  [ -f "$CRDS/argo-rollouts/rollout-crd.yaml" ] || die "CRDs not found in $CRDS (expected argo-rollouts/*.yaml and istio/*.yaml)"
  command -v openssl >/dev/null || die "openssl not found; it makes the cluster's certificates"

  rm -rf "$RUN"; mkdir -p "$PIDS" "$LOGS" "$RUN/etcd" "$RUN/certs"
  chmod 700 "$RUN"
  # Anything that fails from here on stops what was started.
  trap 'rc=$?; if [ $rc -ne 0 ]; then log "start-up failed, stopping what was started"; down || true; fi; exit $rc' EXIT

  ETCD_PORT=$(free_port); ETCD_PEER_PORT=$(free_port); API_PORT=$(free_port); KCM_PORT=$(free_port)
  SCHED_PORT=$(free_port); KWOK_PORT=$(free_port); ARGO_METRICS_PORT=$(free_port); ARGO_HEALTHZ_PORT=$(free_port)
  PROMETHEUS_PORT=$(free_port)
  cat >"$RUN/ports.env" <<EOF
ETCD_PORT=$ETCD_PORT
ETCD_PEER_PORT=$ETCD_PEER_PORT
API_PORT=$API_PORT
KCM_PORT=$KCM_PORT
SCHED_PORT=$SCHED_PORT
KWOK_PORT=$KWOK_PORT
ARGO_METRICS_PORT=$ARGO_METRICS_PORT
ARGO_HEALTHZ_PORT=$ARGO_HEALTHZ_PORT
PROMETHEUS_PORT=$PROMETHEUS_PORT
EOF
  make_pki
  write_kubeconfig

  start etcd "$ETCD_BIN/etcd" --name e2e --data-dir "$RUN/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "e2e=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state new \
    --unsafe-no-fsync --log-level warn
  wait_for etcd 30 http_ok "http://127.0.0.1:$ETCD_PORT/health"

  start kube-apiserver "$K8S_BIN/kube-apiserver" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --cert-dir "$RUN/certs" --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-account-issuer https://kubernetes.default.svc \
    --service-cluster-ip-range 10.96.0.0/16 --endpoint-reconciler-type none \
    --authorization-mode RBAC --allow-privileged=true \
    --disable-admission-plugins TaintNodesByCondition
  wait_for kube-apiserver 90 https_ok "https://127.0.0.1:$API_PORT/readyz"

  start kube-controller-manager "$K8S_BIN/kube-controller-manager" \
    --kubeconfig "$KUBECONFIG_FILE" --authentication-kubeconfig "$KUBECONFIG_FILE" --authorization-kubeconfig "$KUBECONFIG_FILE" \
    --bind-address 127.0.0.1 --secure-port "$KCM_PORT" --cert-dir "$RUN/certs" \
    --leader-elect=false --root-ca-file "$PKI/ca.crt" --service-account-private-key-file "$PKI/sa.key" \
    --controllers '*,-node-lifecycle-controller' --horizontal-pod-autoscaler-sync-period 5s
  wait_for kube-controller-manager 60 insecure_ok "https://127.0.0.1:$KCM_PORT/healthz"

  start kube-scheduler "$K8S_BIN/kube-scheduler" \
    --kubeconfig "$KUBECONFIG_FILE" --authentication-kubeconfig "$KUBECONFIG_FILE" --authorization-kubeconfig "$KUBECONFIG_FILE" \
    --bind-address 127.0.0.1 --secure-port "$SCHED_PORT" --cert-dir "$RUN/certs" --leader-elect=false
  wait_for kube-scheduler 60 insecure_ok "https://127.0.0.1:$SCHED_PORT/healthz"

  start kwok "$KWOK_BIN/kwok" --kubeconfig "$KUBECONFIG_FILE" --config "$HERE/kwok-stages.yaml" \
    --manage-single-node "$NODE_NAME" --server-address "127.0.0.1:$KWOK_PORT" \
    --node-ip 10.255.0.1 --cidr 10.244.0.0/16
  wait_for kwok 30 http_ok "http://127.0.0.1:$KWOK_PORT/healthz"
  kubectl_ apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Node
metadata:
  name: $NODE_NAME
  annotations: {kwok.x-k8s.io/node: fake}
  labels: {type: kwok, kubernetes.io/hostname: $NODE_NAME, kubernetes.io/os: linux, kubernetes.io/arch: amd64}
EOF
  wait_for kwok 30 node_ready

  # CRDs must be Established before the Argo controller starts, or it leaves Istio support off.
  kubectl_ apply --server-side --force-conflicts -f "$CRDS/argo-rollouts/" -f "$CRDS/istio/" >/dev/null
  kubectl_ wait --for condition=Established --timeout=60s \
    crd/rollouts.argoproj.io crd/analysistemplates.argoproj.io crd/analysisruns.argoproj.io \
    crd/virtualservices.networking.istio.io crd/destinationrules.networking.istio.io >/dev/null
  # A new CRD answers 429 "storage is (re)initializing" until its watch cache is ready; kubectl
  # retries those, so one successful list of each kind means the API serves them.
  local kinds=rollouts.argoproj.io,analysisruns.argoproj.io,analysistemplates.argoproj.io,experiments.argoproj.io
  local out
  out="$(kubectl_ get -A "$kinds,virtualservices.networking.istio.io,destinationrules.networking.istio.io" 2>&1)" ||
    die "the API server does not serve the CRDs: $out"
  kubectl_ create namespace argo-rollouts >/dev/null
  log "CRDs established and served"

  start_prometheus

  start rollouts-controller "$ARGO_BIN/rollouts-controller" --kubeconfig "$KUBECONFIG_FILE" \
    --leader-elect=false --metricsPort "$ARGO_METRICS_PORT" --healthzPort "$ARGO_HEALTHZ_PORT" --loglevel info
  wait_for rollouts-controller 60 http_ok "http://127.0.0.1:$ARGO_HEALTHZ_PORT/healthz"

  trap - EXIT
  log "cluster up; export KUBECONFIG=$KUBECONFIG_FILE"
}

down() {
  local i name pid left=() deadline
  [ -d "$PIDS" ] || { log "nothing to stop in $RUN"; return 0; }
  for ((i = ${#ORDER[@]} - 1; i >= 0; i--)); do
    name="${ORDER[$i]}"; pid="$(pid_of "$name")"
    if ours "$pid"; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  deadline=$((SECONDS + 10))
  for name in "${ORDER[@]}"; do
    pid="$(pid_of "$name")"
    while ours "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    if ours "$pid"; then log "$name (pid $pid) ignored TERM, killing"; kill -KILL "$pid" 2>/dev/null || true; fi
  done
  sleep 0.3
  for name in "${ORDER[@]}"; do
    pid="$(pid_of "$name")"
    if ours "$pid"; then left+=("$name:$pid"); else rm -f "$PIDS/$name.pid"; fi
  done
  # Anything else still running from this run directory (should be none) is reported as a failure.
  for pid in $(pgrep -f -- "$RUN/" || true); do
    [ "$pid" = "$$" ] || { ours "$pid" && left+=("unknown:$pid"); }
  done
  if [ ${#left[@]} -gt 0 ]; then die "processes still running after down: ${left[*]}"; fi
  log "cluster stopped; logs kept in $LOGS"
}

status() {
  local name pid
  for name in "${ORDER[@]}"; do
    pid="$(pid_of "$name")"
    if ours "$pid"; then echo "$name running (pid $pid)"; else echo "$name stopped"; fi
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  env) [ -f "$KUBECONFIG_FILE" ] || die "no cluster in $RUN"; echo "export KUBECONFIG=$KUBECONFIG_FILE" ;;
  *) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac
