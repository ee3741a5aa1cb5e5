import { describe, expect, test } from 'vitest';
import { progressing } from './function-fixtures';
import {
  type ConditionInput,
  calculateRolloutConditions,
  findCondition,
  pauseConditions,
  progressCheckAt,
  rolloutHealthy,
  rolloutProgressing,
  rolloutTimedOut,
  setCondition,
} from '../../src/runtime/progress-deadline';
import type { RolloutCondition, RolloutSpec, RolloutStatus } from '../../src/runtime/types';

/**
 * Conditions and the progress deadline (argo-canary.md §13: Progressing False
 * ProgressDeadlineExceeded after `progressDeadlineSeconds` without progress, not at a
 * pause/analysis/experiment step, not while an old ReplicaSet waits for its scale-down deadline,
 * not paused; `progressDeadlineAbort` aborts). Table-driven, one rule per row.
 */

const STEPS = [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }];
const spec = (extra: Partial<RolloutSpec> = {}): RolloutSpec => ({ replicas: 4, strategy: { canary: { steps: STEPS } }, ...extra });

/** Mid-update at step 0 (setWeight 20): 4 stable, 1 canary pod created but not available. */
const MID: RolloutStatus = {
  stableRS: 'A',
  currentPodHash: 'B',
  currentStepIndex: 0,
  currentStepHash: 'h',
  replicas: 5,
  updatedReplicas: 1,
  readyReplicas: 4,
  availableReplicas: 4,
};
/** Fully promoted, 4/4 available, no old pods. */
const DONE: RolloutStatus = { ...MID, stableRS: 'B', currentStepIndex: 3, replicas: 4, updatedReplicas: 4, availableReplicas: 4 };

describe('rolloutHealthy / rolloutProgressing / rolloutTimedOut (utils/conditions)', () => {
  test.each<[string, RolloutStatus, boolean]>([
    ['§13 Healthy: updated == available == N, all steps done, new RS is stable, no old pod', DONE, true],
    ['§13 not while an old RS still runs (status.replicas 8 != 4, scale-down delay)', { ...DONE, replicas: 8 }, false],
    ['§13 not before all steps executed', { ...DONE, currentStepIndex: 2 }, false],
    ['§13 not with more pods than spec.replicas (minPodsPerReplicaSet raised the count)', { ...DONE, replicas: 5, updatedReplicas: 5, availableReplicas: 5 }, false],
  ])('healthy: %s', (_name, status, want) => {
    expect(rolloutHealthy(spec(), status)).toBe(want);
  });

  test.each<[string, Partial<RolloutStatus>, boolean]>([
    ['nothing changed: no progress', {}, false],
    ['§13 updated count changed', { updatedReplicas: 2 }, true],
    ['§13 old replicas decreased', { replicas: 4 }, true],
    ['§13 more pods available', { availableReplicas: 5, readyReplicas: 5 }, true],
    ['§13 fewer pods available is no progress', { availableReplicas: 3, readyReplicas: 3 }, false],
    ['§13 step index changed', { currentStepIndex: 1 }, true],
    ['§13 stable hash changed (promotion)', { stableRS: 'B' }, true],
    ['§13 steps hash changed', { currentStepHash: 'h2' }, true],
  ])('progressing: %s', (_name, change, want) => {
    expect(rolloutProgressing(MID, { ...MID, ...change })).toBe(want);
  });

  test('progressing: an absent steps hash and "" are the same (Go\'s empty string), no progress', () => {
    const before = { ...MID, currentStepHash: undefined };
    expect(rolloutProgressing(before, { ...MID, currentStepHash: '' })).toBe(false);
    expect(rolloutProgressing({ ...MID, currentStepHash: '' }, before)).toBe(false);
  });

  test.each<[string, RolloutCondition | undefined, number, Partial<RolloutSpec>, boolean]>([
    ['no Progressing condition: no base to time out from', undefined, 10_000, {}, false],
    ['§13 default 600 s: 599 s after the last progress is not yet', progressing('ReplicaSetUpdated', 100, 'True'), 699, {}, false],
    ['§13 default 600 s: reached at exactly the deadline (runtime convention)', progressing('ReplicaSetUpdated', 100), 700, {}, true],
    ['§13 progressDeadlineSeconds 60', progressing('ReplicaSetUpdated', 100), 160, { progressDeadlineSeconds: 60 }, true],
    ['already ProgressDeadlineExceeded stays timed out', progressing('ProgressDeadlineExceeded', 100, 'False'), 101, {}, true],
    ['an aborted condition never times out (retry must not go Degraded for an old abort)', progressing('RolloutAborted', 0, 'False'), 10_000, {}, false],
    // diff-argo: utils/conditions RolloutTimedOut skips RolloutPaused as it does RolloutAborted
    ['a paused condition never times out', progressing('RolloutPaused', 0, 'Unknown'), 10_000, {}, false],
    ['a condition without a time never times out', { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }, 10_000, {}, false],
  ])('timed out: %s', (_name, cond, now, extra, want) => {
    expect(rolloutTimedOut(spec(extra), cond ? [cond] : [], now)).toBe(want);
  });
});

describe('calculateRolloutConditions (rollout/sync.go)', () => {
  const input = (over: Partial<ConditionInput>): ConditionInput => ({
    spec: spec(),
    old: MID,
    read: [progressing('ReplicaSetUpdated', 100)],
    next: MID,
    now: 100,
    aborted: false,
    paused: false,
    indefiniteStep: false,
    waitingForScaleDown: false,
    newReplicaSet: 'ro-B',
    revision: 2,
    ...over,
  });
  const prog = (conditions: readonly RolloutCondition[]): Pick<RolloutCondition, 'status' | 'reason' | 'lastUpdateTime'> => {
    const c = findCondition(conditions, 'Progressing');
    return { status: c?.status, reason: c?.reason, lastUpdateTime: c?.lastUpdateTime };
  };

  test.each<[string, Partial<ConditionInput>, Pick<RolloutCondition, 'status' | 'reason' | 'lastUpdateTime'>, { timedOut: boolean; abort: boolean }]>([
    ['§13 no progress, inside the deadline: the condition (and its time) is kept', { now: 300 }, { status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: 100 }, { timedOut: false, abort: false }],
    ['§13 progress (a canary pod became available) moves lastUpdateTime to now', { now: 300, next: { ...MID, availableReplicas: 5 } }, { status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: 300 }, { timedOut: false, abort: false }],
    ['§13 no progress for 600 s: False ProgressDeadlineExceeded', { now: 700 }, { status: 'False', reason: 'ProgressDeadlineExceeded', lastUpdateTime: 700 }, { timedOut: true, abort: false }],
    ['§13 progressDeadlineAbort: the timeout also aborts', { now: 700, spec: spec({ progressDeadlineAbort: true }) }, { status: 'False', reason: 'ProgressDeadlineExceeded', lastUpdateTime: 700 }, { timedOut: true, abort: true }],
    ['§13 no timeout at a pause / analysis / experiment step', { now: 700, indefiniteStep: true }, { status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: 100 }, { timedOut: false, abort: false }],
    ['§13 no timeout while an old ReplicaSet waits for its scale-down deadline', { now: 700, waitingForScaleDown: true }, { status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: 100 }, { timedOut: false, abort: false }],
    ['§13 no timeout while paused', { now: 700, paused: true }, { status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: 100 }, { timedOut: false, abort: false }],
    ['§11.5 aborted: False RolloutAborted, no progress check', { now: 700, aborted: true }, { status: 'False', reason: 'RolloutAborted', lastUpdateTime: 700 }, { timedOut: false, abort: false }],
    ['§13 healthy: True NewReplicaSetAvailable', { next: DONE, now: 300 }, { status: 'True', reason: 'NewReplicaSetAvailable', lastUpdateTime: 300 }, { timedOut: false, abort: false }],
    [
      '§13 a fully promoted Rollout losing a pod: Healthy turns False and Progressing restarts as ReplicaSetNotAvailable (no instant timeout)',
      { old: DONE, next: { ...DONE, availableReplicas: 3 }, read: [progressing('NewReplicaSetAvailable', 0), { type: 'Healthy', status: 'True', reason: 'RolloutHealthy' }], now: 5000 },
      { status: 'True', reason: 'ReplicaSetNotAvailable', lastUpdateTime: 5000 },
      { timedOut: false, abort: false },
    ],
  ])('%s', (_name, over, want, flags) => {
    const result = calculateRolloutConditions(input(over));
    expect(prog(result.conditions)).toEqual(want);
    expect({ timedOut: result.timedOut, abort: result.abort }).toEqual(flags);
  });

  test('§13 Available and Completed follow the counts and the stable hash', () => {
    const { conditions } = calculateRolloutConditions(input({ next: DONE }));
    expect(findCondition(conditions, 'Available')?.status).toBe('True');
    expect(findCondition(conditions, 'Completed')?.status).toBe('True');
    const mid = calculateRolloutConditions(input({ next: { ...MID, availableReplicas: 3 } })).conditions;
    expect(findCondition(mid, 'Available')?.status).toBe('False');
    expect(findCondition(mid, 'Completed')?.status).toBe('False');
  });

  test('SetRolloutCondition: same status and reason keeps the stored message and times', () => {
    const stored = progressing('ReplicaSetUpdated', 100);
    expect(setCondition([stored], { ...stored, message: 'other', lastUpdateTime: 200 })).toEqual({ conditions: [stored], changed: false });
  });
});

describe('pauseConditions (checkPausedConditions, folded into the write that changes the pause state)', () => {
  const pausedTrue: RolloutCondition = { type: 'Paused', status: 'True', reason: 'RolloutPaused' };
  test.each<[string, RolloutCondition[], boolean, boolean, [string | undefined, string | undefined, number | undefined], string | undefined]>([
    ['§7 pausing: Progressing Unknown RolloutPaused at now, Paused True', [progressing('ReplicaSetUpdated', 100)], true, false, ['Unknown', 'RolloutPaused', 500], 'True'],
    ['§7 resuming: Progressing Unknown RolloutResumed at now (the deadline restarts), Paused False', [progressing('RolloutPaused', 100, 'Unknown'), pausedTrue], false, false, ['Unknown', 'RolloutResumed', 500], 'False'],
    ['§7 still paused: nothing changes', [progressing('RolloutPaused', 100, 'Unknown'), pausedTrue], true, false, ['Unknown', 'RolloutPaused', 100], 'True'],
    ['§7 never paused: no Paused condition is written', [progressing('ReplicaSetUpdated', 100)], false, false, ['True', 'ReplicaSetUpdated', 100], undefined],
    ['§12 retry: an aborted Progressing becomes Unknown RolloutRetry', [progressing('RolloutAborted', 100, 'False')], false, false, ['Unknown', 'RolloutRetry', 500], undefined],
    ['§11 still aborted: the abort condition stays, no pause flip', [progressing('RolloutAborted', 100, 'False')], true, true, ['False', 'RolloutAborted', 100], undefined],
  ])('%s', (_name, conditions, paused, aborted, want, wantPaused) => {
    const out = pauseConditions(conditions, paused, aborted, 500);
    const p = findCondition(out, 'Progressing');
    expect([p?.status, p?.reason, p?.lastUpdateTime]).toEqual(want);
    expect(findCondition(out, 'Paused')?.status).toBe(wantPaused);
  });
});

describe('progressCheckAt (requeueStuckRollout)', () => {
  const at = (status: RolloutStatus, waiting = false, extra: Partial<RolloutSpec> = {}): number | undefined =>
    progressCheckAt({ spec: spec(extra), status }, waiting);
  test.each<[string, number | undefined, number | undefined]>([
    ['§13 stuck at a setWeight step: re-check at lastUpdateTime + 600', at({ ...MID, conditions: [progressing('ReplicaSetUpdated', 100)] }), 700],
    ['§13 with progressDeadlineSeconds 90', at({ ...MID, conditions: [progressing('ReplicaSetUpdated', 100)] }, false, { progressDeadlineSeconds: 90 }), 190],
    ['healthy: nothing to check', at({ ...DONE, conditions: [progressing('NewReplicaSetAvailable', 100)] }), undefined],
    ['already timed out: nothing to check', at({ ...MID, conditions: [progressing('ProgressDeadlineExceeded', 700, 'False')] }), undefined],
    ['at a pause step: nothing to check', at({ ...MID, currentStepIndex: 1, conditions: [progressing('ReplicaSetUpdated', 100)] }), undefined],
    ['aborted: nothing to check', at({ ...MID, abort: true, conditions: [progressing('RolloutAborted', 100, 'False')] }), undefined],
    ['an old RS waits for its scale-down deadline: nothing to check', at({ ...MID, conditions: [progressing('ReplicaSetUpdated', 100)] }, true), undefined],
  ])('%s', (_name, got, want) => {
    expect(got).toBe(want);
  });
});
