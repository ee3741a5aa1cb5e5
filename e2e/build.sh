#!/usr/bin/env bash
# Builds the e2e control-plane binaries from the Go module proxy into a cache outside the repository
# (default ~/.cache/cdk8s-canary-e2e, override with CDK8S_CANARY_E2E_CACHE), one directory per
# component and version. Idempotent: a component whose binaries are all present is skipped.
#
# Usage: e2e/build.sh [COMPONENT...]      (default: all of etcd kubernetes kwok argo-rollouts prometheus)
#
# Each built component gets <dir>/build-info.json with the cold build time in seconds and the disk
# it added (binaries, module cache, build cache), measured around that component alone.
# Builds run at the lowest CPU priority with one compile job at a time (the machine is shared).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=e2e/versions.sh
. "$HERE/versions.sh"

die() { echo "e2e/build: $*" >&2; exit 1; }
log() { echo "e2e/build: $(date -u +%H:%M:%S) $*" >&2; }

GO_ROOT_CACHE="$E2E_CACHE/go"
WORK="$E2E_CACHE/work"
mkdir -p "$GO_ROOT_CACHE" "$WORK"
# A dedicated module and build cache: warm rebuilds stay fast, disk use is measurable, and removing
# $E2E_CACHE (after `chmod -R u+w`, module files are read-only) removes everything this recipe made.
export GOMODCACHE="$GO_ROOT_CACHE/mod" GOCACHE="$GO_ROOT_CACHE/build"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-p=1 -buildvcs=false"
# Go resolves GOPATH-relative paths for `go install`; keep it out of the repository too.
export GOPATH="$GO_ROOT_CACHE/path"
NICE=(nice -n 19)

bytes_of() { if [ -e "$1" ]; then du -sb "$1" | cut -f1; else echo 0; fi; }

# build_component NAME FUNCTION: run FUNCTION (which fills $OUT) and record time and disk use.
build_component() {
  local name="$1" fn="$2" dir out start end mod0 mod1 gob0 gob1 bin
  dir="$(e2e_component_dir "$name")"
  if e2e_component_cached "$name"; then
    log "$name: cached in $dir, skipping"
    return 0
  fi
  command -v go >/dev/null || die "$name is not cached and go is not on PATH; the e2e control plane is built with the Go toolchain"
  log "$name: building into $dir"
  out="$dir.partial"
  rm -rf "$out"; mkdir -p "$out/bin"
  mod0=$(bytes_of "$GOMODCACHE"); gob0=$(bytes_of "$GOCACHE"); start=$(date +%s)
  OUT="$out" "$fn"
  end=$(date +%s); mod1=$(bytes_of "$GOMODCACHE"); gob1=$(bytes_of "$GOCACHE"); bin=$(bytes_of "$out/bin")
  cat > "$out/build-info.json" <<JSON
{
  "component": "$name",
  "binaries": "$(e2e_component_binaries "$name")",
  "go": "$(go env GOVERSION)",
  "builtAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "seconds": $((end - start)),
  "binaryBytes": $bin,
  "moduleCacheBytesAdded": $((mod1 - mod0)),
  "buildCacheBytesAdded": $((gob1 - gob0))
}
JSON
  rm -rf "$dir"; mv "$out" "$dir"
  e2e_component_cached "$name" || die "$name: build finished but binaries are missing in $dir/bin"
  log "$name: done in $((end - start))s, binaries $((bin / 1048576)) MiB"
}

# Prepares the wrapper main module for Kubernetes and etcd (shared by both components).
prepare_k8s_wrapper() {
  local w="$WORK/k8s-$K8S_VERSION" gomod staging minor mods m
  K8S_WRAPPER="$w"
  if [ -f "$w/.ready" ]; then return 0; fi
  rm -rf "$w"; mkdir -p "$w"
  cp "$HERE/k8s/go.mod.tmpl" "$w/go.mod"
  minor="${K8S_VERSION#v1.}"          # 34.5
  staging="v0.$minor"                 # v0.34.5
  gomod="$(cd "$w" && "${NICE[@]}" go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | jq -r .GoMod)"
  [ -f "$gomod" ] || die "could not download k8s.io/kubernetes@$K8S_VERSION (no go.mod at '$gomod')"
  # Every module that k8s.io/kubernetes maps to ./staging/... gets its published twin.
  mods="$(awk '$2 == "=>" && $3 ~ /^\.\/staging\// {print $1}' "$gomod")"
  [ "$(echo "$mods" | wc -l)" -ge 20 ] || die "found only $(echo "$mods" | wc -l) staging replaces in $gomod; expected about 31"
  (
    cd "$w"
    go mod edit -require="k8s.io/kubernetes@$K8S_VERSION"
    for m in $mods; do go mod edit -replace="$m=$m@$staging"; done
    log "kubernetes wrapper: $(echo "$mods" | wc -l) staging replaces -> $staging"
    "${NICE[@]}" go get -tool \
      "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" \
      "k8s.io/kubernetes/cmd/kube-controller-manager@$K8S_VERSION" \
      "k8s.io/kubernetes/cmd/kube-scheduler@$K8S_VERSION" \
      "k8s.io/kubernetes/cmd/kubectl@$K8S_VERSION"
    # Pin etcd at the version k8s already selects; a bare `go get` would pick the latest.
    "${NICE[@]}" go get -tool "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
    local chosen
    chosen="$(go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)"
    [ "$chosen" = "$ETCD_VERSION" ] || die "module graph selected etcd $chosen, versions.sh pins $ETCD_VERSION"
    chosen="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"
    [ "$chosen" = "$K8S_VERSION" ] || die "module graph selected k8s.io/kubernetes $chosen, versions.sh pins $K8S_VERSION"
  )
  touch "$w/.ready"
}

build_kubernetes() {
  prepare_k8s_wrapper
  local minor ldflags v
  minor="$(echo "$K8S_VERSION" | cut -d. -f2)"
  ldflags="-s -w"
  # Without these the server reports an empty major/minor version, which the Argo controller parses.
  for v in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags="$ldflags -X $v.gitVersion=$K8S_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$minor -X $v.gitTreeState=clean"
  done
  (cd "$K8S_WRAPPER" && "${NICE[@]}" go build -trimpath -ldflags "$ldflags" -o "$OUT/bin/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
}

build_etcd() {
  prepare_k8s_wrapper
  # -o is required: the main package path ends in /v3, so go would otherwise name the binary "server".
  (cd "$K8S_WRAPPER" && "${NICE[@]}" go build -trimpath -ldflags "-s -w" -o "$OUT/bin/etcd" go.etcd.io/etcd/server/v3)
}

build_kwok() {
  # kwok's go.mod has no replace directives, so a plain `go install pkg@version` works.
  GOBIN="$OUT/bin" "${NICE[@]}" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
}

build_argo_rollouts() {
  # Argo's go.mod has replace directives, so `go install` refuses it; build its own module source in
  # place instead, with its own replaces and go.sum (what upstream's `make controller` does).
  local src w="$WORK/argo-rollouts-$ARGO_ROLLOUTS_VERSION" p=github.com/argoproj/argo-rollouts
  src="$("${NICE[@]}" go mod download -json "$p@$ARGO_ROLLOUTS_VERSION" | jq -r .Dir)"
  [ -f "$src/go.mod" ] || die "could not download $p@$ARGO_ROLLOUTS_VERSION (no module at '$src')"
  rm -rf "$w"; cp -r "$src" "$w"; chmod -R u+w "$w"
  # The controller's metrics and healthz servers listen on 0.0.0.0 with only the port configurable
  # (controller/controller.go, `listenAddr = "0.0.0.0:%d"`). The e2e cluster must stay on loopback,
  # so this copy binds 127.0.0.1 instead; nothing else in the controller changes.
  local f="$w/controller/controller.go"
  [ "$(grep -c '"0\.0\.0\.0:%d"' "$f")" = 1 ] || die "argo-rollouts: expected one '\"0.0.0.0:%d\"' listen address in $f; the loopback patch needs updating for $ARGO_ROLLOUTS_VERSION"
  sed -i 's/"0\.0\.0\.0:%d"/"127.0.0.1:%d"/' "$f"
  (cd "$w" && "${NICE[@]}" go build -trimpath \
    -ldflags "-s -w -X $p/utils/version.version=$ARGO_ROLLOUTS_VERSION -X $p/utils/version.gitTreeState=clean" \
    -o "$OUT/bin/rollouts-controller" ./cmd/rollouts-controller)
  grep -q '127.0.0.1:%d' "$OUT/bin/rollouts-controller" || die "argo-rollouts: the built controller lacks the loopback listen address"
}

build_prometheus() {
  # A wrapper module (e2e/prometheus) requiring only Prometheus, so its go.mod decides every
  # dependency; -mod=mod fetches just what the two packages need. Tag remove_all_sd leaves out the
  # cloud service discoveries (the e2e server only receives remote writes); without the
  # builtinassets tag the web UI is not embedded (the API, all the tests use, is unaffected).
  local w="$WORK/prometheus-$PROMETHEUS_VERSION" p=github.com/prometheus/prometheus chosen
  rm -rf "$w"; mkdir -p "$w"
  cp "$HERE/prometheus/go.mod.tmpl" "$w/go.mod"; cp -r "$HERE/prometheus/promwrite" "$w/"
  (
    cd "$w"
    go mod edit -require="$p@$PROMETHEUS_MODULE_VERSION"
    "${NICE[@]}" go build -mod=mod -trimpath -tags remove_all_sd \
      -ldflags "-s -w -X github.com/prometheus/common/version.Version=${PROMETHEUS_VERSION#v} -X github.com/prometheus/common/version.Branch=release -X github.com/prometheus/common/version.Revision=module-$PROMETHEUS_MODULE_VERSION" \
      -o "$OUT/bin/" "$p/cmd/prometheus" ./promwrite
    chosen="$(go list -m -f '{{.Version}}' "$p")"
    [ "$chosen" = "$PROMETHEUS_MODULE_VERSION" ] || die "module graph selected $p $chosen, versions.sh pins $PROMETHEUS_MODULE_VERSION"
  )
  "$OUT/bin/prometheus" --version 2>&1 | grep -q "version ${PROMETHEUS_VERSION#v}" || die "prometheus: the built server does not report version ${PROMETHEUS_VERSION#v}"
}

main() {
  local components=("$@") c
  [ ${#components[@]} -gt 0 ] || read -r -a components <<<"$E2E_COMPONENTS"
  for c in "${components[@]}"; do e2e_component_dir "$c" >/dev/null || exit 2; done
  # One build at a time per cache: a second caller waits for the first instead of racing it.
  exec 9>"$E2E_CACHE/.build.lock"
  flock -w 7200 9 || die "timed out after 2h waiting for another build holding $E2E_CACHE/.build.lock"
  for c in "${components[@]}"; do
    build_component "$c" "build_${c//-/_}"
  done
  log "all requested components are cached under $E2E_CACHE"
}

main "$@"
exit $?
