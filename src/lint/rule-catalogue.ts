import type { LintRule } from './rule';
import { allAtOnceRule } from './rules/all-at-once';
import { canaryServicesRule } from './rules/canary-services';
import { canaryWithoutReadinessProbeRule } from './rules/canary-without-readiness-probe';
import { dynamicStableScaleDelayRule } from './rules/dynamic-stable-scale-delay';
import { hpaTargetsDeploymentRule } from './rules/hpa-targets-deployment';
import { hpaUtilizationWithoutRequestsRule } from './rules/hpa-utilization-without-requests';
import {
  managedRouteBeforeCanaryPodsRule,
  managedRouteLeftInPlaceRule,
  managedRouteNotListedRule,
  mirrorWithoutPercentageRule,
} from './rules/managed-routes';
import { minTwoPodsRule } from './rules/min-two-pods';
import { noSettlePauseRule } from './rules/no-settle-pause';
import { notEvaluatedRule } from './rules/not-evaluated';
import { pdbBlocksEvictionRule } from './rules/pdb-blocks-eviction';
import { pdbRoleMetadataRule } from './rules/pdb-role-metadata';
import { podSecurityRestrictedRule } from './rules/pod-security-restricted';
import { podSurgeRule } from './rules/pod-surge';
import { replicasWithHpaRule } from './rules/replicas-with-hpa';
import { sharedPdbRule } from './rules/shared-pdb';
import { shortScaleDownDelayRule } from './rules/short-scale-down-delay';
import { virtualServiceRoutesRule } from './rules/virtual-service-routes';
import { virtualServiceWeightsRule } from './rules/virtual-service-weights';
import { workloadRefTemplateRule } from './rules/workload-ref-template';
import { workloadScaledUpRule } from './rules/workload-scaled-up';

/** Every lint rule, in the order findings are reported and documented. */
export const RULE_CATALOGUE: readonly LintRule[] = [
  podSurgeRule,
  allAtOnceRule,
  noSettlePauseRule,
  shortScaleDownDelayRule,
  sharedPdbRule,
  pdbBlocksEvictionRule,
  pdbRoleMetadataRule,
  hpaTargetsDeploymentRule,
  replicasWithHpaRule,
  minTwoPodsRule,
  virtualServiceRoutesRule,
  virtualServiceWeightsRule,
  canaryServicesRule,
  dynamicStableScaleDelayRule,
  workloadScaledUpRule,
  workloadRefTemplateRule,
  notEvaluatedRule,
  hpaUtilizationWithoutRequestsRule,
  podSecurityRestrictedRule,
  canaryWithoutReadinessProbeRule,
  managedRouteNotListedRule,
  managedRouteLeftInPlaceRule,
  mirrorWithoutPercentageRule,
  managedRouteBeforeCanaryPodsRule,
];
