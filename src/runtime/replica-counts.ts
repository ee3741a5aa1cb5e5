import { maxSurge as resolveMaxSurge, maxUnavailable as resolveMaxUnavailable } from './fenceposts';
import { getMaxTrafficWeight, getReplicasOrDefault } from './rollout-defaults';
import { getCanaryReplicasOrWeight, type CanaryReplicasOrWeight } from './steps';
import type { ReplicaProgressThreshold, ReplicaSetState, RolloutState, TrafficWeights } from './types';

/** A (canary, stable) pair of desired replica counts. */
export interface CanaryStableCounts {
  readonly canaryReplicas: number;
  readonly stableReplicas: number;
}

/** `spec.replicas` of a ReplicaSet; nil reads as 1 (the Kubernetes default; utils/replicaset/canary.go allDesiredAreAvailable). */
export function rsSpecReplicas(rs: ReplicaSetState): number {
  return rs.specReplicas ?? 1;
}

/**
 * Fully available: spec > 0, available > 0 and spec <= available (Service adoption, the
 * DestinationRule delay).
 * @see utils/replicaset/replicaset.go IsReplicaSetAvailable
 */
export function isReplicaSetAvailable(rs: ReplicaSetState): boolean {
  const spec = rsSpecReplicas(rs);
  return spec > 0 && rs.availableReplicas > 0 && spec <= rs.availableReplicas;
}

/** `status.replicas` (pods created); when not modelled, the available pods (they exist). */
function rsStatusReplicas(rs: ReplicaSetState): number {
  return rs.statusReplicas ?? rs.availableReplicas;
}

function sumSpecReplicas(rss: readonly (ReplicaSetState | undefined)[]): number {
  let total = 0;
  for (const rs of rss) if (rs) total += rsSpecReplicas(rs);
  return total;
}

function sumAvailableReplicas(rss: readonly ReplicaSetState[]): number {
  let total = 0;
  for (const rs of rss) total += rs.availableReplicas;
  return total;
}

/**
 * Replicas needed to carry `weight` of `replicas`: `ceil(weight * replicas / maxWeight)`.
 * @see utils/replicaset/canary.go trafficWeightToReplicas
 */
export function trafficWeightToReplicas(replicas: number, weight: number, maxWeight = 100): number {
  return Math.ceil((weight * replicas) / maxWeight);
}

/** Go's `math.Modf` fractional part (inputs here are never negative). */
function fractionalPart(x: number): number {
  return x - Math.trunc(x);
}

/** Ceil and floor approximations are equidistant from the weight (operand order as in Go). */
function floorCeilingTied(desiredWeight: number, maxWeight: number, totalReplicas: number): boolean {
  return fractionalPart(totalReplicas * (desiredWeight / maxWeight)) === 0.5;
}

function weightDelta(desiredWeight: number, maxWeight: number, canary: number, total: number): number {
  return Math.abs((canary * maxWeight) / total - desiredWeight);
}

/**
 * The closest (canary, stable) split of `specReplicas` (or `specReplicas + 1` when surge is
 * allowed) to `desiredWeight`; never 0 canary or 0 stable for weights strictly between 0 and
 * maxWeight unless `specReplicas == 1` and `maxSurge == 0`.
 * @see utils/replicaset/canary.go approximateWeightedCanaryStableReplicaCounts
 */
export function approximateWeightedCanaryStableReplicaCounts(
  specReplicas: number,
  desiredWeight: number,
  maxWeight: number,
  maxSurge: number,
): CanaryStableCounts {
  if (specReplicas === 0) return { canaryReplicas: 0, stableReplicas: 0 };
  const ceilCount = Math.ceil((specReplicas * desiredWeight) / maxWeight);
  const floorCount = Math.floor((specReplicas * desiredWeight) / maxWeight);
  const tied = floorCeilingTied(desiredWeight, maxWeight, specReplicas);
  const zeroAllowed = desiredWeight === maxWeight || desiredWeight === 0 || (specReplicas === 1 && maxSurge === 0);

  const options: { canary: number; total: number }[] = [];
  if (ceilCount < specReplicas || zeroAllowed) options.push({ canary: ceilCount, total: specReplicas });
  if (!tied && (floorCount !== 0 || zeroAllowed)) options.push({ canary: floorCount, total: specReplicas });
  if (maxSurge > 0) {
    options.push({ canary: ceilCount, total: specReplicas + 1 });
    const surgeTied = floorCeilingTied(desiredWeight, maxWeight, specReplicas + 1);
    if (!surgeTied && (floorCount !== 0 || zeroAllowed)) options.push({ canary: floorCount, total: specReplicas + 1 });
  }
  if (options.length === 0) return { canaryReplicas: 0, stableReplicas: specReplicas };

  let best = options[0];
  let bestDelta = weightDelta(desiredWeight, maxWeight, best.canary, best.total);
  for (const option of options.slice(1)) {
    const delta = weightDelta(desiredWeight, maxWeight, option.canary, option.total);
    if (delta < bestDelta) {
      best = option;
      bestDelta = delta;
    }
  }
  return { canaryReplicas: best.canary, stableReplicas: best.total - best.canary };
}

/**
 * Replicas of `rs` that count towards availability when scaling down: `spec` when fewer than
 * the available pods, `spec` when availability is ignored, else the available pods; 0 for nil.
 * @see utils/replicaset/canary.go GetReplicasForScaleDown
 */
export function getReplicasForScaleDown(rs: ReplicaSetState | undefined, ignoreAvailability: boolean): number {
  if (!rs) return 0;
  const spec = rsSpecReplicas(rs);
  if (spec < rs.availableReplicas) return spec;
  if (ignoreAvailability) return spec;
  return rs.availableReplicas;
}

/**
 * True when a stable ReplicaSet exists and is not the new ReplicaSet.
 * @see utils/replicaset/canary.go CheckStableRSExists
 */
export function checkStableRSExists(newRS: ReplicaSetState | undefined, stableRS: ReplicaSetState | undefined): boolean {
  if (!stableRS) return false;
  if (!newRS) return true;
  return newRS.name !== stableRS.name;
}

/**
 * Desired counts for a canary without trafficRouting: approximate the weight with whole pods,
 * then move towards it within maxSurge (stable scaled up first) and maxUnavailable.
 * Older ReplicaSets with replicas block every scale-down of the new and stable ones.
 * @see utils/replicaset/canary.go CalculateReplicaCountsForBasicCanary
 */
export function calculateReplicaCountsForBasicCanary(
  rollout: RolloutState,
  newRS: ReplicaSetState | undefined,
  stableRS: ReplicaSetState | undefined,
  otherRSs: readonly ReplicaSetState[],
): CanaryStableCounts {
  const n = getReplicasOrDefault(rollout.spec.replicas);
  const { weight } = getCanaryReplicasOrWeight(rollout, newRS, stableRS);
  const surge = resolveMaxSurge(rollout);
  const approx = approximateWeightedCanaryStableReplicaCounts(n, weight, getMaxTrafficWeight(rollout.spec), surge);
  let desiredNew = approx.canaryReplicas;
  let desiredStable = approx.stableReplicas;

  let newCount = newRS ? rsSpecReplicas(newRS) : 0;
  let stableCount = 0;
  const scaleStable = checkStableRSExists(newRS, stableRS);
  if (scaleStable && stableRS) {
    stableCount = rsSpecReplicas(stableRS);
  } else {
    // No distinct stable: the rollout goes straight to 100 % new.
    desiredNew = n;
    desiredStable = 0;
  }

  const maxTotal = n + surge;
  let scaleUp = maxTotal - sumSpecReplicas([...otherRSs, newRS, scaleStable ? stableRS : undefined]);
  if (scaleStable && stableRS && rsSpecReplicas(stableRS) < desiredStable && scaleUp > 0) {
    const current = rsSpecReplicas(stableRS);
    stableCount = Math.min(desiredStable, current + scaleUp);
    scaleUp -= stableCount - current;
  }
  if (newRS && rsSpecReplicas(newRS) < desiredNew && scaleUp > 0) {
    newCount = Math.min(desiredNew, rsSpecReplicas(newRS) + scaleUp);
  }

  if (sumSpecReplicas(otherRSs) > 0) {
    // Older ReplicaSets are drained before the new or stable ones are scaled down.
    return { canaryReplicas: newCount, stableReplicas: stableCount };
  }

  const minAvailable = n - resolveMaxUnavailable(rollout);
  const increasing = !newRS || desiredNew >= rsSpecReplicas(newRS);
  const toScaleDown = getReplicasForScaleDown(newRS, !increasing) + getReplicasForScaleDown(stableRS, increasing);
  if (toScaleDown <= minAvailable) return { canaryReplicas: newCount, stableReplicas: stableCount };

  const scaleDown = toScaleDown - minAvailable;
  if (!increasing && newRS) {
    newCount = scaleDownTowards(newRS, desiredNew, scaleDown, newCount);
    [newCount, stableCount] = adjustReplicaWithinLimits(newRS, stableRS, newCount, stableCount, maxTotal, minAvailable);
  } else if (scaleStable && stableRS) {
    stableCount = scaleDownTowards(stableRS, desiredStable, scaleDown, stableCount);
    [stableCount, newCount] = adjustReplicaWithinLimits(stableRS, newRS, stableCount, newCount, maxTotal, minAvailable);
  }
  return { canaryReplicas: newCount, stableReplicas: stableCount };
}

/** calculateScaleDownReplicaCount: move `drain` down by at most `scaleDown`, not below `desired`. */
function scaleDownTowards(drain: ReplicaSetState, desired: number, scaleDown: number, current: number): number {
  const spec = rsSpecReplicas(drain);
  return spec > desired ? Math.max(desired, spec - scaleDown) : current;
}

/**
 * adjustReplicaWithinLimits: keep the pair within maxSurge, giving back to `keep` the pods that
 * maxUnavailable still needs; returns [drainCount, keepCount].
 */
function adjustReplicaWithinLimits(
  drain: ReplicaSetState | undefined,
  keep: ReplicaSetState | undefined,
  drainCount: number,
  keepCount: number,
  maxTotal: number,
  minAvailable: number,
): [number, number] {
  const over = Math.max(0, keepCount + drainCount - maxTotal);
  let available = drain ? Math.min(drain.availableReplicas, drainCount) : 0;
  if (keep) {
    keepCount -= over;
    available += Math.min(keep.availableReplicas, keepCount);
    const lost = Math.max(0, keep.availableReplicas - keepCount);
    const stillNeeded = Math.max(0, minAvailable - available);
    keepCount += Math.min(lost, stillNeeded);
    drainCount -= Math.max(0, keepCount + drainCount - maxTotal);
  }
  return [drainCount, keepCount];
}

/**
 * `max(count, minPodsPerReplicaSet)` for a non-zero count with trafficRouting.
 * @see utils/replicaset/canary.go CheckMinPodsPerReplicaSet
 */
export function checkMinPodsPerReplicaSet(rollout: RolloutState, count: number): number {
  const canary = rollout.spec.strategy.canary;
  if (count === 0 || canary?.minPodsPerReplicaSet === undefined || !canary.trafficRouting) return count;
  return Math.max(count, canary.minPodsPerReplicaSet);
}

/**
 * Desired counts with trafficRouting: canary = setCanaryScale replicas, or
 * `ceil(w * N / maxW)` raised to minPodsPerReplicaSet; stable = N. With dynamicStableScale the
 * stable is sized for `maxW - w` but never below the stable weight applied to the router
 * (`weights`), and while aborted the canary is never below the canary weight applied.
 * maxSurge / maxUnavailable play no part.
 * @see utils/replicaset/canary.go CalculateReplicaCountsForTrafficRoutedCanary
 */
export function calculateReplicaCountsForTrafficRoutedCanary(
  rollout: RolloutState,
  newRS: ReplicaSetState | undefined,
  stableRS: ReplicaSetState | undefined,
  weights: TrafficWeights | undefined,
): CanaryStableCounts {
  const n = getReplicasOrDefault(rollout.spec.replicas);
  const maxWeight = getMaxTrafficWeight(rollout.spec);
  const replicasOrWeight = getCanaryReplicasOrWeight(rollout, newRS, stableRS);
  const weight = replicasOrWeight.weight;
  let canaryCount = trafficRoutedCanaryCount(rollout, n, maxWeight, replicasOrWeight);
  if (!rollout.spec.strategy.canary?.dynamicStableScale) {
    return { canaryReplicas: canaryCount, stableReplicas: n };
  }
  let stableCount = trafficWeightToReplicas(n, maxWeight - weight, maxWeight);
  if (weights) {
    stableCount = Math.max(stableCount, trafficWeightToReplicas(n, weights.stable.weight, maxWeight));
    if (rollout.status.abort) {
      canaryCount = Math.max(canaryCount, trafficWeightToReplicas(n, weights.canary.weight, maxWeight));
    }
  }
  return {
    canaryReplicas: checkMinPodsPerReplicaSet(rollout, canaryCount),
    stableReplicas: checkMinPodsPerReplicaSet(rollout, stableCount),
  };
}

/**
 * The first canary count of {@link calculateReplicaCountsForTrafficRoutedCanary} (the whole of it
 * without dynamicStableScale): the `setCanaryScale` replicas, else `ceil(w * n / maxWeight)`
 * raised to minPodsPerReplicaSet. Split out so that a caller planning one step at several replica
 * counts can get `replicasOrWeight` (which does not depend on the count) once.
 */
export function trafficRoutedCanaryCount(rollout: RolloutState, n: number, maxWeight: number, replicasOrWeight: CanaryReplicasOrWeight): number {
  return replicasOrWeight.replicas ?? checkMinPodsPerReplicaSet(rollout, trafficWeightToReplicas(n, replicasOrWeight.weight, maxWeight));
}

/**
 * `rs` exists and both its spec and available pods equal `desired` (nil spec reads as 1).
 * @see utils/replicaset/canary.go allDesiredAreAvailable
 */
export function allDesiredAreAvailable(rs: ReplicaSetState | undefined, desired: number): boolean {
  return rs !== undefined && desired === rsSpecReplicas(rs) && desired === rs.availableReplicas;
}

/** allDesiredAreCreated: spec and created pods (`status.replicas`) equal `desired`. */
function allDesiredAreCreated(rs: ReplicaSetState | undefined, desired: number): boolean {
  return rs !== undefined && desired === rsSpecReplicas(rs) && desired === rsStatusReplicas(rs);
}

/** Tolerance of the Percent comparison in Go (float rounding). */
const PERCENT_EPSILON = 1e-10;

/**
 * Whether `rs` made enough progress towards `desired`. No threshold, nil `rs` or a negative value:
 * {@link allDesiredAreAvailable}. `Percent`: desired 0, or available/desired*100 >= value.
 * Any other type (`Pods`, or a string the CRD lets through such as `Percentage`): available >= value.
 * @see utils/replicaset/canary.go ReplicaProgressThresholdMet
 */
export function replicaProgressThresholdMet(
  threshold: ReplicaProgressThreshold | undefined,
  rs: ReplicaSetState | undefined,
  desired: number,
): boolean {
  if (!threshold || !rs || threshold.value < 0) return allDesiredAreAvailable(rs, desired);
  if (threshold.type === 'Percent') {
    if (desired === 0) return true;
    return (rs.availableReplicas / desired) * 100 >= threshold.value - PERCENT_EPSILON;
  }
  return rs.availableReplicas >= threshold.value;
}

/**
 * Whether the ReplicaSets are at the counts of the current step: the new RS meets the progress
 * threshold; unless trafficRouting with dynamicStableScale, the stable RS has exactly the desired
 * spec and created pods (availability is not required); basic canary also needs every older RS
 * at 0 available.
 * @see utils/replicaset/canary.go AtDesiredReplicaCountsForCanary
 */
export function atDesiredReplicaCountsForCanary(
  rollout: RolloutState,
  newRS: ReplicaSetState | undefined,
  stableRS: ReplicaSetState | undefined,
  otherRSs: readonly ReplicaSetState[],
  weights: TrafficWeights | undefined,
): boolean {
  const canary = rollout.spec.strategy.canary;
  const trafficRouted = canary?.trafficRouting !== undefined;
  const desired = trafficRouted
    ? calculateReplicaCountsForTrafficRoutedCanary(rollout, newRS, stableRS, weights)
    : calculateReplicaCountsForBasicCanary(rollout, newRS, stableRS, otherRSs);
  if (!replicaProgressThresholdMet(canary?.replicaProgressThreshold, newRS, desired.canaryReplicas)) return false;
  if (!trafficRouted || !canary?.dynamicStableScale) {
    if (!allDesiredAreCreated(stableRS, desired.stableReplicas)) return false;
  }
  if (!trafficRouted && sumAvailableReplicas(otherRSs) !== 0) return false;
  return true;
}
