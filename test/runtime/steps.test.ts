import { describe, expect, it } from 'vitest';
import {
  beforeStartingStep,
  canaryStepString,
  getCanaryReplicasOrWeight,
  getCurrentCanaryStep,
  getCurrentExperimentStep,
  getCurrentSetWeight,
  getDesiredCanaryWeight,
  parsePauseDurationSeconds,
  useSetCanaryScale,
} from '../../src/runtime/steps';
import type { CanaryStep, RolloutState } from '../../src/runtime/types';
import { canaryRollout, midUpdate, rs } from './function-fixtures';

const istio = { istio: { virtualService: { name: 'vs' } } };
const steps: CanaryStep[] = [{ pause: {} }, { setWeight: 20 }, { pause: { duration: 60 } }, { setWeight: 50 }, { pause: {} }];

// Spec §3 (utils/replicaset/canary.go GetCurrentCanaryStep / GetCurrentSetWeight).
describe('getCurrentCanaryStep', () => {
  const rows: { name: string; rollout: RolloutState; step: CanaryStep | undefined; index: number | undefined }[] = [
    { name: 'no steps: no step, no index', rollout: canaryRollout(4, {}, midUpdate(2)), step: undefined, index: undefined },
    { name: 'nil index reads as 0', rollout: canaryRollout(4, { steps }, midUpdate(undefined)), step: steps[0], index: 0 },
    { name: 'index == len: all done', rollout: canaryRollout(4, { steps }, midUpdate(5)), step: undefined, index: 5 },
    { name: 'index beyond len stays as is', rollout: canaryRollout(4, { steps }, midUpdate(9)), step: undefined, index: 9 },
  ];
  it.each(rows)('$name', ({ rollout, step, index }) => expect(getCurrentCanaryStep(rollout)).toEqual({ step, index }));
});

describe('getCurrentSetWeight', () => {
  const rows: { name: string; rollout: RolloutState; want: number }[] = [
    { name: 'a leading pause means weight 0 (§3, checklist 10)', rollout: canaryRollout(4, { steps }, midUpdate(0)), want: 0 },
    { name: 'at a setWeight step', rollout: canaryRollout(4, { steps }, midUpdate(1)), want: 20 },
    { name: 'a pause after a setWeight keeps it', rollout: canaryRollout(4, { steps }, midUpdate(2)), want: 20 },
    { name: 'all steps done: maxTrafficWeight', rollout: canaryRollout(4, { steps }, midUpdate(5)), want: 100 },
    { name: 'all steps done with a custom maxTrafficWeight', rollout: canaryRollout(4, { steps, trafficRouting: { maxTrafficWeight: 1000 } }, midUpdate(5)), want: 1000 },
    { name: 'no steps: maxTrafficWeight', rollout: canaryRollout(4, {}, midUpdate(undefined)), want: 100 },
    { name: 'aborted: 0 whatever the step', rollout: canaryRollout(4, { steps }, midUpdate(3, { abort: true })), want: 0 },
  ];
  it.each(rows)('$name', ({ rollout, want }) => expect(getCurrentSetWeight(rollout)).toBe(want));
});

describe('useSetCanaryScale', () => {
  const scaleSteps: CanaryStep[] = [
    { setCanaryScale: { replicas: 2 } },
    { setWeight: 10 },
    { setCanaryScale: { matchTrafficWeight: true } },
    { setWeight: 30 },
  ];
  const rows: { name: string; rollout: RolloutState; want: ReturnType<typeof useSetCanaryScale> }[] = [
    { name: 'only with trafficRouting', rollout: canaryRollout(4, { steps: scaleSteps }, midUpdate(1)), want: undefined },
    { name: 'the nearest earlier setCanaryScale applies', rollout: canaryRollout(4, { steps: scaleSteps, trafficRouting: istio }, midUpdate(1)), want: { replicas: 2 } },
    { name: 'matchTrafficWeight cancels it', rollout: canaryRollout(4, { steps: scaleSteps, trafficRouting: istio }, midUpdate(3)), want: undefined },
    { name: 'aborted with the default abort delay: ignored', rollout: canaryRollout(4, { steps: scaleSteps, trafficRouting: istio }, midUpdate(1, { abort: true })), want: undefined },
    {
      name: 'aborted with abortScaleDownDelaySeconds 0: still applies (§3)',
      rollout: canaryRollout(4, { steps: scaleSteps, trafficRouting: istio, abortScaleDownDelaySeconds: 0 }, midUpdate(1, { abort: true })),
      want: { replicas: 2 },
    },
    { name: 'all steps done: none', rollout: canaryRollout(4, { steps: scaleSteps, trafficRouting: istio }, midUpdate(4)), want: undefined },
  ];
  it.each(rows)('$name', ({ rollout, want }) => expect(useSetCanaryScale(rollout)).toEqual(want));
});

describe('getCanaryReplicasOrWeight', () => {
  const scaleSteps: CanaryStep[] = [{ setWeight: 10 }, { setCanaryScale: { weight: 200 } }, { setCanaryScale: { replicas: 3, weight: 50 } }];
  const rows: { name: string; rollout: RolloutState; want: { replicas: number | undefined; weight: number } }[] = [
    { name: 'fully promoted: maxW', rollout: canaryRollout(4, { steps: scaleSteps, trafficRouting: istio }, { stableRS: 'A', currentPodHash: 'A', currentStepIndex: 0 }), want: { replicas: undefined, weight: 100 } },
    { name: 'no stable yet: maxW', rollout: canaryRollout(4, { steps: scaleSteps, trafficRouting: istio }, { currentPodHash: 'A', currentStepIndex: 0 }), want: { replicas: undefined, weight: 100 } },
    { name: 'promoteFull: maxW', rollout: canaryRollout(4, { steps: scaleSteps, trafficRouting: istio }, midUpdate(0, { promoteFull: true })), want: { replicas: undefined, weight: 100 } },
    { name: 'setCanaryScale.weight may exceed 100', rollout: canaryRollout(4, { steps: scaleSteps, trafficRouting: istio }, midUpdate(1)), want: { replicas: undefined, weight: 200 } },
    { name: 'replicas wins over weight (weight reported 0)', rollout: canaryRollout(4, { steps: scaleSteps, trafficRouting: istio }, midUpdate(2)), want: { replicas: 3, weight: 0 } },
    { name: 'otherwise the setWeight', rollout: canaryRollout(4, { steps: scaleSteps, trafficRouting: istio }, midUpdate(0)), want: { replicas: undefined, weight: 10 } },
  ];
  it.each(rows)('$name', ({ rollout, want }) => expect(getCanaryReplicasOrWeight(rollout)).toEqual(want));
});

// Spec §6.3: aborted + dynamicStableScale walks the setWeight ladder backwards.
describe('getDesiredCanaryWeight', () => {
  const ladder: CanaryStep[] = [{ setWeight: 10 }, { setWeight: 30 }, { setWeight: 60 }, { pause: {} }];
  const aborted = (dss: boolean) => canaryRollout(10, { steps: ladder, trafficRouting: istio, dynamicStableScale: dss }, midUpdate(3, { abort: true }));
  const rows: { name: string; rollout: RolloutState; stableAvailable: number; canaryAvailable: number; want: number }[] = [
    { name: 'canary still needs 6 pods: 30 (3 pods) is the first weight below', rollout: aborted(true), stableAvailable: 4, canaryAvailable: 6, want: 30 },
    { name: 'stable at 8: canary needs max(2, canary available 2): 10 (1 pod)', rollout: aborted(true), stableAvailable: 8, canaryAvailable: 2, want: 10 },
    { name: 'stable fully back: 0', rollout: aborted(true), stableAvailable: 10, canaryAvailable: 0, want: 0 },
    { name: 'canary availability holds the weight up', rollout: aborted(true), stableAvailable: 10, canaryAvailable: 7, want: 60 },
    { name: 'without dynamicStableScale the aborted weight is 0', rollout: aborted(false), stableAvailable: 4, canaryAvailable: 6, want: 0 },
  ];
  it.each(rows)('$name', ({ rollout, stableAvailable, canaryAvailable, want }) => {
    expect(getDesiredCanaryWeight(rollout, rs('B', canaryAvailable, canaryAvailable), rs('A', 10, stableAvailable))).toBe(want);
  });
  it('a nil ReplicaSet falls back to the current set weight (0 when aborted)', () => {
    expect(getDesiredCanaryWeight(aborted(true), undefined, rs('A', 10, 4))).toBe(0);
  });
});

describe('beforeStartingStep / getCurrentExperimentStep', () => {
  it('is true only before analysis.startingStep', () => {
    const ro = (index: number) => canaryRollout(4, { steps, analysis: { startingStep: 2 } }, midUpdate(index));
    expect([0, 1, 2, 3].map((i) => beforeStartingStep(ro(i)))).toEqual([true, true, false, false]);
    expect(beforeStartingStep(canaryRollout(4, { steps, analysis: {} }, midUpdate(0)))).toBe(false);
  });
  it('reports the nearest experiment at or before the current step, none when all done', () => {
    const exp: CanaryStep[] = [{ setWeight: 5 }, { experiment: { duration: '1m' } }, { pause: {} }];
    expect(getCurrentExperimentStep(canaryRollout(4, { steps: exp }, midUpdate(0)))).toBeUndefined();
    expect(getCurrentExperimentStep(canaryRollout(4, { steps: exp }, midUpdate(2)))).toEqual({ duration: '1m' });
    expect(getCurrentExperimentStep(canaryRollout(4, { steps: exp }, midUpdate(3)))).toBeUndefined();
  });
});

// utils/rollout/rolloututil.go CanaryStepString
describe('canaryStepString', () => {
  const rows: { step: CanaryStep; want: string }[] = [
    { step: { setWeight: 5 }, want: 'setWeight: 5' },
    { step: { pause: { duration: '1m30s' } }, want: 'pause: 1m30s' },
    { step: { pause: {} }, want: 'pause' },
    { step: { setCanaryScale: { matchTrafficWeight: true } }, want: 'setCanaryScale{matchTrafficWeight: true}' },
    { step: { setCanaryScale: { weight: 5, replicas: 2 } }, want: 'setCanaryScale{weight: 5}' },
    { step: { setMirrorRoute: { name: 'm' } }, want: 'setMirrorRoute: m' },
    // issue 17: Go checks plugin before setHeaderRoute / setMirrorRoute.
    { step: { plugin: { name: 'p' }, setHeaderRoute: { name: 'h' } }, want: 'plugin: p' },
    { step: { plugin: { name: 'p' }, setMirrorRoute: { name: 'm' } }, want: 'plugin: p' },
    { step: {}, want: 'invalid' },
  ];
  it.each(rows)('$want', ({ step, want }) => expect(canaryStepString(step)).toBe(want));
});

// Spec §7: duration is int seconds, digits-only string, or a Go duration.
describe('parsePauseDurationSeconds', () => {
  const rows: { value: number | string; want: number }[] = [
    { value: 60, want: 60 },
    { value: '45', want: 45 },
    { value: '30s', want: 30 },
    { value: '5m', want: 300 },
    { value: '1h30m', want: 5400 },
    { value: '1.5s', want: 1 },
    { value: '1500ms', want: 1 },
    { value: '0', want: 0 },
    // diff-argo: Go sums the parts in integer nanoseconds (time.ParseDuration); a float sum of
    // 0.7 + 0.2 + 0.1 is 0.999..., which truncated to 0
    { value: '0.7s0.2s0.1s', want: 1 },
    { value: '0.1m0.9m', want: 60 },
    { value: '-1.5s', want: -1 },
    { value: '.5h', want: 1800 },
    { value: '1.s', want: 1 },
  ];
  it.each(rows)('$value -> $want', ({ value, want }) => expect(parsePauseDurationSeconds(value)).toBe(want));
  it('rejects a duration longer than Go can hold, naming the field', () => {
    expect(() => parsePauseDurationSeconds('2562048h', 'steps[0].pause.duration')).toThrow('steps[0].pause.duration ("2562048h") is longer than a Go duration can hold');
  });
  it.each(['10x', '', 'm5', '1 m', '5 minutes'])('rejects %j naming the field', (value) => {
    expect(() => parsePauseDurationSeconds(value, 'steps[2].pause.duration')).toThrow(`steps[2].pause.duration (${JSON.stringify(value)})`);
  });
});
