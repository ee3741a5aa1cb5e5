/** Table tests of the pure analysis-run reconciliation (rollout/analysis.go), case by case. */
import { describe, expect, test } from 'vitest';
import { type AnalysisRunState, reconcileAnalysisRuns, runAnalysisController, stepAnalysisSuccessful } from '../../src/runtime/analysis-runs';
import type { RolloutState, RolloutStatus } from '../../src/runtime/types';

const STEPS = [{ setWeight: 10 }, { analysis: { templates: [{ templateName: 'a' }] } }, { setWeight: 50 }, { pause: {} }];

function rollout(status: RolloutStatus, opts: { background?: boolean; startingStep?: number } = {}): RolloutState {
  return {
    metadata: { name: 'app' },
    spec: {
      replicas: 4,
      strategy: {
        canary: {
          steps: STEPS,
          ...(opts.background === false ? {} : { analysis: { templates: [{ templateName: 'a' }], ...(opts.startingStep !== undefined ? { startingStep: opts.startingStep } : {}) } }),
        },
      },
    },
    status: { stableRS: 'A', currentPodHash: 'B', currentStepIndex: 0, ...status },
  } as RolloutState;
}

const run = (type: 'background' | 'step', phase: AnalysisRunState['phase'], extra: Partial<AnalysisRunState> = {}): AnalysisRunState => ({
  name: `app-B-2${type === 'step' ? '-1' : ''}`,
  type,
  podHash: 'B',
  ...(type === 'step' ? { stepIndex: 1 } : {}),
  phase,
  createdAt: 0,
  ...extra,
});

const input = (ro: RolloutState, runs?: { background?: AnalysisRunState; step?: AnalysisRunState }, extra = {}) => ({
  rollout: ro,
  runs,
  newRSHash: 'B',
  revision: 2,
  aborted: ro.status.abort === true,
  newRSHasScaleDownDeadline: false,
  now: 100,
  ...extra,
});

describe('reconcileAnalysisRuns', () => {
  test.each([
    ['aborted', rollout({ abort: true }), {}],
    ['promote --full', rollout({ promoteFull: true }), {}],
    ['initial deploy (no stable yet)', rollout({ stableRS: '' }), {}],
    ['rolling back to a ReplicaSet with a scale-down deadline', rollout({}), { newRSHasScaleDownDeadline: true }],
  ])('skipped while %s: nothing created, current runs kept', (_name, ro, extra) => {
    const current = { background: run('background', 'Failed') };
    const out = reconcileAnalysisRuns(input(ro, current, extra));
    expect(out).toEqual({ runs: current, addInconclusivePause: false, created: [] });
  });

  test('creates the background run named <rollout>-<hash>-<revision> at or after startingStep only', () => {
    expect(reconcileAnalysisRuns(input(rollout({ currentStepIndex: 0 }, { startingStep: 1 }))).runs).toEqual({});
    const out = reconcileAnalysisRuns(input(rollout({ currentStepIndex: 2 }, { startingStep: 1 })));
    expect(out.created).toEqual(['app-B-2']);
    expect(out.runs.background).toEqual({ name: 'app-B-2', type: 'background', podHash: 'B', phase: 'Running', createdAt: 100 });
  });

  test('no background run once fully promoted (stableRS == currentPodHash)', () => {
    expect(reconcileAnalysisRuns(input(rollout({ stableRS: 'B', currentStepIndex: 4 }), { background: run('background', 'Running') })).runs).toEqual({});
  });

  test('creates a step run at an analysis step, named with the step index, and drops it after the step', () => {
    const at = reconcileAnalysisRuns(input(rollout({ currentStepIndex: 1 }, { background: false })));
    expect(at.runs.step).toMatchObject({ name: 'app-B-2-1', stepIndex: 1, phase: 'Running' });
    const after = reconcileAnalysisRuns(input(rollout({ currentStepIndex: 2 }, { background: false }), at.runs));
    expect(after.runs.step).toBeUndefined();
  });

  test.each([
    // the abort message names the run's type, as rollout/analysis.go reconcileBackgroundAnalysisRun writes it
    ['Failed', { abortMessage: 'Background analysis phase error/failed: why' }, false],
    ['Error', { abortMessage: 'Background analysis phase error/failed: why' }, false],
    ['Inconclusive', {}, true],
    ['Successful', {}, false],
    ['Running', {}, false],
  ] as const)('a background run %s: abort %j, pause %s', (phase, abort, pause) => {
    const out = reconcileAnalysisRuns(input(rollout({ currentStepIndex: 2 }), { background: run('background', phase, { message: 'why' }) }));
    expect(out.addInconclusivePause).toBe(pause);
    expect(out.abortMessage).toBe((abort as { abortMessage?: string }).abortMessage);
    expect(out.created).toEqual([]);
  });

  test('a failed step run aborts with the step-based prefix (rollout/analysis.go reconcileStepBasedAnalysisRun); without a run message only the prefix', () => {
    const failed = (message?: string) => ({ step: { ...run('step', 'Failed', message ? { message } : {}), stepIndex: 1, name: 'app-B-2-1' } });
    const at = rollout({ currentStepIndex: 1 }, { background: false });
    expect(reconcileAnalysisRuns(input(at, failed('why'))).abortMessage).toBe('Step-based analysis phase error/failed: why');
    expect(reconcileAnalysisRuns(input(at, failed())).abortMessage).toBe('Step-based analysis phase error/failed');
  });

  test('while paused for an inconclusive run nothing changes; after the user resumes a new run replaces it', () => {
    const inconclusive = { background: run('background', 'Inconclusive') };
    const paused = rollout({ currentStepIndex: 2, controllerPause: true, pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: 50 }] });
    expect(reconcileAnalysisRuns(input(paused, inconclusive))).toEqual({ runs: inconclusive, addInconclusivePause: false, created: [] });
    const resumed = rollout({ currentStepIndex: 2, controllerPause: true });
    expect(reconcileAnalysisRuns(input(resumed, inconclusive)).created).toEqual(['app-B-2']);
  });

  test('after retry (abortedAt still set) a failed run is replaced', () => {
    const out = reconcileAnalysisRuns(input(rollout({ currentStepIndex: 2, abortedAt: 40 }), { background: run('background', 'Failed') }));
    expect(out.created).toEqual(['app-B-2']);
    expect(out.abortMessage).toBeUndefined();
  });

  test('runs of an older pod template are not current', () => {
    const out = reconcileAnalysisRuns(input(rollout({ currentStepIndex: 2 }), { background: run('background', 'Failed', { podHash: 'OLD' }) }));
    expect(out.abortMessage).toBeUndefined();
    expect(out.runs.background).toMatchObject({ podHash: 'B', phase: 'Running' });
  });
});

describe('runAnalysisController', () => {
  test('a due verdict ends the running run; a step run without one succeeds; a background run keeps running', () => {
    const verdicts = [{ at: 50, phase: 'Failed' as const, message: 'm', run: 'background' as const }];
    const before = runAnalysisController({ background: run('background', 'Running') }, verdicts, new Set(), 10);
    expect(before.changed).toBe(false);
    const due = runAnalysisController({ background: run('background', 'Running'), step: run('step', 'Running') }, verdicts, new Set(), 50);
    expect(due.runs.background).toMatchObject({ phase: 'Failed', message: 'm' });
    expect(due.runs.step).toMatchObject({ phase: 'Successful' });
    expect(due.consumed).toEqual([0]);
    expect(stepAnalysisSuccessful(due.runs, 1)).toBe(true);
    expect(stepAnalysisSuccessful(due.runs, 2)).toBe(false);
    const again = runAnalysisController({ background: run('background', 'Running') }, verdicts, new Set([0]), 60);
    expect(again.changed).toBe(false);
  });
});
