import { maxSurge, maxUnavailable, resolveFenceposts } from '../runtime/fenceposts';
import {
  allDesiredAreAvailable,
  approximateWeightedCanaryStableReplicaCounts,
  atDesiredReplicaCountsForCanary,
  calculateReplicaCountsForBasicCanary,
  calculateReplicaCountsForTrafficRoutedCanary,
  getReplicasForScaleDown,
  replicaProgressThresholdMet,
  trafficWeightToReplicas,
} from '../runtime/replica-counts';
import {
  getAbortScaleDownDelaySecondsOrDefault,
  getMaxSurgeOrDefault,
  getMaxUnavailableOrDefault,
  getProgressDeadlineSecondsOrDefault,
  getReplicasOrDefault,
  getRevisionHistoryLimitOrDefault,
  getScaleDownDelaySecondsOrDefault,
} from '../runtime/rollout-defaults';
import {
  beforeStartingStep,
  canaryStepString,
  getCanaryReplicasOrWeight,
  getCurrentCanaryStep,
  getCurrentExperimentStep,
  getCurrentSetWeight,
} from '../runtime/steps';
import type { RolloutSpec, RolloutState } from '../runtime/types';
import type { Adapter } from './case-result';
import {
  asRecord,
  optionalIntOrString,
  optionalNumber,
  toFlatCanaryRollout,
  toReplicaSet,
  toReplicaSets,
  toSteps,
  toThreshold,
  toWeights,
  withoutNulls,
} from './vector-input';

/**
 * Adapters for the replica-math, step and defaults vectors (replica-counts, dynamic-stable-scale,
 * approximate-weighted-counts, traffic-weight-to-replicas, step-and-availability-helpers,
 * surge-unavailable-defaults). Keys are the normalized Go function names.
 */

const input = (testCase: { input?: unknown }): Record<string, unknown> => asRecord(testCase.input, 'input');

/** A rollout with only steps / index / abort / maxTrafficWeight, as the step helpers' vectors give them. */
function stepsRollout(inp: Record<string, unknown>): RolloutState {
  const maxTrafficWeight = optionalNumber(inp['maxTrafficWeight'], 'input.maxTrafficWeight');
  return {
    spec: {
      strategy: {
        canary: {
          steps: toSteps(inp['steps'], 'input.steps'),
          trafficRouting: maxTrafficWeight !== undefined ? { maxTrafficWeight } : undefined,
        },
      },
    },
    status: {
      currentStepIndex: optionalNumber(inp['currentStepIndex'], 'input.currentStepIndex'),
      abort: inp['abort'] === true,
    },
  };
}

/** The strategy field of the fencepost/defaults vectors: "canary", "blueGreen", or none. */
function strategySpec(inp: Record<string, unknown>, fields: Partial<Record<string, unknown>>): RolloutSpec {
  const strategy = inp['strategy'];
  const replicas = optionalNumber(inp['replicas'] ?? inp['rolloutSpecReplicas'], 'input.replicas');
  if (strategy === 'canary') return { replicas, strategy: { canary: withoutNulls(fields) } };
  if (strategy === 'blueGreen') return { replicas, strategy: { blueGreen: withoutNulls(fields) } };
  if (strategy === null || strategy === undefined || strategy === 'none') return { replicas, strategy: {} };
  throw new Error(`input.strategy (${JSON.stringify(strategy)}) must be "canary", "blueGreen" or null`);
}

const countsFunction =
  (kind: 'basic' | 'trafficRouted'): Adapter =>
  (testCase) => {
    const inp = input(testCase);
    const rollout = toFlatCanaryRollout(inp);
    const newRS = toReplicaSet(inp['canaryRS'], 'input.canaryRS');
    const stableRS = toReplicaSet(inp['stableRS'], 'input.stableRS');
    const actual =
      kind === 'basic'
        ? calculateReplicaCountsForBasicCanary(rollout, newRS, stableRS, toReplicaSets(inp['olderRSs'], 'input.olderRSs'))
        : calculateReplicaCountsForTrafficRoutedCanary(rollout, newRS, stableRS, toWeights(inp['weights'], 'input.weights'));
    return { actual };
  };

/** `defaults` group: which getter is exercised is told by the single input key. */
const defaultsAdapter: Adapter = (testCase) => {
  const inp = input(testCase);
  const keys = Object.keys(inp);
  const getters: Record<string, (value: unknown) => unknown> = {
    replicas: (v) => getReplicasOrDefault(optionalNumber(v, 'input.replicas')),
    canaryMaxSurge: (v) => getMaxSurgeOrDefault({ strategy: { canary: { maxSurge: optionalIntOrString(v, 'input.canaryMaxSurge') } } }),
    canaryMaxUnavailable: (v) =>
      getMaxUnavailableOrDefault({ strategy: { canary: { maxUnavailable: optionalIntOrString(v, 'input.canaryMaxUnavailable') } } }),
    blueGreenMaxUnavailable: (v) =>
      getMaxUnavailableOrDefault({ strategy: { blueGreen: { maxUnavailable: optionalIntOrString(v, 'input.blueGreenMaxUnavailable') } } }),
    progressDeadlineSeconds: (v) =>
      getProgressDeadlineSecondsOrDefault({ progressDeadlineSeconds: optionalNumber(v, 'input.progressDeadlineSeconds'), strategy: {} }),
    revisionHistoryLimit: (v) =>
      getRevisionHistoryLimitOrDefault({ revisionHistoryLimit: optionalNumber(v, 'input.revisionHistoryLimit'), strategy: {} }),
  };
  if (keys.length !== 1 || !(keys[0] in getters)) {
    throw new Error(`defaults case input must have exactly one of ${Object.keys(getters).join(', ')}; got ${JSON.stringify(keys)}`);
  }
  return { actual: getters[keys[0]](inp[keys[0]]) };
};

export const REPLICA_ADAPTERS: Readonly<Record<string, Adapter>> = {
  trafficWeightToReplicas: (testCase) => {
    const inp = input(testCase);
    return {
      actual: trafficWeightToReplicas(
        optionalNumber(inp['replicas'], 'input.replicas') ?? 0,
        optionalNumber(inp['weight'], 'input.weight') ?? 0,
        optionalNumber(inp['maxWeight'], 'input.maxWeight') ?? 100,
      ),
    };
  },
  approximateWeightedCanaryStableReplicaCounts: (testCase) => {
    const inp = input(testCase);
    return {
      actual: approximateWeightedCanaryStableReplicaCounts(
        optionalNumber(inp['specReplicas'], 'input.specReplicas') ?? 0,
        optionalNumber(inp['desiredWeight'], 'input.desiredWeight') ?? 0,
        optionalNumber(inp['maxWeight'], 'input.maxWeight') ?? 100,
        optionalNumber(inp['maxSurge'], 'input.maxSurge') ?? 0,
      ),
    };
  },
  calculateReplicaCountsForBasicCanary: countsFunction('basic'),
  calculateReplicaCountsForTrafficRoutedCanary: countsFunction('trafficRouted'),
  getCurrentSetWeight: (testCase) => ({ actual: getCurrentSetWeight(stepsRollout(input(testCase))) }),
  getCurrentCanaryStep: (testCase) => {
    const { step, index } = getCurrentCanaryStep(stepsRollout(input(testCase)));
    return { actual: { step: step ?? null, index: index ?? null } };
  },
  beforeStartingStep: (testCase) => {
    const inp = input(testCase);
    const base = stepsRollout(inp);
    const startingStep = optionalNumber(inp['analysisStartingStep'], 'input.analysisStartingStep');
    const analysis = inp['hasBackgroundAnalysis'] === true ? withoutNulls({ startingStep }) : undefined;
    const rollout: RolloutState = { ...base, spec: { ...base.spec, strategy: { canary: { ...base.spec.strategy.canary, analysis } } } };
    return { actual: beforeStartingStep(rollout) };
  },
  getCanaryReplicasOrWeight: (testCase) => {
    const inp = input(testCase);
    const flat = toFlatCanaryRollout(inp);
    const rollout: RolloutState = inp['strategy'] === 'canary' ? flat : { ...flat, spec: { ...flat.spec, strategy: {} } };
    const result = getCanaryReplicasOrWeight(
      rollout,
      toReplicaSet(inp['newRS'], 'input.newRS'),
      toReplicaSet(inp['stableRS'], 'input.stableRS'),
    );
    return { actual: { replicas: result.replicas ?? null, weight: result.weight } };
  },
  getReplicasForScaleDown: (testCase) => {
    const inp = input(testCase);
    return { actual: getReplicasForScaleDown(toReplicaSet(inp['rs'], 'input.rs'), inp['ignoreAvailability'] === true) };
  },
  getCurrentExperimentStep: (testCase) => {
    // Encoded as the step that holds it (`{experiment: ...}`), or null.
    const experiment = getCurrentExperimentStep(stepsRollout(input(testCase)));
    return { actual: experiment === undefined ? null : { experiment } };
  },
  canaryStepString: (testCase) => ({ actual: canaryStepString(withoutNulls(asRecord(input(testCase)['step'], 'input.step'))) }),
  atDesiredReplicaCountsForCanary: (testCase) => {
    const inp = input(testCase);
    return {
      actual: atDesiredReplicaCountsForCanary(
        toFlatCanaryRollout(inp),
        toReplicaSet(inp['newRS'], 'input.newRS'),
        toReplicaSet(inp['stableRS'], 'input.stableRS'),
        toReplicaSets(inp['olderRSs'], 'input.olderRSs'),
        toWeights(inp['weights'], 'input.weights'),
      ),
    };
  },
  allDesiredAreAvailable: (testCase) => {
    const inp = input(testCase);
    return { actual: allDesiredAreAvailable(toReplicaSet(inp['rs'], 'input.rs'), optionalNumber(inp['desired'], 'input.desired') ?? 0) };
  },
  replicaProgressThresholdMet: (testCase) => {
    const inp = input(testCase);
    return {
      actual: replicaProgressThresholdMet(
        toThreshold(inp['threshold'], 'input.threshold'),
        toReplicaSet(inp['rs'], 'input.rs'),
        optionalNumber(inp['desired'], 'input.desired') ?? 0,
      ),
    };
  },
  resolveFenceposts: (testCase) => {
    const inp = input(testCase);
    const result = resolveFenceposts(
      optionalIntOrString(inp['maxSurge'], 'input.maxSurge'),
      optionalIntOrString(inp['maxUnavailable'], 'input.maxUnavailable'),
      optionalNumber(inp['desired'], 'input.desired') ?? 0,
    );
    return { actual: { surge: result.surge, unavailable: result.unavailable, error: result.error !== undefined } };
  },
  maxSurge: (testCase) => {
    const inp = input(testCase);
    const spec = strategySpec(inp, { maxSurge: inp['maxSurge'], maxUnavailable: inp['maxUnavailable'] });
    return { actual: maxSurge({ spec, status: {} }) };
  },
  maxUnavailable: (testCase) => {
    const inp = input(testCase);
    const spec = strategySpec(inp, { maxSurge: inp['maxSurge'], maxUnavailable: inp['maxUnavailable'] });
    return { actual: maxUnavailable({ spec, status: {} }) };
  },
  defaults: defaultsAdapter,
  getScaleDownDelaySecondsOrDefault: (testCase) => {
    const inp = input(testCase);
    const spec = strategySpec(inp, {
      scaleDownDelaySeconds: inp['scaleDownDelaySeconds'],
      trafficRouting: inp['trafficRouting'] === true ? {} : undefined,
    });
    return { actual: getScaleDownDelaySecondsOrDefault(spec), expected: testCase.expected ?? testCase['expectedSeconds'] };
  },
  getAbortScaleDownDelaySecondsOrDefault: (testCase) => {
    const inp = input(testCase);
    const spec = strategySpec(inp, {
      abortScaleDownDelaySeconds: inp['abortScaleDownDelaySeconds'],
      trafficRouting: inp['trafficRouting'] === true ? {} : undefined,
    });
    const result = getAbortScaleDownDelaySecondsOrDefault(spec);
    return { actual: { delaySeconds: result.delaySeconds ?? null, wasSet: result.wasSet } };
  },
};
