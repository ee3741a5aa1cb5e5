import { describe, expect, test } from 'vitest';
import type { RolloutModel } from '../../src/model/manifests';
import { parseScenario, ScenarioError } from '../../src/runtime/scenario';
import { runSimulation, SimulationError, simulate } from '../../src/runtime/simulate';
import { at, fixture, run, writingTicks } from './sim-helpers';

/** Scenario events and the tick model of `simulate`, on the §20 worked example (N = 10) unless noted. */

const UPDATE = { at: 1, update: { image: 'demo:2' } };

function withCanary(model: RolloutModel, extra: Record<string, unknown>): RolloutModel {
  const canary = model.spec.strategy.canary;
  return { ...model, spec: { ...model.spec, strategy: { canary: { ...canary, ...extra } } } };
}

describe('simulate output (design.md §5)', () => {
  const result = simulate(fixture('worked-example.yaml'), { podReadySeconds: 5, events: [UPDATE] });

  test('has exactly the documented shape', () => {
    expect(Object.keys(result)).toEqual(['rollout', 'ticks']);
    expect(result.rollout).toBe('demo');
    for (const tick of result.ticks) {
      expect(Object.keys(tick)).toEqual(['t', 'stepIndex', 'phase', 'message', 'weights', 'replicaSets', 'services', 'paused', 'aborted']);
      expect(Object.keys(tick.weights)).toEqual(['canary', 'stable']);
      expect(Object.keys(tick.services)).toEqual(['stable', 'canary']);
      for (const rs of tick.replicaSets) expect(Object.keys(rs)).toEqual(['revision', 'role', 'replicas', 'available']);
    }
  });

  test('ticks[0] is the start state: the manifests fully rolled out at revision 1, Healthy', () => {
    expect(result.ticks[0]).toEqual({
      t: 0,
      stepIndex: 4,
      phase: 'Healthy',
      message: '',
      weights: { canary: 0, stable: 100 },
      replicaSets: [{ revision: 1, role: 'stable', replicas: 10, available: 10 }],
      services: { stable: 1, canary: 1 },
      paused: false,
      aborted: false,
    });
  });

  test('time is non-decreasing and the run stops when nothing is left to happen', () => {
    const ts = result.ticks.map((t) => t.t);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    // Paused at the indefinite pause: nothing else can happen, so the trace ends there.
    expect(result.ticks[result.ticks.length - 1]).toMatchObject({ phase: 'Paused', stepIndex: 1 });
  });

  test('until bounds the run', () => {
    const bounded = simulate(fixture('worked-example.yaml'), { podReadySeconds: 5, events: [UPDATE], until: 3 });
    expect(Math.max(...bounded.ticks.map((t) => t.t))).toBe(1);
  });

  test('pods become available podReadySeconds + minReadySeconds after creation', () => {
    const model = fixture('worked-example.yaml');
    const slow = runSimulation({ ...model, spec: { ...model.spec, minReadySeconds: 5 } }, { podReadySeconds: 10, events: [UPDATE] });
    expect(at(slow, 15).tick.replicaSets[1].available).toBe(0);
    expect(at(slow, 16).tick.replicaSets[1].available).toBe(2);
  });
});

describe('scenario events', () => {
  test('scale (HPA): the scaling tick only resizes (syncReplicasOnly), later ticks use the new N', () => {
    const s = run('worked-example.yaml', {
      podReadySeconds: 5,
      events: [UPDATE, { at: 20, promote: {} }, { at: 22, scale: { replicas: 4 } }],
    });
    const [first, second] = writingTicks(s, 22);
    expect(first.writes).toEqual(['scale 1 10->4', 'status']);
    expect(first.snap.tick.stepIndex).toBe(2);
    expect(first.snap.tick.weights).toEqual({ canary: 20, stable: 80 });
    expect(second.writes).toEqual(['scale 2 5->2', 'status']); // setWeight 50 of 4 = 2
    const end = s[s.length - 1].tick;
    expect(end).toMatchObject({ phase: 'Healthy', replicaSets: [{ revision: 1, replicas: 0 }, { revision: 2, role: 'stable', replicas: 4 }] });
  });

  test('failPods on the canary: weight back to the stable in the same instant, restored when the pods recover', () => {
    const s = run('worked-example.yaml', { podReadySeconds: 5, events: [UPDATE, { at: 20, failPods: { revision: 2, count: 2 } }] });
    expect(at(s, 19).tick.weights).toEqual({ canary: 20, stable: 80 });
    expect(at(s, 20).tick).toMatchObject({ weights: { canary: 0, stable: 100 }, replicaSets: [{ available: 10 }, { available: 0 }] });
    expect(at(s, 25).tick.weights).toEqual({ canary: 20, stable: 80 });
  });

  test('failPods with a recovery time, and a revision that does not exist', () => {
    const s = run('worked-example.yaml', { podReadySeconds: 5, events: [{ at: 3, failPods: { revision: 1, count: 4, seconds: 30 } }] });
    expect(at(s, 3).tick.replicaSets[0]).toEqual({ revision: 1, role: 'stable', replicas: 10, available: 6 });
    expect(at(s, 33).tick.replicaSets[0].available).toBe(10);
    expect(() => run('worked-example.yaml', { events: [{ at: 3, failPods: { revision: 2, count: 1 } }] })).toThrow(
      new ScenarioError('scenario.events[0].failPods.revision (2) names no ReplicaSet at t=3s (revisions: 1)'),
    );
  });

  test('update back to the stable image mid-rollout: all steps skipped, the intermediate RS keeps its pods for the delay', () => {
    const s = run('worked-example.yaml', { podReadySeconds: 5, events: [UPDATE, { at: 20, update: { image: 'demo:1' } }] });
    const ticks = writingTicks(s, 20);
    expect(ticks[0].snap.tick).toMatchObject({ stepIndex: 4, phase: 'Healthy' });
    expect(ticks.map((t) => t.writes)).toEqual([['status'], ['svc c->1', 'vs 0', 'status'], ['deadline 2'], ['scale 2 2->0'], ['status']]);
    expect(ticks[3].snap.tick.t).toBe(50);
  });

  test('a second update mid-rollout: the weight leaves the superseded canary, which is scaled down without delay', () => {
    const s = run('worked-example.yaml', { podReadySeconds: 5, events: [UPDATE, { at: 20, update: { image: 'demo:3' } }] });
    expect(at(s, 19).tick.weights.canary).toBe(20);
    expect(writingTicks(s, 20).map((t) => t.writes)).toEqual([
      ['create 3', 'status'], // reset for revision 3
      ['vs 0', 'scale 3 0->2', 'status'], // revision 3 has no pod: weight 0 (v1.9: before re-pointing)
      ['status'],
      // revision 3 available: canary Service and 20 %; revision 2 is then referenced by nothing
      // (the live Service selector moved in this tick): an intermediate RS, scaled down without delay
      ['svc c->3', 'vs 20', 'scale 2 2->0', 'status'],
      ['status'], // pause condition
    ]);
  });

  test('pause (spec.paused) stops the steps; promote unpauses', () => {
    const s = run('worked-example.yaml', { podReadySeconds: 5, events: [{ at: 1, pause: {} }, UPDATE, { at: 30, promote: {} }] });
    expect(at(s, 20).tick).toMatchObject({ paused: true, phase: 'Paused', message: 'manually paused', stepIndex: 0 });
    expect(at(s, 20).tick.replicaSets[1].replicas).toBe(0);
    expect(at(s, 35).tick).toMatchObject({ stepIndex: 1, weights: { canary: 20, stable: 80 } });
  });

  test('promoteFull skips the remaining steps; without dynamicStableScale the weight stays at 20 until promotion', () => {
    const s = run('worked-example.yaml', { podReadySeconds: 5, events: [UPDATE, { at: 20, promoteFull: {} }] });
    expect(at(s, 20).tick).toMatchObject({ stepIndex: 4, weights: { canary: 20, stable: 80 } });
    expect(at(s, 20).tick.replicaSets[1].replicas).toBe(10);
    expect(at(s, 25).tick).toMatchObject({ phase: 'Healthy', weights: { canary: 0, stable: 100 }, services: { stable: 2, canary: 2 } });
  });

  test('dynamicStableScale: the stable shrinks after the weight moves; on abort the weight walks the setWeight ladder back', () => {
    const model = withCanary(fixture('worked-example.yaml'), { dynamicStableScale: true });
    const s = runSimulation(model, { podReadySeconds: 5, events: [UPDATE, { at: 20, promote: {} }, { at: 40, abort: {} }] });
    expect(at(s, 25).tick.replicaSets).toEqual([
      { revision: 1, role: 'stable', replicas: 5, available: 5 },
      { revision: 2, role: 'canary', replicas: 5, available: 5 },
    ]);
    expect([at(s, 40), at(s, 45), at(s, 50)].map((x) => x.tick.weights.canary)).toEqual([50, 20, 0]);
    expect(at(s, 50).tick).toMatchObject({ phase: 'Degraded', services: { stable: 1, canary: 1 } });
    expect(at(s, 50).tick.replicaSets[1].replicas).toBe(0);
  });

  test('dynamicStableScale at completion: the previous stable is scaled to 0 right away (no scale-down delay)', () => {
    const model = withCanary(fixture('worked-example.yaml'), { dynamicStableScale: true });
    const s = runSimulation(model, { podReadySeconds: 5, events: [UPDATE, { at: 20, promoteFull: {} }] });
    const promotedAt = s.find((x) => x.tick.replicaSets[1]?.role === 'stable')?.tick.t;
    const scaledAt = s.find((x) => x.tick.replicaSets[0].replicas === 0 && x.tick.t >= (promotedAt ?? 0))?.tick.t;
    expect(scaledAt).toBe(promotedAt);
  });

  test('setCanaryScale below the routed weight: the canary is scaled down first, the weight follows one tick later (a 503 window)', () => {
    const model = withCanary(fixture('worked-example.yaml'), {
      steps: [{ setWeight: 20 }, { setCanaryScale: { replicas: 0 } }, { pause: {} }],
    });
    const s = runSimulation(model, { podReadySeconds: 5, events: [UPDATE] });
    const i = s.findIndex((x) => x.tick.replicaSets[1]?.replicas === 0 && x.tick.t > 1);
    expect(s[i].tick).toMatchObject({ weights: { canary: 20, stable: 80 }, services: { canary: 2 } });
    expect(s[i].tick.replicaSets[1].available).toBe(0);
    expect(s[i + 1].tick.weights).toEqual({ canary: 0, stable: 100 });
  });

  test('dynamicStableScale with setCanaryScale above spec.replicas: promote --full fails on the weight Istio refuses', () => {
    const model = withCanary(fixture('worked-example.yaml'), {
      dynamicStableScale: true,
      steps: [{ setCanaryScale: { replicas: 20 } }, { pause: {} }],
    });
    expect(() => runSimulation(model, { podReadySeconds: 5, events: [UPDATE, { at: 20, promoteFull: {} }] })).toThrow(
      new SimulationError(
        'Rollout/demo: at t=20s the controller fails: VirtualService demo-vs: update refused by Istio: route weight 200 is outside 0..100 (desired canary weight 200)',
      ),
    );
  });
});

describe('basic canary (no traffic routing)', () => {
  const s = run('basic-canary.yaml', { podReadySeconds: 5, events: [{ at: 1, update: {} }, { at: 100, promote: {} }] });

  test('the weight is the share of available pods; maxSurge 1 / maxUnavailable 0 move one pod at a time', () => {
    expect(at(s, 11).tick).toMatchObject({
      phase: 'Paused',
      weights: { canary: 20, stable: 80 },
      replicaSets: [
        { revision: 1, role: 'stable', replicas: 8 },
        { revision: 2, role: 'canary', replicas: 2 },
      ],
    });
    for (const snap of s) {
      const total = snap.tick.replicaSets.reduce((sum, rs) => sum + rs.replicas, 0);
      const available = snap.tick.replicaSets.reduce((sum, rs) => sum + rs.available, 0);
      expect(total).toBeLessThanOrEqual(11);
      expect(available).toBeGreaterThanOrEqual(10);
    }
  });

  test('ends Healthy with the old ReplicaSet at 0 and no delay', () => {
    expect(s[s.length - 1].tick).toMatchObject({
      phase: 'Healthy',
      weights: { canary: 0, stable: 100 },
      replicaSets: [
        { revision: 1, role: 'old', replicas: 0 },
        { revision: 2, role: 'stable', replicas: 10 },
      ],
    });
  });
});

describe('parseScenario', () => {
  test('accepts the documented shape', () => {
    expect(
      parseScenario({
        replicas: 4,
        podReadySeconds: 10,
        until: 600,
        events: [
          { at: 0, update: { image: 'x:2' } },
          { at: 30, promote: {} },
          { at: 40, failPods: { revision: 2, count: 1 } },
          { at: 50, scale: { replicas: 8 } },
          { at: 60, promoteFull: null },
        ],
      }),
    ).toEqual({
      replicas: 4,
      podReadySeconds: 10,
      until: 600,
      events: [
        { at: 0, update: { image: 'x:2' } },
        { at: 30, promote: {} },
        { at: 40, failPods: { revision: 2, count: 1 } },
        { at: 50, scale: { replicas: 8 } },
        { at: 60, promoteFull: {} },
      ],
    });
  });

  test.each([
    [[], 'scenario ([]) must be an object with replicas, podReadySeconds, events, until'],
    [{ replica: 3 }, 'scenario.replica is not a scenario field (valid: replicas, podReadySeconds, events, until)'],
    [{ replicas: -1 }, 'scenario.replicas (-1) must be an integer >= 0'],
    [{ podReadySeconds: 'fast' }, 'scenario.podReadySeconds ("fast") must be a number >= 0'],
    [{ events: {} }, 'scenario.events ({}) must be a list of events'],
    [{ events: [{ promote: {} }] }, 'scenario.events[0].at (null) must be a number >= 0'],
    [
      { events: [{ at: 5, promote: {}, abort: {} }] },
      'scenario.events[0] ({"at":5,"promote":{},"abort":{}}) must have "at" and exactly one of: update, promote, promoteFull, abort, retry, pause, scale, failPods, analysis, restart',
    ],
    [{ events: [{ at: 5, rollback: {} }] }, 'scenario.events[0] ({"at":5,"rollback":{}}) must have "at" and exactly one of: update, promote, promoteFull, abort, retry, pause, scale, failPods, analysis, restart'],
    [{ events: [{ at: 5, scale: { replicas: 2.5 } }] }, 'scenario.events[0].scale.replicas (2.5) must be an integer >= 0'],
    [{ events: [{ at: 5, failPods: { revision: 2 } }] }, 'scenario.events[0].failPods.count (null) must be an integer >= 1'],
    [{ events: [{ at: 5, update: { image: '' } }] }, 'scenario.events[0].update.image ("") must be a non-empty string'],
    // issue 20 #13: what the CRD cannot hold (spec.replicas is an int32)
    [{ replicas: 2147483648 }, 'scenario.replicas (2147483648) must be at most 2147483647 (spec.replicas is an int32 in the Rollout CRD)'],
    [{ events: [{ at: 5, scale: { replicas: 2 ** 40 } }] }, 'scenario.events[0].scale.replicas (1099511627776) must be at most 2147483647 (spec.replicas is an int32 in the Rollout CRD)'],
  ])('rejects %j', (input, message) => {
    expect(() => parseScenario(input)).toThrow(new ScenarioError(message));
  });
});
