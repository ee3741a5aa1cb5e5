import { INT32_MAX } from './int32';

/** What a valid pause duration looks like, in every message about an invalid one. */
export const PAUSE_DURATION_RULE = 'must be whole seconds or a duration string such as "30s", "5m" or "1h"';

/**
 * The one grammar of a pause step's `duration`, as the Argo Rollouts controller reads it
 * (`RolloutPause.DurationSeconds` in pkg/apis/rollouts/v1alpha1/types.go, checked by
 * `ValidateRolloutStrategyCanary` in pkg/apis/rollouts/validation/validation.go):
 *
 * - an int is seconds;
 * - a string is first read as a base-10 int32 (`strconv.ParseInt(s, 10, 32)`: optional sign,
 *   digits), else as a Go duration (`time.ParseDuration`: optional sign, then one or more
 *   decimal numbers each with a unit ns, us, µs, ms, s, m, h), truncated to whole seconds
 *   (`int32(d.Seconds())`: "1.5s" pauses 1 s);
 * - the controller refuses the Rollout (InvalidSpec) when the result is negative, and an
 *   unreadable string reads as -1, so it is refused too.
 *
 * The runtime reader, the closed-form planner and the lint (through the reader) use this; CanaryApp
 * uses it first and then applies its own, stricter rule (`canaryAppPauseRule` in constructs/_durations.ts).
 */


const DIGITS_ONLY = /^[+-]?\d+$/;
const GO_DURATION = /^[+-]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;
const GO_DURATION_PART = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/g;
const UNIT_NANOS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const INT64_LIMIT = 1n << 63n;

/** Go's leadingFraction: the digits that fit in an int64 as an integer, and 10^(their count). */
function leadingFraction(digits: string): { f: bigint; scale: number } {
  let f = 0n;
  let scale = 1;
  for (const c of digits) {
    const next = f * 10n + BigInt(c);
    if (f > (INT64_LIMIT - 1n) / 10n || next > INT64_LIMIT) break;
    f = next;
    scale *= 10;
  }
  return { f, scale };
}

/**
 * Nanoseconds of a duration string GO_DURATION accepts, with time.ParseDuration's arithmetic:
 * whole parts exact, each fraction `float64(f) * (float64(unit) / scale)` truncated, so
 * "0.7s0.2s0.1s" is exactly 1 s (a float sum of the parts would give 0.999...).
 */
function goDurationNanos(text: string): bigint | undefined {
  let total = 0n;
  for (const [, whole, fraction, unit] of text.matchAll(GO_DURATION_PART)) {
    const { f, scale } = leadingFraction(fraction ?? '');
    let v = BigInt(whole || '0');
    if (v > INT64_LIMIT / UNIT_NANOS[unit]) return undefined;
    v *= UNIT_NANOS[unit];
    if (f > 0n) v += BigInt(Math.trunc(Number(f) * (Number(UNIT_NANOS[unit]) / scale)));
    total += v;
    if (v > INT64_LIMIT || total > INT64_LIMIT) return undefined;
  }
  return total;
}

/**
 * Whole seconds of a pause `duration`: an int is seconds, a digits-only string is seconds, any
 * other string is a Go duration (`"30s"`, `"5m"`, `"1h30m"`), truncated to whole seconds like Go's
 * `int32(d.Seconds())` (`"1.5s"` -> 1). Throws an Error naming `field` and the value otherwise
 * (Go would silently return -1, i.e. an indefinite pause).
 * @see pkg/apis/rollouts/v1alpha1/types.go RolloutPause.DurationSeconds
 */
export function parsePauseDurationSeconds(duration: number | string, field = 'pause.duration'): number {
  if (typeof duration === 'number') {
    if (!Number.isInteger(duration)) {
      throw new Error(`${field} (${duration}) ${PAUSE_DURATION_RULE}`);
    }
    return duration;
  }
  // A readable duration's seconds are remembered: the runtime asks for a pause step's seconds on
  // every reconcile of the pause (an unreadable one is not kept, so it throws naming its field).
  const known = SECONDS.get(duration);
  if (known !== undefined) return known;
  return remember(SECONDS, duration, goDurationSeconds(duration, field));
}

/** {@link parsePauseDurationSeconds} of a string. */
function goDurationSeconds(duration: string, field: string): number {
  if (DIGITS_ONLY.test(duration)) return Number.parseInt(duration, 10);
  if (!GO_DURATION.test(duration)) {
    throw new Error(
      `${field} (${JSON.stringify(duration)}) ${PAUSE_DURATION_RULE}`,
    );
  }
  const nanos = goDurationNanos(duration);
  if (nanos === undefined || (!duration.startsWith('-') && nanos === INT64_LIMIT)) {
    throw new Error(`${field} (${JSON.stringify(duration)}) is longer than a Go duration can hold (about 292 years)`);
  }
  const sign = duration.startsWith('-') ? -1 : 1;
  // Go: int32(d.Seconds()) truncates toward zero ("1.5s" pauses 1 s).
  const seconds = Number(nanos / 1_000_000_000n) + Number(nanos % 1_000_000_000n) / 1e9;
  return Math.trunc(sign * seconds) + 0;
}

/**
 * Whole seconds the controller pauses for `duration`, or `undefined` when it refuses the Rollout
 * for it: unreadable (DurationSeconds gives -1), negative, or beyond int32. A pure function.
 */
export function argoPauseSeconds(duration: unknown): number | undefined {
  if (typeof duration !== 'number' && typeof duration !== 'string') return undefined;
  if (typeof duration === 'string' && KNOWN.has(duration)) return KNOWN.get(duration);
  let seconds: number | undefined;
  try {
    seconds = parsePauseDurationSeconds(duration);
  } catch {
    seconds = undefined;
  }
  // strconv.ParseInt(s, 10, 32) refuses digits beyond int32, and ParseDuration then wants a unit.
  if (seconds !== undefined && (seconds < 0 || seconds > INT32_MAX)) seconds = undefined;
  return typeof duration === 'string' ? remember(KNOWN, duration, seconds) : seconds;
}

/** Seconds of the duration strings {@link argoPauseSeconds} read (the reader, the planner and the lint read the same few strings on every run). */
const KNOWN = new Map<string, number | undefined>();
/** {@link parsePauseDurationSeconds} of the strings it read (up to {@link KNOWN_KEPT}). */
const SECONDS = new Map<string, number>();
/** Distinct duration strings remembered before the memory starts over. */
const KNOWN_KEPT = 256;

/** Keeps `value` for `key` in `memo` (which starts over once it holds {@link KNOWN_KEPT} strings) and returns it. */
function remember<T>(memo: Map<string, T>, key: string, value: T): T {
  if (memo.size >= KNOWN_KEPT) memo.clear();
  memo.set(key, value);
  return value;
}

/**
 * {@link argoPauseSeconds} for the manifest reader: the seconds, or an Error naming `field` and
 * the value when the controller refuses it (the reason {@link parsePauseDurationSeconds} gives for
 * an unreadable string, else why it is refused).
 */
export function pauseDurationSeconds(duration: number | string, field = 'pause.duration'): number {
  const seconds = argoPauseSeconds(duration);
  if (seconds !== undefined) return seconds;
  parsePauseDurationSeconds(duration, field); // throws the reason when the value is unreadable
  throw new Error(pauseDurationProblem(duration, field));
}

/** The message for a duration the controller refuses. */
function pauseDurationProblem(duration: unknown, field: string): string {
  const shown = typeof duration === 'string' ? JSON.stringify(duration) : String(duration);
  if (typeof duration === 'number' ? duration > INT32_MAX : /^\+?\d+$/.test(String(duration))) return `${field} (${shown}) must be at most ${INT32_MAX} seconds (an int32 in the CRD)`;
  const negative = (typeof duration === 'number' && duration < 0) || (typeof duration === 'string' && duration.trim().startsWith('-'));
  if (negative) return `${field} (${shown}) must not be negative: the controller refuses a pause shorter than 0 seconds`;
  return `${field} (${shown}) ${PAUSE_DURATION_RULE}`;
}
