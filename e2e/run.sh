#!/usr/bin/env bash
# `npm run e2e`: builds whatever control-plane binary is missing, starts the local cluster, runs the
# vitest suite under test/e2e against it and always tears the cluster down, even on failure or
# Ctrl-C. Extra arguments go to vitest (e.g. `npm run e2e -- rbac`).
# Prints the closing lines "e2e: N passed, M failed" and "e2e: ran N scenarios".
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
# shellcheck source=e2e/versions.sh
. "$HERE/versions.sh"
cd "$REPO"

export E2E_RUN_DIR="${E2E_RUN_DIR:-/tmp/cdk8s-canary-e2e/run}"
# Whole-suite bound: the cluster never outlives a hung test by more than this.
SUITE_TIMEOUT="${E2E_SUITE_TIMEOUT:-1800}"
start=$(date +%s)

bash "$HERE/build.sh"

# A previous run killed with SIGKILL may have left its cluster running: stop it first.
bash "$HERE/cluster.sh" down >/dev/null 2>&1 || true
suite_pid=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # The suite runs in its own process group (setsid below): stop all of it, workers included.
  if [ -n "$suite_pid" ] && kill -0 "$suite_pid" 2>/dev/null; then
    kill -TERM -- "-$suite_pid" 2>/dev/null || true
    sleep 2
    kill -KILL -- "-$suite_pid" 2>/dev/null || true
  fi
  bash "$HERE/cluster.sh" down || rc=1
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash "$HERE/cluster.sh" up
export KUBECONFIG="$E2E_RUN_DIR/kubeconfig"
export E2E_KUBECTL="$K8S_BIN/kubectl"
# The analysis scenarios write Istio series to this Prometheus (with promwrite) and point the
# AnalysisTemplates at it.
export E2E_PROMETHEUS_URL="http://127.0.0.1:$(sed -n 's/^PROMETHEUS_PORT=//p' "$E2E_RUN_DIR/ports.env")"
export E2E_PROMWRITE="$PROMETHEUS_BIN/promwrite"
export E2E_TRACE_DIR="${E2E_TRACE_DIR:-$REPO/.cache/e2e/traces}"
up=$(date +%s)

report="$E2E_RUN_DIR/vitest-report.json"
# In the background and waited for, so a signal to this script runs the cleanup at once (bash
# defers traps while a foreground child runs); in its own process group so cleanup can stop it.
set +e
setsid timeout --kill-after=10 "$SUITE_TIMEOUT" npx vitest run --config test/e2e/vitest.config.mts \
  --reporter=default --reporter=json --outputFile.json="$report" "$@" &
suite_pid=$!
wait "$suite_pid"
rc=$?
suite_pid=
set -e
[ $rc -ne 124 ] || echo "e2e: suite timed out after ${SUITE_TIMEOUT}s" >&2
if [ -f "$report" ]; then
  node -e '
    const r = require(process.argv[1]);
    console.log(`e2e: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
    console.log(`e2e: ran ${r.numPassedTests + r.numFailedTests} scenarios`);
  ' "$report"
fi
end=$(date +%s)
echo "e2e: cluster start $((up - start))s (including the build check), suite $((end - up))s" >&2
exit $rc
