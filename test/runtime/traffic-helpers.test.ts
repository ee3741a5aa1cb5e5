import { describe, expect, it } from 'vitest';
import {
  calculateDesiredWeightOnAbortOrStableRollback,
  checkReplicasAvailable,
  isDynamicallyRollingBackToStable,
  shouldDelayDestinationRuleUpdate,
} from '../../src/runtime/traffic-helpers';
import type { CanaryStep, ReplicaSetState, RolloutState } from '../../src/runtime/types';
import { applied, canaryRollout, midUpdate, rs } from './function-fixtures';

const istio = { istio: { virtualService: { name: 'vs' } } };

// Spec §8.2: need = floor(share * N / maxW), or the progress threshold for that count.
describe('checkReplicasAvailable', () => {
  const ro = (threshold?: RolloutState['spec']['strategy']['canary']) => canaryRollout(10, { trafficRouting: istio, ...threshold }, midUpdate(0));
  const rows: { name: string; rollout: RolloutState; set: ReplicaSetState | undefined; share: number; want: boolean }[] = [
    { name: 'floor, not ceil: 95 % of 10 needs 9', rollout: ro(), set: rs('A', 10, 9), share: 95, want: true },
    { name: '8 available cannot take 90 %', rollout: ro(), set: rs('A', 10, 8), share: 90, want: false },
    { name: 'a 0 share needs nothing', rollout: ro(), set: rs('A', 10, 0), share: 0, want: true },
    { name: 'nil RS never', rollout: ro(), set: undefined, share: 0, want: false },
    { name: 'threshold Percent 50: 3 of needed 5 fails', rollout: ro({ replicaProgressThreshold: { type: 'Percent', value: 70 } }), set: rs('A', 10, 3), share: 50, want: false },
    { name: 'threshold Percent 50: 4 of needed 5 passes (80 %)', rollout: ro({ replicaProgressThreshold: { type: 'Percent', value: 70 } }), set: rs('A', 10, 4), share: 50, want: true },
  ];
  it.each(rows)('$name', ({ rollout, set, share, want }) => expect(checkReplicasAvailable(rollout, set, share)).toBe(want));
});

// Spec §8.1 first branch.
describe('isDynamicallyRollingBackToStable', () => {
  const promoted = (dss: boolean, weights = applied(30)) =>
    canaryRollout(10, { steps: [{ setWeight: 30 }], trafficRouting: istio, dynamicStableScale: dss }, { stableRS: 'A', currentPodHash: 'A', currentStepIndex: 1, canary: { weights } });
  const rows: { name: string; rollout: RolloutState; desired: ReplicaSetState; want: boolean }[] = [
    { name: 'reverted to A while B still carries traffic, A not full', rollout: promoted(true), desired: rs('A', 10, 4), want: true },
    { name: 'A fully available again: done', rollout: promoted(true), desired: rs('A', 10, 10), want: false },
    { name: 'without dynamicStableScale: never', rollout: promoted(false), desired: rs('A', 10, 4), want: false },
    {
      name: 'weights already point at A',
      rollout: promoted(true, { canary: { weight: 0, podTemplateHash: 'A' }, stable: { weight: 100, podTemplateHash: 'A' } }),
      desired: rs('A', 10, 4),
      want: false,
    },
    {
      name: 'not fully promoted: never',
      rollout: canaryRollout(10, { steps: [{ setWeight: 30 }], trafficRouting: istio, dynamicStableScale: true }, midUpdate(0, { canary: { weights: applied(30) } })),
      desired: rs('B', 10, 4),
      want: false,
    },
  ];
  it.each(rows)('$name', ({ rollout, desired, want }) => expect(isDynamicallyRollingBackToStable(rollout, desired)).toBe(want));
});

// Spec §8.5 (PR #4612).
describe('shouldDelayDestinationRuleUpdate', () => {
  const subsetMode = (abort = false, services: { canaryService?: string; stableService?: string } = {}) =>
    canaryRollout(4, { trafficRouting: istio, ...services }, midUpdate(0, { abort }));
  const rows: { name: string; rollout: RolloutState; sets: ReplicaSetState[]; want: { delay: boolean; rsName: string } }[] = [
    { name: 'canary RS scaling up delays the switch', rollout: subsetMode(), sets: [rs('A', 4, 4), rs('B', 2, 1)], want: { delay: true, rsName: 'app-B' } },
    { name: 'spec > available counts even with some available', rollout: subsetMode(), sets: [rs('A', 4, 3), rs('B', 2, 2)], want: { delay: true, rsName: 'app-A' } },
    { name: 'aborted: the canary is exempt', rollout: subsetMode(true), sets: [rs('A', 4, 4), rs('B', 2, 0)], want: { delay: false, rsName: '' } },
    { name: 'host mode (Services named): never delays', rollout: subsetMode(false, { canaryService: 'c', stableService: 's' }), sets: [rs('B', 2, 0)], want: { delay: false, rsName: '' } },
  ];
  it.each(rows)('$name', ({ rollout, sets, want }) => {
    const result = shouldDelayDestinationRuleUpdate(rollout, 'B', 'A', sets);
    expect({ delay: result.delay, rsName: result.rsName }).toEqual(want);
    if (want.delay) expect(result.message).toBe(`delaying destination rule switch: ReplicaSet ${want.rsName} not fully available`);
  });
  it('rolling back to stable: the (previous) canary is exempt too', () => {
    expect(shouldDelayDestinationRuleUpdate(subsetMode(), 'B', 'A', [rs('A', 4, 4), rs('B', 2, 0)], true).delay).toBe(false);
  });
  // issue 17: the canary exemption is checked first, so a canary hash equal to the stable hash is skipped.
  it.each([
    { name: 'aborted', rollout: subsetMode(true), rollingBack: false },
    { name: 'rolling back to stable', rollout: subsetMode(), rollingBack: true },
  ])('$name with canary == stable hash: the under-available stable RS is exempt as the canary', ({ rollout, rollingBack }) => {
    expect(shouldDelayDestinationRuleUpdate(rollout, 'A', 'A', [rs('A', 4, 2)], rollingBack)).toEqual({ delay: false, rsName: '' });
  });
  it('not aborted with canary == stable hash: the under-available RS delays', () => {
    expect(shouldDelayDestinationRuleUpdate(subsetMode(), 'A', 'A', [rs('A', 4, 2)]).rsName).toBe('app-A');
  });
});

// Spec §6.3 abortWeight().
describe('calculateDesiredWeightOnAbortOrStableRollback', () => {
  const ladder: CanaryStep[] = [{ setWeight: 20 }, { setWeight: 50 }, { pause: {} }];
  const aborted = (weights: ReturnType<typeof applied> | undefined, dss = true, replicas: number | null = 10) =>
    canaryRollout(replicas ?? undefined, { steps: ladder, trafficRouting: istio, dynamicStableScale: dss }, midUpdate(2, { abort: true, canary: weights ? { weights } : undefined }));
  const rows: { name: string; rollout: RolloutState; stableAvailable: number; canaryAvailable: number; want: number }[] = [
    { name: 'without dynamicStableScale: 0', rollout: aborted(applied(50), false), stableAvailable: 5, canaryAvailable: 5, want: 0 },
    { name: 'spec.replicas nil: 0', rollout: aborted(applied(50), true, null), stableAvailable: 5, canaryAvailable: 5, want: 0 },
    { name: 'stable can take 50 %, ladder says 20: hold at the applied 50 until stable grows', rollout: aborted(applied(50)), stableAvailable: 5, canaryAvailable: 5, want: 50 },
    { name: 'stable at 8 of 10: step down to 20', rollout: aborted(applied(50)), stableAvailable: 8, canaryAvailable: 2, want: 20 },
    { name: 'stable full: 0, bounded by stable availability', rollout: aborted(applied(20)), stableAvailable: 10, canaryAvailable: 0, want: 0 },
    { name: 'never increases past the applied weight', rollout: aborted(applied(10)), stableAvailable: 5, canaryAvailable: 5, want: 10 },
    { name: 'no applied weights: max(expected from stable, ladder)', rollout: aborted(undefined), stableAvailable: 7, canaryAvailable: 3, want: 30 },
  ];
  it.each(rows)('$name', ({ rollout, stableAvailable, canaryAvailable, want }) => {
    expect(calculateDesiredWeightOnAbortOrStableRollback(rollout, rs('B', canaryAvailable, canaryAvailable), rs('A', 10, stableAvailable))).toBe(want);
  });
});
