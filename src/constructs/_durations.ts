import { Duration } from 'cdk8s';
import { argoPauseSeconds } from '../model/pause-duration';

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

/** CanaryApp's pause strings: digits (seconds) or whole h/m/s units in that order ("1h30m"). */
const CANARY_APP_PAUSE = /^(?:\d+|(?=\d)(?:\d+h)?(?:\d+m)?(?:\d+s)?)$/;

/**
 * CanaryApp's rule for a pause string, stricter than Argo's on purpose: whole seconds or whole
 * h/m/s units, so that what is written is what the controller waits (Argo reads "1.5s" as 1 s,
 * "1500ms" as 1 s). Returns the problem text for `duration`, or undefined when CanaryApp takes it.
 * A string the controller refuses gets the controller's rule; one it takes but CanaryApp does not
 * gets a message that says it is a CanaryApp rule.
 */
export function canaryAppPauseRule(duration: string): string | undefined {
  const seconds = argoPauseSeconds(duration);
  if (seconds === undefined) return CANARY_APP_PAUSE_RULE;
  if (CANARY_APP_PAUSE.test(duration)) return undefined;
  return `is read by Argo as ${seconds}s, but CanaryApp requires whole seconds or whole h/m/s units such as "15s", "5m" or "1h30m" so the pause is what is written (a CanaryApp rule; write "${seconds}s")`;
}

/** CanaryApp's text for a pause string the controller refuses. */
export const CANARY_APP_PAUSE_RULE = 'must be a whole number of seconds or a duration like "15s", "5m" or "1h30m"';
