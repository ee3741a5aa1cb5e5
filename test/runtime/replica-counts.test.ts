import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allDesiredAreAvailable,
  approximateWeightedCanaryStableReplicaCounts,
  atDesiredReplicaCountsForCanary,
  calculateReplicaCountsForBasicCanary,
  calculateReplicaCountsForTrafficRoutedCanary,
  getReplicasForScaleDown,
  replicaProgressThresholdMet,
  trafficWeightToReplicas,
} from '../../src/runtime/replica-counts';
import type { CanaryStep, ReplicaSetState, RolloutState, TrafficWeights } from '../../src/runtime/types';
import { applied, canaryRollout, midUpdate, rs } from './function-fixtures';

const istio = { istio: { virtualService: { name: 'vs' } } };

// Spec §5.2 toReplicas = ceil(weight * N / maxW).
describe('trafficWeightToReplicas', () => {
  it.each([
    [10, 1, 100, 1],
    [10, 15, 100, 2],
    [3, 50, 100, 2],
    [10, 0, 100, 0],
    [7, 500, 1000, 4],
  ])('N=%i weight=%i max=%i -> %i', (n, w, max, want) => expect(trafficWeightToReplicas(n, w, max)).toBe(want));
});

// Spec §5.3 approximate(...).
describe('approximateWeightedCanaryStableReplicaCounts', () => {
  const rows: { name: string; n: number; w: number; surge: number; want: [number, number] }[] = [
    { name: 'N=0 is 0/0', n: 0, w: 50, surge: 1, want: [0, 0] },
    { name: 'N=1 without surge: 49 % stays on stable', n: 1, w: 49, surge: 0, want: [0, 1] },
    { name: 'N=1 without surge: 50 % flips to canary (tie -> larger canary)', n: 1, w: 50, surge: 0, want: [1, 0] },
    { name: 'N=1 with surge: both run', n: 1, w: 5, surge: 1, want: [1, 1] },
    { name: 'N=3, 50 %: tie picks the larger canary', n: 3, w: 50, surge: 0, want: [2, 1] },
    { name: 'N=10, 5 %: 1 of 10 (10 %) vs 1 of 11 (9.1 %) -> surge option is closer', n: 10, w: 5, surge: 1, want: [1, 10] },
    { name: 'N=10, 100 %', n: 10, w: 100, surge: 1, want: [10, 0] },
  ];
  it.each(rows)('$name', ({ n, w, surge, want }) => {
    const r = approximateWeightedCanaryStableReplicaCounts(n, w, 100, surge);
    expect([r.canaryReplicas, r.stableReplicas]).toEqual(want);
  });

  it('quirk: no surge, ceil == N and a tied floor leaves no option: (0, N) (the Go "should not get here" branch)', () => {
    // N=10 @95 %: ceil 10 is not < N, floor 9 is tied (9.5); spec §5.3's "canary never 0" claim does not hold here.
    expect(approximateWeightedCanaryStableReplicaCounts(10, 95, 100, 0)).toEqual({ canaryReplicas: 0, stableReplicas: 10 });
    expect(approximateWeightedCanaryStableReplicaCounts(10, 95, 100, 1)).toEqual({ canaryReplicas: 10, stableReplicas: 1 });
  });

  it('property (spec §5.3): for 1..99 %, N + surge >= 2, neither side is 0 (except the quirk above); total is N, or N+1 only with surge', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 5 }), (n, w, surge) => {
        fc.pre(n + surge >= 2);
        const { canaryReplicas, stableReplicas } = approximateWeightedCanaryStableReplicaCounts(n, w, 100, surge);
        const total = canaryReplicas + stableReplicas;
        const quirk = surge === 0 && Math.ceil((n * w) / 100) === n && (n * (w / 100)) % 1 === 0.5;
        if (quirk) return canaryReplicas === 0 && stableReplicas === n;
        return canaryReplicas >= 1 && stableReplicas >= 1 && (total === n || (surge > 0 && total === n + 1));
      }),
      { numRuns: 3000 },
    );
  });
});

// Spec §5.3 basicCounts; the first six rows are the examples in the Go doc comment.
describe('calculateReplicaCountsForBasicCanary', () => {
  const basic = (n: number, w: number, surge: number, unavailable: number, extra: Partial<RolloutState['status']> = {}) =>
    canaryRollout(n, { steps: [{ setWeight: w }], maxSurge: surge, maxUnavailable: unavailable }, midUpdate(0, extra));
  const rows: { name: string; rollout: RolloutState; newRS?: ReplicaSetState; stableRS?: ReplicaSetState; others?: ReplicaSetState[]; want: [number, number] }[] = [
    { name: '10 @10 %, surge 1 / unavail 1', rollout: basic(10, 10, 1, 1), newRS: rs('B', 0, 0), stableRS: rs('A', 10, 10), want: [1, 9] },
    { name: '10 @30 %, surge 3 / unavail 0', rollout: basic(10, 30, 3, 0), newRS: rs('B', 0, 0), stableRS: rs('A', 10, 10), want: [3, 10] },
    { name: '10 @30 %, surge 0 / unavail 5: stable shrinks first', rollout: basic(10, 30, 0, 5), newRS: rs('B', 0, 0), stableRS: rs('A', 10, 10), want: [0, 7] },
    { name: '10 @5 %, surge 1: 1 canary of 11 pods (9.1 %) beats 1 of 10, stable kept', rollout: basic(10, 5, 1, 1), newRS: rs('B', 0, 0), stableRS: rs('A', 10, 10), want: [1, 10] },
    { name: '1 @5 %, surge 1 / unavail 0', rollout: basic(1, 5, 1, 0), newRS: rs('B', 0, 0), stableRS: rs('A', 1, 1), want: [1, 1] },
    { name: '1 @95 %, surge 1 / unavail 0', rollout: basic(1, 95, 1, 0), newRS: rs('B', 0, 0), stableRS: rs('A', 1, 1), want: [1, 1] },
    {
      name: 'an older RS with replicas blocks scale-down; scale-up within surge still happens',
      rollout: basic(10, 50, 2, 5),
      newRS: rs('C', 0, 0),
      stableRS: rs('A', 8, 8),
      others: [rs('B', 2, 2)],
      want: [2, 8],
    },
    { name: 'no distinct stable: straight to N (N + surge allows it)', rollout: canaryRollout(4, { steps: [{ setWeight: 25 }], maxSurge: 1, maxUnavailable: 0 }, { currentPodHash: 'B', currentStepIndex: 0 }), newRS: rs('B', 2, 2), want: [4, 0] },
    { name: 'no distinct stable: capped by N + surge', rollout: canaryRollout(4, { steps: [{ setWeight: 25 }], maxSurge: 1, maxUnavailable: 0 }, { currentPodHash: 'B', currentStepIndex: 0 }), newRS: rs('B', 2, 2), others: [rs('X', 2, 2)], want: [3, 0] },
    { name: 'abort (weight 0): stable +1 within surge and canary -1 within maxUnavailable, same call', rollout: basic(4, 50, 1, 1, { abort: true }), newRS: rs('B', 2, 2), stableRS: rs('A', 2, 2), want: [1, 3] },
    { name: 'abort, 3 stable available = N - maxUnavailable: the whole canary can go', rollout: basic(4, 50, 1, 1, { abort: true }), newRS: rs('B', 2, 2), stableRS: rs('A', 3, 3), want: [0, 3] },
  ];
  it.each(rows)('$name', ({ rollout, newRS, stableRS, others, want }) => {
    const r = calculateReplicaCountsForBasicCanary(rollout, newRS, stableRS, others ?? []);
    expect([r.canaryReplicas, r.stableReplicas]).toEqual(want);
  });
});

// Spec §5.2 trafficRoutedCounts and §6.
describe('calculateReplicaCountsForTrafficRoutedCanary', () => {
  const automatic: CanaryStep[] = [1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((w) => ({ setWeight: w }));
  it('article automatic profile, N=10, minPodsPerReplicaSet 2: canary 2,2,2,3..10, stable 10 throughout', () => {
    const counts = automatic.map((_, i) =>
      calculateReplicaCountsForTrafficRoutedCanary(canaryRollout(10, { steps: automatic, trafficRouting: istio, minPodsPerReplicaSet: 2 }, midUpdate(i)), undefined, undefined, undefined),
    );
    expect(counts.map((c) => c.canaryReplicas)).toEqual([2, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(counts.every((c) => c.stableReplicas === 10)).toBe(true);
  });

  const tr = (canary: Parameters<typeof canaryRollout>[1], status = midUpdate(0)) => canaryRollout(10, { trafficRouting: istio, ...canary }, status);
  const rows: { name: string; rollout: RolloutState; weights?: TrafficWeights; want: [number, number] }[] = [
    { name: 'maxSurge / maxUnavailable play no part', rollout: tr({ steps: [{ setWeight: 35 }], maxSurge: 0, maxUnavailable: 0 }), want: [4, 10] },
    { name: 'setCanaryScale.replicas may exceed N, minPods not applied to it', rollout: tr({ steps: [{ setCanaryScale: { replicas: 12 } }], minPodsPerReplicaSet: 20 }), want: [12, 10] },
    { name: 'setCanaryScale.weight 200 = 2N', rollout: tr({ steps: [{ setCanaryScale: { weight: 200 } }] }), want: [20, 10] },
    { name: 'matchTrafficWeight at weight 0 (manual profile): canary 0', rollout: tr({ steps: [{ setCanaryScale: { replicas: 2 } }, { pause: {} }, { setCanaryScale: { matchTrafficWeight: true } }] }, midUpdate(2)), want: [0, 10] },
    { name: 'weight 0 is never raised by minPods', rollout: tr({ steps: [{ pause: {} }], minPodsPerReplicaSet: 2 }), want: [0, 10] },
    { name: 'DSS: stable sized for 100 - w', rollout: tr({ steps: [{ setWeight: 30 }], dynamicStableScale: true }), want: [3, 7] },
    { name: 'DSS: stable kept for the applied stable weight', rollout: tr({ steps: [{ setWeight: 30 }], dynamicStableScale: true }), weights: applied(10), want: [3, 9] },
    { name: 'DSS abort: canary kept for the applied canary weight', rollout: tr({ steps: [{ setWeight: 30 }], dynamicStableScale: true }, midUpdate(0, { abort: true })), weights: applied(30), want: [3, 10] },
    { name: 'DSS with minPods on both sides', rollout: tr({ steps: [{ setWeight: 95 }], dynamicStableScale: true, minPodsPerReplicaSet: 3 }), want: [10, 3] },
    { name: 'fully promoted: N', rollout: tr({ steps: [{ setWeight: 30 }] }, { stableRS: 'B', currentPodHash: 'B', currentStepIndex: 1 }), want: [10, 10] },
  ];
  it.each(rows)('$name', ({ rollout, weights, want }) => {
    const r = calculateReplicaCountsForTrafficRoutedCanary(rollout, rs('B', 3, 3), rs('A', 10, 10), weights);
    expect([r.canaryReplicas, r.stableReplicas]).toEqual(want);
  });
});

// Spec §3 AtDesiredReplicaCountsForCanary / ReplicaProgressThresholdMet.
describe('atDesiredReplicaCountsForCanary', () => {
  const tr = (extra: Parameters<typeof canaryRollout>[1] = {}) => canaryRollout(10, { steps: [{ setWeight: 20 }], trafficRouting: istio, ...extra }, midUpdate(0));
  const rows: { name: string; rollout: RolloutState; newRS?: ReplicaSetState; stableRS?: ReplicaSetState; others?: ReplicaSetState[]; want: boolean }[] = [
    { name: 'canary 2/2, stable 10 created', rollout: tr(), newRS: rs('B', 2, 2), stableRS: rs('A', 10, 3), want: true },
    { name: 'stable availability is not required, created pods are', rollout: tr(), newRS: rs('B', 2, 2), stableRS: rs('A', 10, 3, 9), want: false },
    { name: 'canary not yet available', rollout: tr(), newRS: rs('B', 2, 1), stableRS: rs('A', 10, 10), want: false },
    { name: 'nil new RS is never at desired counts', rollout: tr(), stableRS: rs('A', 10, 10), want: false },
    { name: 'DSS ignores the stable RS', rollout: tr({ dynamicStableScale: true }), newRS: rs('B', 2, 2), stableRS: rs('A', 4, 4), want: true },
    { name: 'threshold Pods 1 is met with 1 of 2 available', rollout: tr({ replicaProgressThreshold: { type: 'Pods', value: 1 } }), newRS: rs('B', 2, 1), stableRS: rs('A', 10, 10), want: true },
    { name: 'traffic-routed: an older RS may still run', rollout: tr(), newRS: rs('B', 2, 2), stableRS: rs('A', 10, 10), others: [rs('X', 3, 3)], want: true },
    {
      name: 'basic canary: an older RS with available pods blocks',
      rollout: canaryRollout(10, { steps: [{ setWeight: 20 }], maxSurge: 1, maxUnavailable: 0 }, midUpdate(0)),
      newRS: rs('B', 2, 2),
      stableRS: rs('A', 8, 8),
      others: [rs('X', 0, 1)],
      want: false,
    },
  ];
  it.each(rows)('$name', ({ rollout, newRS, stableRS, others, want }) => {
    expect(atDesiredReplicaCountsForCanary(rollout, newRS, stableRS, others ?? [], undefined)).toBe(want);
  });
});

describe('availability helpers', () => {
  it('allDesiredAreAvailable: nil spec reads as 1', () => {
    expect(allDesiredAreAvailable({ name: 'x', podTemplateHash: 'x', availableReplicas: 1 }, 1)).toBe(true);
    expect(allDesiredAreAvailable(rs('x', 3, 2), 3)).toBe(false);
  });
  it.each([
    { name: 'Percent: 2 of 3 = 66.7 % < 70 %', t: { type: 'Percent' as const, value: 70 }, avail: 2, desired: 3, want: false },
    { name: 'Percent: 7 of 10 = 70 % (float tolerance)', t: { type: 'Percent' as const, value: 70 }, avail: 7, desired: 10, want: true },
    { name: 'Percent: desired 0 always met', t: { type: 'Percent' as const, value: 100 }, avail: 0, desired: 0, want: true },
    { name: 'Pods: 3 >= 3', t: { type: 'Pods' as const, value: 3 }, avail: 3, desired: 10, want: true },
    { name: 'negative value: default all-available rule', t: { type: 'Pods' as const, value: -1 }, avail: 9, desired: 10, want: false },
    // issue 17: the CRD has no enum; any type other than "Percent" is read as Pods.
    { name: 'unknown type "Percentage" counts Pods: 10 of 10 < 80 pods', t: { type: 'Percentage', value: 80 }, avail: 10, desired: 10, want: false },
    { name: 'unknown type "percent" counts Pods: 3 >= 3', t: { type: 'percent', value: 3 }, avail: 3, desired: 10, want: true },
  ])('replicaProgressThresholdMet $name', ({ t, avail, desired, want }) => {
    expect(replicaProgressThresholdMet(t, rs('x', desired, avail), desired)).toBe(want);
  });
  it.each([
    [rs('x', 3, 5), false, 3],
    [rs('x', 5, 3), false, 3],
    [rs('x', 5, 3), true, 5],
  ])('getReplicasForScaleDown(%o, ignore=%s) = %i', (set, ignore, want) => expect(getReplicasForScaleDown(set, ignore)).toBe(want));
});
