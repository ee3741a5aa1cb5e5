import { getMinPodsPerReplicaSetOrDefault } from '../../runtime/rollout-defaults';
import { CANARY_CONVENTIONS } from '../conventions';
import { replicaCountsToCheck } from '../replica-counts';
import { canaryRollouts, findingsOf, type LintRule, type RuleFinding } from '../rule';
import { allAtOnce } from './all-at-once';

/**
 * Pods one step may add before it counts as a surge: the threshold share of the replicas, but
 * never less than one pod (nothing is more gradual than that) and, for the first canary pods,
 * never less than `minPods`, the controller's floor as `getMinPodsPerReplicaSetOrDefault` reads it
 * (which can exceed the replicas; 1 when unset: utils/replicaset/canary.go CheckMinPodsPerReplicaSet).
 */
export function surgeAllowance(replicas: number, thresholdPercent: number, firstCanaryPods: boolean, minPods: number): number {
  const share = (thresholdPercent * replicas) / 100;
  return Math.max(share, firstCanaryPods ? minPods : 1);
}

/**
 * Pods the promotion after the last step starts: the controller scales the canary to 100% of the
 * replicas (rollout/canary.go reconcileCanaryReplicaSets with the steps done), so a profile ending below setWeight 100 jumps at the very end.
 */
export function promotionPodsAdded(replicas: number, lastCanaryReplicas: number): number {
  return Math.max(0, replicas - lastCanaryReplicas);
}

/** Key of the promotion (after the last step) among the per-step findings; sorts last. */
const PROMOTION = Number.MAX_SAFE_INTEGER;

/** A step that starts more than the threshold share of the replicas as new pods at once. */
export const podSurgeRule: LintRule = {
  id: 'pod-surge',
  severity: 'error',
  summary:
    `A step adds more new pods at once than the surge threshold (default ${CANARY_CONVENTIONS.surgeThresholdPercent}% of the replicas), ` +
    'computed with the runtime\'s plan, including the promotion after the last step: a burst of new pods opens a burst ' +
    'of DB connections. With trafficRouting, maxSurge does not limit this; only the step sizes do.',
  fix: 'Split the step into smaller setWeight increments (the automatic profile adds 10 points per step).',
  check(context) {
    return findingsOf(canaryRollouts(context), (rollout): RuleFinding[] => {
      // Reported by all-at-once when that rule runs; with it disabled, this rule judges every step itself.
      if (context.runs('all-at-once') && allAtOnce(rollout.canary)) return [];
      const minPods = getMinPodsPerReplicaSetOrDefault({ strategy: { canary: rollout.canary } });
      const threshold = context.surgeThresholdPercent;
      // One finding per step (and one for the promotion): the worst share over the replica counts checked.
      const worst = new Map<number, { share: number; finding: RuleFinding }>();
      const record = (key: number, share: number, finding: RuleFinding) => {
        if ((worst.get(key)?.share ?? -1) < share) worst.set(key, { share, finding });
      };
      for (const replicas of replicaCountsToCheck(rollout, context.replicas)) {
        const plan = context.plan(rollout, replicas);
        if (!plan.ok) continue;
        let canaryBefore = 0;
        for (const step of plan.steps) {
          const allowance = surgeAllowance(replicas, threshold, canaryBefore === 0, minPods);
          canaryBefore = step.canaryReplicas;
          if (step.podsAdded <= allowance) continue;
          const share = Math.round((step.podsAdded * 100) / replicas);
          record(step.stepIndex, share, {
            object: rollout.object,
            path: `spec.strategy.canary.steps[${step.stepIndex}]`,
            message:
              `step ${step.stepIndex} (${step.action}) adds ${step.podsAdded} pods at once with ${replicas} replicas ` +
              `(${share}%, above the ${threshold}% threshold): canary ${step.canaryReplicas}, stable ${step.stableReplicas}.`,
          });
        }
        const last = plan.steps[plan.steps.length - 1];
        const promotion = last ? promotionPodsAdded(replicas, last.canaryReplicas) : 0;
        if (!last || promotion <= surgeAllowance(replicas, threshold, false, minPods)) continue;
        const share = Math.round((promotion * 100) / replicas);
        record(PROMOTION, share, {
          object: rollout.object,
          path: 'spec.strategy.canary.steps',
          message:
            `after the last step (${last.action}) the promotion scales the canary from ${last.canaryReplicas} to ${replicas} pods ` +
            `(+${promotion}, ${share}% of ${replicas} replicas, above the ${threshold}% threshold).`,
          fix: 'Continue the setWeight increments up to 100 (then pause 15s), so the promotion adds no pods.',
        });
      }
      return [...worst.entries()].sort(([a], [b]) => a - b).map(([, w]) => w.finding);
    });
  },
};
