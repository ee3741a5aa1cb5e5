import { describe, expect, test } from 'vitest';
import { progressing } from './function-fixtures';
import { type ClusterState, type ControllerAction, formatTimestamp, type PdbState, type PodState, type WorkloadState } from '../../src/runtime/cluster-state';
import { ARGO_KEYS } from '../../src/model/argo-defaults';
import { MULTIPLE_BUDGETS } from '../../src/runtime/disruption-budget';
import { findCondition } from '../../src/runtime/progress-deadline';
import { computeStepHash, reconcile } from '../../src/runtime/reconcile';
import type { CanaryStep, ReplicaSetState, RolloutSpec, RolloutStatus } from '../../src/runtime/types';

/**
 * One controller tick for the behaviours around the steps: restart (argo-canary.md §2 step b,
 * §12), progress deadlines (§13), workloadRef.scaleDown (§16) and rollbackWindow (§4). Basic
 * canary (no traffic routing) unless a case says otherwise; hashes A = revision 1, B = 2, C = 3.
 */

const REV: Record<string, number> = { A: 1, B: 2, C: 3 };
const STEPS: CanaryStep[] = [{ setWeight: 25 }, { pause: {} }];

interface RS {
  readonly hash: string;
  readonly spec: number;
  readonly available?: number;
}

interface Setup {
  readonly replicas?: number;
  readonly spec?: Partial<RolloutSpec>;
  readonly maxUnavailable?: number | string;
  readonly template: string;
  readonly status: RolloutStatus;
  readonly rss: readonly RS[];
  /** Pods: per hash, creation times (available unless listed in `unavailable`). */
  readonly pods?: Readonly<Record<string, readonly number[]>>;
  readonly pdbs?: readonly PdbState[];
  readonly workload?: WorkloadState;
}

function rsState(r: RS, n: number): ReplicaSetState {
  return {
    name: `ro-${r.hash}`,
    podTemplateHash: r.hash,
    revision: REV[r.hash],
    specReplicas: r.spec,
    statusReplicas: r.spec,
    availableReplicas: r.available ?? r.spec,
    annotations: { [ARGO_KEYS.revisionAnnotation]: String(REV[r.hash]), [ARGO_KEYS.desiredReplicasAnnotation]: String(n) },
  };
}

function build(s: Setup): ClusterState {
  const n = s.replicas ?? 4;
  const canary = { steps: STEPS, maxUnavailable: s.maxUnavailable ?? '75%' };
  const pods: PodState[] = [];
  for (const r of s.rss) {
    (s.pods?.[r.hash] ?? []).forEach((createdAt, i) => {
      const available = i < (r.available ?? r.spec);
      pods.push({ name: `ro-${r.hash}-${i}`, replicaSet: `ro-${r.hash}`, createdAt, ready: available, available, labels: { app: 'ro' } });
    });
  }
  return {
    rollout: {
      metadata: { name: 'ro', annotations: { [ARGO_KEYS.revisionAnnotation]: String(REV[s.template]) } },
      spec: { replicas: n, strategy: { canary }, ...s.spec },
      status: { currentStepHash: computeStepHash(canary), ...s.status },
    },
    templateHash: s.template,
    replicaSets: s.rss.map((r) => rsState(r, n)),
    services: {},
    virtualServices: [],
    ...(s.pods ? { pods } : {}),
    ...(s.pdbs ? { pdbs: s.pdbs } : {}),
    ...(s.workload ? { workload: s.workload } : {}),
  };
}

/** Compact writes: `evict ro-A-0`, `scale B 0->1`, `deployment 5->3`, `status`. */
function writes(actions: readonly ControllerAction[]): string[] {
  return actions.flatMap((a): string[] => {
    switch (a.kind) {
      case 'evictPod':
        return [`evict ${a.pod}`];
      case 'evictionRefused':
        return [`refused ${a.pod}`];
      case 'scaleReplicaSet':
        return [`scale ${a.replicaSet.replace('ro-', '')} ${a.from}->${a.to}`];
      case 'scaleWorkload':
        return [`deployment ${a.from}->${a.to}`];
      case 'createReplicaSet':
        return [`create ${a.replicaSet.replace('ro-', '')}`];
      case 'updateStatus':
        return ['status'];
      default:
        return [];
    }
  });
}

/** Paused at step 1 with 3 stable + 1 canary pod, all created at t=0 (TestRolloutRestart's state). */
const PAUSED_MID: Setup = {
  template: 'B',
  status: {
    stableRS: 'A',
    currentPodHash: 'B',
    currentStepIndex: 1,
    pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 5 }],
    controllerPause: true,
    phase: 'Paused',
    conditions: [progressing('RolloutPaused', 5, 'Unknown')],
  },
  rss: [
    { hash: 'A', spec: 3 },
    { hash: 'B', spec: 1 },
  ],
  pods: { A: [0, 0, 0], B: [1] },
};

describe('reconcile: restart (§2 b, §12)', () => {
  test('§2 b: evictions end the tick: no status write, no scaling (B would otherwise be scaled for the step)', () => {
    const setup: Setup = {
      ...PAUSED_MID,
      spec: { restartAt: formatTimestamp(30) },
      status: { ...PAUSED_MID.status, currentStepIndex: 0, pauseConditions: undefined, controllerPause: undefined },
      rss: [
        { hash: 'A', spec: 4 },
        { hash: 'B', spec: 0 },
      ],
      pods: { A: [0, 0, 0, 0] },
    };
    const input = build(setup);
    const result = reconcile(input, 30);
    expect(writes(result.actions)).toEqual(['evict ro-A-0', 'evict ro-A-1', 'evict ro-A-2']);
    expect(result.state.rollout.status).toBe(input.rollout.status);
    expect(result.state.pods?.map((p) => p.name)).toEqual(['ro-A-3']);
    expect(result.changed).toBe(true);
    expect(result.recheckAt).toContain(60);
  });

  test('§12 e2e TestRolloutRestart: paused at the 25 % step, 4 replicas, maxUnavailable 75 %: the 3 stable pods go first', () => {
    const result = reconcile(build({ ...PAUSED_MID, spec: { restartAt: formatTimestamp(30) } }), 30);
    expect(writes(result.actions)).toEqual(['evict ro-A-0', 'evict ro-A-1', 'evict ro-A-2']);
  });

  test('§12 nothing may go (3 pods being replaced): the tick goes on as usual and restartedAt stays unset; phase still Paused first', () => {
    const setup: Setup = { ...PAUSED_MID, spec: { restartAt: formatTimestamp(30) }, rss: [{ hash: 'A', spec: 3, available: 0 }, { hash: 'B', spec: 1 }], pods: { A: [30, 30, 30], B: [1] } };
    const result = reconcile(build(setup), 31);
    expect(writes(result.actions)).toEqual(['status']);
    expect(result.state.rollout.status.restartedAt).toBeUndefined();
    expect(result.state.rollout.status.phase).toBe('Paused');
    expect(result.recheckAt).toContain(61);
  });

  test('§12 every pod newer than restartAt: status.restartedAt := spec.restartAt, phase leaves "rollout is restarting"', () => {
    const setup: Setup = {
      template: 'A',
      spec: { restartAt: formatTimestamp(30) },
      status: { stableRS: 'A', currentPodHash: 'A', currentStepIndex: 2, phase: 'Progressing', message: 'rollout is restarting' },
      rss: [{ hash: 'A', spec: 4 }],
      pods: { A: [30, 30, 45, 50] },
    };
    const result = reconcile(build(setup), 60);
    expect(writes(result.actions)).toEqual(['status']);
    expect(result.state.rollout.status.restartedAt).toBe('1970-01-01T00:00:30Z');
    expect([result.state.rollout.status.phase, result.state.rollout.status.message]).toEqual(['Healthy', '']);
  });

  /** A healthy Rollout at revision A with a restart due at 30 s and a PDB that allows no eviction. */
  const RESTART_BLOCKED_BY_PDB: Setup = {
    template: 'A',
    spec: { restartAt: formatTimestamp(30) },
    status: { stableRS: 'A', currentPodHash: 'A', currentStepIndex: 2 },
    rss: [{ hash: 'A', spec: 4 }],
    pods: { A: [0, 0, 0, 0] },
    pdbs: [{ name: 'pdb', matchLabels: { app: 'ro' }, minAvailable: 4 }],
  };

  test('§12 restart pending on a healthy Rollout: phase Progressing "rollout is restarting" (§13)', () => {
    const result = reconcile(build(RESTART_BLOCKED_BY_PDB), 30);
    // A refusal uses none of the concurrency budget (3), so every old pod is tried.
    expect(writes(result.actions)).toEqual(['refused ro-A-0', 'refused ro-A-1', 'refused ro-A-2', 'refused ro-A-3', 'status']);
    expect([result.state.rollout.status.phase, result.state.rollout.status.message]).toEqual(['Progressing', 'rollout is restarting']);
  });

  test('§12 e2e TestRolloutPDBRestart: once the PDB is deleted the restart proceeds', () => {
    const blocked = RESTART_BLOCKED_BY_PDB;
    expect(writes(reconcile(build(blocked), 90).actions).filter((w) => w.startsWith('evict'))).toEqual([]);
    expect(writes(reconcile(build({ ...blocked, pdbs: [] }), 90).actions)).toEqual(['evict ro-A-0', 'evict ro-A-1', 'evict ro-A-2']);
  });

  test('eviction API error (two budgets over one pod): the reconcile fails with it, nothing else is written', () => {
    const pdb: PdbState = { name: 'one', matchLabels: { app: 'ro' }, maxUnavailable: 1 };
    const result = reconcile(build({ ...PAUSED_MID, spec: { restartAt: formatTimestamp(30) }, pdbs: [pdb, { ...pdb, name: 'two' }] }), 30);
    expect(result.error).toBe(`${MULTIPLE_BUDGETS} (pod ro-A-0: PodDisruptionBudget/one, PodDisruptionBudget/two)`);
    expect(writes(result.actions)).toEqual([]);
  });

  test('§4.1 a template change cancels the restart: the reset writes restartedAt = restartAt', () => {
    const setup: Setup = {
      template: 'C',
      spec: { restartAt: formatTimestamp(30) },
      status: { stableRS: 'A', currentPodHash: 'B', currentStepIndex: 1 },
      rss: [{ hash: 'A', spec: 3 }, { hash: 'B', spec: 1 }],
      pods: { A: [0, 0, 0], B: [1] },
    };
    const result = reconcile(build(setup), 40);
    expect(writes(result.actions)).toEqual(['create C', 'status']);
    expect(result.state.rollout.status.restartedAt).toBe('1970-01-01T00:00:30Z');
  });

  test('checkEnqueueRollout: a restartAt ahead is requeued at that time', () => {
    const result = reconcile(build({ ...PAUSED_MID, spec: { restartAt: formatTimestamp(300) } }), 30);
    expect(result.actions.filter((a) => a.kind === 'evictPod')).toEqual([]);
    expect(result.requeueAt).toContain(300);
  });
});

describe('reconcile: progress deadline (§13)', () => {
  /** At setWeight 25 with the canary pod not becoming available; last progress at t=10. */
  const STUCK: Setup = {
    template: 'B',
    status: {
      stableRS: 'A',
      currentPodHash: 'B',
      currentStepIndex: 0,
      replicas: 4,
      updatedReplicas: 1,
      readyReplicas: 3,
      availableReplicas: 3,
      conditions: [progressing('ReplicaSetUpdated', 10)],
    },
    rss: [{ hash: 'A', spec: 3 }, { hash: 'B', spec: 1, available: 0 }],
  };

  test.each<[string, number, Partial<RolloutSpec>, [string, string], boolean]>([
    ['before the deadline: nothing changes, a re-check is asked for at 10 + 600', 300, {}, ['Progressing', 'more replicas need to be updated'], false],
    ['§13 at 10 + 600 without progress: Degraded, ProgressDeadlineExceeded', 610, {}, ['Degraded', 'ProgressDeadlineExceeded: ReplicaSet "ro-B" has timed out progressing.'], false],
    ['§13 progressDeadlineSeconds 60', 70, { progressDeadlineSeconds: 60 }, ['Degraded', 'ProgressDeadlineExceeded: ReplicaSet "ro-B" has timed out progressing.'], false],
    ['§13 progressDeadlineAbort: the timeout also sets status.abort', 610, { progressDeadlineAbort: true }, ['Degraded', 'ProgressDeadlineExceeded: ReplicaSet "ro-B" has timed out progressing.'], true],
  ])('%s', (_name, now, spec, [phase, message], aborted) => {
    const result = reconcile(build({ ...STUCK, spec }), now);
    const status = result.state.rollout.status;
    expect([status.phase, status.message]).toEqual([phase, message]);
    expect(status.abort === true).toBe(aborted);
    if (phase !== 'Degraded') expect(result.recheckAt).toEqual([610]);
    else expect(result.recheckAt).toEqual([]);
  });

  test('§11 the tick after a progressDeadlineAbort timeout: an ordinary abort (RolloutAborted; basic canary: the stable scaled back up first, §5.3)', () => {
    const first = reconcile(build({ ...STUCK, spec: { progressDeadlineAbort: true } }), 610).state;
    const second = reconcile(first, 610);
    expect(writes(second.actions)).toEqual(['scale A 3->4', 'status']);
    expect(second.state.rollout.status.message).toBe('RolloutAborted: Rollout aborted update to revision 2');
    expect(findCondition(second.state.rollout.status.conditions, 'Progressing')?.reason).toBe('RolloutAborted');
  });

  test('§13 progress after a timeout clears it (a pod became available): Progressing again', () => {
    const timedOut = reconcile(build(STUCK), 610).state;
    const recovered: ClusterState = { ...timedOut, replicaSets: timedOut.replicaSets.map((rs) => ({ ...rs, availableReplicas: rsSpec(rs) })) };
    const status = reconcile(recovered, 700).state.rollout.status;
    expect(findCondition(status.conditions, 'Progressing')).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: 700 });
    expect(status.phase).not.toBe('Degraded');
  });

  test('§13 no timeout at a pause step, however long', () => {
    const result = reconcile(build({ ...PAUSED_MID, status: { ...PAUSED_MID.status, conditions: [progressing('RolloutPaused', 5, 'Unknown')] } }), 10_000);
    expect(result.state.rollout.status.phase).toBe('Paused');
    expect(result.recheckAt).toEqual([]);
  });
});

function rsSpec(rs: ReplicaSetState): number {
  return rs.specReplicas ?? 1;
}

describe('reconcile: workloadRef.scaleDown (§16)', () => {
  const deployment = (scaleDown: string, replicas = 4): WorkloadState => ({ kind: 'Deployment', name: 'dep', scaleDown, replicas });
  const REV1 = (phase: RolloutStatus['phase'], available: number): Setup => ({
    template: 'A',
    status: { stableRS: 'A', currentPodHash: 'A', currentStepIndex: 2, phase, readyReplicas: available, availableReplicas: available },
    rss: [{ hash: 'A', spec: 4, available }],
  });

  test.each<[string, Setup, string[]]>([
    ['§16 onsuccess: at promotion once the previous phase is Healthy, Deployment to 0', { ...REV1('Healthy', 4), workload: deployment('onsuccess') }, ['deployment 4->0']],
    ['§16 onsuccess: not before the Rollout was Healthy', { ...REV1('Progressing', 4), workload: deployment('onsuccess') }, []],
    ['§16 progressively: spec.replicas - readyReplicas (4 - 1 = 3) while pods come up', { ...REV1('Progressing', 1), workload: deployment('progressively') }, ['deployment 4->3']],
    ['§16 progressively: Healthy -> 0', { ...REV1('Healthy', 4), workload: deployment('progressively', 1) }, ['deployment 1->0']],
    ['§16 never: left alone', { ...REV1('Healthy', 4), workload: deployment('never') }, []],
    [
      '§16 revision 2: never scaled',
      {
        template: 'B',
        status: { stableRS: 'B', currentPodHash: 'B', currentStepIndex: 2, phase: 'Healthy', readyReplicas: 4, availableReplicas: 4 },
        rss: [{ hash: 'A', spec: 0 }, { hash: 'B', spec: 4 }],
        workload: deployment('onsuccess'),
      },
      [],
    ],
  ])('%s', (_name, setup, want) => {
    const result = reconcile(build(setup), 100);
    expect(writes(result.actions).filter((w) => w.startsWith('deployment'))).toEqual(want);
    if (want.length > 0) expect(result.state.workload?.replicas).toBe(Number(want[0].split('->')[1]));
  });
});

describe('reconcile: rollbackWindow (§4)', () => {
  /** Stable C (revision 3); the template goes back to B (revision 2). */
  const BACK_TO_B = (bSpec: number, bAvailable = bSpec): Setup => ({
    template: 'B',
    spec: { rollbackWindow: { revisions: 1 } },
    status: { stableRS: 'C', currentPodHash: 'C', currentStepIndex: 2 },
    rss: [{ hash: 'A', spec: 0 }, { hash: 'B', spec: bSpec, available: bAvailable }, { hash: 'C', spec: 4 }],
  });

  test('§4.1 the reset skips the steps when the older ReplicaSet is still active (spec.replicas > 0)', () => {
    const status = reconcile(build(BACK_TO_B(2)), 10).state.rollout.status;
    expect([status.currentPodHash, status.currentStepIndex]).toEqual(['B', 2]);
  });

  test('§4.1 an inactive older ReplicaSet resets to step 0; §4 the next tick jumps to len(steps)', () => {
    const reset = reconcile(build(BACK_TO_B(0)), 10).state;
    expect(reset.rollout.status.currentStepIndex).toBe(0);
    const next = reconcile(reset, 10);
    expect(next.state.rollout.status.currentStepIndex).toBe(2);
  });

  test('§4.2 promotion "Rollback within window" once the older ReplicaSet is fully available', () => {
    const setup: Setup = { ...BACK_TO_B(4), status: { stableRS: 'C', currentPodHash: 'B', currentStepIndex: 2 } };
    const result = reconcile(build(setup), 10);
    expect(result.state.rollout.status.stableRS).toBe('B');
    // Moving back to B gives it the next revision number (4).
    expect(result.actions).toContainEqual({ kind: 'event', reason: 'RolloutCompleted', message: 'Rollout completed update to revision 4: Rollback within window' });
  });

  test('§4 outside the window (revisions 1, one ReplicaSet in between): the steps run', () => {
    const setup: Setup = {
      template: 'A',
      spec: { rollbackWindow: { revisions: 1 } },
      status: { stableRS: 'C', currentPodHash: 'C', currentStepIndex: 2 },
      rss: [{ hash: 'A', spec: 2 }, { hash: 'B', spec: 0 }, { hash: 'C', spec: 4 }],
    };
    expect(reconcile(build(setup), 10).state.rollout.status.currentStepIndex).toBe(0);
  });
});
