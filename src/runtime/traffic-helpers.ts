import { isFullyPromoted } from './phase';
import { isReplicaSetAvailable, replicaProgressThresholdMet, rsSpecReplicas } from './replica-counts';
import { getMaxTrafficWeight, getReplicasOrDefault } from './rollout-defaults';
import { getDesiredCanaryWeight } from './steps';
import type { ReplicaSetState, RolloutState } from './types';

/**
 * The stable-capacity gate of traffic routing (rollout/trafficrouting.go reconcileTrafficRouting): can `rs` carry `weight` of the
 * traffic? It needs `floor(weight * spec.replicas / maxW)` available pods (integer division,
 * unlike the ceil of the replica math), or the replicaProgressThreshold met for that count.
 * A nil ReplicaSet never can.
 * @see rollout/trafficrouting.go checkReplicasAvailable
 */
export function checkReplicasAvailable(rollout: RolloutState, rs: ReplicaSetState | undefined, weight: number): boolean {
  if (!rs) return false;
  const n = getReplicasOrDefault(rollout.spec.replicas);
  const needed = Math.floor((weight * n) / getMaxTrafficWeight(rollout.spec));
  if (rs.availableReplicas >= needed) return true;
  return replicaProgressThresholdMet(rollout.spec.strategy.canary?.replicaProgressThreshold, rs, needed);
}

/**
 * True when a fully promoted rollout with trafficRouting and dynamicStableScale is going back to
 * a ReplicaSet other than the one the router last sent canary traffic to
 * (`status.canary.weights.canary.podTemplateHash`), and that ReplicaSet is not fully available yet.
 * The traffic is then balanced against that previous canary hash (argo-rollouts#3020).
 * @see rollout/canary.go isDynamicallyRollingBackToStable
 */
export function isDynamicallyRollingBackToStable(rollout: RolloutState, desiredRS: ReplicaSetState | undefined): boolean {
  const canary = rollout.spec.strategy.canary;
  if (!isFullyPromoted(rollout) || !canary?.trafficRouting || !canary.dynamicStableScale) return false;
  const weights = rollout.status.canary?.weights;
  if (!weights || !desiredRS) return false;
  if (weights.canary.podTemplateHash === desiredRS.podTemplateHash) return false;
  return desiredRS.availableReplicas < getReplicasOrDefault(rollout.spec.replicas);
}

/** Result of {@link shouldDelayDestinationRuleUpdate}. */
export interface DestinationRuleDelay {
  readonly delay: boolean;
  /** Name of the first ReplicaSet that is not fully available ("" when no delay). */
  readonly rsName: string;
  /** The controller's error text when delayed. */
  readonly message?: string;
}

/**
 * Pure DestinationRule mode only (no canaryService / stableService): delay re-pointing the subsets
 * while a non-zero ReplicaSet of the canary or stable hash is not fully available. While aborted
 * or rolling back to stable, the canary ReplicaSet is exempt (argo-rollouts PR #4612).
 * @see rollout/trafficrouting/istio/istio.go shouldDelayDestinationRuleUpdate
 */
export function shouldDelayDestinationRuleUpdate(
  rollout: RolloutState,
  canaryHash: string,
  stableHash: string,
  replicaSets: readonly ReplicaSetState[],
  rollingBackToStable = false,
): DestinationRuleDelay {
  const canary = rollout.spec.strategy.canary;
  if ((canary?.canaryService ?? '') !== '' || (canary?.stableService ?? '') !== '') return { delay: false, rsName: '' };
  const canaryExempt = rollout.status.abort === true || rollingBackToStable;
  for (const rs of replicaSets) {
    if (rsSpecReplicas(rs) === 0) continue;
    const hash = rs.podTemplateHash;
    if (hash === '' || (hash !== stableHash && hash !== canaryHash)) continue;
    // The exemption is checked first: a canary hash equal to the stable hash is skipped too.
    if (canaryExempt && hash === canaryHash) continue;
    if (!isReplicaSetAvailable(rs)) {
      return {
        delay: true,
        rsName: rs.name,
        message: `delaying destination rule switch: ReplicaSet ${rs.name} not fully available`,
      };
    }
  }
  return { delay: false, rsName: '' };
}

/**
 * Canary weight for the router while aborted or dynamically rolling back. 0 without
 * dynamicStableScale. With it, traffic walks down the setWeight ladder as stable pods become
 * available: never above the weight already applied, held while the stable cannot absorb the next
 * share, and bounded by what the stable's availability allows.
 * @see rollout/trafficrouting.go calculateDesiredWeightOnAbortOrStableRollback
 */
export function calculateDesiredWeightOnAbortOrStableRollback(
  rollout: RolloutState,
  newRS: ReplicaSetState | undefined,
  stableRS: ReplicaSetState | undefined,
): number {
  const { spec, status } = rollout;
  if (!spec.strategy.canary?.dynamicStableScale || !stableRS || !newRS || !spec.replicas) return 0;
  const n = spec.replicas;
  const maxWeight = getMaxTrafficWeight(spec);
  const desired = getDesiredCanaryWeight(rollout, newRS, stableRS);
  const stableShare = Math.floor((maxWeight * stableRS.availableReplicas) / n);
  const expected = Math.max(0, maxWeight - stableShare);
  const weights = status.canary?.weights;
  if (!weights) return Math.max(expected, desired);
  const current = weights.canary.weight;
  if (desired <= 0) return Math.min(expected, current);
  if (stableShare < maxWeight - desired) return current;
  return Math.min(desired, current);
}
