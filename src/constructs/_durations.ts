import { Duration } from 'cdk8s';

/** Whole-unit Go duration strings Argo reads for a pause: "15s", "5m", "1h30m". */
const GO_DURATION = /^(?:\d+h)?(?:\d+m)?(?:\d+s)?$/;

/** Text shown to users for a valid duration string. */
export const DURATION_STRING_RULE = 'must be a whole number of seconds or a duration like "15s", "5m" or "1h30m"';

/** Milliseconds of a Duration, fractions allowed (cdk8s throws on fractions by default). */
export function durationMillis(duration: Duration): number {
  return duration.toMilliseconds({ integral: false });
}

/** True when the Duration is a whole, non-negative number of seconds. */
export function isWholeSeconds(duration: Duration): boolean {
  const ms = durationMillis(duration);
  return Number.isFinite(ms) && ms >= 0 && ms % 1000 === 0;
}

/** Whole seconds of a Duration (callers check `isWholeSeconds` first). */
export function wholeSeconds(duration: Duration): number {
  return Math.round(durationMillis(duration) / 1000);
}

/**
 * Renders a Duration in the largest whole unit: 15s, 5m, 1h, or milliseconds ("1500ms") when
 * it is not a whole number of seconds. Istio and Argo both read this form.
 */
export function durationText(duration: Duration): string {
  const ms = durationMillis(duration);
  if (ms % 1000 !== 0) return `${ms}ms`;
  const seconds = ms / 1000;
  if (seconds !== 0 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds !== 0 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** True for a pause duration string Argo accepts: digits only (seconds) or whole h/m/s units. */
export function isPauseDurationString(text: string): boolean {
  if (/^\d+$/.test(text)) return true;
  return text.length > 0 && GO_DURATION.test(text);
}

/** Text shown to users for a valid Istio duration (route timeout, per-try timeout). */
export const ISTIO_DURATION_RULE = 'must be a finite Duration of whole milliseconds, at least 1ms (Istio refuses finer or infinite durations)';

/** Longest protobuf Duration (10,000 years), in milliseconds. */
const MAX_PROTO_DURATION_MS = 315_576_000_000_000;

/** True for a Duration Istio accepts (`ValidateDuration`): whole milliseconds, at least 1ms, finite. */
export function isIstioDuration(value: unknown): value is Duration {
  if (!(value instanceof Duration)) return false;
  const ms = durationMillis(value);
  return Number.isInteger(ms) && ms >= 1 && ms <= MAX_PROTO_DURATION_MS;
}
