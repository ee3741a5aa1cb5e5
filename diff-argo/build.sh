#!/usr/bin/env bash
# Builds the diff-argo harness: the real Argo Rollouts controller functions behind a JSON-lines
# command (diff-argo/harness/main.go), from the Go module proxy, pinned to ARGO_ROLLOUTS_VERSION of
# e2e/versions.sh. Everything lands outside the repository:
#   $CDK8S_CANARY_DIFF_ARGO_CACHE (default ~/.cache/cdk8s-canary-diff-argo)
#     work/argo-rollouts-<version>/  a copy of the module plus the thin wrappers of diff-argo/exports
#     bin/diffargo                   the harness binary
#     bin/build-info.json            seconds, Go version, hash of the harness sources
#     go/build                       its own Go build cache
# The module cache is shared with the e2e control plane (~/.cache/cdk8s-canary-e2e/go/mod, override
# with CDK8S_CANARY_GOMODCACHE) so the ~1 GiB of dependencies is downloaded once.
# Upstream logic is never edited: the wrappers only give exported names to unexported functions.
# Idempotent: a binary built from the same harness sources is kept.
#
# Usage: diff-argo/build.sh [--ticks]
#   --ticks  also compiles the rollout package's test binary (bin/rollout.test) with the tick
#            recorder diff-argo/exports/rollout_tick_test.go, for test/diff-argo/ticks.ts.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=e2e/versions.sh
. "$HERE/../e2e/versions.sh"

die() { echo "diff-argo/build: $*" >&2; exit 1; }
log() { echo "diff-argo/build: $(date -u +%H:%M:%S) $*" >&2; }

CACHE="${CDK8S_CANARY_DIFF_ARGO_CACHE:-$HOME/.cache/cdk8s-canary-diff-argo}"
BIN="$CACHE/bin"
WORK="$CACHE/work/argo-rollouts-$ARGO_ROLLOUTS_VERSION"
MODULE=github.com/argoproj/argo-rollouts
export GOMODCACHE="${CDK8S_CANARY_GOMODCACHE:-$E2E_CACHE/go/mod}" GOCACHE="$CACHE/go/build" GOPATH="$CACHE/go/path"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-p=1 -buildvcs=false"
NICE=(nice -n 19)

sources_hash() {
  (echo "$ARGO_ROLLOUTS_VERSION"; cat "$HERE/build.sh" "$HERE/harness/main.go" "$HERE"/exports/*.go) | sha256sum | cut -d' ' -f1
}

main() {
  local want have start end ticks=false
  [ "${1:-}" = "--ticks" ] && ticks=true
  want="$(sources_hash)"
  have="$(jq -r .sources "$BIN/build-info.json" 2>/dev/null || true)"
  if [ -x "$BIN/diffargo" ] && [ "$want" = "$have" ] && { ! $ticks || [ -x "$BIN/rollout.test" ]; }; then
    log "harness for $ARGO_ROLLOUTS_VERSION is cached in $BIN/diffargo, skipping"
    return 0
  fi
  command -v go >/dev/null || die "go is not on PATH; the harness is built with the Go toolchain"
  mkdir -p "$BIN" "$GOMODCACHE"
  exec 9>"$CACHE/.build.lock"
  flock -w 3600 9 || die "timed out after 1h waiting for another build holding $CACHE/.build.lock"
  start=$(date +%s)
  if [ ! -f "$WORK/.ready" ]; then
    local src
    log "downloading $MODULE@$ARGO_ROLLOUTS_VERSION"
    src="$("${NICE[@]}" go mod download -json "$MODULE@$ARGO_ROLLOUTS_VERSION" | jq -r .Dir)"
    [ -f "$src/go.mod" ] || die "could not download $MODULE@$ARGO_ROLLOUTS_VERSION (no module at '$src')"
    rm -rf "$WORK"; mkdir -p "$(dirname "$WORK")"; cp -r "$src" "$WORK"; chmod -R u+w "$WORK"
    touch "$WORK/.ready"
  fi
  cp "$HERE/exports/replicaset.go" "$WORK/utils/replicaset/zz_diffargo_exports.go"
  cp "$HERE/exports/istio.go" "$WORK/rollout/trafficrouting/istio/zz_diffargo_exports.go"
  cp "$HERE/exports/rollout.go" "$WORK/rollout/zz_diffargo_exports.go"
  cp "$HERE/exports/rollout_tick_test.go" "$WORK/rollout/zz_diffargo_tick_test.go"
  mkdir -p "$WORK/cmd/diffargo"; cp "$HERE/harness/main.go" "$WORK/cmd/diffargo/main.go"
  log "building the harness (nice 19, one compile job)"
  (cd "$WORK" && "${NICE[@]}" go build -trimpath -o "$BIN/diffargo.partial" ./cmd/diffargo)
  mv "$BIN/diffargo.partial" "$BIN/diffargo"
  if $ticks; then
    log "compiling the rollout package test binary (controller fixture + tick recorder)"
    (cd "$WORK" && "${NICE[@]}" go test -trimpath -c -o "$BIN/rollout.test.partial" ./rollout/)
    mv "$BIN/rollout.test.partial" "$BIN/rollout.test"
  else
    rm -f "$BIN/rollout.test" # built from other sources
  fi
  end=$(date +%s)
  cat > "$BIN/build-info.json" <<JSON
{
  "module": "$MODULE@$ARGO_ROLLOUTS_VERSION",
  "go": "$(go env GOVERSION)",
  "builtAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "seconds": $((end - start)),
  "sources": "$want"
}
JSON
  log "done in $((end - start))s: $BIN/diffargo"
}

main "$@"
