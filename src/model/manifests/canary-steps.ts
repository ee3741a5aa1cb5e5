import { pauseDurationSeconds } from '../pause-duration';
import { asRecord } from '../records';
import type { CanaryStep } from '../rollout-spec';
import type { Fail } from './fields';

/** The step kinds of `spec.strategy.canary.steps` (pkg/apis/rollouts/v1alpha1/types.go CanaryStep). */
export const STEP_KINDS = [
  'setWeight',
  'pause',
  'setCanaryScale',
  'analysis',
  'experiment',
  'setHeaderRoute',
  'setMirrorRoute',
  'plugin',
] as const;

/** `spec.strategy.canary.steps`: absent (or null) is undefined; otherwise a list of valid steps. */
export function readSteps(stepsRaw: unknown, fail: Fail): CanaryStep[] | undefined {
  if (stepsRaw === undefined || stepsRaw === null) return undefined;
  if (!Array.isArray(stepsRaw)) {
    fail(`spec.strategy.canary.steps (${JSON.stringify(stepsRaw)}) must be a list of steps`);
  }
  return (stepsRaw as unknown[]).map((s, i) => readStep(s, i, fail));
}

/** Field path of step `index`, built only for a message (a valid step needs none). */
function stepPath(index: number): string {
  return `spec.strategy.canary.steps[${index}]`;
}

/** One step: exactly one known kind, and that kind's fields valid. */
export function readStep(raw: unknown, index: number, fail: Fail): CanaryStep {
  const step = asRecord(raw);
  if (!step) {
    return fail(`${stepPath(index)} (${JSON.stringify(raw)}) must be an object with one of: ${STEP_KINDS.join(', ')}`);
  }
  if (!isSingleKnownStep(step)) {
    const keys = Object.keys(step).filter((k) => step[k] !== undefined && step[k] !== null);
    const known = keys.filter((k) => (STEP_KINDS as readonly string[]).includes(k));
    fail(
      `${stepPath(index)} (${JSON.stringify(raw)}) must set exactly one of: ${STEP_KINDS.join(', ')}${keys.length > known.length ? ` (unknown: ${keys.filter((k) => !known.includes(k)).join(', ')})` : ''}`,
    );
  }
  if (step.setWeight !== undefined) checkSetWeight(step.setWeight, index, fail);
  if (step.pause !== undefined) checkPause(step.pause, index, fail);
  if (step.setCanaryScale !== undefined) checkSetCanaryScale(step.setCanaryScale, index, fail);
  return step as CanaryStep;
}

function checkSetWeight(w: unknown, index: number, fail: Fail): void {
  if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 100) {
    fail(`${stepPath(index)}.setWeight (${JSON.stringify(w)}) must be an integer between 0 and 100`);
  }
}

/** A pause: an object whose `duration`, when set, is what the controller reads (Argo's grammar). */
function checkPause(raw: unknown, index: number, fail: Fail): void {
  const pause = asRecord(raw);
  if (!pause) {
    fail(`${stepPath(index)}.pause (${JSON.stringify(raw)}) must be an object such as {} or {duration: 30s}`);
  }
  const d = pause?.duration;
  if (d === undefined) return;
  if (typeof d !== 'number' && typeof d !== 'string') {
    fail(`${stepPath(index)}.pause.duration (${JSON.stringify(d)}) must be whole seconds or a duration string such as "30s", "5m" or "1h"`);
  }
  try {
    pauseDurationSeconds(d as number | string, `${stepPath(index)}.pause.duration`);
  } catch (err) {
    fail((err as Error).message);
  }
}

function checkSetCanaryScale(raw: unknown, index: number, fail: Fail): void {
  const scale = asRecord(raw);
  const set = scale ? Object.keys(scale).filter((k) => scale[k] !== undefined && scale[k] !== null) : [];
  if (!scale || set.length === 0) {
    fail(`${stepPath(index)}.setCanaryScale (${JSON.stringify(raw)}) must set replicas, weight or matchTrafficWeight`);
  }
  for (const k of ['replicas', 'weight'] as const) {
    const v = scale?.[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
      fail(`${stepPath(index)}.setCanaryScale.${k} (${JSON.stringify(v)}) must be a non-negative integer`);
    }
  }
}

/** Exactly one field of the step is set (not undefined or null), and it is a step kind. */
function isSingleKnownStep(step: Record<string, unknown>): boolean {
  let set: string | undefined;
  for (const k of Object.keys(step)) {
    if (step[k] === undefined || step[k] === null) continue;
    if (set !== undefined) return false;
    set = k;
  }
  return set !== undefined && (STEP_KINDS as readonly string[]).includes(set);
}
