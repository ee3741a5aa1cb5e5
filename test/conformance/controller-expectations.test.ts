import { describe, expect, it } from 'vitest';
import { CONTROLLER_ADAPTERS, statusPatchMatches } from '../../src/conformance/controller-adapters';
import { jsonSubsetEqual } from '../../src/conformance/deep-equal';

// The expectation semantics documented in docs/conformance.md (issue 17).
describe('jsonSubsetEqual', () => {
  it.each([
    { name: 'unlisted keys are not compared', actual: { a: 1, b: 2 }, expected: { a: 1 }, want: true },
    { name: 'nested objects compare their listed keys', actual: { w: { canary: { weight: 10, podTemplateHash: 'B' } } }, expected: { w: { canary: { weight: 10 } } }, want: true },
    { name: 'a listed key with another value fails', actual: { w: { canary: { weight: 10 } } }, expected: { w: { canary: { weight: 20 } } }, want: false },
    { name: 'list elements compare as subsets', actual: [{ reason: 'CanaryPauseStep', startTime: 0 }], expected: [{ reason: 'CanaryPauseStep' }], want: true },
    { name: 'lists must have the same length', actual: [{ reason: 'A' }, { reason: 'B' }], expected: [{ reason: 'A' }], want: false },
    { name: '"<now>" is the tick clock (seconds)', actual: { startTime: 0 }, expected: { startTime: '<now>' }, want: true },
    { name: '"<now>" is the tick clock (RFC 3339)', actual: { startTime: '1970-01-01T00:00:00Z' }, expected: { startTime: '<now>' }, want: true },
    { name: '"<now>" does not match another time', actual: { startTime: 60 }, expected: { startTime: '<now>' }, want: false },
    { name: '"<now>" does not match an absent field', actual: {}, expected: { startTime: '<now>' }, want: false },
  ])('$name', ({ actual, expected, want }) => expect(jsonSubsetEqual(actual, expected, 0)).toBe(want));
  it('without a clock "<now>" is a plain string', () => expect(jsonSubsetEqual('<now>', '<now>')).toBe(true));
});

describe('statusPatchMatches', () => {
  const patch = { currentStepIndex: 1, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 0 }] };
  const after = { ...patch, stableRS: 'A', canary: { weights: { canary: { weight: 10, podTemplateHash: 'B' } } } };
  it.each([
    { name: 'listed keys only', wanted: { currentStepIndex: 1 }, want: true },
    { name: 'pause condition with "<now>"', wanted: { pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '<now>' }] }, want: true },
    { name: 'a field the patch leaves unchanged is read from the status after the tick', wanted: { stableRS: 'A' }, want: true },
    { name: 'nested subset of an unchanged field', wanted: { canary: { weights: { canary: { weight: 10 } } } }, want: true },
    { name: 'wrong value', wanted: { currentStepIndex: 2 }, want: false },
    { name: 'null = absent afterwards', wanted: { abort: null }, want: true },
    { name: 'null for a present field fails', wanted: { stableRS: null }, want: false },
    { name: 'a field absent everywhere fails', wanted: { promoteFull: true }, want: false },
  ])('$name', ({ wanted, want }) => expect(statusPatchMatches(wanted, patch, after, 0)).toBe(want));
});

describe('controller scenario with a weighted experiment step', () => {
  it('is reported as unsupported by name, not as an unknown key', () => {
    const outcome = CONTROLLER_ADAPTERS['controllerScenario']({
      name: 'experiment with weights',
      input: {
        rollout: { specReplicas: 4, steps: [{ experiment: { templates: [{ name: 't', specRef: 'canary', weight: 10 }] } }], trafficRouting: true },
        status: { currentStepIndex: 0, stableRS: 'A', currentPodHash: 'B' },
        replicaSets: [
          { role: 'stable', podTemplateHash: 'A', specReplicas: 4, availableReplicas: 4 },
          { role: 'new', podTemplateHash: 'B', specReplicas: 1, availableReplicas: 1 },
        ],
        experimentPhase: 'Running',
      },
      expected: { setWeightCalls: [0] },
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.message).toBe(
      'unsupported: experiment step templates with a traffic weight (additional destinations of calculateWeightDestinationsFromExperiment) are not simulated',
    );
  });
});
