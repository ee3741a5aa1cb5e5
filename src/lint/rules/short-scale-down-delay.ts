import { CANARY_CONVENTIONS } from '../conventions';
import { canaryRollouts, findingsOf, type LintRule } from '../rule';

const MIN_DELAY = CANARY_CONVENTIONS.minScaleDownDelaySeconds;

/** scaleDownDelaySeconds below 30 s with Istio: old pods go while sidecars still route to them. */
export const shortScaleDownDelayRule: LintRule = {
  id: 'short-scale-down-delay',
  severity: 'error',
  summary:
    `scaleDownDelaySeconds below ${MIN_DELAY} with traffic routing: after promotion the old pods are removed ` +
    'before every Istio sidecar has the new weights, which gives 503s at the end of the rollout.',
  fix: `Set spec.strategy.canary.scaleDownDelaySeconds to ${MIN_DELAY} or more (or remove it: the controller default is 30).`,
  check(context) {
    return findingsOf(canaryRollouts(context), (rollout) => {
      const { canary } = rollout;
      const delay = canary.scaleDownDelaySeconds;
      if (!canary.trafficRouting || canary.dynamicStableScale === true || delay === undefined || delay >= MIN_DELAY) return [];
      return [
        {
          object: rollout.object,
          path: 'spec.strategy.canary.scaleDownDelaySeconds',
          message: `scaleDownDelaySeconds is ${delay}; with Istio the old pods must outlive sidecar propagation (at least ${MIN_DELAY}s).`,
        },
      ];
    });
  },
};
