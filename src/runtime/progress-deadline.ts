import { deadlinePassed } from './pause-context';
import { getProgressDeadlineSecondsOrDefault, getReplicasOrDefault } from './rollout-defaults';
import { getCurrentCanaryStep } from './steps';
import type { RolloutCondition, RolloutSpec, RolloutState, RolloutStatus } from './types';

/**
 * Rollout conditions and the progress deadline (rollout/sync.go calculateRolloutConditions): `Progressing` (created / updated /
 * available / aborted / `ProgressDeadlineExceeded` / paused / resumed / retry), `Healthy`,
 * `Available`, `Completed` and `Paused`, with the times the deadline is counted from. Pure: the
 * clock is a parameter; times are seconds on the simulation clock.
 * @see rollout/sync.go calculateRolloutConditions, checkPausedConditions, requeueStuckRollout;
 *      utils/conditions/conditions.go
 */

/** Condition reasons and messages (utils/conditions/conditions.go). */
export const CONDITIONS = {
  newReplicaSetCreated: 'NewReplicaSetCreated',
  foundNewReplicaSet: 'FoundNewReplicaSet',
  replicaSetUpdated: 'ReplicaSetUpdated',
  replicaSetNotAvailable: 'ReplicaSetNotAvailable',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  aborted: 'RolloutAborted',
  paused: 'RolloutPaused',
  resumed: 'RolloutResumed',
  retry: 'RolloutRetry',
  available: 'AvailableReason',
  healthy: 'RolloutHealthy',
  completed: 'RolloutCompleted',
  availableMessage: 'Rollout has minimum availability',
  notAvailableMessage: 'Rollout does not have minimum availability',
  healthyMessage: 'Rollout is healthy',
  notHealthyMessage: 'Rollout is not healthy',
  pausedMessage: 'Rollout is paused',
  resumedMessage: 'Rollout is resumed',
  retryMessage: 'Retrying Rollout after abort',
} as const;

/** `Created new replica set "x"` (NewReplicaSetMessage). */
export function newReplicaSetMessage(rs: string): string {
  return `Created new replica set "${rs}"`;
}

/** `Found new replica set "x"` (FoundNewRSMessage). */
export function foundNewReplicaSetMessage(rs: string): string {
  return `Found new replica set "${rs}"`;
}

/** `ReplicaSet "x" has timed out progressing.` (ReplicaSetTimeOutMessage). */
export function timedOutMessage(rs: string): string {
  return `ReplicaSet "${rs}" has timed out progressing.`;
}

/** The condition of `type`, if any. */
export function findCondition(conditions: readonly RolloutCondition[] | undefined, type: string): RolloutCondition | undefined {
  return (conditions ?? []).find((c) => c.type === type);
}

/**
 * `SetRolloutCondition`: a condition with the same status and reason as the stored one is not
 * rewritten (message and times kept); otherwise it replaces the stored one at the end of the list,
 * keeping `lastTransitionTime` when only the reason changed.
 */
export function setCondition(
  conditions: readonly RolloutCondition[],
  condition: RolloutCondition,
): { readonly conditions: readonly RolloutCondition[]; readonly changed: boolean } {
  const current = findCondition(conditions, condition.type);
  // Unchanged: the list itself (lists are replaced, never changed in place).
  if (current && current.status === condition.status && current.reason === condition.reason) {
    return { conditions, changed: false };
  }
  const next =
    current && current.status === condition.status && current.lastTransitionTime !== undefined
      ? { ...condition, lastTransitionTime: current.lastTransitionTime }
      : condition;
  return { conditions: [...conditions.filter((c) => c.type !== condition.type), next], changed: true };
}

function condition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, now: number): RolloutCondition {
  return { type, status, reason, message, lastUpdateTime: Math.floor(now), lastTransitionTime: Math.floor(now) };
}

/**
 * `RolloutHealthy` (canary): every desired pod updated and available, all steps executed, the new
 * ReplicaSet is the stable one and no old pod is left (`status.replicas == N`). The observed
 * generation is not modelled (always current).
 */
export function rolloutHealthy(spec: RolloutSpec, status: RolloutStatus): boolean {
  const n = getReplicasOrDefault(spec.replicas);
  const steps = spec.strategy.canary?.steps?.length ?? 0;
  const executedAllSteps = steps > 0 && status.currentStepIndex !== undefined ? status.currentStepIndex === steps : true;
  const currentIsStable = !!status.stableRS && status.stableRS === status.currentPodHash;
  return (
    (status.updatedReplicas ?? 0) === n &&
    (status.availableReplicas ?? 0) === n &&
    executedAllSteps &&
    currentIsStable &&
    (status.replicas ?? 0) === n
  );
}

/**
 * `RolloutProgressing` (canary): the new ReplicaSet's pod count changed, old pods went away, more
 * pods are ready or available, or the stable hash, step index or steps hash changed.
 */
export function rolloutProgressing(old: RolloutStatus, next: RolloutStatus): boolean {
  const stepIndexChanged =
    old.currentStepIndex !== undefined && next.currentStepIndex !== undefined && old.currentStepIndex !== next.currentStepIndex;
  const strategyProgress = (next.stableRS ?? '') !== (old.stableRS ?? '') || stepIndexChanged || (next.currentStepHash ?? '') !== (old.currentStepHash ?? '');
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) !== (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0) ||
    strategyProgress
  );
}

/**
 * `RolloutTimedOut`: the Progressing condition already says ProgressDeadlineExceeded, or it was
 * last updated `progressDeadlineSeconds` ago (reached at exactly the deadline, like the runtime's
 * other deadlines). An aborted or paused (`RolloutPaused`) condition, or one without a time, never
 * times out.
 */
export function rolloutTimedOut(spec: RolloutSpec, conditions: readonly RolloutCondition[] | undefined, now: number): boolean {
  const progressing = findCondition(conditions, 'Progressing');
  if (!progressing || progressing.reason === CONDITIONS.aborted || progressing.reason === CONDITIONS.paused) return false;
  if (progressing.reason === CONDITIONS.timedOut) return true;
  if (progressing.lastUpdateTime === undefined) return false;
  return deadlinePassed(progressing.lastUpdateTime + getProgressDeadlineSecondsOrDefault(spec), now);
}

/** `isIndefiniteStep`: the current step is a pause, analysis or experiment (no deadline there). */
export function isIndefiniteStep(rollout: Pick<RolloutState, 'spec' | 'status'>): boolean {
  const { step } = getCurrentCanaryStep(rollout);
  return step !== undefined && (step.pause !== undefined || step.analysis !== undefined || step.experiment !== undefined);
}

/** What {@link calculateRolloutConditions} reads. */
export interface ConditionInput {
  readonly spec: RolloutSpec;
  /** The status read at the start of the tick. */
  readonly old: RolloutStatus;
  /** The conditions read (with the ones the tick wrote on creating / finding the new ReplicaSet). */
  readonly read: readonly RolloutCondition[];
  /** The status being written (conditions not yet computed). */
  readonly next: RolloutStatus;
  readonly now: number;
  /** `pauseContext.IsAborted()` of this tick. */
  readonly aborted: boolean;
  /** Paused as read: a pause condition or `spec.paused`. */
  readonly paused: boolean;
  /** The current step (as read) is a pause, analysis or experiment. */
  readonly indefiniteStep: boolean;
  /** An old ReplicaSet waits for its scale-down deadline (no timeout meanwhile: rollout/sync.go calculateRolloutConditions). */
  readonly waitingForScaleDown: boolean;
  /** Name of the new ReplicaSet. */
  readonly newReplicaSet: string;
  /** The Rollout's revision (the new ReplicaSet's). */
  readonly revision: number;
  /** Why the update was aborted this tick (a failed analysis run's message), appended to the message. */
  readonly abortMessage?: string;
}

/** Result of {@link calculateRolloutConditions}. */
export interface ConditionResult {
  /** The input list itself when no condition changed (lists are replaced, never changed in place). */
  readonly conditions: readonly RolloutCondition[];
  /** The Progressing condition turned to ProgressDeadlineExceeded in this tick. */
  readonly timedOut: boolean;
  /** `progressDeadlineAbort`: the timeout aborts the update. */
  readonly abort: boolean;
}

/**
 * `calculateRolloutConditions` for a canary: Healthy, then Progressing (aborted; or available,
 * progressing, timed out), Available and Completed.
 */
export function calculateRolloutConditions(input: ConditionInput): ConditionResult {
  const { spec, next, now } = input;
  let conditions = input.read;
  // setCondition keeps a stored condition of the same status and reason, so the condition (and
  // its message) is only built when it will be written.
  const set = (type: string, status: 'True' | 'False', reason: string, message: string | (() => string)): boolean => {
    const current = findCondition(conditions, type);
    if (current !== undefined && current.status === status && current.reason === reason) return false;
    const result = setCondition(conditions, condition(type, status, reason, typeof message === 'string' ? message : message(), now));
    conditions = result.conditions;
    return result.changed;
  };
  const healthy = rolloutHealthy(spec, next);
  let becameUnhealthy = false;
  if (!input.paused && healthy) {
    set('Healthy', 'True', CONDITIONS.healthy, CONDITIONS.healthyMessage);
  } else if (findCondition(input.read, 'Healthy')) {
    becameUnhealthy = set('Healthy', 'False', CONDITIONS.healthy, CONDITIONS.notHealthyMessage);
  }
  if (input.aborted) {
    set('Progressing', 'False', CONDITIONS.aborted, () => `Rollout aborted update to revision ${input.revision}${input.abortMessage ? `: ${input.abortMessage}` : ''}`);
  }
  let timedOut = false;
  let abort = false;
  if (!input.aborted) {
    const current = findCondition(input.read, 'Progressing');
    if (healthy) {
      set('Progressing', 'True', CONDITIONS.newReplicaSetAvailable, () => `ReplicaSet "${input.newReplicaSet}" has successfully progressed.`);
    } else if (rolloutProgressing(input.old, next) || becameUnhealthy) {
      const notAvailable = next.stableRS === next.currentPodHash && becameUnhealthy;
      const updated = condition(
        'Progressing',
        'True',
        notAvailable ? CONDITIONS.replicaSetNotAvailable : CONDITIONS.replicaSetUpdated,
        notAvailable ? CONDITIONS.notAvailableMessage : `ReplicaSet "${input.newReplicaSet}" is progressing.`,
        now,
      );
      const kept = current?.status === 'True' && current.lastTransitionTime !== undefined ? { ...updated, lastTransitionTime: current.lastTransitionTime } : updated;
      conditions = [...conditions.filter((c) => c.type !== 'Progressing'), kept];
    } else if (!input.paused && !input.indefiniteStep && !input.waitingForScaleDown && rolloutTimedOut(spec, conditions, now)) {
      timedOut = set('Progressing', 'False', CONDITIONS.timedOut, () => timedOutMessage(input.newReplicaSet));
      abort = spec.progressDeadlineAbort === true;
    }
  }
  const n = getReplicasOrDefault(spec.replicas);
  const available = (next.availableReplicas ?? 0) >= n;
  set('Available', available ? 'True' : 'False', CONDITIONS.available, available ? CONDITIONS.availableMessage : CONDITIONS.notAvailableMessage);
  const completed = !!next.stableRS && next.stableRS === next.currentPodHash;
  set('Completed', completed ? 'True' : 'False', CONDITIONS.completed, CONDITIONS.completed);
  return { conditions, timedOut, abort };
}

/**
 * `checkPausedConditions`, evaluated on the status being written: when the pause state (a pause
 * condition or `spec.paused`) differs from the Progressing condition, Progressing becomes Unknown
 * `RolloutPaused` / `RolloutResumed` (now: the deadline restarts), and `Paused` follows; after a
 * retry an aborted Progressing becomes Unknown `RolloutRetry`. The controller writes these in a
 * separate patch at the start of the next tick; the runtime folds them into the write that changed
 * the pause state (same instant, one write fewer).
 */
export function pauseConditions(
  conditions: readonly RolloutCondition[],
  paused: boolean,
  aborted: boolean,
  now: number,
): readonly RolloutCondition[] {
  // The input list itself when nothing changes (lists are replaced, never changed in place).
  let out = conditions;
  const progressing = findCondition(out, 'Progressing');
  const abortCondition = progressing?.reason === CONDITIONS.aborted;
  const progressingPaused = progressing?.reason === CONDITIONS.paused;
  if (paused !== progressingPaused && !abortCondition) {
    out = setCondition(
      out,
      condition('Progressing', 'Unknown', paused ? CONDITIONS.paused : CONDITIONS.resumed, paused ? CONDITIONS.pausedMessage : CONDITIONS.resumedMessage, now),
    ).conditions;
  }
  if (!aborted && abortCondition) {
    out = setCondition(out, condition('Progressing', 'Unknown', CONDITIONS.retry, CONDITIONS.retryMessage, now)).conditions;
  }
  const pausedTrue = findCondition(out, 'Paused')?.status === 'True';
  if (paused !== pausedTrue && !abortCondition) {
    out = setCondition(out, condition('Paused', paused ? 'True' : 'False', CONDITIONS.paused, CONDITIONS.pausedMessage, now)).conditions;
  }
  return out;
}

/**
 * `requeueStuckRollout`: when the controller re-checks the deadline (the Progressing condition's
 * time + `progressDeadlineSeconds`), or `undefined` when no check is due (no condition with a time,
 * already timed out or aborted, healthy, paused, at an indefinite step, or an old ReplicaSet waits
 * for its scale-down deadline).
 */
export function progressCheckAt(rollout: Pick<RolloutState, 'spec' | 'status'>, waitingForScaleDown: boolean): number | undefined {
  const { spec, status } = rollout;
  const progressing = findCondition(status.conditions, 'Progressing');
  if (!progressing || progressing.lastUpdateTime === undefined) return undefined;
  if (progressing.reason === CONDITIONS.timedOut || progressing.reason === CONDITIONS.aborted) return undefined;
  if (rolloutHealthy(spec, status) || (status.pauseConditions ?? []).length > 0 || spec.paused || status.abort) return undefined;
  if (isIndefiniteStep(rollout) || waitingForScaleDown) return undefined;
  return progressing.lastUpdateTime + getProgressDeadlineSecondsOrDefault(spec);
}
