import type { RolloutState } from './types';

/**
 * Fully promoted: `status.stableRS == status.currentPodHash` (the new ReplicaSet is the stable one).
 * @see utils/rollout/rolloututil.go IsFullyPromoted
 */
export function isFullyPromoted(rollout: Pick<RolloutState, 'status'>): boolean {
  return (rollout.status.stableRS ?? '') === (rollout.status.currentPodHash ?? '');
}
