import { describe, expect, it } from 'vitest';
import { abortPatches, applyMergePatch, promotePatches, restartPatches, retryPatches, type PromoteFlags } from '../../src/runtime/cli-patches';
import type { RolloutState } from '../../src/runtime/types';
import { canaryRollout, midUpdate } from './function-fixtures';

const steps = [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }];

// Spec §12 (pkg/kubectl-argo-rollouts/cmd/promote getPatches).
describe('promotePatches', () => {
  const rows: { name: string; rollout: RolloutState; flags?: PromoteFlags; status?: unknown; spec?: unknown; fallback?: unknown }[] = [
    {
      name: 'at a pause step with its condition: only clear the conditions (the controller then advances)',
      rollout: canaryRollout(4, { steps }, midUpdate(1, { controllerPause: true, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 5 }] })),
      status: { status: { pauseConditions: null } },
      fallback: { spec: { paused: false }, status: { pauseConditions: null } },
    },
    {
      name: 'nothing paused: skips the current step (e.g. a setWeight still waiting for pods)',
      rollout: canaryRollout(4, { steps }, midUpdate(0)),
      status: { status: { pauseConditions: null, currentStepIndex: 1 } },
      fallback: { spec: { paused: false }, status: { pauseConditions: null, currentStepIndex: 1 } },
    },
    {
      name: 'spec.paused: also unpause the spec',
      rollout: { ...canaryRollout(4, { steps }, midUpdate(3)), spec: { replicas: 4, paused: true, strategy: { canary: { steps } } } },
      status: { status: { pauseConditions: null, currentStepIndex: 3 } },
      spec: { spec: { paused: false } },
      fallback: { spec: { paused: false }, status: { pauseConditions: null, currentStepIndex: 3 } },
    },
    {
      name: 'inconclusive step analysis: clear, controllerPause false, next step',
      rollout: canaryRollout(4, { steps }, midUpdate(1, { controllerPause: true, pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: 5 }], canary: { currentStepAnalysisRunStatus: { status: 'Inconclusive' } } })),
      status: { status: { pauseConditions: null, controllerPause: false, currentStepIndex: 2 } },
      fallback: { spec: { paused: false }, status: { pauseConditions: null } },
    },
    {
      name: '--full mid-update',
      rollout: canaryRollout(4, { steps }, midUpdate(1)),
      flags: { full: true },
      status: { status: { promoteFull: true } },
      fallback: { spec: { paused: false }, status: { promoteFull: true } },
    },
    { name: '--skip-all-steps', rollout: canaryRollout(4, { steps }, midUpdate(0)), flags: { skipAllSteps: true }, status: { status: { currentStepIndex: 3 } }, fallback: { status: { currentStepIndex: 3 } } },
    { name: '--skip-current-step without steps: nothing', rollout: canaryRollout(4, {}, midUpdate(undefined)), flags: { skipCurrentStep: true } },
  ];
  it.each(rows)('$name', ({ rollout, flags, status, spec, fallback }) => {
    const patches = promotePatches(rollout, flags);
    expect(patches.statusPatch).toEqual(status);
    expect(patches.specPatch).toEqual(spec);
    expect(patches.fallbackPatch).toEqual(fallback);
  });
});

describe('other commands and the merge patch', () => {
  it('abort / retry flip status.abort', () => {
    expect(abortPatches().statusPatch).toEqual({ status: { abort: true } });
    expect(retryPatches().statusPatch).toEqual({ status: { abort: false } });
  });
  it('restart --in 90s writes RFC 3339 UTC whole seconds; a negative delay is refused', () => {
    expect(restartPatches(Date.UTC(2025, 4, 6, 7, 8, 9, 750), 90).specPatch).toEqual({ spec: { restartAt: '2025-05-06T07:09:39Z' } });
    expect(() => restartPatches(0, -1)).toThrow('restart --in (-1) must be a non-negative number of seconds');
  });
  it('applyMergePatch: null deletes, objects merge, arrays replace', () => {
    const rollout = canaryRollout(4, { steps }, midUpdate(1, { controllerPause: true, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 5 }] }));
    const next = applyMergePatch(rollout, { status: { pauseConditions: null, currentStepIndex: 2 } });
    expect(next.status).toEqual({ stableRS: 'A', currentPodHash: 'B', currentStepIndex: 2, controllerPause: true });
    expect(next.spec).toBe(rollout.spec);
    expect(rollout.status.currentStepIndex).toBe(1);
  });
});
