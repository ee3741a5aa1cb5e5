/**
 * The Rollout status of one tick (rollout/sync.go): scaling events, the reset on a template or
 * steps change, the base status, full promotion and persisting with conditions, pause and phase.
 * Functions over the tick's {@link RolloutContext}.
 */
import { analysisRunStatuses } from './analysis-runs';
import { calculateRolloutPhase } from './phase';
import { storedIfSame } from './plain-equal';
import { calculateRolloutConditions, CONDITIONS, isIndefiniteStep, pauseConditions, timedOutMessage } from './progress-deadline';
import { replicaProgressThresholdMet, rsSpecReplicas } from './replica-counts';
import type { Mutable, RolloutContext } from './reconcile-context';
import { waitingForScaleDown } from './reconcile-replicasets';
import { isRollbackWithinWindow } from './rollback-window';
import { getCurrentCanaryStep } from './steps';
import { computeHash } from './template-hash';
import { ARGO_KEYS } from '../model/argo-defaults';
import type { CanaryStrategy, ReplicaSetState, RolloutStatus } from './types';

/** Hash of the canary steps, as stored in `status.currentStepHash` (any stable hash: only equality is compared). */
export function computeStepHash(canary: CanaryStrategy | undefined): string {
  const steps = canary?.steps;
  if (!steps) return computeHash(null);
  let hash = STEP_HASHES.get(steps);
  if (hash === undefined) {
    hash = computeHash(steps);
    STEP_HASHES.set(steps, hash);
  }
  return hash;
}

/** Step lists are immutable data: their hash is computed once per list. */
const STEP_HASHES = new WeakMap<object, string>();

/** rollout/sync.go isScalingEvent: new or stable RS with replicas whose desired-replicas annotation != N. */
export function isScalingEvent(c: RolloutContext): boolean {
  // The new RS, then the stable one when it is another RS (no candidate list: this runs every tick).
  const stable = c.stableRS;
  return scalingReplicaSet(c, c.newRS) || (stable !== undefined && stable !== c.newRS && scalingReplicaSet(c, stable));
}

/** A ReplicaSet with replicas whose desired-replicas annotation is not N. */
function scalingReplicaSet(c: RolloutContext, rs: ReplicaSetState): boolean {
  const desired = rs.annotations?.[ARGO_KEYS.desiredReplicasAnnotation];
  return rsSpecReplicas(rs) > 0 && desired !== undefined && Number(desired) !== c.n;
}

/** utils/replicaset/replicaset.go PodTemplateOrStepsChanged. */
export function podTemplateOrStepsChanged(c: RolloutContext): boolean {
  const status = c.ro.status;
  if (!status.currentStepHash || status.currentStepHash !== computeStepHash(c.canary)) return true;
  return !!status.currentPodHash && status.currentPodHash !== c.newRS.podTemplateHash;
}

/** The replica counts of the status, summed over the ReplicaSets. */
export function baseCounts(c: RolloutContext): Pick<RolloutStatus, 'replicas' | 'updatedReplicas' | 'readyReplicas' | 'availableReplicas'> {
  let replicas = 0;
  let available = 0;
  for (const rs of c.allRSs) {
    replicas += rs.statusReplicas ?? 0;
    available += rs.availableReplicas;
  }
  return { replicas, updatedReplicas: c.newRS.statusReplicas ?? 0, readyReplicas: available, availableReplicas: available };
}

/**
 * rollout/sync.go calculateBaseStatus: counts, hashes and the fields the controller carries over.
 * (Built field by field: the field order is the written order, and it is a hot path.)
 */
export function baseStatus(c: RolloutContext): Mutable<RolloutStatus> {
  const old = c.ro.status;
  const currentPodHash = c.newRS.podTemplateHash;
  const runs = c.analysisRuns;
  const canary: Mutable<NonNullable<RolloutStatus['canary']>> = {};
  if (c.weights) canary.weights = c.weights;
  if (old.canary?.stablePingPong) canary.stablePingPong = old.canary.stablePingPong;
  if (runs?.step || runs?.background) {
    const currentRuns = { background: runs?.background?.podHash === currentPodHash ? runs.background : undefined, step: runs?.step?.podHash === currentPodHash ? runs.step : undefined };
    Object.assign(canary, analysisRunStatuses(currentRuns));
  }
  const status: Mutable<RolloutStatus> = baseCounts(c);
  status.currentPodHash = currentPodHash;
  status.stableRS = old.stableRS;
  status.currentStepHash = computeStepHash(c.canary);
  if (old.promoteFull && currentPodHash !== old.stableRS) status.promoteFull = true;
  const restartedAt = c.restartedAt ?? old.restartedAt;
  if (restartedAt !== undefined) status.restartedAt = restartedAt;
  status.canary = storedIfSame(old.canary, canary);
  status.conditions = c.readConditions;
  return status;
}

/** rollout/sync.go isRollbackWithinWindow: back to a ReplicaSet older than the stable, inside rollbackWindow. */
export function rollbackWithinWindow(c: RolloutContext): boolean {
  return isRollbackWithinWindow(c.ro.spec, c.newRS, c.stableRS, c.allRSs);
}

/** rollout/sync.go resetRolloutStatus: index back to 0, or past the end when rolling back to stable. */
export function resetStatus(c: RolloutContext): RolloutStatus {
  c.pause.clearPauseConditions();
  c.pause.removeAbort();
  const { promoteFull: _promoteFull, ...status } = baseStatus(c);
  void _promoteFull;
  let currentStepIndex: number | undefined = c.steps > 0 ? 0 : undefined;
  if (c.steps > 0 && c.newRS.podTemplateHash === c.ro.status.stableRS) {
    currentStepIndex = c.steps;
    c.event('SkipSteps', 'Rollback to stable');
  } else if (c.steps > 0 && rollbackWithinWindow(c) && rsSpecReplicas(c.newRS) > 0) {
    currentStepIndex = c.steps;
    c.event('SkipSteps', 'Rollback to active ReplicaSets within RollbackWindow');
  }
  return {
    ...status,
    ...(c.ro.spec.restartAt !== undefined ? { restartedAt: c.ro.spec.restartAt } : {}),
    ...(currentStepIndex !== undefined ? { currentStepIndex } : {}),
  };
}

/** rollout/sync.go shouldFullPromote: the reason, or "" when not promoting. */
export function shouldFullPromote(c: RolloutContext): string {
  if (!c.stableRS) return 'Initial deploy';
  if (c.pause.isAborted()) return '';
  const newRS = c.newRS;
  if (newRS.availableReplicas < c.n && !replicaProgressThresholdMet(c.canary.replicaProgressThreshold, newRS, c.n)) {
    return '';
  }
  if (c.ro.status.promoteFull) return 'Full promotion requested';
  if (rollbackWithinWindow(c)) return 'Rollback within window';
  const { index } = getCurrentCanaryStep(c.ro);
  if (c.steps === 0 || index === c.steps) return `Completed all ${c.steps} canary steps`;
  return '';
}

/**
 * rollout/sync.go persistRolloutStatus: conditions (calculateRolloutConditions, unless
 * `withConditions` is false as in syncReplicasOnly), pause/abort bookkeeping, the pause flips of
 * the conditions, phase and message.
 */
export function persist(c: RolloutContext, status: Mutable<RolloutStatus>, withConditions = true): void {
  // `status` is a fresh object of this tick: it is completed in place.
  const next = status;
  if (withConditions) next.conditions = rolloutConditions(c, next);
  // applyTo returns `next` or a new object: either is this tick's own.
  const withPause: Mutable<RolloutStatus> = c.pause.applyTo(next, c.now);
  if (withConditions) {
    const paused = c.ro.spec.paused === true || (withPause.pauseConditions ?? []).length > 0;
    withPause.conditions = pauseConditions(withPause.conditions ?? [], paused, withPause.abort === true, c.now);
  }
  const { phase, message } = calculateRolloutPhase(c.ro.spec, withPause);
  withPause.phase = phase;
  withPause.message = message;
  c.statusOut = withPause;
}

/** rollout/sync.go calculateRolloutConditions for `next`; a progress timeout aborts the update. */
function rolloutConditions(c: RolloutContext, next: RolloutStatus): RolloutStatus['conditions'] {
  const read = c.ro.status;
  const result = calculateRolloutConditions({
    spec: c.ro.spec,
    old: read,
    read: c.readConditions,
    next,
    now: c.now,
    aborted: c.pause.isAborted(),
    paused: (read.pauseConditions ?? []).length > 0 || c.ro.spec.paused === true,
    indefiniteStep: isIndefiniteStep(c.ro),
    waitingForScaleDown: waitingForScaleDown(c.otherRSs),
    newReplicaSet: c.newRS.name,
    revision: c.rolloutRevision,
    abortMessage: c.pause.abortMessage(),
  });
  if (result.timedOut) c.event(CONDITIONS.timedOut, timedOutMessage(c.newRS.name));
  if (result.abort) {
    // progressDeadlineAbort: the timeout aborts the update (written with this status).
    c.pause.addAbort();
    c.event(CONDITIONS.aborted, timedOutMessage(c.newRS.name));
  }
  return result.conditions;
}
