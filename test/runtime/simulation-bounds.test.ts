import { describe, expect, test } from 'vitest';
import { readManifests, ManifestError, type RolloutModel } from '../../src/model/manifests';
import { plan, planBySimulation } from '../../src/runtime/plan';
import { MAX_SIMULATED_REPLICAS, reconcileBudget, simulate, SimulationError } from '../../src/runtime/simulate';

/** A basic canary (no traffic routing): maxSurge 0 / maxUnavailable 1 moves one pod per reconcile. */
function basicCanary(replicas: number | string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: basic}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: basic}}
  template:
    metadata: {labels: {app: basic}}
    spec: {containers: [{name: app, image: "basic:1"}]}
  strategy:
    canary:
      maxSurge: 0
      maxUnavailable: 1
      steps: [{setWeight: 1}, {pause: {}}, {setWeight: 50}, {pause: {duration: 30}}]
`;
}

describe('the reconcile bound scales with the work (issue 20 #8)', () => {
  test('a 100-replica canary moving one pod at a time completes in one instant (200 fixed reconciles did not)', () => {
    const model = readManifests(basicCanary(100));
    const result = plan(model);
    expect(result.rows.map((r) => [r.canaryReplicas, r.stableReplicas, r.podsAdded])).toEqual([
      [1, 99, 1],
      [1, 99, 0],
      [50, 50, 49],
      [50, 50, 0],
    ]);
    // A full promotion with pods ready at once: the 99 remaining pods move in the one instant t=1.
    const run = simulate(model, { events: [{ at: 0, update: {} }, { at: 1, promoteFull: {} }] });
    expect([...new Set(run.ticks.map((tick) => tick.t))]).toEqual([0, 1]);
    const last = run.ticks.at(-1);
    expect(last?.phase).toBe('Healthy');
    expect(last?.replicaSets.filter((rs) => rs.replicas > 0).map((rs) => [rs.revision, rs.role, rs.replicas])).toEqual([[2, 'stable', 100]]);
  });

  test('at the simulator bound the same update still completes', () => {
    const result = planBySimulation(readManifests(basicCanary(MAX_SIMULATED_REPLICAS)));
    expect(result.rows.map((r) => r.canaryReplicas)).toEqual([20, 20, 1000, 1000]);
  }, 120_000);

  test('the budget: a base, four reconciles per pod and ten per step', () => {
    expect(reconcileBudget(100, 0, 4)).toBe(200 + 400 + 40);
    expect(reconcileBudget(10, 300, 0)).toBe(200 + 1200);
  });
});

describe('replica counts are bounded (issue 20 #13)', () => {
  const model: RolloutModel = readManifests(basicCanary(10));

  test('the simulator refuses more replicas than it models, naming the bound, why and what to do', () => {
    const message =
      `Rollout/basic: replicas (20000000) is above the ${MAX_SIMULATED_REPLICAS} replicas the simulator models (it keeps every pod, so time and memory ` +
      'grow with the square of the replicas); plan or simulate at 2000 or fewer (--replicas, scenario replicas): the step proportions are the same';
    expect(() => simulate(model, { replicas: 20_000_000, events: [] })).toThrow(new SimulationError(message));
    expect(() => simulate(model, { events: [{ at: 5, scale: { replicas: 2001 } }] })).toThrow(
      new SimulationError(
        `Rollout/basic: scenario.events[0].scale.replicas (2001) is above the ${MAX_SIMULATED_REPLICAS} replicas the simulator models (it keeps every pod, so time and memory ` +
          'grow with the square of the replicas); plan or simulate at 2000 or fewer (--replicas, scenario replicas): the step proportions are the same',
      ),
    );
    expect(() => plan(readManifests(basicCanary(5000)))).toThrow(/^Rollout\/basic: spec\.replicas \(5000\) is above the 2000 replicas the simulator models/);
  });

  test('the reader refuses what the CRD cannot hold (int32, and less: weight * replicas must fit in 32 bits)', () => {
    expect(() => readManifests(basicCanary(2147483648))).toThrow(ManifestError);
    expect(() => readManifests(basicCanary(2147483648))).toThrow(/^Rollout\/basic: spec\.replicas \(2147483648\) must be at most /);
    expect(readManifests(basicCanary(2000)).spec.replicas).toBe(2000);
  });
});
