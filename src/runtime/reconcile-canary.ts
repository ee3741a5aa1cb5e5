/**
 * The canary steps of one tick (rollout/canary.go): scaling the ReplicaSets for the current step,
 * the pause step, step completion and promotion (syncRolloutStatusCanary), with the AnalysisRuns
 * (rollout/analysis.go) and the pod restarter (rollout/restart.go) that run beside them.
 * Functions over the tick's {@link RolloutContext}.
 */
import { INCONCLUSIVE_ANALYSIS, reconcileAnalysisRuns, stepAnalysisSuccessful } from './analysis-runs';
import { maxUnavailable } from './fenceposts';
import { CANARY_PAUSE_STEP, findPauseCondition } from './pause-context';
import { atDesiredReplicaCountsForCanary, checkStableRSExists } from './replica-counts';
import { type Mutable, type RolloutContext, scaleDownDeadline } from './reconcile-context';
import {
  desiredCounts,
  reconcileNewReplicaSet,
  reconcileOtherReplicaSets,
  removeScaleDownDeadlines,
  scaleReplicaSet,
  scaleWorkload,
} from './reconcile-replicasets';
import { baseCounts, baseStatus, persist, rollbackWithinWindow, shouldFullPromote } from './reconcile-status';
import { reconcileRestart, restartOrder } from './restart';
import { getCurrentCanaryStep } from './steps';
import { parsePauseDurationSeconds } from '../model/pause-duration';
import type { RolloutStatus } from './types';
import { onSuccessScaleDownTarget } from './workload-scale-down';

/** rollout/canary.go reconcileCanaryReplicaSets: at most one kind of RS is scaled; true when something was. */
export function reconcileCanaryReplicaSets(c: RolloutContext): boolean {
  const inconclusive = findPauseCondition(c.ro.status, 'InconclusiveAnalysisRun') !== undefined;
  if (c.ro.spec.paused || inconclusive) return false;
  removeScaleDownDeadlines(c);
  if (c.stableRS && checkStableRSExists(c.newRS, c.stableRS)) {
    // The stable is sized with the weights persisted by the previous tick (rollout/canary.go reconcileCanaryReplicaSets).
    const { stableReplicas } = desiredCounts(c, c.ro.status.canary?.weights);
    if (scaleReplicaSet(c, c.stableRS, stableReplicas)) return true;
  }
  if (reconcileNewReplicaSet(c)) return true;
  return reconcileOtherReplicaSets(c);
}

/** rollout/sync.go syncReplicasOnly: only the ReplicaSets are scaled; status counts are refreshed. */
export function syncReplicasOnly(c: RolloutContext): void {
  reconcileCanaryReplicaSets(c);
  // Everything but the counts is carried over (conditions too: they are not recalculated);
  // pause and abort fields are re-derived on write.
  persist(c, { ...c.ro.status, conditions: c.readConditions, ...baseCounts(c) }, false);
}

/**
 * The pod restarter (rollout/restart.go RolloutPodRestarter, before the canary reconcile). True when the tick ends here: a pod was
 * evicted (no status write) or the eviction API failed (the reconcile error).
 */
export function reconcilePodRestarts(c: RolloutContext): boolean {
  const pods = c.state.pods;
  if (c.ro.spec.restartAt === undefined || pods === undefined) return false;
  const result = reconcileRestart({
    spec: c.ro.spec,
    status: c.ro.status,
    now: c.now,
    replicas: c.n,
    maxUnavailable: maxUnavailable(c.ro),
    replicaSets: restartOrder(c.allRSs, c.stableRS, c.newRS),
    pods,
    pdbs: c.state.pdbs ?? [],
  });
  for (const { pod, reason } of result.refused) {
    c.actions.push({ kind: 'evictionRefused', pod: pod.name, replicaSet: pod.replicaSet, reason });
  }
  for (const pod of result.evicted) {
    (c.evicted ??= new Set()).add(pod.name);
    c.actions.push({ kind: 'evictPod', pod: pod.name, replicaSet: pod.replicaSet });
    c.event('RestartingPod', `Restarting pod ${pod.name} (created before ${c.ro.spec.restartAt})`);
  }
  if (result.requeueAt !== undefined) c.requeue.push(result.requeueAt);
  if (result.recheckAt !== undefined) c.recheck.push(result.recheckAt);
  if (result.error !== undefined) {
    c.error = result.error;
    return true;
  }
  if (result.finished) c.restartedAt = c.ro.spec.restartAt;
  return result.evicted.length > 0;
}

/** rollout/analysis.go reconcileAnalysisRuns: create/keep runs, abort on a failed one, pause on an inconclusive one. */
export function reconcileAnalysis(c: RolloutContext): boolean {
  const result = reconcileAnalysisRuns({
    rollout: c.ro,
    runs: c.analysisRuns,
    newRSHash: c.newRS.podTemplateHash,
    revision: c.rolloutRevision,
    aborted: c.pause.isAborted(),
    newRSHasScaleDownDeadline: scaleDownDeadline(c.newRS) !== undefined,
    now: c.now,
  });
  c.analysisRuns = result.runs;
  if (result.abortMessage !== undefined) c.pause.addAbort(result.abortMessage);
  if (result.addInconclusivePause) c.pause.addPauseCondition(INCONCLUSIVE_ANALYSIS);
  return c.pause.hasAddPause();
}

/** rollout/canary.go reconcileCanaryPause: add the CanaryPauseStep condition when a pause step is reached. */
export function reconcileCanaryPause(c: RolloutContext): void {
  if (c.ro.spec.paused || c.ro.status.promoteFull || c.steps === 0) return;
  const { step, index } = getCurrentCanaryStep(c.ro);
  if (!step || index === undefined || index >= c.steps || !step.pause) return;
  const condition = findPauseCondition(c.ro.status, CANARY_PAUSE_STEP);
  if (!condition) {
    if (!c.ro.status.controllerPause) c.pause.addPauseCondition(CANARY_PAUSE_STEP);
    return;
  }
  if (step.pause.duration !== undefined) {
    c.requeue.push(condition.startTime + parsePauseDurationSeconds(step.pause.duration));
  }
}

/** rollout/canary.go completedCurrentCanaryStep. Experiment and plugin steps are assumed to succeed. */
function completedCurrentCanaryStep(c: RolloutContext): boolean {
  if (c.ro.spec.paused) return false;
  const { step, index } = getCurrentCanaryStep(c.ro);
  if (!step) return false;
  if (step.analysis !== undefined) return stepAnalysisSuccessful(c.analysisRuns, index);
  if (step.pause) return c.pause.completedCanaryPauseStep(step.pause, c.now);
  if (step.setCanaryScale || step.setWeight !== undefined) {
    return atDesiredReplicaCountsForCanary(c.ro, c.newRS, c.stableRS, c.otherRSs, c.weights);
  }
  return true;
}

/** rollout/canary.go syncRolloutStatusCanary. */
export function syncRolloutStatusCanary(c: RolloutContext): void {
  const newStatus = baseStatus(c);
  let { index } = getCurrentCanaryStep(c.ro);
  if (c.ro.status.promoteFull || rollbackWithinWindow(c)) {
    c.pause.clearPauseConditions();
    c.pause.removeAbort();
    if (c.steps > 0) index = c.steps;
  }
  const reason = shouldFullPromote(c);
  if (reason !== '') {
    promoteFull(c, newStatus, reason);
    return;
  }
  if (c.pause.isAborted()) {
    if (c.steps > 0) newStatus.currentStepIndex = newStatus.stableRS === newStatus.currentPodHash ? c.steps : 0;
    persist(c, newStatus);
    return;
  }
  if (completedCurrentCanaryStep(c) && index !== undefined) {
    index += 1;
    c.pause.removePauseCondition(CANARY_PAUSE_STEP);
    c.event('RolloutStepCompleted', `Rollout step ${index}/${c.steps} completed`);
  }
  newStatus.currentStepIndex = index;
  persist(c, newStatus);
}

/** The full-promotion branch of syncRolloutStatusCanary: the new RS becomes the stable one. */
function promoteFull(c: RolloutContext, newStatus: Mutable<RolloutStatus>, reason: string): void {
  c.pause.clearPauseConditions();
  c.pause.removeAbort();
  delete newStatus.promoteFull;
  newStatus.currentStepIndex = c.steps > 0 ? c.steps : undefined;
  const previous = newStatus.stableRS ?? '';
  if (previous !== newStatus.currentPodHash) {
    if (c.canary.pingPong && previous !== '') {
      const stableIsPing = (c.ro.status.canary?.stablePingPong ?? 'ping') === 'ping';
      newStatus.canary = { ...newStatus.canary, stablePingPong: stableIsPing ? 'pong' : 'ping' };
    }
    c.event('RolloutCompleted', `Rollout completed update to revision ${c.rolloutRevision}: ${reason}`);
  }
  newStatus.stableRS = newStatus.currentPodHash;
  scaleWorkload(c, onSuccessScaleDownTarget(c.workload, c.rolloutRevision, c.ro.status.phase));
  persist(c, newStatus);
}
