import { isPlainObject } from '../model/records';
import { getCurrentCanaryStep } from './steps';

import type { RolloutState } from './types';

/**
 * The JSON merge patches `kubectl argo rollouts` sends (pkg/kubectl-argo-rollouts/cmd/*),
 * and {@link applyMergePatch} to apply them to a plain Rollout. "status" patches go to the status
 * subresource; when that returns NotFound the CLI sends the fallback patch to the main resource.
 */

/** A JSON merge patch (RFC 7386): `null` deletes a key. */
export type MergePatch = { readonly [key: string]: unknown };

/** The patches of one CLI command. `undefined` = that patch is not sent. */
export interface CliPatches {
  /** Sent to `rollouts/<name>/status`. */
  readonly statusPatch?: MergePatch;
  /** Sent to `rollouts/<name>` (spec fields). */
  readonly specPatch?: MergePatch;
  /** Sent to `rollouts/<name>` instead of both when the status subresource is not found. */
  readonly fallbackPatch?: MergePatch;
}

/** Flags of `kubectl argo rollouts promote`. */
export interface PromoteFlags {
  /** `--full`: skip all remaining steps and analysis. */
  readonly full?: boolean;
  /** `--skip-current-step` (deprecated). */
  readonly skipCurrentStep?: boolean;
  /** `--skip-all-steps` (deprecated). */
  readonly skipAllSteps?: boolean;
}

const UNPAUSE: MergePatch = { spec: { paused: false } };

/** The next step index for promote: current (nil read as 0) + 1, never past len(steps); undefined without steps. */
function nextStepIndex(rollout: RolloutState): number | undefined {
  const { index } = getCurrentCanaryStep(rollout);
  if (index === undefined) return undefined;
  const steps = rollout.spec.strategy.canary?.steps ?? [];
  return index < steps.length ? index + 1 : index;
}

function isInconclusive(rollout: RolloutState): boolean {
  return rollout.spec.strategy.canary !== undefined && rollout.status.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive';
}

/**
 * Patches of `promote`. Default: unpause `spec.paused`; then either (inconclusive step analysis
 * with a controller pause) clear pauses, controllerPause false and step+1, or clear the pause
 * conditions, or (canary, nothing paused) clear conditions AND skip the current step.
 * `--full`: `promoteFull: true` unless already fully promoted (and unpause `spec.paused`, v1.9).
 * `--skip-current-step` / `--skip-all-steps`: set the step index.
 * @see pkg/kubectl-argo-rollouts/cmd/promote/promote.go getPatches
 */
export function promotePatches(rollout: RolloutState, flags: PromoteFlags = {}): CliPatches {
  const { spec, status } = rollout;
  if (flags.skipCurrentStep) {
    const next = nextStepIndex(rollout);
    if (next === undefined) return {};
    const patch = { status: { currentStepIndex: next } };
    return { statusPatch: patch, fallbackPatch: patch };
  }
  if (flags.skipAllSteps) {
    const patch = { status: { currentStepIndex: (spec.strategy.canary?.steps ?? []).length } };
    return { statusPatch: patch, fallbackPatch: patch };
  }
  if (flags.full) {
    return {
      statusPatch: (status.currentPodHash ?? '') !== (status.stableRS ?? '') ? { status: { promoteFull: true } } : undefined,
      specPatch: spec.paused ? UNPAUSE : undefined,
      fallbackPatch: { spec: { paused: false }, status: { promoteFull: true } },
    };
  }
  const specPatch = spec.paused ? UNPAUSE : undefined;
  let fallbackPatch: MergePatch = { spec: { paused: false }, status: { pauseConditions: null } };
  let statusPatch: MergePatch | undefined;
  const paused = (status.pauseConditions ?? []).length > 0;
  if (isInconclusive(rollout) && paused && status.controllerPause) {
    const next = nextStepIndex(rollout);
    if (next !== undefined) statusPatch = { status: { pauseConditions: null, controllerPause: false, currentStepIndex: next } };
  } else if (paused) {
    statusPatch = { status: { pauseConditions: null } };
  } else if (spec.strategy.canary) {
    const next = nextStepIndex(rollout);
    if (next !== undefined) {
      statusPatch = { status: { pauseConditions: null, currentStepIndex: next } };
      fallbackPatch = { spec: { paused: false }, status: { pauseConditions: null, currentStepIndex: next } };
    }
  }
  return { statusPatch, specPatch, fallbackPatch };
}

/**
 * Patches of `abort`: `status.abort = true`.
 * @see pkg/kubectl-argo-rollouts/cmd/abort/abort.go
 */
export function abortPatches(): CliPatches {
  const patch = { status: { abort: true } };
  return { statusPatch: patch, fallbackPatch: patch };
}

/**
 * Patches of `retry rollout`: `status.abort = false`.
 * @see pkg/kubectl-argo-rollouts/cmd/retry/retry.go
 */
export function retryPatches(): CliPatches {
  const patch = { status: { abort: false } };
  return { statusPatch: patch, fallbackPatch: patch };
}

/**
 * Patch of `pause`: `spec.paused = true`.
 * @see pkg/kubectl-argo-rollouts/cmd/pause/pause.go
 */
export function pausePatches(): CliPatches {
  return { specPatch: { spec: { paused: true } } };
}

/**
 * Patch of `restart [--in D]`: `spec.restartAt` = now + D, RFC 3339 in UTC with whole seconds.
 * `nowMs` is the clock (epoch milliseconds); throws on a negative or non-finite delay.
 * @see pkg/kubectl-argo-rollouts/cmd/restart/restart.go
 */
export function restartPatches(nowMs: number, inSeconds = 0): CliPatches {
  if (!Number.isFinite(inSeconds) || inSeconds < 0) {
    throw new Error(`restart --in (${inSeconds}) must be a non-negative number of seconds`);
  }
  const at = new Date(Math.floor((nowMs + inSeconds * 1000) / 1000) * 1000);
  return { specPatch: { spec: { restartAt: at.toISOString().replace('.000Z', 'Z') } } };
}

/**
 * Applies a JSON merge patch (RFC 7386) and returns a new value: objects merge recursively,
 * `null` deletes, anything else (arrays included) replaces.
 */
export function applyMergePatch<T>(target: T, patch: unknown): T {
  if (!isPlainObject(patch)) return patch as T;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result as T;
}
