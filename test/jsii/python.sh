#!/usr/bin/env bash
# The Python test of the jsii package (issue 15): a fresh venv with only the built wheel
# (packages/python/*.whl, from `npm run package`) and PyPI's cdk8s, constructs and cdk8s-plus-28 at
# the npm versions; test/jsii/python/check.py compares what Python synthesizes, raises and plans with
# what the TypeScript library gives (test/jsii/reference.ts), and runs the README's python quick start.
# The pip cache lives in ~/.cache/cdk8s-canary-jsii (CI runs on a fresh clone; ~/.cache persists).
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${CDK8S_CANARY_JSII_CACHE:-$HOME/.cache/cdk8s-canary-jsii}"
export PIP_CACHE_DIR="$CACHE/pip" PIP_DISABLE_PIP_VERSION_CHECK=1 JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
wheel=$(ls packages/python/*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
  echo "python: no packages/python/*.whl: run \`npm run package\` first" >&2
  exit 1
fi
PYTHON="${PYTHON:-python3}"
version() { node -p "require('./package.json').peerDependencies['$1'].replace(/^\\^/, '')"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$wheel" "cdk8s==$(version cdk8s)" "constructs==$(version constructs)" "cdk8s-plus-28==$(version cdk8s-plus-28)"

npx tsx test/jsii/reference.ts "$work/reference"
# The README's first ```python block, as written.
awk '/^```python$/ { inside = 1; next } inside && /^```$/ { exit } inside { print }' README.md > "$work/readme_quickstart.py"
if [ ! -s "$work/readme_quickstart.py" ]; then
  echo "python: README.md has no \`\`\`python block" >&2
  exit 1
fi
"$work/venv/bin/python" test/jsii/python/check.py "$work/reference" "$work/readme_quickstart.py" "$work"
