import { describe, expect, test } from 'vitest';
import { plan, planBySimulation } from '../../src/runtime/plan';
import { runSimulation } from '../../src/runtime/simulate';
import { fixture } from './sim-helpers';

describe('plan of the article profiles at 10 replicas', () => {
  test('automatic: canary pods 2,2,2,3,...,10,10 with stable 10 throughout (minPodsPerReplicaSet 2)', () => {
    const result = plan(fixture('article-automatic.yaml'), { replicas: 10 });
    expect(result.rollout).toBe('my-app-rollout');
    expect(result.replicas).toBe(10);
    expect(result.rows.map((r) => r.canaryReplicas)).toEqual([2, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10]);
    expect(result.rows.map((r) => r.stableReplicas)).toEqual(Array(12).fill(10));
    expect(result.rows.map((r) => r.canaryWeight)).toEqual([1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 100]);
    expect(result.rows.every((r) => r.canaryWeight + r.stableWeight === 100)).toBe(true);
    expect(result.rows.map((r) => r.podsAdded)).toEqual([2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(result.rows.map((r) => r.totalPods)).toEqual([12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 20, 20]);
    expect(result.rows[0]).toEqual({
      step: 0,
      action: 'setWeight: 1',
      canaryWeight: 1,
      stableWeight: 99,
      canaryReplicas: 2,
      stableReplicas: 10,
      totalPods: 12,
      podsAdded: 2,
      pause: null,
    });
    expect(result.rows[11]).toMatchObject({ step: 11, action: 'pause: 15s', pause: '15s' });
  });

  test('manual: setCanaryScale matchTrafficWeight at weight 0 scales the 2 canary pods down to 0, setWeight 1 brings 2 back', () => {
    const rows = plan(fixture('article-manual.yaml'), { replicas: 10 }).rows;
    expect(rows.map((r) => [r.action, r.canaryWeight, r.canaryReplicas, r.totalPods, r.podsAdded, r.pause])).toEqual([
      ['setCanaryScale{replicas: 2}', 0, 2, 12, 2, null],
      ['pause', 0, 2, 12, 0, 'indefinite'],
      ['setCanaryScale{matchTrafficWeight: true}', 0, 0, 10, 0, null],
      ['setWeight: 1', 1, 2, 12, 2, null],
      ['pause', 1, 2, 12, 0, 'indefinite'],
      ['setWeight: 10', 10, 2, 12, 0, null],
      ['pause', 10, 2, 12, 0, 'indefinite'],
      ['setWeight: 30', 30, 3, 13, 1, null],
      ['setWeight: 50', 50, 5, 15, 2, null],
      ['pause', 50, 5, 15, 0, 'indefinite'],
      ['setWeight: 70', 70, 7, 17, 2, null],
      ['setWeight: 90', 90, 9, 19, 2, null],
      ['setWeight: 100', 100, 10, 20, 1, null],
      ['pause: 15s', 100, 10, 20, 0, '15s'],
    ]);
    expect(rows.every((r) => r.stableReplicas === 10)).toBe(true);
  });

  test('without --replicas the HPA minReplicas is used (the article Rollout has no spec.replicas)', () => {
    const result = plan(fixture('article-automatic.yaml'));
    expect(result.replicas).toBe(2);
    expect(result.rows.map((r) => r.canaryReplicas)).toEqual(Array(12).fill(2));
  });
});

describe('plan and simulate cannot disagree', () => {
  test('each plan row equals the simulate state at the tick its step completed, whatever the pod timing', () => {
    const model = fixture('worked-example.yaml');
    const rows = plan(model).rows;
    const trace = runSimulation(model, {
      podReadySeconds: 7,
      events: [
        { at: 3, update: { image: 'demo:2' } },
        { at: 100, promote: {} },
      ],
    });
    rows.forEach((row) => {
      const done = trace.find((s) => s.tick.stepIndex !== null && s.tick.stepIndex > row.step && s.tick.t >= 3);
      expect(done, `step ${row.step} completes in the simulation`).toBeDefined();
      const canary = done?.tick.replicaSets.find((rs) => rs.role === 'canary');
      const stable = done?.tick.replicaSets.find((rs) => rs.role === 'stable');
      expect([row.canaryWeight, row.stableWeight, row.canaryReplicas, row.stableReplicas]).toEqual([
        done?.tick.weights.canary,
        done?.tick.weights.stable,
        canary?.replicas,
        stable?.replicas,
      ]);
    });
    expect(rows.map((r) => [r.action, r.canaryWeight, r.canaryReplicas])).toEqual([
      ['setWeight: 20', 20, 2],
      ['pause', 20, 2],
      ['setWeight: 50', 50, 5],
      ['pause: 60', 50, 5],
    ]);
  });

  test('spec.paused in the manifests (a migration in progress) does not stop the plan', () => {
    const model = fixture('worked-example.yaml');
    const paused = { ...model, spec: { ...model.spec, paused: true } };
    expect(plan(paused).rows).toEqual(plan(model).rows);
  });
});

describe('the plan carries what its readers need (issue 16)', () => {
  test('minPodsPerReplicaSet as written, and the steps its rows index, from both planners', () => {
    const model = fixture('article-automatic.yaml');
    const steps = model.spec.strategy.canary?.steps ?? [];
    for (const result of [plan(model, { replicas: 10 }), planBySimulation(model, { replicas: 10 })]) {
      expect(result.minPodsPerReplicaSet).toBe(2);
      expect(result.steps).toEqual(steps);
      expect(result.rows.map((r) => result.steps[r.step])).toEqual(steps);
    }
  });

  test('an absent minPodsPerReplicaSet reads as 1, the floor a non-zero canary count has anyway', () => {
    const model = fixture('article-automatic.yaml');
    const canary = model.spec.strategy.canary!;
    const without = { ...model, spec: { ...model.spec, strategy: { canary: { ...canary, minPodsPerReplicaSet: undefined } } } };
    expect(plan(without, { replicas: 10 }).minPodsPerReplicaSet).toBe(1);
    expect(planBySimulation(without, { replicas: 10 }).minPodsPerReplicaSet).toBe(1);
  });
});
