import type { CanaryStrategy } from '../../runtime/types';
import { canaryRollouts, findingsOf, type LintRule } from '../rule';

/**
 * Why a canary moves all traffic (and, at the end, all pods) in one go, or undefined when it does
 * not: no steps at all, or no `setWeight` strictly between 0 and 100 (the weight jumps 0 -> 100).
 */
export function allAtOnce(canary: CanaryStrategy): { readonly path: string; readonly reason: string } | undefined {
  const steps = canary.steps ?? [];
  if (steps.length === 0) {
    return {
      path: 'spec.strategy.canary.steps',
      reason: 'has no steps, so the controller scales the canary to 100% of the replicas and sends it all traffic at once',
    };
  }
  const gradual = steps.some((s) => typeof s.setWeight === 'number' && s.setWeight > 0 && s.setWeight < 100);
  if (gradual) return undefined;
  const first = steps.findIndex((s) => typeof s.setWeight === 'number' && s.setWeight >= 100);
  return {
    path: first >= 0 ? `spec.strategy.canary.steps[${first}].setWeight` : 'spec.strategy.canary.steps',
    reason:
      first >= 0
        ? `goes from 0% to setWeight ${steps[first].setWeight} in one step, so every canary pod starts at once`
        : 'has no setWeight between 0 and 100, so the weight and the pods jump from 0% to 100% after the last step',
  };
}

/** `setWeight: 100` first, or no steps at all: every pod of the new version at once. */
export const allAtOnceRule: LintRule = {
  id: 'all-at-once',
  severity: 'error',
  summary:
    'No steps, or no setWeight between 0 and 100: the new version gets every pod and all traffic at once ' +
    '(the "steps: [setWeight: 100]" pitfall; a sudden pod surge can exhaust DB connections).',
  fix: 'Ramp up in small steps, e.g. setWeight 1, 10, 20, ... 100 then pause 15s (the automatic profile).',
  check(context) {
    return findingsOf(canaryRollouts(context), (rollout) => {
      const hit = allAtOnce(rollout.canary);
      return hit ? [{ object: rollout.object, path: hit.path, message: `The canary ${hit.reason}.` }] : [];
    });
  },
};
