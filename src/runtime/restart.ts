import { parseTimestamp, type PdbState, type PodState } from './cluster-state';
import { ARGO_DEFAULTS } from '../model/argo-defaults';
import { evictionVerdict } from './disruption-budget';
import { rsSpecReplicas } from './replica-counts';
import type { ReplicaSetState, RolloutSpec, RolloutStatus } from './types';

/**
 * The pod restarter (`spec.restartAt`, CLI `restart`; rollout/restart.go RolloutPodRestarter, called early in rollout/context.go reconcile): pods created
 * before `restartAt` are evicted through the eviction API (PodDisruptionBudgets apply), stable
 * ReplicaSet first, then the new one, then the others oldest first; no more per tick than
 * `available - (max(N, total RS spec) - max(maxUnavailable, 1))`. Once no pod is older than
 * `restartAt`, `status.restartedAt := spec.restartAt`. Pure: the clock is a parameter.
 * @see rollout/restart.go RolloutPodRestarter.Reconcile, utils/replicaset NeedsRestart
 */

/**
 * A restart is due: `spec.restartAt` is set and not in the future, and `status.restartedAt` is
 * absent or a different instant (`!RestartAt.Equal(RestartedAt)` in rollout/restart.go). A
 * `restartedAt` AFTER `restartAt` is due too: the reset of a template change writes the pending
 * restartAt (SetRestartedAt), possibly a future one, and a later `restart` may move restartAt back
 * before it. An unparsable `restartAt` never restarts (the API server rejects one).
 * @see utils/replicaset/replicaset.go NeedsRestart
 */
export function needsRestart(spec: Pick<RolloutSpec, 'restartAt'>, status: Pick<RolloutStatus, 'restartedAt'>, now: number): boolean {
  const restartAt = parseTimestamp(spec.restartAt);
  if (restartAt === undefined || now < restartAt) return false;
  return !sameInstant(spec.restartAt, status.restartedAt);
}

/**
 * `restartAt` and `restartedAt` name the same instant (metav1.Time.Equal: instants, not strings);
 * false when either is absent or unparsable.
 */
export function sameInstant(restartAt: string | undefined, restartedAt: string | undefined): boolean {
  const a = parseTimestamp(restartAt);
  const b = parseTimestamp(restartedAt);
  return a !== undefined && b !== undefined && a === b;
}

/** What the restarter read. */
export interface RestartInput {
  readonly spec: Pick<RolloutSpec, 'restartAt'>;
  readonly status: Pick<RolloutStatus, 'restartedAt'>;
  /** Seconds on the simulation clock. */
  readonly now: number;
  /** `spec.replicas` (N). */
  readonly replicas: number;
  /** `MaxUnavailable(rollout)` resolved against N. */
  readonly maxUnavailable: number;
  /** Every ReplicaSet of the Rollout, in restart priority: stable, new, then the others oldest first. */
  readonly replicaSets: readonly ReplicaSetState[];
  readonly pods: readonly PodState[];
  readonly pdbs: readonly PdbState[];
}

/** What the restarter did. */
export interface RestartResult {
  /** Pods evicted this tick, in order. */
  readonly evicted: readonly PodState[];
  /** Pods the eviction API refused (a PodDisruptionBudget), with its answer. */
  readonly refused: readonly { readonly pod: PodState; readonly reason: string }[];
  /** The eviction API's hard error, if any (evictions before it stand). */
  readonly error?: string;
  /** True when no pod older than `restartAt` is left: `status.restartedAt := spec.restartAt`. */
  readonly finished: boolean;
  /** `restartAt` is still ahead: the controller asks to be requeued then (checkEnqueueRollout). */
  readonly requeueAt?: number;
  /** Pods are left to restart: the controller re-checks after restartPodCheckTime (30 s). */
  readonly recheckAt?: number;
}

/** The ReplicaSets in the restarter's priority order (SortReplicaSetsByPriority). */
export function restartOrder(
  replicaSets: readonly ReplicaSetState[],
  stable: ReplicaSetState | undefined,
  newRS: ReplicaSetState | undefined,
): ReplicaSetState[] {
  const rank = (rs: ReplicaSetState): number => (rs.name === stable?.name ? 0 : rs.name === newRS?.name ? 1 : 2);
  return [...replicaSets].sort((a, b) => rank(a) - rank(b) || (a.revision ?? 0) - (b.revision ?? 0));
}

/**
 * One pass of the restarter. Pods are visited ReplicaSet by ReplicaSet in the given order, oldest
 * pod first; every pod created before `restartAt` needs a restart, and is evicted while the
 * concurrency budget lasts and the eviction API allows it.
 */
export function reconcileRestart(input: RestartInput): RestartResult {
  const restartAt = parseTimestamp(input.spec.restartAt);
  if (restartAt !== undefined && input.now < restartAt) {
    return { evicted: [], refused: [], finished: false, requeueAt: restartAt };
  }
  if (restartAt === undefined || !needsRestart(input.spec, input.status, input.now)) {
    return { evicted: [], refused: [], finished: false };
  }
  const order = new Map(input.replicaSets.map((rs, i) => [rs.name, i]));
  const pods = input.pods
    .filter((p) => order.has(p.replicaSet))
    .sort((a, b) => (order.get(a.replicaSet) ?? 0) - (order.get(b.replicaSet) ?? 0) || a.createdAt - b.createdAt || a.name.localeCompare(b.name));
  const specOf = new Map(input.replicaSets.map((rs) => [rs.name, rsSpecReplicas(rs)]));
  const totalReplicas = input.replicaSets.reduce((sum, rs) => sum + rsSpecReplicas(rs), 0);
  const available = pods.filter((p) => p.available).length;
  const concurrentRestart = Math.max(input.maxUnavailable, 1);
  let canRestart = available - (Math.max(input.replicas, totalReplicas) - concurrentRestart);

  const evicted: PodState[] = [];
  const refused: { pod: PodState; reason: string }[] = [];
  let remaining = [...pods];
  let needs = 0;
  for (const pod of pods) {
    if (pod.createdAt >= restartAt) continue;
    needs += 1;
    if (canRestart <= 0) continue;
    const verdict = evictionVerdict(pod, remaining, input.pdbs, (rs) => specOf.get(rs) ?? 0);
    if (verdict.error !== undefined) return { evicted, refused, error: verdict.error, finished: false };
    if (!verdict.allowed) {
      refused.push({ pod, reason: verdict.refused ?? '' });
      continue;
    }
    evicted.push(pod);
    remaining = remaining.filter((p) => p !== pod);
    canRestart -= 1;
  }
  if (needs - evicted.length !== 0) {
    return { evicted, refused, finished: false, recheckAt: input.now + ARGO_DEFAULTS.restartPodCheckSeconds };
  }
  return { evicted, refused, finished: true };
}
