import { replicaCountsToCheck } from '../replica-counts';
import { readerCandidates } from '../plan-rollout';
import { findingsOf, type LintContext, type LintRule, type RuleFinding } from '../rule';
import type { RolloutView } from '../rollout-view';

/**
 * Whether an earlier rule already gave an error on the Rollout or on an object it references
 * (its workload, Services, VirtualServices, DestinationRule, HPAs, PDBs): the lint then fails
 * already, and that finding names the problem (e.g. a route the VirtualService lacks), which is
 * usually also why the runtime cannot plan the Rollout.
 */
function alreadyFailing(context: LintContext, rollout: RolloutView): boolean {
  const failing = context.objectsWithErrors;
  if (failing.size === 0) return false;
  return failing.has(rollout.object) || readerCandidates(context.index, rollout).some((o) => failing.has(o));
}

/**
 * A Rollout the runtime cannot plan (a reference it cannot resolve, a field it does not model such
 * as a traffic router other than Istio or a blue-green strategy, or a plan that never completes):
 * the plan-based rules (pod-surge, pdb-blocks-eviction) cannot judge it, and silence would read as
 * a pass. One finding per Rollout, at the first replica count that fails, unless an earlier rule
 * already failed the Rollout (see {@link alreadyFailing}).
 */
export const notEvaluatedRule: LintRule = {
  id: 'not-evaluated',
  severity: 'error',
  summary:
    'The runtime cannot plan the Rollout (an unresolved reference, a field it does not model such as a non-Istio ' +
    'traffic router or blue-green, or a plan that never completes), so the plan-based checks (pod-surge, ' +
    'pdb-blocks-eviction) could not judge it: it is reported instead of passing silently.',
  fix: 'Fix the problem the message names (`cdk8s-canary plan FILES --rollout NAME` prints the same error), or check the Rollout by hand if it uses a feature the runtime does not model.',
  check(context) {
    return findingsOf(context.rollouts, (rollout): RuleFinding[] => {
      if (alreadyFailing(context, rollout)) return [];
      for (const replicas of replicaCountsToCheck(rollout, context.replicas)) {
        const plan = context.plan(rollout, replicas);
        if (plan.ok) continue;
        return [
          {
            object: rollout.object,
            path: 'spec',
            message: `not evaluated at ${replicas} replicas: ${plan.error}. The plan-based checks (pod-surge, pdb-blocks-eviction) did not run on ${rollout.object.ref}.`,
          },
        ];
      }
      return [];
    });
  },
};
