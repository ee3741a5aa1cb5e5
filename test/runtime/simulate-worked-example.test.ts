import { describe, expect, test } from 'vitest';
import { ARGO_KEYS } from '../../src/model/argo-defaults';
import { at, revisionOf, run, selectorRevision, vsWeights, writingTicks } from './sim-helpers';

/**
 * argo-canary.md §20, tick by tick: N = 10, host-level split (Services s / c, one http route),
 * steps [setWeight 20, pause {}, setWeight 50, pause 60s]. Revision 1 is "A", revision 2 is "B".
 * Pods become available 10 s after creation; the image changes at t=5, the user promotes at t=40.
 * Every tick in which the controller wrote something is listed, in order.
 */
const UPDATE = { at: 5, update: { image: 'demo:2' } };
const PROMOTE = { at: 40, promote: {} };

describe('argo-canary.md §20 worked example', () => {
  const snapshots = run('worked-example.yaml', { podReadySeconds: 10, events: [UPDATE, PROMOTE] });
  const ticks = writingTicks(snapshots, 1);

  test('the controller writes exactly these ticks, in this order', () => {
    expect(ticks.map(({ snap, writes }) => [snap.tick.t, ...writes])).toEqual([
      [5, 'create 2', 'status'], // §20 tick 1: B created with 0 replicas, status reset
      [5, 'scale 2 0->2', 'status'], // tick 2: w=0 (VS unchanged), B scaled 0->2, weights status rewritten
      [5, 'status'], // tick 3: B's 2 pods exist, 0 available: only the counts change
      [15, 'svc c->2', 'vs 20', 'status'], // tick 4: C -> B, VS 80/20, step 0 complete
      [15, 'status'], // tick 5: CanaryPauseStep condition
      [40, 'status'], // tick 6 (after promote): pause complete
      [40, 'scale 2 2->5'], // tick 7: router keeps 20, B 2->5
      [40, 'status'], // (counts of the 3 new pods)
      [50, 'vs 50', 'status'], // tick 8: B 5/5 -> VS 50/50, index 3
      [50, 'status'], // tick 9: timed pause condition
      [110, 'status'], // tick 10: pause expired (50 + 60 s) -> index 4
      [110, 'scale 2 5->10'], // tick 11: router keeps 50, B 5->10
      [110, 'status'], // (counts)
      [120, 'vs 100', 'status'], // tick 12: VS 0/100, promotion
      [120, 'svc s->2', 'vs 0', 'status'], // tick 13: S -> B, then VS back to stable
      [120, 'deadline 1'], // tick 14: A annotated, still 10 replicas
      [150, 'scale 1 10->0'], // tick 14 + 30 s: A scaled to 0
      [150, 'status'],
    ]);
  });

  test('tick 1: only the reset (no Service, router or scaling change)', () => {
    const { cluster, tick } = ticks[0].snap;
    expect(tick.stepIndex).toBe(0);
    expect(cluster.rollout.status.currentPodHash).toBe(cluster.replicaSets[1].podTemplateHash);
    expect(tick.replicaSets).toEqual([
      { revision: 1, role: 'stable', replicas: 10, available: 10 },
      { revision: 2, role: 'canary', replicas: 0, available: 0 },
    ]);
    expect(tick.services).toEqual({ stable: 1, canary: 1 });
  });

  test('tick 2: status.canary.weights becomes {canary: 0/B/c, stable: 100/A/s}', () => {
    const { cluster } = ticks[1].snap;
    const [a, b] = cluster.replicaSets.map((rs) => rs.podTemplateHash);
    expect(cluster.rollout.status.canary?.weights).toEqual({
      canary: { weight: 0, podTemplateHash: b, serviceName: 'c' },
      stable: { weight: 100, podTemplateHash: a, serviceName: 's' },
    });
    expect(vsWeights(cluster)).toEqual({ s: 100, c: 0 });
  });

  test('tick 4: C re-pointed to B, VS s=80 c=20, step 0 complete', () => {
    const { cluster, tick } = ticks[3].snap;
    expect(selectorRevision(cluster, 'c')).toBe(2);
    expect(selectorRevision(cluster, 's')).toBe(1);
    expect(vsWeights(cluster)).toEqual({ s: 80, c: 20 });
    expect(tick.stepIndex).toBe(1);
  });

  test('tick 5: pause condition added, controllerPause set, phase Paused', () => {
    const { cluster, tick } = ticks[4].snap;
    expect(cluster.rollout.status.pauseConditions).toEqual([{ reason: 'CanaryPauseStep', startTime: 15 }]);
    expect(cluster.rollout.status.controllerPause).toBe(true);
    expect([tick.phase, tick.message, tick.paused]).toEqual(['Paused', 'CanaryPauseStep', true]);
  });

  test('ticks 6-7: promote completes the pause; at setWeight 50 the router keeps 20 while B grows', () => {
    expect(ticks[5].snap.tick.stepIndex).toBe(2);
    expect(ticks[5].snap.cluster.rollout.status.controllerPause).toBeUndefined();
    expect(vsWeights(ticks[6].snap.cluster)).toEqual({ s: 80, c: 20 });
    expect(ticks[6].snap.tick.replicaSets[1]).toEqual({ revision: 2, role: 'canary', replicas: 5, available: 2 });
  });

  test('tick 9: nothing happens before the 60 s pause expires', () => {
    const beforeExpiry = snapshots.filter((s) => s.tick.t > 50 && s.tick.t < 110);
    expect(beforeExpiry).toEqual([]);
    expect(at(snapshots, 109).tick.stepIndex).toBe(3);
  });

  test('tick 12: VS s=0 c=100 and promotion in the same tick; S still selects A', () => {
    const { cluster, tick } = ticks[13].snap;
    expect(vsWeights(cluster)).toEqual({ s: 0, c: 100 });
    expect(revisionOf(cluster, cluster.rollout.status.stableRS)).toBe(2);
    expect([tick.phase, tick.message]).toEqual(['Healthy', '']);
    expect(cluster.rollout.status.conditions?.find((c) => c.type === 'Completed')?.status).toBe('True');
    expect(selectorRevision(cluster, 's')).toBe(1);
  });

  test('tick 13: S re-pointed A -> B before the VS goes back to s=100 c=0; A untouched', () => {
    const { snap } = ticks[14];
    const kinds = snap.actions.filter((a) => a.kind === 'switchService' || (a.kind === 'setWeight' && a.updated.length > 0));
    expect(kinds.map((a) => a.kind)).toEqual(['switchService', 'setWeight']);
    expect(vsWeights(snap.cluster)).toEqual({ s: 100, c: 0 });
    expect(snap.tick.services).toEqual({ stable: 2, canary: 2 });
    expect(snap.cluster.replicaSets[0].annotations?.[ARGO_KEYS.scaleDownDeadlineAnnotation]).toBeUndefined();
  });

  test('tick 14: A gets scale-down-deadline = now + 30 s and keeps 10 replicas until then', () => {
    const { cluster, tick } = ticks[15].snap;
    expect(cluster.replicaSets[0].annotations?.[ARGO_KEYS.scaleDownDeadlineAnnotation]).toBe('1970-01-01T00:02:30Z');
    expect(tick.replicaSets[0]).toEqual({ revision: 1, role: 'old', replicas: 10, available: 10 });
    expect(at(snapshots, 149).tick.replicaSets[0].replicas).toBe(10);
    expect(at(snapshots, 150).tick.replicaSets[0]).toEqual({ revision: 1, role: 'old', replicas: 0, available: 0 });
    expect(at(snapshots, 150).cluster.replicaSets[0].annotations?.[ARGO_KEYS.scaleDownDeadlineAnnotation]).toBeUndefined();
  });
});

describe('argo-canary.md §20 abort variant (abort in the state of tick 8: VS s=50 c=50)', () => {
  const snapshots = run('worked-example.yaml', {
    podReadySeconds: 10,
    events: [UPDATE, PROMOTE, { at: 55, abort: {} }, { at: 100, retry: {} }],
  });
  const ticks = writingTicks(snapshots, 55);

  test('next tick: C back to A, VS s=100 c=0, index 0, Degraded, B annotated and kept at 5', () => {
    const { snap, writes } = ticks[0];
    expect(snap.tick.t).toBe(55);
    expect(writes).toEqual(['svc c->1', 'vs 0', 'deadline 2', 'status']);
    expect(vsWeights(snap.cluster)).toEqual({ s: 100, c: 0 });
    expect(snap.tick).toMatchObject({
      stepIndex: 0,
      phase: 'Degraded',
      message: 'RolloutAborted: Rollout aborted update to revision 2',
      services: { stable: 1, canary: 1 },
      paused: false,
      aborted: true,
    });
    expect(snap.cluster.rollout.status.pauseConditions).toBeUndefined();
    expect(snap.cluster.replicaSets[1].annotations?.[ARGO_KEYS.scaleDownDeadlineAnnotation]).toBe('1970-01-01T00:01:25Z');
    expect(snap.tick.replicaSets[1]).toEqual({ revision: 2, role: 'canary', replicas: 5, available: 5 });
  });

  test('while canary pods exist, each aborted tick patches the canary Service twice (§9 literal reading)', () => {
    expect(ticks[1].writes).toEqual(['svc c->2', 'svc c->1']);
    expect(ticks[1].snap.tick.services.canary).toBe(1);
  });

  test('B is scaled to 0 after the 30 s abort delay, not before', () => {
    expect(at(snapshots, 84).tick.replicaSets[1].replicas).toBe(5);
    expect(at(snapshots, 85).tick.replicaSets[1]).toEqual({ revision: 2, role: 'canary', replicas: 0, available: 0 });
    expect(at(snapshots, 85).tick.weights).toEqual({ canary: 0, stable: 100 });
  });

  test('retry restarts at step 0 with B scaled back to 2', () => {
    const retry = writingTicks(snapshots, 100)[0];
    expect(retry.writes).toEqual(['undeadline 2', 'scale 2 0->2', 'status']);
    expect(retry.snap.tick).toMatchObject({ stepIndex: 0, phase: 'Progressing', aborted: false });
    expect(at(snapshots, 110).tick).toMatchObject({ stepIndex: 1, weights: { canary: 20, stable: 80 }, phase: 'Paused' });
  });
});
