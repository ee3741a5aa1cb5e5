import type { ReplicaSetState, RolloutSpec } from './types';

/**
 * `spec.rollbackWindow`: moving the pod template back to a ReplicaSet created before the stable
 * one, with fewer than `revisions` ReplicaSets created in between, is a rollback within the window:
 * the steps are skipped and the ReplicaSet is promoted as soon as it is available
 * (rollout/canary.go syncRolloutStatusCanary, rollout/sync.go shouldFullPromote). Creation order is the ReplicaSets' `revision` (1, 2, 3... in creation order).
 * @see rollout/sync.go isRollbackWithinWindow
 */
export function isRollbackWithinWindow(
  spec: Pick<RolloutSpec, 'rollbackWindow'>,
  newRS: ReplicaSetState | undefined,
  stableRS: ReplicaSetState | undefined,
  allRSs: readonly ReplicaSetState[],
): boolean {
  if (!newRS || !stableRS) return false;
  const created = (rs: ReplicaSetState): number => rs.revision ?? 0;
  if (!(created(newRS) < created(stableRS))) return false;
  const revisions = spec.rollbackWindow?.revisions ?? 0;
  if (revisions <= 0) return false;
  const between = allRSs.filter((rs) => created(newRS) < created(rs) && created(rs) < created(stableRS)).length;
  return between < revisions;
}
