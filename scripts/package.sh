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
  npm run --silent prepack # what `npm pack` builds: lib/ and .jsii (jsii --fail-on-warnings), the CLI bundle
  echo "package: jsii assembly in $((SECONDS - start)) s"
elif [ ! -f .jsii ] || [ ! -f "$(node -p "require('./package.json').main")" ]; then
  echo "package: --skip-build needs a build (.jsii and lib/): run without it once" >&2
  exit 1
fi
# The module proxy does not serve cdk8s's Go module (github.com/cdk8s-team/cdk8s-core-go) at the npm
# version: generate it from node_modules/cdk8s with jsii-pacmak, as cdk8s publishes it, into
# packages/go/cdk8s, where pacmak's build and test/jsii/go.sh pick it up with a replace directive.
go_cdk8s_module() {
  local version tmp
  version=$(node -p "require('cdk8s/package.json').version")
  tmp=$(mktemp -d)
  if (cd "$tmp" && go mod download "github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2@v$version") >/dev/null 2>&1; then
    rm -rf "$tmp"
    return
  fi
  echo "package: go: cdk8s-core-go v$version is not on the module proxy; generating it from npm cdk8s $version"
  npx jsii-pacmak node_modules/cdk8s --targets go --code-only --no-npmignore --outdir "$tmp" --force
  mkdir -p packages/go
  mv "$tmp/go/cdk8s" packages/go/cdk8s
  rm -rf "$tmp"
}

for target in "${targets[@]}"; do
  start=$SECONDS
  rm -rf "packages/$target"
  if [ "$target" = go ]; then go_cdk8s_module; fi
  if [ "$target" = java ]; then bash scripts/java-deps.sh; fi
  # pacmak packs the package with `npm pack`; without scripts, so its prepack does not build it again.
  npm_config_ignore_scripts=true npx jsii-pacmak --targets "$target" --force
  echo "package: $target in $((SECONDS - start)) s: $(find "packages/$target" -type f \( -name '*.whl' -o -name '*.jar' -o -name '*.tar.gz' -o -name 'go.mod' \) -printf '%p (%s bytes) ' 2>/dev/null)"
done
