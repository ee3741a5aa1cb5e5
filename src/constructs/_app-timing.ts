/** CanaryApp's timing concern: minReady, scaleDownDelay and abortScaleDownDelay in whole seconds. */
import { Duration } from 'cdk8s';
import { CANARY_CONVENTIONS } from '../lint/conventions';
import { isWholeSeconds, wholeSeconds } from './_durations';
import type { Resolved } from './_app-resolved';
import type { CanaryAppProps } from './canary-app-props';
import type { ProblemList } from './canary-app-error';
import { CANARY_APP_DEFAULTS } from './defaults';

/** The Rollout's timing in whole seconds: minReady, scaleDownDelay (with its floor), abortScaleDownDelay. */
export function resolveTiming(props: CanaryAppProps, problems: ProblemList): Pick<Resolved, 'minReadySeconds' | 'scaleDownDelaySeconds' | 'abortScaleDownDelaySeconds'> {
  const d = CANARY_APP_DEFAULTS;
  const seconds = (path: string, value: Duration | undefined, fallback: number, min: number, why?: string): number => {
    if (value === undefined) return fallback;
    if (!(value instanceof Duration) || !isWholeSeconds(value)) {
      problems.add(path, value, 'must be a Duration of whole seconds');
      return fallback;
    }
    const s = wholeSeconds(value);
    if (s < min) problems.add(path, value, `must be at least ${min}s${why ? ` (${why})` : ''}`);
    return s;
  };
  const minReadySeconds = seconds('minReady', props.minReady, d.minReadySeconds, 0);
  const scaleDownDelaySeconds = seconds('scaleDownDelay', props.scaleDownDelay, CANARY_CONVENTIONS.minScaleDownDelaySeconds, CANARY_CONVENTIONS.minScaleDownDelaySeconds,
    'shorter delays remove the old pods before every Istio proxy has the new weights: 503s, argo-rollouts#587');
  const abortScaleDownDelaySeconds = seconds('abortScaleDownDelay', props.abortScaleDownDelay, d.abortScaleDownDelaySeconds, 0);
  return { minReadySeconds, scaleDownDelaySeconds, abortScaleDownDelaySeconds };
}
