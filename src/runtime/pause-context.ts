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
   */
  applyTo(status: RolloutStatus, now: number): RolloutStatus {
    const rest = withoutPauseFields(status);
    const old = this.rollout.status;
    const abortedAt = old.abortedAt ?? Math.floor(now);
    if (this.addAbortFlag || (!this.removeAbortFlag && old.abort === true)) {
      return { ...rest, abort: true, abortedAt };
    }
    if (this.clear) return rest;
    let controllerPause = old.controllerPause === true;
    const conditions: PauseCondition[] = [];
    // Reasons seen so far (a plain list: a Rollout has at most a few pause conditions).
    const existing: string[] = [];
    const removed = this.removeReasons;
    for (const condition of old.pauseConditions ?? []) {
      if (removed === undefined || !removed.has(condition.reason)) conditions.push(condition);
      existing.push(condition.reason);
    }
    for (const reason of this.addReasons) {
      if (!existing.includes(reason)) {
        conditions.push({ reason, startTime: Math.floor(now) });
        existing.push(reason);
        controllerPause = true;
      }
    }
    if (conditions.length === 0) return rest;
    return { ...rest, pauseConditions: conditions, controllerPause };
  }
}

/**
 * The status without `abort`, `abortedAt`, `pauseConditions` and `controllerPause` (which
 * `applyTo` derives anew); the status itself when it has none of them (statuses are immutable).
 */
function withoutPauseFields(status: RolloutStatus): RolloutStatus {
  const has = (key: keyof RolloutStatus): boolean => Object.hasOwn(status, key);
  if (!has('abort') && !has('abortedAt') && !has('pauseConditions') && !has('controllerPause')) return status;
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
