import { parseTimestamp } from './cluster-state';
import { lastStatusWriteAt, list, num, record, statusOf, str, type LiveObjects } from './live-objects';
import type { LiveNow, LiveStatusOptions } from './live-types';
import type { RolloutModel } from '../model/manifests';
import { parsePauseDurationSeconds } from '../model/pause-duration';
import { CANARY_PAUSE_STEP } from './pause-context';
import { runSimulation, SimulationError, type SimulationTick } from './simulate';
import type { CanaryStep } from './types';

/**
 * The "next" part of `status`: the remaining steps of a live Rollout and when each should start,
 * from `simulate` run on the live Rollout (its spec, replicas and steps) and anchored at the live
 * step. Durations come from the model (pause durations, pod readiness, minReadySeconds); the
 * start of the current step from the live pause condition or the Rollout's last status write.
 */

/** One remaining step. */
export interface LiveNextStep {
  /** Index in `spec.strategy.canary.steps`. */
  readonly index: number;
  readonly step: CanaryStep;
  /** When the step should start (epoch seconds); null when it waits for a promotion first. */
  readonly at: number | null;
  /** When `at` is null: seconds after the promotion of step `afterPromotionOf`. */
  readonly afterPromotion?: { readonly step: number; readonly seconds: number };
}

/** Who must act for the Rollout to go on, and the exact command. */
export interface LiveWait {
  /** Why it waits (an indefinite pause, `spec.paused`, an inconclusive analysis, an abort). */
  readonly reason: string;
  /** Who can act. */
  readonly who: string;
  /** The command that lets it go on. */
  readonly command: string;
}

/** What comes next. */
export interface LiveNext {
  /** Steps still to start, in order. */
  readonly steps: readonly LiveNextStep[];
  /** When a timed pause now running ends (epoch seconds). */
  readonly pauseEndsAt?: number;
  /**
   * When the model expected the current step to be done (epoch seconds): its start plus its modelled
   * length; in the past when the step is overdue. Absent while the Rollout waits for a person.
   */
  readonly currentStepDueAt?: number;
  /** When the new revision should become stable (epoch seconds); null when a promotion comes first or nothing is in flight. */
  readonly completionAt: number | null;
  /** When `completionAt` is null because of a promotion: seconds after the promotion of that step. */
  readonly completionAfterPromotion?: { readonly step: number; readonly seconds: number };
  /** Set when the Rollout waits for a person. */
  readonly waitingFor?: LiveWait;
  /** Why there is no forecast, when there is none although an update is in flight. */
  readonly note?: string;
}

const WRITER = 'someone allowed to patch rollouts/status (the rollouts-writer role)';

/** The forecast for a live Rollout. */
export function forecast(model: RolloutModel, objects: LiveObjects, now: LiveNow, options: LiveStatusOptions): LiveNext {
  const status = statusOf(objects.rollout);
  const target = `${model.name}${objects.rollout.metadata?.namespace ? ` -n ${objects.rollout.metadata.namespace}` : ''}`;
  const waitingFor = personWait(model, status, now, target);
  const inFlight = str(status.currentPodHash) !== undefined && status.currentPodHash !== status.stableRS;
  if (now.aborted || !inFlight) return { steps: [], completionAt: null, ...(waitingFor ? { waitingFor } : {}) };
  const steps = model.spec.strategy.canary?.steps ?? [];
  let ticks: readonly SimulationTick[];
  try {
    ticks = simulateUpdate(model, objects, options);
  } catch (err) {
    if (err instanceof SimulationError) return { steps: [], completionAt: null, note: err.message, ...(waitingFor ? { waitingFor } : {}) };
    throw err;
  }
  const enter = stepEntries(ticks, steps.length);
  const k = Math.min(now.step.index ?? 0, steps.length);
  const pause = pauseCondition(status, CANARY_PAUSE_STEP);
  const current = steps[k];
  const pauseSeconds = current?.pause?.duration !== undefined ? parsePauseDurationSeconds(current.pause.duration) : undefined;
  const pauseEndsAt = pause?.startTime !== undefined && pauseSeconds !== undefined ? pause.startTime + pauseSeconds : undefined;
  const stepStart = pause?.startTime ?? Math.max(options.lastChangeAt ?? -Infinity, lastStatusWriteAt(objects.rollout) ?? -Infinity);
  const nextEnter = enter[k + 1] ?? enter.completion;
  const blockedHere = waitingFor !== undefined;
  // When the current step should be done: its start plus its modelled length (the pods it waits
  // for, its pause). A step that is no pause and whose pods are all available has nothing left.
  const podsReady = now.revisions.every((r) => r.available >= r.desired);
  const simLength = nextEnter !== undefined && enter[k] !== undefined && (current?.pause !== undefined || !podsReady) ? nextEnter - enter[k]! : 0;
  // (in the past when the step is overdue; the later steps are timed from now then)
  const dueAt = blockedHere ? undefined : Math.max(Number.isFinite(stepStart) ? stepStart + simLength : options.now, pauseEndsAt ?? -Infinity);
  const nextStart = Math.max(options.now, dueAt ?? options.now);
  const timeOf = (simT: number | undefined, index: number): Pick<LiveNextStep, 'at' | 'afterPromotion'> => {
    if (simT === undefined) return { at: null };
    const gate = promotionGate(steps, k, index, blockedHere);
    if (gate !== undefined) return { at: null, afterPromotion: { step: gate, seconds: round(simT - (enter[gate + 1] ?? enter.completion ?? simT)) } };
    return { at: round(nextStart + simT - (nextEnter ?? simT)) };
  };
  const remaining = steps.slice(k + 1).map((step, i): LiveNextStep => ({ index: k + 1 + i, step, ...timeOf(enter[k + 1 + i], k + 1 + i) }));
  const completion = timeOf(enter.completion, steps.length);
  return {
    steps: remaining,
    ...(pauseEndsAt !== undefined ? { pauseEndsAt } : {}),
    ...(dueAt !== undefined ? { currentStepDueAt: round(dueAt) } : {}),
    completionAt: completion.at,
    ...(completion.afterPromotion ? { completionAfterPromotion: completion.afterPromotion } : {}),
    ...(waitingFor ? { waitingFor } : {}),
  };
}

/**
 * The indefinite pause a step at `index` waits behind: the current step when the Rollout waits
 * for a person, else the last `pause: {}` step between the current one and `index`.
 */
function promotionGate(steps: readonly CanaryStep[], k: number, index: number, blockedHere: boolean): number | undefined {
  let gate: number | undefined = blockedHere ? k : undefined;
  for (let i = k + 1; i < index; i++) if (steps[i]?.pause !== undefined && steps[i]?.pause?.duration === undefined) gate = i;
  return gate;
}

/** An update of the live Rollout, simulated from its rolled-out state with every indefinite pause promoted at once. */
function simulateUpdate(model: RolloutModel, objects: LiveObjects, options: LiveStatusOptions): readonly SimulationTick[] {
  const replicas = num(record(objects.rollout.spec).replicas) ?? model.spec.replicas;
  const unpaused: RolloutModel = { ...model, spec: { ...model.spec, paused: undefined } };
  const snapshots = runSimulation(
    unpaused,
    { ...(replicas !== undefined ? { replicas } : {}), podReadySeconds: options.podReadySeconds ?? 0, events: [{ at: 0, update: {} }] },
    { autoPromote: true, start: 'rolledOut' },
  );
  return snapshots.map((s) => s.tick);
}

/** Simulated time at which each step index is first current after the update, and when the new revision becomes stable. */
function stepEntries(ticks: readonly SimulationTick[], count: number): Record<number, number | undefined> & { completion?: number } {
  const enter: Record<number, number | undefined> & { completion?: number } = {};
  // ticks[0] is the rolled-out start (step index = count); the update resets the index to 0.
  const start = ticks.findIndex((t, i) => i > 0 && (t.stepIndex !== count || t.replicaSets.some((rs) => rs.role === 'canary')));
  for (let i = Math.max(start, 0); i < ticks.length; i++) {
    const tick = ticks[i];
    if (tick.stepIndex !== null && tick.stepIndex <= count && enter[tick.stepIndex] === undefined) enter[tick.stepIndex] = tick.t;
    if (enter.completion === undefined && tick.replicaSets.some((rs) => rs.revision === 2 && rs.role === 'stable')) enter.completion = tick.t;
  }
  return enter;
}

/** The Rollout waits for a person: an indefinite pause, `spec.paused`, an inconclusive analysis, an abort. */
function personWait(model: RolloutModel, status: Record<string, unknown>, now: LiveNow, target: string): LiveWait | undefined {
  if (now.aborted) {
    return { reason: 'aborted', who: WRITER, command: `kubectl argo rollouts retry rollout ${target} (or update the pod template)` };
  }
  if (model.spec.paused === true) return { reason: 'spec.paused', who: WRITER, command: `kubectl argo rollouts promote ${target}` };
  if (pauseCondition(status, 'InconclusiveAnalysisRun')) {
    return { reason: 'inconclusive AnalysisRun', who: WRITER, command: `kubectl argo rollouts promote ${target} (or abort ${target})` };
  }
  const step = now.step.step;
  if (pauseCondition(status, CANARY_PAUSE_STEP) && step?.pause !== undefined && step.pause.duration === undefined) {
    return { reason: `indefinite pause at step ${now.step.index}`, who: WRITER, command: `kubectl argo rollouts promote ${target}` };
  }
  return undefined;
}

/** The pause condition with `reason`, with its start in epoch seconds. */
export function pauseCondition(status: Record<string, unknown>, reason: string): { readonly startTime?: number } | undefined {
  const found = list(status.pauseConditions)
    .map(record)
    .find((c) => c.reason === reason);
  if (!found) return undefined;
  const startTime = parseTimestamp(str(found.startTime));
  return startTime !== undefined ? { startTime } : {};
}

function round(t: number): number {
  return Math.round(t * 10) / 10;
}
