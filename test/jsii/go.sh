#!/usr/bin/env bash
# The Go test of the jsii package (issue 15): a temporary Go module that takes the built module
# (packages/go, from `npm run package -- go`) through replace directives and everything else from the
# Go module proxy (jsii-runtime-go, constructs, cdk8s-plus-28 at the npm versions); cdk8s's own Go
# module is the one package.sh generated from npm cdk8s when the proxy does not serve it.
# test/jsii/go/check/main.go compares what Go synthesizes, panics with and plans with what the
# TypeScript library gives (test/jsii/reference.ts), and runs the README's go quick start.
# The module and build caches live in ~/.cache/cdk8s-canary-jsii (CI runs on a fresh clone; ~/.cache persists).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
CACHE="${CDK8S_CANARY_JSII_CACHE:-$HOME/.cache/cdk8s-canary-jsii}"
export GOMODCACHE="${GOMODCACHE:-$CACHE/go-mod}" GOCACHE="${GOCACHE:-$CACHE/go-build}" GOFLAGS="${GOFLAGS:-} -mod=mod" JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
module=packages/go/cdk8scanary
if [ ! -f "$module/go.mod" ]; then
  echo "go: no $module/go.mod: run \`npm run package -- go\` first" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/mod/check" "$work/mod/quickstart" "$work/bin"
cp test/jsii/go/check/main.go "$work/mod/check/main.go"
# The README's first ```go block, as written.
awk '/^```go$/ { inside = 1; next } inside && /^```$/ { exit } inside { print }' README.md > "$work/mod/quickstart/main.go"
if [ ! -s "$work/mod/quickstart/main.go" ]; then
  echo "go: README.md has no \`\`\`go block" >&2
  exit 1
fi
{
  echo "module cdk8scanarycheck"
  echo
  echo "go 1.25"
  echo
  # The versions the built module requires (tidy would otherwise take the newest jsii-runtime-go).
  echo "require github.com/cdk8s-canary/cdk8s-canary-go/cdk8scanary v0.0.0"
  awk '/^require \(/ { inside = 1; next } inside && /^\)/ { exit } inside { print "require" $0 }' "$module/go.mod"
  echo "replace github.com/cdk8s-canary/cdk8s-canary-go/cdk8scanary => $repo/$module"
  if [ -f packages/go/cdk8s/go.mod ]; then
    echo "replace github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 => $repo/packages/go/cdk8s"
  fi
} > "$work/mod/go.mod"
(cd "$work/mod" && go mod tidy && go build -o "$work/bin/" ./check ./quickstart)

npx tsx test/jsii/reference.ts "$work/reference"
"$work/bin/check" "$work/reference" "$work/bin/quickstart" "$work"
