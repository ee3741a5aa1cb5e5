import { parsePauseDurationSeconds } from '../model/pause-duration';
import type { PauseCondition, PauseStep, RolloutState, RolloutStatus } from './types';

/** Pause reason the controller adds at a `pause` step. */
export const CANARY_PAUSE_STEP = 'CanaryPauseStep';

/**
 * The pause/abort requests gathered during one tick and applied when the status is written
 * (rollout/pause.go `pauseContext`). Mutable by design: it lives for one tick only.
 */
export class PauseContext {
  private readonly addReasons: string[] = [];
  /** Created on the first removal (most ticks remove none). */
  private removeReasons: Set<string> | undefined;
  private clear = false;
  private addAbortFlag = false;
  private abortMessageText: string | undefined;
  private removeAbortFlag = false;

  constructor(private readonly rollout: RolloutState) {}

  /** `AddPauseCondition`. */
  addPauseCondition(reason: string): void {
    this.addReasons.push(reason);
  }

  /** `RemovePauseCondition`. */
  removePauseCondition(reason: string): void {
    (this.removeReasons ??= new Set()).add(reason);
  }

  /** `ClearPauseConditions`: every pause condition is dropped on write. */
  clearPauseConditions(): void {
    this.clear = true;
  }

  /** `AddAbort`; a failed analysis passes its run's message, shown in the RolloutAborted condition. */
  addAbort(message?: string): void {
    this.addAbortFlag = true;
    if (message) this.abortMessageText = message;
  }

  /** The message of an abort requested this tick (`abortMessage`), if any. */
  abortMessage(): string | undefined {
    return this.abortMessageText;
  }

  /** `RemoveAbort`. */
  removeAbort(): void {
    this.removeAbortFlag = true;
  }

  /** `HasAddPause`: a pause condition was requested this tick. */
  hasAddPause(): boolean {
    return this.addReasons.length > 0;
  }

  /** `IsAborted`: a removal wins, then an addition or the stored flag. */
  isAborted(): boolean {
    if (this.removeAbortFlag) return false;
    return this.addAbortFlag || this.rollout.status.abort === true;
  }

  /**
   * `CompletedCanaryPauseStep`: the user resumed (controllerPause set, condition gone), or the
   * duration elapsed since the condition's start. `now > start + duration` in Go; see
   * {@link deadlinePassed} for how equality is treated.
   */
  completedCanaryPauseStep(pause: PauseStep, now: number): boolean {
    const condition = findPauseCondition(this.rollout.status, CANARY_PAUSE_STEP);
    if (this.rollout.status.controllerPause === true && condition === undefined) return true;
    if (pause.duration !== undefined && condition !== undefined) {
      return deadlinePassed(condition.startTime + parsePauseDurationSeconds(pause.duration), now);
    }
    return false;
  }

  /**
   * `CalculatePauseStatus`: abort wins (pause conditions dropped, `abortedAt` kept from the first
   * abort), then a clear request, else the stored conditions minus removals plus new reasons
   * stamped `now` (which also sets `controllerPause`). An empty list omits both fields.
   * `status` is the tick's own new status: the fields are written into it (or into its copy
   * without the stored pause fields), and the stored list is kept while no reason comes or goes.
   */
  applyTo(status: RolloutStatus, now: number): RolloutStatus {
    const out: { -readonly [K in keyof RolloutStatus]: RolloutStatus[K] } = withoutPauseFields(status);
    const old = this.rollout.status;
    if (this.addAbortFlag || (!this.removeAbortFlag && old.abort === true)) {
      out.abort = true;
      out.abortedAt = old.abortedAt ?? Math.floor(now);
      return out;
    }
    if (this.clear) return out;
    let controllerPause = old.controllerPause === true;
    const stored = old.pauseConditions ?? [];
    const conditions: PauseCondition[] = [];
    // Reasons seen so far (a plain list: a Rollout has at most a few pause conditions).
    const existing: string[] = [];
    const removed = this.removeReasons;
    let changed = false;
    for (const condition of stored) {
      if (removed === undefined || !removed.has(condition.reason)) conditions.push(condition);
      else changed = true;
      existing.push(condition.reason);
    }
    for (const reason of this.addReasons) {
      if (!existing.includes(reason)) {
        conditions.push({ reason, startTime: Math.floor(now) });
        existing.push(reason);
        controllerPause = true;
        changed = true;
      }
    }
    if (conditions.length === 0) return out;
    // The same conditions: the stored list itself (lists are replaced, never changed in place).
    out.pauseConditions = changed ? conditions : stored;
    out.controllerPause = controllerPause;
    return out;
  }
}

/**
 * The status without `abort`, `abortedAt`, `pauseConditions` and `controllerPause` (which
 * `applyTo` derives anew): the status itself when it has none of them, else a copy without them.
 */
function withoutPauseFields(status: RolloutStatus): RolloutStatus {
  if (!Object.hasOwn(status, 'abort') && !Object.hasOwn(status, 'abortedAt') && !Object.hasOwn(status, 'pauseConditions') && !Object.hasOwn(status, 'controllerPause')) {
    return status;
  }
  const { abort: _abort, abortedAt: _abortedAt, pauseConditions: _pc, controllerPause: _cp, ...rest } = status;
  return rest;
}

/** The stored pause condition with `reason`, if any. */
export function findPauseCondition(status: RolloutStatus, reason: string): PauseCondition | undefined {
  return (status.pauseConditions ?? []).find((c) => c.reason === reason);
}

/**
 * Whether a deadline (pause expiry, scale-down deadline) has been reached at `now`.
 *
 * The controller checks `now.After(deadline)` (strictly after) and asks to be requeued at the
 * deadline; the requeued reconcile runs a few milliseconds later, so the check passes then. The
 * runtime's clock is a plain number and the simulator reconciles exactly at the deadline, so the
 * equivalent check is `now >= deadline`.
 */
export function deadlinePassed(deadline: number, now: number): boolean {
  return now >= deadline;
}
