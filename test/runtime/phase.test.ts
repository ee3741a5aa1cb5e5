import { describe, expect, it } from 'vitest';
import { calculateRolloutPhase, getRolloutPhase, isUnpausing, shouldVerifyWeight } from '../../src/runtime/phase';
import type { RolloutSpec, RolloutState, RolloutStatus } from '../../src/runtime/types';

const tr: RolloutSpec = { replicas: 4, strategy: { canary: { steps: [{ setWeight: 20 }], trafficRouting: { istio: { virtualService: { name: 'vs' } } } } } };
const basic: RolloutSpec = { replicas: 4, strategy: { canary: { steps: [{ setWeight: 20 }] } } };
const bg = (postPromotionAnalysis?: Record<string, unknown>): RolloutSpec => ({ replicas: 4, strategy: { blueGreen: { postPromotionAnalysis } } });
const healthy: RolloutStatus = { stableRS: 'B', currentPodHash: 'B', replicas: 4, updatedReplicas: 4, availableReplicas: 4 };

// Spec §13 CalculateRolloutPhase, first matching rule wins.
describe('calculateRolloutPhase', () => {
  const rows: { name: string; spec: RolloutSpec; status: RolloutStatus; want: [string, string] }[] = [
    { name: 'aborted condition wins over everything', spec: { ...tr, paused: true }, status: { ...healthy, conditions: [{ type: 'Progressing', status: 'False', reason: 'RolloutAborted', message: 'Rollout aborted update to revision 2' }] }, want: ['Degraded', 'RolloutAborted: Rollout aborted update to revision 2'] },
    { name: 'InvalidSpec', spec: tr, status: { ...healthy, conditions: [{ type: 'InvalidSpec', message: 'bad steps' }] }, want: ['Degraded', 'InvalidSpec: bad steps'] },
    { name: 'spec.paused', spec: { ...tr, paused: true }, status: healthy, want: ['Paused', 'manually paused'] },
    { name: 'a pause condition: its reason', spec: tr, status: { ...healthy, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 0 }] }, want: ['Paused', 'CanaryPauseStep'] },
    { name: 'restart pending', spec: { ...tr, restartAt: '2030-01-01T00:00:00Z' }, status: healthy, want: ['Progressing', 'rollout is restarting'] },
    { name: 'updated < N', spec: tr, status: { ...healthy, updatedReplicas: 2 }, want: ['Progressing', 'more replicas need to be updated'] },
    { name: 'available < updated', spec: tr, status: { ...healthy, availableReplicas: 3 }, want: ['Progressing', 'updated replicas are still becoming available'] },
    { name: 'basic canary with old pods left', spec: basic, status: { ...healthy, replicas: 5 }, want: ['Progressing', 'old replicas are pending termination'] },
    { name: 'traffic-routed with the old RS still up (scale-down delay): Healthy', spec: tr, status: { ...healthy, replicas: 8 }, want: ['Healthy', ''] },
    { name: 'steps not done', spec: tr, status: { ...healthy, stableRS: 'A' }, want: ['Progressing', 'waiting for all steps to complete'] },
    { name: 'no stable yet', spec: tr, status: { ...healthy, stableRS: undefined }, want: ['Progressing', 'waiting for all steps to complete'] },
    // issue 17: blue-green after the active Service cutover, stable not yet the new pods.
    { name: 'blue-green cutover done, no postPromotionAnalysis', spec: bg(), status: { ...healthy, stableRS: 'A', blueGreen: { activeSelector: 'B' } }, want: ['Progressing', 'waiting for post-promotion verification to complete'] },
    { name: 'blue-green cutover done, postPromotionAnalysis without a run', spec: bg({ templates: [] }), status: { ...healthy, stableRS: 'A', blueGreen: { activeSelector: 'B' } }, want: ['Progressing', 'waiting for analysis to complete'] },
    { name: 'blue-green cutover done, postPromotionAnalysis Running', spec: bg({ templates: [] }), status: { ...healthy, stableRS: 'A', blueGreen: { activeSelector: 'B', postPromotionAnalysisRunStatus: { status: 'Running' } } }, want: ['Progressing', 'waiting for analysis to complete'] },
    { name: 'blue-green cutover done, postPromotionAnalysis Successful', spec: bg({ templates: [] }), status: { ...healthy, stableRS: 'A', blueGreen: { activeSelector: 'B', postPromotionAnalysisRunStatus: { status: 'Successful' } } }, want: ['Progressing', 'waiting for post-promotion verification to complete'] },
    { name: 'blue-green active selector not on the new pods', spec: bg(), status: { ...healthy, stableRS: 'A', blueGreen: { activeSelector: 'A' } }, want: ['Progressing', 'active service cutover pending'] },
  ];
  it.each(rows)('$name', ({ spec, status, want }) => {
    const { phase, message } = calculateRolloutPhase(spec, status);
    expect([phase, message]).toEqual(want);
  });
});

// utils/rollout/rolloututil.go GetRolloutPhase guards.
describe('getRolloutPhase', () => {
  const ro = (status: RolloutStatus, generation = 3, spec: RolloutSpec = tr): RolloutState => ({ metadata: { generation }, spec, status });
  it.each([
    { name: 'generation not observed', rollout: ro({ ...healthy, observedGeneration: '2' }), want: ['Progressing', 'waiting for rollout spec update to be observed'] },
    { name: 'legacy hash observedGeneration counts as observed', rollout: ro({ ...healthy, observedGeneration: 'abc123' }), want: ['Healthy', ''] },
    { name: 'unpausing window', rollout: ro({ ...healthy, controllerPause: true, observedGeneration: '3' }), want: ['Progressing', 'waiting for rollout to unpause'] },
    { name: 'stored phase is reported as is', rollout: ro({ ...healthy, phase: 'Paused', message: 'CanaryPauseStep', observedGeneration: '3' }), want: ['Paused', 'CanaryPauseStep'] },
    {
      name: 'workloadRef generation not observed',
      rollout: { metadata: { generation: 1, annotations: { 'rollout.argoproj.io/workload-generation': '5' } }, spec: { ...tr, templateResolvedFromRef: true }, status: { ...healthy, workloadObservedGeneration: '4' } },
      want: ['Progressing', 'waiting for rollout spec update to be observed for the reference workload'],
    },
    // issue 17: Go requires equality; an observed generation ahead of the annotation is not observed.
    {
      name: 'workloadRef generation observed ahead of the annotation',
      rollout: { metadata: { generation: 1, annotations: { 'rollout.argoproj.io/workload-generation': '5' } }, spec: { ...tr, templateResolvedFromRef: true }, status: { ...healthy, workloadObservedGeneration: '6' } },
      want: ['Progressing', 'waiting for rollout spec update to be observed for the reference workload'],
    },
    {
      name: 'workloadRef generation equal: observed',
      rollout: { metadata: { generation: 1, annotations: { 'rollout.argoproj.io/workload-generation': '5' } }, spec: { ...tr, templateResolvedFromRef: true }, status: { ...healthy, workloadObservedGeneration: '5' } },
      want: ['Healthy', ''],
    },
    {
      name: 'workloadRef annotation beyond int32 does not parse: observed',
      rollout: { metadata: { generation: 1, annotations: { 'rollout.argoproj.io/workload-generation': '2147483648' } }, spec: { ...tr, templateResolvedFromRef: true }, status: { ...healthy, workloadObservedGeneration: '5' } },
      want: ['Healthy', ''],
    },
  ])('$name', ({ rollout, want }) => {
    const { phase, message } = getRolloutPhase(rollout);
    expect([phase, message]).toEqual(want);
  });
  it('isUnpausing needs controllerPause and no condition', () => {
    expect(isUnpausing({ status: { controllerPause: true, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 0 }] } })).toBe(false);
    expect(isUnpausing({ status: { controllerPause: true } })).toBe(true);
  });
});

describe('shouldVerifyWeight', () => {
  it.each([
    { name: 'mid-update at a setWeight step', status: { stableRS: 'A', currentPodHash: 'B', currentStepIndex: 0 }, want: true },
    { name: 'fully promoted', status: { stableRS: 'B', currentPodHash: 'B', currentStepIndex: 0 }, want: false },
    { name: 'all steps done, desired weight below max', status: { stableRS: 'A', currentPodHash: 'B', currentStepIndex: 1 }, want: false },
  ])('$name', ({ status, want }) => expect(shouldVerifyWeight({ spec: tr, status }, 20)).toBe(want));
  // issue 17: Go's second clause, the end of the rollout at the maximum weight.
  it.each([
    { name: 'all steps done at desired == 100', spec: tr, desired: 100, want: true },
    { name: 'all steps done at desired == maxTrafficWeight 1000', spec: { ...tr, strategy: { canary: { ...tr.strategy.canary, trafficRouting: { maxTrafficWeight: 1000, istio: { virtualService: { name: 'vs' } } } } } }, desired: 1000, want: true },
    { name: 'all steps done at desired == 100 with maxTrafficWeight 1000', spec: { ...tr, strategy: { canary: { ...tr.strategy.canary, trafficRouting: { maxTrafficWeight: 1000, istio: { virtualService: { name: 'vs' } } } } } }, desired: 100, want: false },
    { name: 'no steps at desired == 100', spec: { ...tr, strategy: { canary: { ...tr.strategy.canary, steps: [] } } }, desired: 100, want: true },
    { name: 'fully promoted at desired == 100', spec: tr, desired: 100, want: false, promoted: true },
  ])('$name', ({ spec, desired, want, promoted }) =>
    expect(shouldVerifyWeight({ spec, status: { stableRS: 'A', currentPodHash: promoted ? 'A' : 'B', currentStepIndex: 1 } }, desired)).toBe(want));
});
