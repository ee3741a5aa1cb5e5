import { Duration } from 'cdk8s';
import { isWholeSeconds, wholeSeconds } from '../_durations';
import type { Problem } from '../canary-app-error';

/**
 * Formats a whole number of seconds as a Go `time.ParseDuration` string that PromQL also accepts
 * (`90` -> `1m30s`, `120` -> `2m`, `3600` -> `1h`). Argo's `interval`/`initialDelay` and PromQL
 * range selectors both read this form.
 */
export function formatGoDuration(totalSeconds: number): string {
  if (!Number.isInteger(totalSeconds) || totalSeconds <= 0) {
    throw new Error(`formatGoDuration: ${totalSeconds} is not a positive whole number of seconds`);
  }
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 ? `${s}s` : ''}`;
}

/**
 * Checks that `value` is a Duration of at least one whole second and returns its seconds, or
 * pushes a problem naming `path` and returns undefined.
 */
export function positiveWholeSeconds(path: string, value: Duration, problems: Problem[]): number | undefined {
  if (!(value instanceof Duration) || !isWholeSeconds(value) || wholeSeconds(value) < 1) {
    problems.push({ path, value, expected: 'must be a Duration of whole seconds, at least 1s' });
    return undefined;
  }
  return wholeSeconds(value);
}
