import { getMaxSurgeOrDefault, getMaxUnavailableOrDefault, getReplicasOrDefault } from './rollout-defaults';
import type { IntOrPercent, RolloutState } from './types';

/** Result of {@link resolveFenceposts}. */
export interface Fenceposts {
  /** Absolute surge (pods above `spec.replicas`), rounded up. */
  readonly surge: number;
  /** Absolute unavailability, rounded down; 1 when both resolve to 0. */
  readonly unavailable: number;
  /** Set when a value cannot be parsed; `surge` and `unavailable` are then both 0 (Go behaviour). */
  readonly error?: string;
}

const PERCENT_DIGITS = /^[+-]?\d+$/;

/**
 * Resolves one intstr against `total`: a number is an absolute count, a string is ALWAYS a
 * percentage (every `%` is stripped, so `"25"` == `"25%"`), rounded up or down.
 * Throws an Error naming `field` and the value when the string is not an integer percentage.
 * @see k8s.io/apimachinery intstr GetValueFromIntOrPercent (the legacy form Argo uses)
 */
export function valueFromIntOrPercent(value: IntOrPercent, total: number, roundUp: boolean, field = 'value'): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) {
      throw new Error(`${field} (${value}) must be an integer or a percentage string such as "25%"`);
    }
    return value;
  }
  const digits = value.replace(/%/g, '');
  if (!PERCENT_DIGITS.test(digits)) {
    throw new Error(`${field} (${JSON.stringify(value)}) must be an integer or a percentage string such as "25%"`);
  }
  const scaled = (Number.parseInt(digits, 10) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * Resolves maxSurge (rounded up) and maxUnavailable (rounded down) against `desired`. An absent
 * value is the int 0. If both resolve to 0, maxUnavailable becomes 1. On a parse error both are 0
 * and `error` says which field was wrong.
 * @see utils/replicaset/replicaset.go resolveFenceposts
 */
export function resolveFenceposts(
  maxSurge: IntOrPercent | undefined,
  maxUnavailable: IntOrPercent | undefined,
  desired: number,
): Fenceposts {
  let surge: number;
  let unavailable: number;
  try {
    surge = valueFromIntOrPercent(maxSurge ?? 0, desired, true, 'maxSurge');
    unavailable = valueFromIntOrPercent(maxUnavailable ?? 0, desired, false, 'maxUnavailable');
  } catch (err) {
    return { surge: 0, unavailable: 0, error: (err as Error).message };
  }
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/**
 * Maximum number of pods above `spec.replicas` during a canary update; 0 for any other
 * strategy. Not clamped to `spec.replicas`. Parse errors resolve to 0 (Go ignores the error;
 * validation rejects such values).
 * @see utils/replicaset/replicaset.go MaxSurge
 */
export function maxSurge(rollout: RolloutState): number {
  const { spec } = rollout;
  if (!spec.strategy.canary) return 0;
  const n = getReplicasOrDefault(spec.replicas);
  return resolveFenceposts(getMaxSurgeOrDefault(spec), getMaxUnavailableOrDefault(spec), n).surge;
}

/**
 * Maximum number of unavailable pods, clamped to `spec.replicas` (0 when `spec.replicas` is 0).
 * Canary uses both fenceposts (so 0/0 gives 1); blue-green resolves maxUnavailable alone.
 * @see utils/replicaset/replicaset.go MaxUnavailable
 */
export function maxUnavailable(rollout: RolloutState): number {
  const { spec } = rollout;
  const n = getReplicasOrDefault(spec.replicas);
  if (n === 0) return 0;
  let unavailable: number;
  if (spec.strategy.canary) {
    unavailable = resolveFenceposts(getMaxSurgeOrDefault(spec), getMaxUnavailableOrDefault(spec), n).unavailable;
  } else {
    try {
      unavailable = valueFromIntOrPercent(getMaxUnavailableOrDefault(spec), n, false, 'maxUnavailable');
    } catch {
      unavailable = 0;
    }
  }
  return Math.min(unavailable, n);
}
