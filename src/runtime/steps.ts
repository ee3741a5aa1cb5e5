import { getAbortScaleDownDelaySecondsOrDefault, getMaxTrafficWeight, getReplicasOrDefault } from './rollout-defaults';
import type { CanaryStep, ReplicaSetState, RolloutState, SetCanaryScale } from './types';

/** Result of {@link getCurrentCanaryStep}. */
export interface CurrentCanaryStep {
  /** The step at the index; `undefined` when there are no steps or all are done. */
  readonly step: CanaryStep | undefined;
  /** `status.currentStepIndex` (nil read as 0); `undefined` only when there are no steps. */
  readonly index: number | undefined;
}

/**
 * The current canary step. No steps: both undefined. Otherwise the index is
 * `status.currentStepIndex` or 0; an index >= len(steps) gives `step: undefined` (all done).
 * @see utils/replicaset/canary.go GetCurrentCanaryStep
 */
export function getCurrentCanaryStep(rollout: RolloutState): CurrentCanaryStep {
  const steps = rollout.spec.strategy.canary?.steps ?? [];
  if (steps.length === 0) return { step: undefined, index: undefined };
  const index = rollout.status.currentStepIndex ?? 0;
  if (index >= steps.length) return { step: undefined, index };
  return { step: steps[index], index };
}

/**
 * The weight of the last `setWeight` at or before the current step. Aborted: 0. No current step
 * (no steps, or all done): maxTrafficWeight. No earlier `setWeight` (a leading pause): 0.
 * @see utils/replicaset/canary.go GetCurrentSetWeight
 */
export function getCurrentSetWeight(rollout: RolloutState): number {
  if (rollout.status.abort) return 0;
  const { step, index } = getCurrentCanaryStep(rollout);
  if (step === undefined || index === undefined) return getMaxTrafficWeight(rollout.spec);
  const steps = rollout.spec.strategy.canary?.steps ?? [];
  for (let i = index; i >= 0; i--) {
    const weight = steps[i].setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}

/**
 * The `setCanaryScale` in force, or undefined. Only with trafficRouting; ignored while aborted
 * unless `abortScaleDownDelaySeconds` is 0; the nearest `setCanaryScale` at or before the current
 * step wins, and `matchTrafficWeight: true` there means "back to the weight" (undefined).
 * @see utils/replicaset/canary.go UseSetCanaryScale
 */
export function useSetCanaryScale(rollout: RolloutState): SetCanaryScale | undefined {
  const canary = rollout.spec.strategy.canary;
  if (!canary?.trafficRouting) return undefined;
  if (rollout.status.abort && getAbortScaleDownDelaySecondsOrDefault(rollout.spec).delaySeconds !== undefined) {
    return undefined;
  }
  const { step, index } = getCurrentCanaryStep(rollout);
  if (step === undefined || index === undefined) return undefined;
  const steps = canary.steps ?? [];
  for (let i = index; i >= 0; i--) {
    const scale = steps[i].setCanaryScale;
    if (scale === undefined) continue;
    if (scale.matchTrafficWeight) return undefined;
    return scale;
  }
  return undefined;
}

/**
 * The canary weight used for replica math. Normally {@link getCurrentSetWeight}. While aborted
 * with dynamicStableScale (both ReplicaSets known) it walks the setWeight ladder backwards and
 * returns the first weight whose replica count is below the canary size still needed
 * (`max(N - stable available, canary available)`), or 0.
 * @see utils/replicaset/canary.go GetDesiredCanaryWeight
 */
export function getDesiredCanaryWeight(
  rollout: RolloutState,
  newRS: ReplicaSetState | undefined,
  stableRS: ReplicaSetState | undefined,
): number {
  const canary = rollout.spec.strategy.canary;
  if (!rollout.status.abort || !canary?.dynamicStableScale || !newRS || !stableRS) {
    return getCurrentSetWeight(rollout);
  }
  const n = getReplicasOrDefault(rollout.spec.replicas);
  const maxWeight = getMaxTrafficWeight(rollout.spec);
  const expectedCanary = n - stableRS.availableReplicas;
  const canaryNow = Math.max(expectedCanary, newRS.availableReplicas);
  const steps = canary.steps ?? [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const weight = steps[i].setWeight;
    if (weight !== undefined && Math.ceil((weight * n) / maxWeight) < canaryNow) return weight;
  }
  return 0;
}

/** Result of {@link getCanaryReplicasOrWeight}: exactly one of the two drives the canary size. */
export interface CanaryReplicasOrWeight {
  /** Explicit canary pod count from `setCanaryScale.replicas`; `undefined` = use `weight`. */
  readonly replicas: number | undefined;
  /** Weight (0..maxW, or more for `setCanaryScale.weight`); 0 when `replicas` is set. */
  readonly weight: number;
}

/**
 * Explicit canary replicas or a weight. Fully promoted, `promoteFull` or no stable: maxW. Then an
 * active `setCanaryScale` (`replicas` before `weight`), else {@link getDesiredCanaryWeight}.
 * @see utils/replicaset/canary.go GetCanaryReplicasOrWeight
 */
export function getCanaryReplicasOrWeight(
  rollout: RolloutState,
  newRS?: ReplicaSetState,
  stableRS?: ReplicaSetState,
): CanaryReplicasOrWeight {
  const { status } = rollout;
  const stable = status.stableRS ?? '';
  if (status.promoteFull || stable === '' || (status.currentPodHash ?? '') === stable) {
    return { replicas: undefined, weight: getMaxTrafficWeight(rollout.spec) };
  }
  const scale = useSetCanaryScale(rollout);
  if (scale?.replicas !== undefined) return { replicas: scale.replicas, weight: 0 };
  if (scale?.weight !== undefined) return { replicas: undefined, weight: scale.weight };
  return { replicas: undefined, weight: getDesiredCanaryWeight(rollout, newRS, stableRS) };
}

/**
 * True while the current step is before `analysis.startingStep` of the background analysis.
 * @see utils/replicaset/canary.go BeforeStartingStep
 */
export function beforeStartingStep(rollout: RolloutState): boolean {
  const startingStep = rollout.spec.strategy.canary?.analysis?.['startingStep'];
  if (typeof startingStep !== 'number') return false;
  const { index } = getCurrentCanaryStep(rollout);
  if (index === undefined) return false;
  return index < startingStep;
}

/**
 * The nearest `experiment` step at or before the current step (undefined when all steps are done).
 * @see utils/replicaset/canary.go GetCurrentExperimentStep
 */
export function getCurrentExperimentStep(rollout: RolloutState): Record<string, unknown> | undefined {
  const { step, index } = getCurrentCanaryStep(rollout);
  if (step === undefined || index === undefined) return undefined;
  const steps = rollout.spec.strategy.canary?.steps ?? [];
  for (let i = index; i >= 0; i--) {
    const experiment = steps[i].experiment;
    if (experiment !== undefined) return experiment;
  }
  return undefined;
}

/**
 * Human-readable form of a step, as the CLI and the `RolloutStepCompleted` events print it.
 * @see utils/rollout/rolloututil.go CanaryStepString
 */
export function canaryStepString(step: CanaryStep): string {
  if (step.setWeight !== undefined) return `setWeight: ${step.setWeight}`;
  if (step.pause !== undefined) {
    return step.pause.duration === undefined ? 'pause' : `pause: ${step.pause.duration}`;
  }
  if (step.experiment !== undefined) return 'experiment';
  if (step.analysis !== undefined) return 'analysis';
  const scale = step.setCanaryScale;
  if (scale !== undefined) {
    if (scale.weight !== undefined) return `setCanaryScale{weight: ${scale.weight}}`;
    if (scale.matchTrafficWeight) return 'setCanaryScale{matchTrafficWeight: true}';
    if (scale.replicas !== undefined) return `setCanaryScale{replicas: ${scale.replicas}}`;
  }
  if (step.plugin !== undefined) return `plugin: ${String(step.plugin['name'] ?? '')}`;
  if (step.setHeaderRoute !== undefined) return `setHeaderRoute: ${step.setHeaderRoute.name}`;
  if (step.setMirrorRoute !== undefined) return `setMirrorRoute: ${step.setMirrorRoute.name}`;
  return 'invalid';
}

export { parsePauseDurationSeconds } from '../model/pause-duration';
