import { canaryRollouts, type LintRule, type RuleFinding } from '../rule';
import { virtualServiceRefs } from '../virtual-services';

/** Git must hold stable 100 / canary 0: the controller owns the weights during a rollout. */
export const virtualServiceWeightsRule: LintRule = {
  id: 'virtual-service-weights',
  severity: 'error',
  summary:
    'A route the Rollout manages is not stable 100 / canary 0 in Git: applying it sends traffic to the canary ' +
    'outside any rollout, and every GitOps sync during a rollout overrides the controller\'s weights.',
  fix: 'Commit weight: 100 on the stable destination and weight: 0 on the canary destination (Argo CD: ignoreDifferences on .spec.http[].route[].weight).',
  check(context) {
    const findings: RuleFinding[] = [];
    for (const rollout of canaryRollouts(context)) {
      const dr = rollout.canary.trafficRouting?.istio?.destinationRule;
      for (const { object: vs, routes, refused } of virtualServiceRefs(context.index, rollout)) {
        if (!vs) continue;
        for (const { index, destinations } of routes) {
          // A weight the model's reader refuses (50.5, "100") is reported in its words, not summed as 0.
          const unread = refused.filter((problem) => problem.startsWith(`spec.http[${index}].`));
          if (unread.length > 0) {
            findings.push({ object: vs, path: `spec.http[${index}].route`, message: `${unread.join('; ')}; Git must hold stable 100 / canary 0.` });
            continue;
          }
          let stable = 0;
          let canary = 0;
          let stableWeight = 0;
          let canaryWeight = 0;
          for (const d of destinations) {
            if (dr ? d.subset === dr.stableSubsetName : d.host === rollout.canary.stableService) {
              stable += 1;
              stableWeight += d.weight;
            }
            if (dr ? d.subset === dr.canarySubsetName : d.host === rollout.canary.canaryService) {
              canary += 1;
              canaryWeight += d.weight;
            }
          }
          if (stable === 0 || canary === 0) continue;
          if (stableWeight === 100 && canaryWeight === 0) continue;
          findings.push({
            object: vs,
            path: `spec.http[${index}].route`,
            message: `weights in Git are stable ${stableWeight} / canary ${canaryWeight} (a missing weight counts as 0); they must be 100 / 0.`,
          });
        }
      }
    }
    return findings;
  },
};
