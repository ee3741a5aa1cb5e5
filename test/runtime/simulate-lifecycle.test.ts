import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { reconcile } from '../../src/runtime/reconcile';
import { readManifests } from '../../src/model/manifests';
import { parseScenario, type Scenario, ScenarioError } from '../../src/runtime/scenario';
import { runSimulation, type SimulationSnapshot } from '../../src/runtime/simulate';
import { at, FIXTURES } from './sim-helpers';

/**
 * `simulate` through restart (upstream e2e TestRolloutRestart / TestRolloutPDBRestart,
 * argo-canary.md §12), workloadRef.scaleDown (TestScaleDownOnSuccess / TestScaleDownProgressively /
 * TestScaleDownProgressivelyCompletedCanary / TestNeverScaleDown, §16), progress deadlines (§13)
 * and rollbackWindow (§4). The Deployment's replicas are read from the full cluster state.
 */

function rolloutYaml(name: string, extraSpec = '', canary = '', steps = '- setWeight: 25\n        - pause: {}'): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: ${name}
spec:
  replicas: 4
${extraSpec}  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: app
          image: nginx:1.19-alpine
  strategy:
    canary:
      maxUnavailable: 75%
${canary}      steps:
        ${steps}
`;
}

function sim(text: string, scenario: Scenario): SimulationSnapshot[] {
  return runSimulation(readManifests({ text, file: 'test.yaml' }), scenario);
}

/** ExpectReplicaCounts(desired, current, updated, ready, available) of the e2e tests. */
function counts(s: SimulationSnapshot): number[] {
  const { spec, status } = s.cluster.rollout;
  return [spec.replicas ?? 1, status.replicas ?? 0, status.updatedReplicas ?? 0, status.readyReplicas ?? 0, status.availableReplicas ?? 0];
}

describe('e2e TestRolloutRestart: 4 replicas, maxUnavailable 75 %, restart while paused mid-canary', () => {
  const s = sim(rolloutYaml('rollout-restart'), {
    podReadySeconds: 10,
    events: [
      { at: 5, update: {} },
      { at: 30, restart: {} },
    ],
  });

  test('before the restart: Paused at the 25 % step with 3 stable + 1 canary pod', () => {
    const before = at(s, 29);
    expect([before.tick.phase, before.tick.stepIndex]).toEqual(['Paused', 1]);
    expect(counts(before)).toEqual([4, 4, 1, 4, 4]);
  });

  test('§12 right after the restart: counts (4, 4, 1, 1, 1): the 3 stable pods were evicted at once, replacements not ready', () => {
    expect(counts(at(s, 30))).toEqual([4, 4, 1, 1, 1]);
    expect(at(s, 30).tick.replicaSets.map((r) => [r.revision, r.role, r.replicas, r.available])).toEqual([
      [1, 'stable', 3, 0],
      [2, 'canary', 1, 1],
    ]);
  });

  test('§2 b the eviction tick writes nothing else (no status)', () => {
    const evictions = s.filter((x) => x.actions.some((a) => a.kind === 'evictPod'));
    expect(evictions.map((x) => [x.tick.t, x.actions.filter((a) => a.kind === 'evictPod').length])).toEqual([
      [30, 3],
      [40, 1],
    ]);
    for (const x of evictions) expect(x.actions.filter((a) => a.kind !== 'evictPod' && a.kind !== 'event')).toEqual([]);
  });

  test('§12 the old canary pod goes once the stable pods are back (t=40); restartedAt is set when every pod is newer', () => {
    expect(counts(at(s, 40))).toEqual([4, 4, 1, 3, 3]);
    expect(at(s, 40).cluster.rollout.status.restartedAt).toBe('1970-01-01T00:00:30Z');
    expect(at(s, 39).cluster.rollout.status.restartedAt).toBeUndefined();
    const end = at(s, 50);
    expect(counts(end)).toEqual([4, 4, 1, 4, 4]);
    expect(end.cluster.pods?.every((p) => p.createdAt >= 30)).toBe(true);
    expect(end.tick.phase).toBe('Paused');
  });
});

describe('restart scenario event and manifests with spec.restartAt', () => {
  test('restart: {in: 20} restarts 20 s later (restart --in 20s): the controller is requeued at restartAt', () => {
    const s = sim(rolloutYaml('rollout-restart'), { podReadySeconds: 5, events: [{ at: 10, restart: { in: 20 } }] });
    expect(s.find((x) => x.actions.some((a) => a.kind === 'evictPod'))?.tick.t).toBe(30);
    expect(at(s, 10).cluster.rollout.spec.restartAt).toBe('1970-01-01T00:00:30Z');
    expect([at(s, 10).tick.phase, at(s, 10).tick.message]).toEqual(['Progressing', 'rollout is restarting']);
  });

  test('a spec.restartAt already in the manifests counts as done: the start is Healthy, not restarting', () => {
    const text = rolloutYaml('rollout-restart', '  restartAt: "2024-01-01T00:00:00Z"\n');
    const s = sim(text, { podReadySeconds: 5, events: [{ at: 10, update: {} }] });
    expect([s[0].tick.phase, s[0].cluster.rollout.status.restartedAt]).toEqual(['Healthy', '2024-01-01T00:00:00Z']);
    expect(s.some((x) => x.actions.some((a) => a.kind === 'evictPod'))).toBe(false);
  });

  test.each([
    [{ events: [{ at: 5, restart: { in: 30 } }] }, { events: [{ at: 5, restart: { in: 30 } }] }],
    [{ events: [{ at: 5, restart: {} }] }, { events: [{ at: 5, restart: {} }] }],
  ])('parseScenario accepts %j', (input, want) => {
    expect(parseScenario(input)).toEqual(want);
  });

  test.each([
    [{ events: [{ at: 5, restart: { in: -1 } }] }, 'scenario.events[0].restart.in (-1) must be a number >= 0'],
    [{ events: [{ at: 5, restart: { delay: 5 } }] }, 'scenario.events[0].restart.delay is not a restart field (valid: in)'],
  ])('parseScenario rejects %j', (input, message) => {
    expect(() => parseScenario(input)).toThrow(new ScenarioError(message));
  });
});

describe('e2e TestRolloutPDBRestart: a PDB with minAvailable 4 blocks the restart', () => {
  const text = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: rollout-pdb-restart
spec:
  minAvailable: 4
  selector:
    matchLabels:
      app: rollout-pdb-restart
---
${rolloutYaml('rollout-pdb-restart')}`;
  const s = sim(text, { podReadySeconds: 10, events: [{ at: 10, restart: {} }], until: 200 });

  test('§12 availability stays 4, no pod is evicted, the controller retries every 30 s (restartPodCheckTime)', () => {
    for (const x of s) expect(x.cluster.rollout.status.availableReplicas).toBe(4);
    expect(s.some((x) => x.actions.some((a) => a.kind === 'evictPod'))).toBe(false);
    const retries = s.filter((x) => x.actions.some((a) => a.kind === 'evictionRefused')).map((x) => x.tick.t);
    expect([...new Set(retries)]).toEqual([10, 40, 70, 100, 130, 160, 190]);
  });

  test('§13 the Rollout shows Progressing "rollout is restarting" and restartedAt stays unset', () => {
    const end = s[s.length - 1];
    expect([end.tick.phase, end.tick.message]).toEqual(['Progressing', 'rollout is restarting']);
    expect(end.cluster.rollout.status.restartedAt).toBeUndefined();
  });

  test('§12 after deleting the PDB the restart proceeds (3 evictions, maxUnavailable 75 %)', () => {
    const last = s[s.length - 1];
    const result = reconcile({ ...last.cluster, pdbs: [] }, 220);
    expect(result.actions.filter((a) => a.kind === 'evictPod')).toHaveLength(3);
  });
});

/** A Deployment with 3 pods and a Rollout referencing it (workloadRef). */
function workloadYaml(scaleDown: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: wl-dep
spec:
  replicas: 3
  selector:
    matchLabels:
      app: wl
  template:
    metadata:
      labels:
        app: wl
    spec:
      containers:
        - name: app
          image: nginx:1.19-alpine
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: wl
spec:
  replicas: 3
  workloadRef:
    apiVersion: apps/v1
    kind: Deployment
    name: wl-dep
    scaleDown: ${scaleDown}
  strategy:
    canary:
      steps:
        - setWeight: 50
        - pause: {duration: 10}
`;
}

/** [t, Deployment replicas] every time they change. */
function deploymentReplicas(s: readonly SimulationSnapshot[]): [number, number | undefined][] {
  const out: [number, number | undefined][] = [];
  for (const x of s) {
    const replicas = x.cluster.workload?.replicas;
    if (out.length === 0 || out[out.length - 1][1] !== replicas) out.push([x.tick.t, replicas]);
  }
  return out;
}

describe('workloadRef.scaleDown (§16)', () => {
  test('e2e TestScaleDownOnSuccess: the migration starts at the Rollout\'s creation; the Deployment goes to 0 once the Rollout is Healthy', () => {
    const s = sim(workloadYaml('onsuccess'), { podReadySeconds: 5 });
    expect(s[0].cluster.replicaSets).toEqual([]);
    expect(deploymentReplicas(s)).toEqual([
      [0, 3],
      [5, 0],
    ]);
    const scaled = s.findIndex((x) => x.actions.some((a) => a.kind === 'scaleWorkload'));
    expect(s[scaled - 1].tick.phase).toBe('Healthy');
  });

  test('e2e TestScaleDownProgressively: the Deployment shrinks as Rollout pods become ready (spec.replicas - ready), then 0 at Healthy', () => {
    // Pods come up 2 s apart (an HPA raises spec.replicas 1 -> 2 -> 3), so readiness is staggered.
    const s = sim(workloadYaml('progressively'), {
      replicas: 1,
      podReadySeconds: 5,
      events: [
        { at: 2, scale: { replicas: 2 } },
        { at: 4, scale: { replicas: 3 } },
      ],
    });
    expect(deploymentReplicas(s)).toEqual([
      [0, 3],
      [5, 2],
      [7, 1],
      [9, 0],
    ]);
    expect(at(s, 9).tick.phase).toBe('Healthy');
  });

  test('e2e TestScaleDownProgressivelyCompletedCanary: after the migration the Deployment stays at 0 through an HPA scale to 8 and a canary update', () => {
    const s = sim(workloadYaml('progressively'), {
      podReadySeconds: 5,
      events: [
        { at: 20, scale: { replicas: 8 } },
        { at: 40, update: {} },
      ],
    });
    expect(deploymentReplicas(s)).toEqual([
      [0, 3],
      [5, 0],
    ]);
    const end = s[s.length - 1];
    expect(end.tick.phase).toBe('Healthy');
    expect(end.tick.replicaSets.find((r) => r.role === 'stable')).toMatchObject({ revision: 2, replicas: 8 });
  });

  test('e2e TestNeverScaleDown: the Deployment keeps its replicas through a whole update (the start is the rolled-out Rollout)', () => {
    const s = sim(workloadYaml('never'), { podReadySeconds: 5, events: [{ at: 10, update: {} }] });
    expect(s[0].tick.phase).toBe('Healthy');
    expect(deploymentReplicas(s)).toEqual([[0, 3]]);
    expect(s[s.length - 1].tick.replicaSets.find((r) => r.role === 'stable')?.revision).toBe(2);
  });
});

describe('progress deadline (§13) on the §20 worked example, pods ready after 100 s, progressDeadlineSeconds 60', () => {
  const base = readFileSync(join(FIXTURES, 'worked-example.yaml'), 'utf8');
  const withSpec = (extra: string): string => base.replace('  replicas: 10\n', `  replicas: 10\n${extra}`);
  const scenario: Scenario = { podReadySeconds: 100, events: [{ at: 5, update: { image: 'demo:2' } }] };

  test('Degraded ProgressDeadlineExceeded at 5 + 60 while the canary pods start; Progressing again when they are available (t=105)', () => {
    const s = sim(withSpec('  progressDeadlineSeconds: 60\n'), scenario);
    expect([at(s, 64).tick.phase, at(s, 64).tick.message]).toEqual(['Progressing', 'more replicas need to be updated']);
    expect([at(s, 65).tick.phase, at(s, 65).tick.message]).toEqual(['Degraded', 'ProgressDeadlineExceeded: ReplicaSet "demo-' + hashOf(at(s, 65)) + '" has timed out progressing.']);
    expect(at(s, 65).tick.aborted).toBe(false);
    expect(at(s, 105).tick).toMatchObject({ phase: 'Paused', stepIndex: 1, weights: { canary: 20, stable: 80 } });
  });

  test('progressDeadlineAbort: the timeout aborts; the canary is scaled down after abortScaleDownDelaySeconds (30 s)', () => {
    const s = sim(withSpec('  progressDeadlineSeconds: 60\n  progressDeadlineAbort: true\n'), scenario);
    expect(at(s, 65).tick).toMatchObject({ phase: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 2', aborted: true, stepIndex: 0 });
    expect(at(s, 94).tick.replicaSets[1]).toMatchObject({ revision: 2, replicas: 2 });
    expect(at(s, 95).tick.replicaSets[1]).toMatchObject({ revision: 2, replicas: 0 });
    expect(s[s.length - 1].tick.weights).toEqual({ canary: 0, stable: 100 });
  });

  test('the default deadline (600 s) is not reached: no Degraded tick', () => {
    const s = sim(base, scenario);
    expect(s.some((x) => x.tick.phase === 'Degraded')).toBe(false);
  });
});

function hashOf(s: SimulationSnapshot): string {
  return s.cluster.rollout.status.currentPodHash ?? '';
}

describe('rollbackWindow (§4) on the §20 worked example, revisions 2', () => {
  const text = readFileSync(join(FIXTURES, 'worked-example.yaml'), 'utf8').replace('  replicas: 10\n', '  replicas: 10\n  rollbackWindow:\n    revisions: 2\n');
  // revisions 2 and 3 promoted in turn, then the template goes back to revision 2
  const rollBackToTwo = {
    podReadySeconds: 10,
    events: [
      { at: 5, update: { image: 'demo:2' } },
      { at: 6, promoteFull: {} },
      { at: 100, update: { image: 'demo:3' } },
      { at: 101, promoteFull: {} },
      { at: 200, update: { image: 'demo:2' } },
    ],
  };
  const s = sim(text, rollBackToTwo);

  test('back to revision 2 (older than the stable revision 3): the steps are skipped and it is promoted as soon as it is available', () => {
    const after = s.filter((x) => x.tick.t >= 200 && x.tick.t < 210);
    expect(after.some((x) => x.tick.phase === 'Paused')).toBe(false);
    expect(at(s, 200).tick.stepIndex).toBe(4);
    expect(at(s, 210).tick).toMatchObject({ phase: 'Healthy', services: { stable: 2, canary: 2 }, weights: { canary: 0, stable: 100 } });
  });

  test('without a window the same rollback runs the steps (stops at the pause of step 1)', () => {
    const plain = sim(readFileSync(join(FIXTURES, 'worked-example.yaml'), 'utf8'), rollBackToTwo);
    expect(at(plain, 210).tick).toMatchObject({ phase: 'Paused', stepIndex: 1 });
  });
});
