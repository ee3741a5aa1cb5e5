#!/usr/bin/env bash
# npm run package (issue 15): the jsii assembly (`npm run build`: jsii --fail-on-warnings), then the
# Python wheel (required) and the Go module and Java jar when their toolchains are installed, under
# packages/ (dist/ is cdk8s's synth output). Prints how long each target took.
# Usage: scripts/package.sh [--skip-build] [python] [go] [java]   (default: every target available)
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
CACHE="${CDK8S_CANARY_JSII_CACHE:-$HOME/.cache/cdk8s-canary-jsii}"
mkdir -p "$CACHE"
export PIP_CACHE_DIR="$CACHE/pip" GOMODCACHE="${GOMODCACHE:-$CACHE/go-mod}" GOCACHE="${GOCACHE:-$CACHE/go-build}"
export MAVEN_OPTS="${MAVEN_OPTS:-} -Dmaven.repo.local=$CACHE/m2"

build=1
targets=()
for arg in "$@"; do
  case "$arg" in
    --skip-build) build=0 ;;
    python | go | java) targets+=("$arg") ;;
    *) echo "package: unknown argument $arg (want --skip-build, python, go, java)" >&2; exit 2 ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  targets=(python)
  if command -v go >/dev/null 2>&1; then targets+=(go); else echo "package: go: SKIPPED, Go is not installed"; fi
  if command -v mvn >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then targets+=(java); else echo "package: java: SKIPPED, Java or Maven is not installed"; fi
fi

if [ "$build" = 1 ]; then
  start=$SECONDS
  npm run --silent build
  echo "package: jsii assembly in $((SECONDS - start)) s"
fi
rm -rf packages
for target in "${targets[@]}"; do
  start=$SECONDS
  npx jsii-pacmak --targets "$target" --force
  echo "package: $target in $((SECONDS - start)) s: $(find "packages/$target" -type f \( -name '*.whl' -o -name '*.jar' -o -name '*.tar.gz' -o -name 'go.mod' \) -printf '%p (%s bytes) ' 2>/dev/null)"
done
