#!/usr/bin/env bash
# Re-generates imports/ from local copies of the pinned CRDs (Argo Rollouts v1.9.1, Istio 1.30.3).
# Usage: scripts/import-crds.sh [CRD_DIR]   (default: .cache/crds, filled by scripts/fetch-crds.mjs)
set -euo pipefail
cd "$(dirname "$0")/.."
crds="${1:-.cache/crds}"
import() { npx cdk8s import --no-check-upgrade --language typescript --output imports "$1"; }
import "argo-rollout:=$crds/argo-rollouts/rollout-crd.yaml"
import "argo-analysis-template:=$crds/argo-rollouts/analysis-template-crd.yaml"
import "istio-virtual-service:=$crds/istio/virtualservice.yaml"
import "istio-destination-rule:=$crds/istio/destinationrule.yaml"
