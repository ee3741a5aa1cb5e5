import { CANARY_APP_DEFAULTS } from '../../runtime/defaults';
import { replicaCountsToCheck } from '../replica-counts';
import { canaryRollouts, type LintRule, type RuleFinding } from '../rule';
import { allAtOnce } from './all-at-once';

/**
 * Pods one step may add before it counts as a surge: the threshold share of the replicas, but
 * never less than one pod (nothing is more gradual than that) and, for the first canary pods,
 * never less than minPodsPerReplicaSet (the controller's floor).
 */
export function surgeAllowance(replicas: number, thresholdPercent: number, firstCanaryPods: boolean, minPods: number): number {
  const share = (thresholdPercent * replicas) / 100;
  return Math.max(share, 1, firstCanaryPods ? Math.min(minPods, replicas) : 0);
}

/** A step that starts more than the threshold share of the replicas as new pods at once. */
export const podSurgeRule: LintRule = {
  id: 'pod-surge',
  severity: 'error',
  summary:
    `A step adds more new pods at once than the surge threshold (default ${CANARY_APP_DEFAULTS.surgeThresholdPercent}% of the replicas), ` +
    'computed with the runtime\'s plan: a burst of new pods opens a burst of DB connections. With trafficRouting, ' +
    'maxSurge does not limit this; only the step sizes do.',
  fix: 'Split the step into smaller setWeight increments (the automatic profile adds 10 points per step).',
  check(context) {
    return canaryRollouts(context).flatMap((rollout): RuleFinding[] => {
      if (allAtOnce(rollout.canary)) return []; // reported by all-at-once
      const minPods = rollout.canary.minPodsPerReplicaSet ?? 1;
      const worst = new Map<number, { share: number; finding: RuleFinding }>();
      for (const replicas of replicaCountsToCheck(rollout, context.replicas)) {
        const plan = context.plan(rollout, replicas);
        if (!plan.ok) continue;
        let canaryBefore = 0;
        for (const step of plan.steps) {
          const allowance = surgeAllowance(replicas, context.surgeThresholdPercent, canaryBefore === 0, minPods);
          canaryBefore = step.canaryReplicas;
          if (step.podsAdded <= allowance) continue;
          const share = Math.round((step.podsAdded * 100) / replicas);
          const previous = worst.get(step.stepIndex);
          if (previous && previous.share >= share) continue;
          worst.set(step.stepIndex, {
            share,
            finding: {
            object: rollout.object,
            path: `spec.strategy.canary.steps[${step.stepIndex}]`,
            message:
              `step ${step.stepIndex} (${step.action}) adds ${step.podsAdded} pods at once with ${replicas} replicas ` +
              `(${share}%, above the ${context.surgeThresholdPercent}% threshold): canary ${step.canaryReplicas}, stable ${step.stableReplicas}.`,
            },
          });
        }
      }
      return [...worst.entries()].sort(([a], [b]) => a - b).map(([, w]) => w.finding);
    });
  },
};
