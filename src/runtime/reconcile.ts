import type { ClusterState, ControllerAction } from './cluster-state';
import { ARGO_KEYS } from '../model/argo-defaults';
import { isFullyPromoted } from './phase';
import { plainEqual } from './plain-equal';
import {
  reconcileAnalysis,
  reconcileCanaryPause,
  reconcileCanaryReplicaSets,
  reconcilePodRestarts,
  syncReplicasOnly,
  syncRolloutStatusCanary,
} from './reconcile-canary';
import { type Mutable, RolloutContext } from './reconcile-context';
import { reconcileRevisionHistoryLimit, syncNewReplicaSet, waitingForScaleDown } from './reconcile-replicasets';
import { reconcilePingAndPongService, reconcileStableAndCanaryService } from './reconcile-services';
import { isScalingEvent, persist, podTemplateOrStepsChanged, resetStatus } from './reconcile-status';
import { reconcileTrafficRouting } from './reconcile-traffic-routing';
import { progressCheckAt } from './progress-deadline';
import type { ReplicaSetState, RolloutState } from './types';

export { argoRevision } from './reconcile-replicasets';
export { computeStepHash } from './reconcile-status';

/**
 * One controller tick over a plain cluster state: Argo Rollouts v1.9.1 `rollout/context.go
 * reconcile` + `rollout/canary.go rolloutCanary` for a canary Rollout, in their order.
 * Pure: the input is not mutated and `now` (seconds) is the only clock.
 *
 * The tick's parts follow Argo's files, each a set of functions over the tick's
 * {@link RolloutContext} (`reconcile-context.ts`, `rollout/context.go rolloutContext`):
 * `reconcile-replicasets.ts` (rollout/replicaset.go), `reconcile-services.ts` (rollout/service.go),
 * `reconcile-traffic-routing.ts` (rollout/trafficrouting.go), `reconcile-canary.ts`
 * (rollout/canary.go, analysis.go, restart.go) and `reconcile-status.ts` (rollout/sync.go).
 */

/** Result of {@link reconcile}. */
export interface ReconcileResult {
  /** The cluster after the tick's writes. */
  readonly state: ClusterState;
  /** Every write and router call of the tick, in order. */
  readonly actions: readonly ControllerAction[];
  /** The reconcile error (the controller logs it and retries); writes before it are kept. */
  readonly error?: string;
  /** Times (seconds) the controller asked to be requeued at (pause expiry, scale-down deadlines, a future restartAt). */
  readonly requeueAt: readonly number[];
  /**
   * Times the controller re-checks on its own while nothing else happens: the progress deadline
   * (`requeueStuckRollout`) and a restart with pods left (`restartPodCheckTime`). Every reconcile
   * states them anew, so only the latest reconcile's are due (a simulator drops older ones).
   */
  readonly recheckAt: readonly number[];
  /** False when the tick wrote nothing (the state is unchanged). */
  readonly changed: boolean;
}

/** Runs one controller tick at time `now` (seconds). */
export function reconcile(state: ClusterState, now: number): ReconcileResult {
  const c = new RolloutContext(state, now);
  rolloutCanary(c);
  return finish(c);
}

/**
 * rollout/canary.go rolloutCanary (with the new-RS sync of rollout/context.go and the pod
 * restarter before it): the table of contents of a tick. Every early return ends the tick.
 */
function rolloutCanary(c: RolloutContext): void {
  syncNewReplicaSet(c);
  if (isFullyPromoted(c.ro) && c.ro.status.abort) {
    // A fully promoted Rollout cannot be aborted: the flag is dropped (rollout/canary.go rolloutCanary).
    c.pause.removeAbort();
  }
  if (isScalingEvent(c)) return syncReplicasOnly(c);
  if (podTemplateOrStepsChanged(c)) return persist(c, resetStatus(c));
  if (reconcilePodRestarts(c)) return;
  reconcileRevisionHistoryLimit(c);
  reconcilePingAndPongService(c);
  reconcileStableAndCanaryService(c);
  const routingError = reconcileTrafficRouting(c);
  if (routingError !== undefined) {
    c.error = routingError;
    return;
  }
  // Analysis runs (analysis-runs.ts): a failed run aborts; an inconclusive one pauses and ends the tick.
  if (reconcileAnalysis(c)) return syncRolloutStatusCanary(c);
  if (reconcileCanaryReplicaSets(c)) return syncRolloutStatusCanary(c);
  reconcileCanaryPause(c);
  syncRolloutStatusCanary(c);
}

// -------------------------------------------------------------------------------------------------
// The state after the tick (copy on write: what the tick did not write is the read object)

/** Whether two plain values differ (same reference: equal; else compared by content). */
function differs(a: unknown, b: unknown): boolean {
  return !plainEqual(a, b);
}

/**
 * Whether the rollout's own keys are exactly metadata, spec, status in that order: then
 * `{ metadata, spec, status }` is the same object as `{ ...rollout, metadata, status }` (built
 * from one literal shape, which keeps the hot copies fast).
 */
function hasRolloutKeysInOrder(rollout: RolloutState): boolean {
  let i = 0;
  for (const key in rollout) {
    if (i > 2 || key !== ROLLOUT_KEYS[i]) return false;
    i += 1;
  }
  return i === 3;
}

const ROLLOUT_KEYS = ['metadata', 'spec', 'status'] as const;

/** The distinct times in ascending order. */
function sortedUnique(times: number[]): number[] {
  // (A tick's own list: handed on as it is when there is nothing to sort.)
  if (times.length <= 1) return times;
  return [...new Set(times)].sort((a, b) => a - b);
}

/**
 * The ReplicaSets after the tick, in the read order with the created one last: the read list
 * itself when the tick wrote, created and deleted none (copy on write).
 */
function replicaSetsOut(c: RolloutContext): readonly ReplicaSetState[] {
  const { rsOut, created, deleted } = c;
  if (rsOut === undefined && created === undefined && deleted === undefined) return c.state.replicaSets;
  const replicaSets: ReplicaSetState[] = [];
  for (const rs of c.state.replicaSets) {
    if (deleted === undefined || !deleted.has(rs.name)) replicaSets.push(rsOut?.get(rs.name) ?? rs);
  }
  if (created !== undefined && (deleted === undefined || !deleted.has(created.name))) replicaSets.push(rsOut?.get(created.name) ?? created);
  return replicaSets;
}

/** Whether a ReplicaSet, Service or VirtualService the tick wrote differs from the one it read. */
function objectsChanged(c: RolloutContext, replicaSets: readonly ReplicaSetState[]): boolean {
  const read = c.state;
  if (replicaSets !== read.replicaSets) {
    if (replicaSets.length !== read.replicaSets.length) return true;
    for (let i = 0; i < replicaSets.length; i++) if (differs(replicaSets[i], read.replicaSets[i])) return true;
  }
  if (c.services !== read.services) {
    for (const name of Object.keys(c.services)) if (differs(c.services[name], read.services[name])) return true;
  }
  if (c.virtualServices !== read.virtualServices) {
    for (let i = 0; i < c.virtualServices.length; i++) if (differs(c.virtualServices[i], read.virtualServices[i])) return true;
  }
  return false;
}

/** The cluster state after the tick, its actions, requeue and re-check times, and whether anything changed. */
function finish(c: RolloutContext): ReconcileResult {
  const replicaSets = replicaSetsOut(c);
  const revision = String(c.rolloutRevision);
  const readMetadata = c.ro.metadata;
  const revisionChanged = revision !== readMetadata?.annotations?.[ARGO_KEYS.revisionAnnotation];
  // Setting the revision annotation to the value it has rewrites nothing: the metadata is kept.
  const metadata =
    readMetadata !== undefined && !revisionChanged
      ? readMetadata
      : { ...(readMetadata ?? {}), annotations: { ...(readMetadata?.annotations ?? {}), [ARGO_KEYS.revisionAnnotation]: revision } };
  const status = c.statusOut ?? c.ro.status;
  const statusChanged = c.statusOut !== undefined && differs(c.statusOut, c.ro.status);
  if (statusChanged) c.actions.push({ kind: 'updateStatus' });
  const rollout: RolloutState = hasRolloutKeysInOrder(c.ro) ? { metadata, spec: c.ro.spec, status } : { ...c.ro, metadata, status };
  const readPods = c.state.pods;
  const evicted = c.evicted;
  const pods = readPods === undefined || evicted === undefined ? readPods : readPods.filter((p) => !evicted.has(p.name));
  const state: Mutable<ClusterState> = {
    rollout,
    templateHash: c.state.templateHash,
    replicaSets,
    services: c.services,
    virtualServices: c.virtualServices,
  };
  if (c.destinationRule) state.destinationRule = c.destinationRule;
  if (c.analysisRuns?.background || c.analysisRuns?.step) state.analysisRuns = c.analysisRuns;
  if (pods) state.pods = pods;
  if (c.state.pdbs) state.pdbs = c.state.pdbs;
  if (c.workload) state.workload = c.workload;
  const progressCheck = progressCheckAt(rollout, waitingForScaleDown(replicaSets, c.state.templateHash));
  if (progressCheck !== undefined) c.recheck.push(progressCheck);
  // Objects the tick did not write are the read ones (same reference): only written ones are compared.
  const changed =
    statusChanged ||
    revisionChanged ||
    objectsChanged(c, replicaSets) ||
    differs(c.destinationRule, c.state.destinationRule) ||
    evicted !== undefined ||
    differs(c.workload, c.state.workload);
  const requeueAt = sortedUnique(c.requeue);
  const recheckAt = sortedUnique(c.recheck);
  return c.error === undefined
    ? { state, actions: c.actions, requeueAt, recheckAt, changed }
    : { state, actions: c.actions, error: c.error, requeueAt, recheckAt, changed };
}
