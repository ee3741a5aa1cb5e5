import { canaryRollouts, findingsOf, type LintRule } from '../rule';

/** Argo rejects dynamicStableScale together with scaleDownDelaySeconds (the Rollout goes InvalidSpec). */
export const dynamicStableScaleDelayRule: LintRule = {
  id: 'dynamic-stable-scale-delay',
  severity: 'error',
  summary:
    'dynamicStableScale combined with scaleDownDelaySeconds: the controller rejects the Rollout ' +
    '("Canary dynamicStableScale cannot be used with scaleDownDelaySeconds") and it never progresses.',
  fix: 'Remove scaleDownDelaySeconds, or turn dynamicStableScale off (the default) and keep the delay.',
  check(context) {
    return findingsOf(canaryRollouts(context), (rollout) => {
      const { canary } = rollout;
      if (canary.dynamicStableScale !== true || canary.scaleDownDelaySeconds === undefined) return [];
      return [
        {
          object: rollout.object,
          path: 'spec.strategy.canary.scaleDownDelaySeconds',
          message: `dynamicStableScale is true and scaleDownDelaySeconds is ${canary.scaleDownDelaySeconds}; Argo Rollouts v1.9 refuses this combination.`,
        },
      ];
    });
  },
};
