import { canaryRollouts, type LintRule, type RuleFinding } from '../rule';
import { routeDestinations, selectedHttpRoutes, virtualServiceRefs } from '../virtual-services';

/** Git must hold stable 100 / canary 0: the controller owns the weights during a rollout. */
export const virtualServiceWeightsRule: LintRule = {
  id: 'virtual-service-weights',
  severity: 'error',
  summary:
    'A route the Rollout manages is not stable 100 / canary 0 in Git: applying it sends traffic to the canary ' +
    'outside any rollout, and every GitOps sync during a rollout overrides the controller\'s weights.',
  fix: 'Commit weight: 100 on the stable destination and weight: 0 on the canary destination (Argo CD: ignoreDifferences on .spec.http[].route[].weight).',
  check(context) {
    return canaryRollouts(context).flatMap((rollout): RuleFinding[] => {
      const dr = rollout.canary.trafficRouting?.istio?.destinationRule;
      const isStable = (d: { host: string; subset?: string }) =>
        dr ? d.subset === dr.stableSubsetName : d.host === rollout.canary.stableService;
      const isCanary = (d: { host: string; subset?: string }) =>
        dr ? d.subset === dr.canarySubsetName : d.host === rollout.canary.canaryService;
      return virtualServiceRefs(context.index, rollout).flatMap(({ ref, object: vs }) => {
        if (!vs) return [];
        return selectedHttpRoutes(vs, ref).flatMap(({ index, route }): RuleFinding[] => {
          const dests = routeDestinations(route);
          const stable = dests.filter(isStable);
          const canary = dests.filter(isCanary);
          if (stable.length === 0 || canary.length === 0) return [];
          const stableWeight = stable.reduce((s, d) => s + d.weight, 0);
          const canaryWeight = canary.reduce((s, d) => s + d.weight, 0);
          if (stableWeight === 100 && canaryWeight === 0) return [];
          return [
            {
              object: vs,
              path: `spec.http[${index}].route`,
              message: `weights in Git are stable ${stableWeight} / canary ${canaryWeight} (a missing weight counts as 0); they must be 100 / 0.`,
            },
          ];
        });
      });
    });
  },
};
