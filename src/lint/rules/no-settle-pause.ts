import { CANARY_CONVENTIONS } from '../conventions';
import { argoPauseSeconds } from '../../model/pause-duration';
import { canaryRollouts, findingsOf, type LintRule, type RuleFinding } from '../rule';

const SETTLE = CANARY_CONVENTIONS.settlePauseSeconds;

/** Seconds a pause waits; undefined for an indefinite pause (waits for promotion); NaN when unreadable. */
function pauseSeconds(duration: number | string | undefined): number | undefined {
  if (duration === undefined) return undefined;
  return argoPauseSeconds(duration) ?? Number.NaN;
}

/** The steps must end with setWeight: 100 and a settle pause, or the promotion races Istio (503s). */
export const noSettlePauseRule: LintRule = {
  id: 'no-settle-pause',
  severity: 'warning',
  summary:
    `The steps do not end with setWeight: 100 followed by a pause of at least ${SETTLE}s: the controller promotes ` +
    '(re-points the stable Service, then the weights) before every sidecar saw 100% canary, which gives 503s at the end of the rollout.',
  fix: `End the steps with "- setWeight: 100" and "- pause: {duration: ${SETTLE}s}".`,
  check(context) {
    return findingsOf(canaryRollouts(context), (rollout): RuleFinding[] => {
      const steps = rollout.canary.steps ?? [];
      if (!rollout.canary.trafficRouting || steps.length === 0) return [];
      let last = -1;
      steps.forEach((s, i) => {
        if (s.setWeight !== undefined) last = i;
      });
      if (last < 0) return []; // no setWeight at all: all-at-once reports it
      const weight = steps[last].setWeight ?? 0;
      if (weight < 100) {
        return [
          {
            object: rollout.object,
            path: `spec.strategy.canary.steps[${last}].setWeight`,
            message: `the last setWeight is ${weight}; after the last step the controller moves from ${weight}% to 100% and promotes without any settle time.`,
          },
        ];
      }
      const waits = steps.slice(last + 1).filter((s) => s.pause !== undefined || s.analysis !== undefined);
      const settles = waits.some((s) => {
        if (s.analysis !== undefined) return true;
        const seconds = pauseSeconds(s.pause?.duration);
        return seconds === undefined || seconds >= SETTLE;
      });
      if (settles) return [];
      const short = waits.find((s) => s.pause !== undefined);
      return [
        {
          object: rollout.object,
          path: short ? `spec.strategy.canary.steps[${steps.indexOf(short)}].pause` : `spec.strategy.canary.steps[${last}]`,
          message: short
            ? `the pause after setWeight: 100 is ${JSON.stringify(short.pause?.duration)}, shorter than the ${SETTLE}s Istio needs to propagate 100% canary.`
            : `setWeight: 100 at step ${last} is not followed by a pause, so promotion starts while sidecars still send traffic to the old pods.`,
        },
      ];
    });
  },
};
