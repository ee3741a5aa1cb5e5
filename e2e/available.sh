#!/usr/bin/env bash
# Exit 0 when every e2e control-plane binary is already cached (so `npm run e2e` will not build),
# exit 1 otherwise, naming what is missing. Builds nothing, downloads nothing. For CI:
#   if bash e2e/available.sh; then npm run e2e; else echo "e2e: skipped, control plane not built"; fi
# Usage: e2e/available.sh [COMPONENT...]   (default: all of them, see E2E_COMPONENTS in versions.sh)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=e2e/versions.sh
. "$HERE/versions.sh"
components=("$@")
[ ${#components[@]} -gt 0 ] || read -r -a components <<<"$E2E_COMPONENTS"
missing=()
for c in "${components[@]}"; do
  e2e_component_dir "$c" >/dev/null || exit 2
  e2e_component_cached "$c" || missing+=("$(basename "$(e2e_component_dir "$c")")")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e/available: not cached in $E2E_CACHE: ${missing[*]} (build with e2e/build.sh)" >&2
  exit 1
fi
echo "e2e/available: ${components[*]} cached in $E2E_CACHE" >&2
