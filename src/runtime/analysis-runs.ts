/**
 * Analysis runs of a canary Rollout: what the Argo Rollouts v1.9.1 controller does with them in
 * one tick (rollout/analysis.go reconcileAnalysisRuns, reconcileBackgroundAnalysisRun,
 * reconcileStepBasedAnalysisRun, needsNewAnalysisRun), plus the small model of the analysis
 * controller the simulator uses (scenario verdicts decide how runs end).
 *
 * Only the current runs are modelled (`status.canary.current{Background,Step}AnalysisRunStatus`);
 * a cancelled (terminated) run simply stops being current. Pure: no clock but `now`.
 */
import { CANARY_PAUSE_STEP, findPauseCondition } from './pause-context';
import { isFullyPromoted } from './phase';
import { beforeStartingStep, getCurrentCanaryStep } from './steps';
import type { RolloutState } from './types';

/** Pause reason added for an inconclusive analysis run. */
export const INCONCLUSIVE_ANALYSIS = 'InconclusiveAnalysisRun';

/** `AnalysisRun.status.phase`. */
export type AnalysisPhase = 'Running' | 'Successful' | 'Failed' | 'Error' | 'Inconclusive';

/** Phases a scenario can give a run. */
export const ANALYSIS_VERDICTS = ['Successful', 'Failed', 'Error', 'Inconclusive'] as const;
export type AnalysisVerdictPhase = (typeof ANALYSIS_VERDICTS)[number];

/** One AnalysisRun the Rollout created. */
export interface AnalysisRunState {
  /** `<rollout>-<pod hash>-<revision>` (background) or `...-<step index>` (step), as Argo names them. */
  readonly name: string;
  readonly type: 'background' | 'step';
  /** Hash of the ReplicaSet the run analyses (the new RS when it was created). */
  readonly podHash: string;
  /** Step index of a step run. */
  readonly stepIndex?: number;
  readonly phase: AnalysisPhase;
  /** `status.message` (why it failed). */
  readonly message?: string;
  /** Seconds when it was created. */
  readonly createdAt: number;
}

/** The Rollout's current runs. */
export interface AnalysisRunsState {
  readonly background?: AnalysisRunState;
  readonly step?: AnalysisRunState;
}

/** What one tick's analysis reconciliation needs besides the Rollout. */
export interface AnalysisReconcileInput {
  readonly rollout: RolloutState;
  readonly runs: AnalysisRunsState | undefined;
  /** Hash of the new ReplicaSet. */
  readonly newRSHash: string;
  /** Argo revision of the Rollout (run names). */
  readonly revision: number;
  /** `pauseContext.IsAborted()` at this point of the tick. */
  readonly aborted: boolean;
  /** The new RS carries a scale-down deadline (rolling back to a delayed RS). */
  readonly newRSHasScaleDownDeadline: boolean;
  readonly now: number;
}

/** Result of {@link reconcileAnalysisRuns}. */
export interface AnalysisReconcileResult {
  /** The current runs after the tick. */
  readonly runs: AnalysisRunsState;
  /** An inconclusive run asks for the `InconclusiveAnalysisRun` pause (the tick then ends). */
  readonly addInconclusivePause: boolean;
  /** A failed or errored run aborts the rollout with this message (the run's message). */
  readonly abortMessage?: string;
  /** Runs created this tick (names), for the trace. */
  readonly created: readonly string[];
}

/** True when the Rollout's spec asks for background analysis. */
function hasBackgroundAnalysis(rollout: RolloutState): boolean {
  const templates = rollout.spec.strategy.canary?.analysis?.['templates'];
  return Array.isArray(templates) && templates.length > 0;
}

/** True when a canary step is an `analysis` step. */
function hasStepAnalysis(rollout: RolloutState): boolean {
  for (const step of rollout.spec.strategy.canary?.steps ?? []) if (step?.analysis !== undefined) return true;
  return false;
}

/** needsNewAnalysisRun (rollout/analysis.go). */
function needsNewAnalysisRun(current: AnalysisRunState | undefined, rollout: RolloutState): boolean {
  if (current === undefined) return true;
  const status = rollout.status;
  if (status.controllerPause === true && findPauseCondition(status, CANARY_PAUSE_STEP) === undefined) {
    // The user resumed a rollout the controller had paused: an inconclusive run is replaced.
    return current.phase === 'Inconclusive';
  }
  return status.abortedAt !== undefined;
}

/** What the abort message of a failed or errored run starts with (rollout/analysis.go). */
const ABORT_PREFIX = { background: 'Background analysis phase error/failed', step: 'Step-based analysis phase error/failed' } as const;

/**
 * The run's effect on the rollout: inconclusive pauses, failed/error aborts with the run's type and
 * message (reconcileBackgroundAnalysisRun / reconcileStepBasedAnalysisRun: `"<type> analysis phase
 * error/failed"`, then `": " + status.message` when the run has one).
 */
function verdictEffect(run: AnalysisRunState | undefined): { pause: boolean; abortMessage?: string } {
  if (run?.phase === 'Inconclusive') return { pause: true };
  if (run?.phase === 'Failed' || run?.phase === 'Error') return { pause: false, abortMessage: `${ABORT_PREFIX[run.type]}${run.message ? `: ${run.message}` : ''}` };
  return { pause: false };
}

/**
 * rollout/analysis.go reconcileAnalysisRuns for a canary: skipped (runs cancelled) while aborted,
 * fully promoting, rolling back to a delayed RS or on the initial deploy; otherwise the step run
 * and the background run are created, kept or replaced, and their phases turned into a pause
 * (inconclusive) or an abort (failed / error).
 */
export function reconcileAnalysisRuns(input: AnalysisReconcileInput): AnalysisReconcileResult {
  const { rollout, newRSHash } = input;
  const status = rollout.status;
  // Runs of an older pod template are no longer current (the status reset dropped them).
  const keep = (run: AnalysisRunState | undefined): AnalysisRunState | undefined => (run?.podHash === newRSHash ? run : undefined);
  const current: AnalysisRunsState = { background: keep(input.runs?.background), step: keep(input.runs?.step) };
  const initialDeploy = (status.stableRS ?? '') === '';
  if (input.aborted || status.promoteFull === true || input.newRSHasScaleDownDeadline || initialDeploy) {
    // Skipping analysis: the current runs stay recorded (and are terminated).
    return { runs: current, addInconclusivePause: false, created: [] };
  }
  if (current.step === undefined && current.background === undefined && !hasBackgroundAnalysis(rollout) && !hasStepAnalysis(rollout)) {
    // No run and no analysis configured: nothing to create, keep or judge (what the general
    // path below returns in that case, without its bookkeeping on every tick).
    return { runs: {}, addInconclusivePause: false, created: [] };
  }
  const created: string[] = [];
  const create = (type: 'background' | 'step', stepIndex?: number): AnalysisRunState => {
    const name = [rollout.metadata?.name ?? '', newRSHash, String(input.revision), ...(stepIndex !== undefined ? [String(stepIndex)] : [])].join('-');
    created.push(name);
    return { name, type, podHash: newRSHash, ...(stepIndex !== undefined ? { stepIndex } : {}), phase: 'Running', createdAt: input.now };
  };
  const effects: { pause: boolean; abortMessage?: string }[] = [];

  // reconcileStepBasedAnalysisRun
  let step = current.step;
  if ((status.pauseConditions ?? []).length === 0 && status.abort !== true) {
    const { step: currentStep, index } = getCurrentCanaryStep(rollout);
    const fromPreviousStep = currentStep?.analysis !== undefined && step !== undefined && step.stepIndex !== index;
    if (!currentStep || currentStep.analysis === undefined || index === undefined || fromPreviousStep) {
      step = undefined;
    } else if (needsNewAnalysisRun(step, rollout)) {
      step = create('step', index);
    } else {
      effects.push(verdictEffect(step));
    }
  }

  // reconcileBackgroundAnalysisRun
  let background = current.background;
  if (!hasBackgroundAnalysis(rollout)) {
    background = undefined;
  } else if (isFullyPromoted(rollout) || initialDeploy || (status.currentPodHash ?? '') === '' || beforeStartingStep(rollout)) {
    background = undefined;
  } else if (findPauseCondition(status, INCONCLUSIVE_ANALYSIS) === undefined) {
    if (needsNewAnalysisRun(background, rollout)) {
      background = create('background');
    } else {
      effects.push(verdictEffect(background));
    }
  }

  const abort = effects.find((e) => e.abortMessage !== undefined);
  return {
    runs: { ...(background ? { background } : {}), ...(step ? { step } : {}) },
    addInconclusivePause: effects.some((e) => e.pause),
    ...(abort ? { abortMessage: abort.abortMessage } : {}),
    created,
  };
}

/** completedCurrentCanaryStep for an `analysis` step: its run exists and is Successful. */
export function stepAnalysisSuccessful(runs: AnalysisRunsState | undefined, index: number | undefined): boolean {
  const run = runs?.step;
  return run !== undefined && run.stepIndex === index && run.phase === 'Successful';
}

/** `status.canary.current{Step,Background}AnalysisRunStatus` for the current runs. */
export function analysisRunStatuses(runs: AnalysisRunsState | undefined): {
  currentStepAnalysisRunStatus?: { name: string; status: string; message?: string };
  currentBackgroundAnalysisRunStatus?: { name: string; status: string; message?: string };
} {
  const view = (run: AnalysisRunState) => ({ name: run.name, status: run.phase, ...(run.message ? { message: run.message } : {}) });
  return {
    ...(runs?.step ? { currentStepAnalysisRunStatus: view(runs.step) } : {}),
    ...(runs?.background ? { currentBackgroundAnalysisRunStatus: view(runs.background) } : {}),
  };
}

// -------------------------------------------------------------------------------------------------
// The analysis controller, as the simulator models it.

/** A scenario verdict: the first run still running at or after `at` ends with `phase`. */
export interface AnalysisVerdict {
  readonly at: number;
  readonly phase: AnalysisVerdictPhase;
  /** The run's `status.message`; the rollout's abort message repeats it. */
  readonly message: string;
  /** Only runs of this type take the verdict. @default - either */
  readonly run?: 'background' | 'step';
}

/** Result of {@link runAnalysisController}. */
export interface AnalysisControllerResult {
  readonly runs: AnalysisRunsState;
  /** Indexes (into the verdict list) consumed by this call. */
  readonly consumed: readonly number[];
  readonly changed: boolean;
}

/**
 * The analysis controller at time `now`: each running run takes the earliest unconsumed verdict
 * that is due (`at <= now`) and matches its type (step run first). A step run without a verdict
 * succeeds at once (its measurements are not simulated); a background run keeps running until a
 * verdict ends it or the rollout stops needing it.
 */
export function runAnalysisController(
  runs: AnalysisRunsState | undefined,
  verdicts: readonly AnalysisVerdict[],
  consumedBefore: ReadonlySet<number>,
  now: number,
): AnalysisControllerResult {
  const consumed: number[] = [];
  const take = (type: 'background' | 'step'): AnalysisVerdict | undefined => {
    const i = verdicts.findIndex((v, k) => !consumedBefore.has(k) && !consumed.includes(k) && v.at <= now && (v.run === undefined || v.run === type));
    if (i < 0) return undefined;
    consumed.push(i);
    return verdicts[i];
  };
  const settle = (run: AnalysisRunState | undefined): AnalysisRunState | undefined => {
    if (run === undefined || run.phase !== 'Running') return run;
    const verdict = take(run.type);
    if (verdict) return { ...run, phase: verdict.phase, message: verdict.message };
    return run.type === 'step' ? { ...run, phase: 'Successful' } : run;
  };
  const step = settle(runs?.step);
  const background = settle(runs?.background);
  const next: { background?: AnalysisRunState; step?: AnalysisRunState } = {};
  if (background) next.background = background;
  if (step) next.step = step;
  const changed = step !== runs?.step || background !== runs?.background;
  return { runs: next, consumed, changed };
}
