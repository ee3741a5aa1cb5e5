import { describe, expect, test } from 'vitest';
import type { WorkloadState } from '../../src/runtime/cluster-state';
import { isRollbackWithinWindow } from '../../src/runtime/rollback-window';
import type { ReplicaSetState } from '../../src/runtime/types';
import { onSuccessScaleDownTarget, type ProgressiveScaleDownInput, progressiveScaleDownTarget } from '../../src/runtime/workload-scale-down';

/**
 * `workloadRef.scaleDown` (argo-canary.md §16: never / onsuccess / progressively, only while the
 * revision is 1) and `rollbackWindow` (§4, §4.1, §4.2). Table-driven, one rule per row.
 */

const dep = (scaleDown: string | undefined, replicas = 5): WorkloadState => ({ kind: 'Deployment', name: 'dep', scaleDown, replicas });

describe('onSuccessScaleDownTarget (promoteStable)', () => {
  test.each<[string, WorkloadState | undefined, number, 'Healthy' | 'Progressing' | undefined, number | undefined]>([
    ['§16 onsuccess, revision 1, previous phase Healthy: Deployment to 0', dep('onsuccess'), 1, 'Healthy', 0],
    ['§16 onsuccess waits for the Healthy phase (the status read at the start of the tick)', dep('onsuccess'), 1, 'Progressing', undefined],
    ['§16 revision 2+ never scales the Deployment', dep('onsuccess'), 2, 'Healthy', undefined],
    ['§16 never: left alone', dep('never'), 1, 'Healthy', undefined],
    ['§16 absent scaleDown = never', dep(undefined), 1, 'Healthy', undefined],
    ['§16 only a Deployment is scaled (a PodTemplate has no replicas)', { kind: 'PodTemplate', name: 'pt', scaleDown: 'onsuccess', replicas: 1 }, 1, 'Healthy', undefined],
    ['no workloadRef', undefined, 1, 'Healthy', undefined],
  ])('%s', (_name, workload, revision, phase, want) => {
    expect(onSuccessScaleDownTarget(workload, revision, phase)).toBe(want);
  });
});

describe('progressiveScaleDownTarget (reconcileNewReplicaSet)', () => {
  const base: ProgressiveScaleDownInput = {
    workload: dep('progressively', 5),
    revision: 1,
    previousPhase: 'Progressing',
    specReplicas: 5,
    readyReplicas: 2,
    newRSReplicasBefore: 5,
    newRSReplicasAfter: 5,
  };
  test.each<[string, Partial<ProgressiveScaleDownInput>, number | undefined]>([
    ['§16 progressively: spec.replicas - status.readyReplicas (5 - 2 = 3)', {}, 3],
    ['§16 no ready Rollout pod and the new RS not shrinking: left alone', { readyReplicas: 0 }, undefined],
    ['§16 no ready pod but the new RS shrinking (HPA scale-in): 4 - 0 = 4', { readyReplicas: 0, specReplicas: 4, newRSReplicasAfter: 4 }, 4],
    ['§16 previous phase Healthy: Deployment to 0', { previousPhase: 'Healthy' }, 0],
    ['§16 spec.replicas nil: only the Healthy rule applies', { specReplicas: undefined }, undefined],
    ['§16 more ready pods than spec.replicas: written as 0', { readyReplicas: 7 }, 0],
    ['§16 revision 2+: never', { revision: 2 }, undefined],
    ['§16 onsuccess does not scale progressively', { workload: dep('onsuccess', 5) }, undefined],
    [
      'v1.9.0 (argo-rollouts#4321): never scaled back up after the migration (Deployment at 0, HPA scaled the Rollout to 8, 4 ready)',
      { workload: dep('progressively', 0), specReplicas: 8, readyReplicas: 4, newRSReplicasBefore: 4, newRSReplicasAfter: 8 },
      undefined,
    ],
  ])('%s', (_name, over, want) => {
    expect(progressiveScaleDownTarget({ ...base, ...over })).toBe(want);
  });
});

describe('isRollbackWithinWindow (rollout/sync.go)', () => {
  const rs = (revision: number): ReplicaSetState => ({ name: `r${revision}`, podTemplateHash: `h${revision}`, revision, specReplicas: 0, availableReplicas: 0 });
  const all = [rs(1), rs(2), rs(3), rs(4)];
  test.each<[string, number | undefined, number, number, boolean]>([
    ['§4 back to the revision right before the stable one (none in between) with revisions 1', 1, 3, 4, true],
    ['§4 two ReplicaSets in between, revisions 2: outside the window', 2, 1, 4, false],
    ['§4 two ReplicaSets in between, revisions 3: inside', 3, 1, 4, true],
    ['§4 no rollbackWindow: never', undefined, 3, 4, false],
    ['§4 revisions 0: never', 0, 3, 4, false],
    ['§4 a newer ReplicaSet than the stable is not a rollback', 5, 4, 3, false],
  ])('%s', (_name, revisions, newRev, stableRev, want) => {
    const spec = revisions === undefined ? {} : { rollbackWindow: { revisions } };
    expect(isRollbackWithinWindow(spec, all[newRev - 1], all[stableRev - 1], all)).toBe(want);
  });

  test('no stable ReplicaSet (initial deploy): never', () => {
    expect(isRollbackWithinWindow({ rollbackWindow: { revisions: 5 } }, rs(1), undefined, [rs(1)])).toBe(false);
  });
});
