import { describe, expect, test } from 'vitest';
import { formatTimestamp, type PdbState, type PodState } from '../../src/runtime/cluster-state';
import { disruptionBudget, EVICTION_REFUSED, evictionVerdict, MULTIPLE_BUDGETS } from '../../src/runtime/disruption-budget';
import { needsRestart, reconcileRestart, type RestartInput, restartOrder } from '../../src/runtime/restart';
import type { ReplicaSetState } from '../../src/runtime/types';

/**
 * The pod restarter (argo-canary.md §12 restart: evictions, stable first, budget
 * `available - (max(N, total RS spec) - max(maxUnavailable, 1))`, `status.restartedAt`) and the
 * eviction API's PodDisruptionBudget check it goes through (field-notes §2 #22: restarts honour
 * PDBs). Table-driven; every row names the rule it pins.
 */

const T = (s: number): string => formatTimestamp(s);

function rs(name: string, revision: number, spec: number): ReplicaSetState {
  return { name, podTemplateHash: name, revision, specReplicas: spec, statusReplicas: spec, availableReplicas: spec };
}

/** `count` pods of `replicaSet`, created at `createdAt`, ready/available unless told. */
function pods(replicaSet: string, count: number, createdAt: number, opts: { ready?: boolean; available?: boolean; role?: string } = {}): PodState[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${replicaSet}-${createdAt}-${i}`,
    replicaSet,
    createdAt,
    ready: opts.ready ?? true,
    available: opts.available ?? opts.ready ?? true,
    labels: { app: 'ro', ...(opts.role ? { role: opts.role } : {}) },
  }));
}

describe('needsRestart (utils/replicaset NeedsRestart)', () => {
  test.each<[string, string | undefined, string | undefined, number, boolean]>([
    ['no spec.restartAt: nothing to do', undefined, undefined, 100, false],
    ['restartAt still ahead: not yet', T(200), undefined, 100, false],
    ['restartAt reached, never restarted: restart', T(100), undefined, 100, true],
    ['restartAt passed, an older restartedAt: restart', T(100), T(50), 150, true],
    ['restartedAt == restartAt: this restart is done', T(100), T(100), 150, false],
    // NeedsRestart is `!RestartAt.Equal(RestartedAt) && now.After(RestartAt)` (spec §12 "differs"):
    // a restartedAt after restartAt (a template change wrote a future restartAt, then `restart`
    // moved it back) is a restart still to do, else the phase says "rollout is restarting" forever.
    ['restartedAt after restartAt (restartAt moved back): restart (differs, not Before)', T(100), T(120), 150, true],
    ['the same instant written differently is done (Time.Equal, not string equality)', T(100), '1970-01-01T00:01:40.000Z', 150, false],
    ['an unparsable restartAt never restarts', 'soon', undefined, 150, false],
  ])('%s', (_name, restartAt, restartedAt, now, want) => {
    expect(needsRestart({ restartAt }, { restartedAt }, now)).toBe(want);
  });
});

describe('restartOrder (SortReplicaSetsByPriority): stable, new, then the others oldest first', () => {
  test('stable first even when it is the newest; the others by creation', () => {
    const all = [rs('r1', 1, 0), rs('r4', 4, 2), rs('r2', 2, 1), rs('r3', 3, 5)];
    expect(restartOrder(all, all[1], all[3]).map((r) => r.name)).toEqual(['r4', 'r3', 'r1', 'r2']);
  });
});

describe('reconcileRestart (rollout/restart.go Reconcile)', () => {
  const stable = rs('A', 1, 3);
  const canary = rs('B', 2, 1);
  const base: RestartInput = {
    spec: { restartAt: T(100) },
    status: {},
    now: 100,
    replicas: 4,
    maxUnavailable: 3,
    replicaSets: [stable, canary],
    pods: [...pods('B', 1, 10), ...pods('A', 3, 0)],
    pdbs: [],
  };
  const names = (list: readonly PodState[]): string[] => list.map((p) => p.name);

  test.each<[string, Partial<RestartInput>, string[], { finished: boolean; recheckAt?: number; requeueAt?: number }]>([
    [
      '§12 e2e TestRolloutRestart: 4 replicas, maxUnavailable 75 % -> 3 may go; the 3 stable pods go first, the canary pod waits',
      {},
      ['A-0-0', 'A-0-1', 'A-0-2'],
      { finished: false, recheckAt: 130 },
    ],
    [
      '§12 budget: maxUnavailable 0 still restarts one pod at a time (max(maxUnavailable, 1))',
      { maxUnavailable: 0 },
      ['A-0-0'],
      { finished: false, recheckAt: 130 },
    ],
    [
      '§12 budget counts max(N, total RS spec): 5 pods at N=4 (a non-divisible canary) leave room for 1 with maxUnavailable 1',
      { maxUnavailable: 1, replicaSets: [rs('A', 1, 4), canary], pods: [...pods('A', 4, 0), ...pods('B', 1, 10)] },
      ['A-0-0'],
      { finished: false, recheckAt: 130 },
    ],
    [
      '§12 budget uses available pods: 2 of 4 unavailable with maxUnavailable 2 -> nothing goes now, re-check in 30 s',
      { maxUnavailable: 2, pods: [...pods('A', 2, 0), ...pods('A', 1, 90, { ready: false }), ...pods('B', 1, 95, { ready: false })] },
      [],
      { finished: false, recheckAt: 130 },
    ],
    [
      '§12 pods created at or after restartAt are current; when all are, restartedAt is set (no eviction)',
      { pods: [...pods('A', 3, 100), ...pods('B', 1, 120)], now: 130 },
      [],
      { finished: true },
    ],
    [
      '§12 only pods older than restartAt go: the last old pod (canary) is evicted, and nothing needing a restart is left (its replacement is new)',
      { pods: [...pods('A', 3, 105), ...pods('B', 1, 10)], now: 130 },
      ['B-10-0'],
      { finished: true },
    ],
    [
      '§12 other ReplicaSets come after stable and new, oldest first',
      {
        replicaSets: [rs('A', 2, 1), rs('C', 3, 1), rs('O', 1, 1)],
        replicas: 3,
        maxUnavailable: 1,
        pods: [...pods('O', 1, 0), ...pods('C', 1, 0), ...pods('A', 1, 0)],
      },
      ['A-0-0'],
      { finished: false, recheckAt: 130 },
    ],
    ['checkEnqueueRollout: restartAt ahead -> nothing, requeued at restartAt', { now: 40 }, [], { finished: false, requeueAt: 100 }],
  ])('%s', (_name, override, evicted, want) => {
    const result = reconcileRestart({ ...base, ...override });
    expect(names(result.evicted)).toEqual(evicted);
    expect(result.error).toBeUndefined();
    expect(result.finished).toBe(want.finished);
    expect(result.recheckAt).toBe(want.recheckAt);
    expect(result.requeueAt).toBe(want.requeueAt);
  });

  test('§12 e2e TestRolloutPDBRestart: a PDB with minAvailable 4 refuses every eviction (a refusal uses no budget, so every old pod is tried); re-check in 30 s', () => {
    const pdb: PdbState = { name: 'pdb', matchLabels: { app: 'ro' }, minAvailable: 4 };
    const result = reconcileRestart({ ...base, pdbs: [pdb] });
    expect(result.evicted).toEqual([]);
    expect(result.refused.map((r) => [r.pod.name, r.reason])).toEqual(
      ['A-0-0', 'A-0-1', 'A-0-2', 'B-10-0'].map((p) => [p, `${EVICTION_REFUSED} (PodDisruptionBudget/pdb)`]),
    );
    expect([result.finished, result.recheckAt]).toEqual([false, 130]);
  });

  test('§12 evictions stop at the PDB budget within one pass: maxUnavailable 1 over 4 pods -> only the first of 3 allowed goes', () => {
    const pdb: PdbState = { name: 'pdb', matchLabels: { app: 'ro' }, maxUnavailable: 1 };
    const result = reconcileRestart({ ...base, pdbs: [pdb] });
    expect(names(result.evicted)).toEqual(['A-0-0']);
    expect(result.refused.map((r) => r.pod.name)).toEqual(['A-0-1', 'A-0-2', 'B-10-0']);
  });

  test('eviction API: two budgets over one pod is an error (HTTP 500); the reconcile fails with it', () => {
    const pdbs: PdbState[] = [
      { name: 'all', matchLabels: { app: 'ro' }, maxUnavailable: 3 },
      { name: 'again', matchLabels: { app: 'ro' }, maxUnavailable: 3 },
    ];
    const result = reconcileRestart({ ...base, pdbs });
    expect(result.evicted).toEqual([]);
    expect(result.error).toBe(`${MULTIPLE_BUDGETS} (pod A-0-0: PodDisruptionBudget/all, PodDisruptionBudget/again)`);
  });
});

describe('disruptionBudget (disruption controller, policy/v1)', () => {
  const all = [...pods('A', 3, 0, { role: 'stable' }), ...pods('B', 1, 0, { role: 'canary', ready: false })];
  const scale = (name: string): number => ({ A: 3, B: 2 })[name] ?? 0;
  test.each<[string, PdbState, { currentHealthy: number; desiredHealthy: number; expectedPods: number; disruptionsAllowed: number }]>([
    ['integer minAvailable: desired as written, expected = selected pods', { name: 'p', matchLabels: { app: 'ro' }, minAvailable: 2 }, { currentHealthy: 3, desiredHealthy: 2, expectedPods: 4, disruptionsAllowed: 1 }],
    ['percent minAvailable scales the controllers (3 + 2 = 5), rounded up: 50 % -> 3', { name: 'p', matchLabels: { app: 'ro' }, minAvailable: '50%' }, { currentHealthy: 3, desiredHealthy: 3, expectedPods: 5, disruptionsAllowed: 0 }],
    ['maxUnavailable 1 over the controllers: desired 5 - 1 = 4 > 3 healthy -> 0 allowed', { name: 'p', matchLabels: { app: 'ro' }, maxUnavailable: 1 }, { currentHealthy: 3, desiredHealthy: 4, expectedPods: 5, disruptionsAllowed: 0 }],
    ['a split PDB (role=stable) only counts stable pods', { name: 'p', matchLabels: { role: 'stable' }, maxUnavailable: 1 }, { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 }],
    ['an empty selector selects every pod (policy/v1)', { name: 'p', matchLabels: {}, minAvailable: 0 }, { currentHealthy: 3, desiredHealthy: 0, expectedPods: 4, disruptionsAllowed: 3 }],
  ])('%s', (_name, pdb, want) => {
    expect(disruptionBudget(pdb, all, scale)).toEqual(want);
  });

  test('an intstr string that is not a percentage is an error naming the budget and field', () => {
    expect(() => disruptionBudget({ name: 'bad', matchLabels: {}, maxUnavailable: '1' }, all, scale)).toThrow(
      'PodDisruptionBudget/bad: spec.maxUnavailable ("1") must be a non-negative integer or a percentage such as "50%"',
    );
  });

  test('a pod that is not ready may go while the budget holds, without using a disruption (IfHealthyBudget)', () => {
    const pdb: PdbState = { name: 'p', matchLabels: { app: 'ro' }, minAvailable: 3 };
    const unready = all[3];
    expect(evictionVerdict(unready, all, [pdb], scale)).toEqual({ allowed: true });
    expect(evictionVerdict(all[0], all, [pdb], scale).allowed).toBe(false);
  });
});
