import { ARGO_KEYS } from '../model/argo-defaults';
import { getMaxTrafficWeight, getReplicasOrDefault } from './rollout-defaults';
import { getCurrentCanaryStep } from './steps';
import type { RolloutPhase, RolloutSpec, RolloutState, RolloutStatus } from './types';

/** A phase with its message, as `status.phase` / `status.message`. */
export interface PhaseAndMessage {
  readonly phase: RolloutPhase;
  readonly message: string;
}

/** Condition reasons that make a rollout Degraded (utils/conditions). */
const DEGRADING_REASONS: readonly string[] = ['RolloutAborted', 'ProgressDeadlineExceeded'];

/**
 * Fully promoted: `status.stableRS == status.currentPodHash` (the new ReplicaSet is the stable one).
 * @see utils/rollout/rolloututil.go IsFullyPromoted
 */
export function isFullyPromoted(rollout: Pick<RolloutState, 'status'>): boolean {
  return (rollout.status.stableRS ?? '') === (rollout.status.currentPodHash ?? '');
}

/**
 * The phase and message the controller writes with every status update (utils/rollout/rolloututil.go CalculateRolloutPhase): Degraded for
 * InvalidSpec / aborted / progress deadline conditions, Paused for `spec.paused` or a pause
 * condition, else Progressing with the first unmet reason (restart, updated, available, old
 * replicas of a basic canary, steps), else Healthy.
 * @see utils/rollout/rolloututil.go CalculateRolloutPhase
 */
export function calculateRolloutPhase(spec: RolloutSpec, status: RolloutStatus): PhaseAndMessage {
  for (const condition of status.conditions ?? []) {
    if (condition.type === 'InvalidSpec') return { phase: 'Degraded', message: `InvalidSpec: ${condition.message ?? ''}` };
    if (condition.reason !== undefined && DEGRADING_REASONS.includes(condition.reason)) {
      return { phase: 'Degraded', message: `${condition.reason}: ${condition.message ?? ''}` };
    }
  }
  if (spec.paused) return { phase: 'Paused', message: 'manually paused' };
  const firstPause = status.pauseConditions?.[0];
  if (firstPause) return { phase: 'Paused', message: firstPause.reason };
  if (spec.restartAt !== undefined && spec.restartAt !== status.restartedAt) {
    return { phase: 'Progressing', message: 'rollout is restarting' };
  }
  const updated = status.updatedReplicas ?? 0;
  if (updated < getReplicasOrDefault(spec.replicas)) {
    return { phase: 'Progressing', message: 'more replicas need to be updated' };
  }
  if ((status.availableReplicas ?? 0) < updated) {
    return { phase: 'Progressing', message: 'updated replicas are still becoming available' };
  }
  const stable = status.stableRS ?? '';
  if (spec.strategy.blueGreen) {
    const active = status.blueGreen?.activeSelector ?? '';
    if (active === '' || active !== (status.currentPodHash ?? '')) {
      return { phase: 'Progressing', message: 'active service cutover pending' };
    }
    if (stable === '' || !isFullyPromoted({ status })) {
      const message = waitingForPostPromotionAnalysis(spec, status)
        ? 'waiting for analysis to complete'
        : 'waiting for post-promotion verification to complete';
      return { phase: 'Progressing', message };
    }
  } else if (spec.strategy.canary) {
    if (!spec.strategy.canary.trafficRouting && (status.replicas ?? 0) > updated) {
      return { phase: 'Progressing', message: 'old replicas are pending termination' };
    }
    if (stable === '' || !isFullyPromoted({ status })) {
      return { phase: 'Progressing', message: 'waiting for all steps to complete' };
    }
  }
  return { phase: 'Healthy', message: '' };
}

/** AnalysisRun phases that are final (pkg/apis/rollouts/v1alpha1 AnalysisPhase.Completed). */
const COMPLETED_ANALYSIS_PHASES: readonly string[] = ['Successful', 'Failed', 'Error', 'Inconclusive'];

/**
 * Blue-green with a postPromotionAnalysis whose run is missing or not completed.
 * @see utils/rollout/rolloututil.go waitingForBlueGreenPostPromotionAnalysis
 */
function waitingForPostPromotionAnalysis(spec: RolloutSpec, status: RolloutStatus): boolean {
  if (spec.strategy.blueGreen?.postPromotionAnalysis === undefined) return false;
  const runPhase = status.blueGreen?.postPromotionAnalysisRunStatus?.status ?? '';
  return !COMPLETED_ANALYSIS_PHASES.includes(runPhase);
}

/** Go's strconv.Atoi for the generation strings (decimal only; anything else is "not a number"). */
function parseGeneration(value: string | undefined): number | undefined {
  if (value === undefined || !/^[+-]?\d+$/.test(value)) return undefined;
  return Number.parseInt(value, 10);
}

/** Go's strconv.ParseInt(value, 10, 32): a decimal int32, else "not a number". */
function parseInt32(value: string | undefined): number | undefined {
  const parsed = parseGeneration(value);
  return parsed !== undefined && parsed >= -(2 ** 31) && parsed < 2 ** 31 ? parsed : undefined;
}

/**
 * The workloadRef generation is observed unless both the `workload-generation` annotation and
 * `status.workloadObservedGeneration` are int32 numbers and differ (greater counts as unobserved too).
 * @see utils/rollout/rolloututil.go isWorkloadGenerationObserved
 */
function isWorkloadGenerationObserved(rollout: RolloutState): boolean {
  const annotation = parseInt32(rollout.metadata?.annotations?.[ARGO_KEYS.workloadGenerationAnnotation]);
  const observed = parseInt32(rollout.status.workloadObservedGeneration);
  return annotation === undefined || observed === undefined || annotation === observed;
}

/**
 * Controller pause set but no pause condition left: a user resumed and the controller has not
 * reacted yet.
 * @see utils/rollout/rolloututil.go IsUnpausing
 */
export function isUnpausing(rollout: Pick<RolloutState, 'status'>): boolean {
  return rollout.status.controllerPause === true && (rollout.status.pauseConditions ?? []).length === 0;
}

/**
 * The phase a client (CLI, UI) shows: Progressing while the spec generation, an unpause or the
 * workloadRef generation is not yet observed, else the stored `status.phase`/`message`, else
 * {@link calculateRolloutPhase}. A non-numeric `observedGeneration` (legacy hash) counts as observed.
 * @see utils/rollout/rolloututil.go GetRolloutPhase
 */
export function getRolloutPhase(rollout: RolloutState): PhaseAndMessage {
  const { metadata, spec, status } = rollout;
  const observed = parseGeneration(status.observedGeneration);
  if (observed !== undefined && observed < (metadata?.generation ?? 0)) {
    return { phase: 'Progressing', message: 'waiting for rollout spec update to be observed' };
  }
  if (isUnpausing(rollout)) return { phase: 'Progressing', message: 'waiting for rollout to unpause' };
  if (spec.templateResolvedFromRef && !isWorkloadGenerationObserved(rollout)) {
    return {
      phase: 'Progressing',
      message: 'waiting for rollout spec update to be observed for the reference workload',
    };
  }
  if (status.phase) return { phase: status.phase, message: status.message ?? '' };
  return calculateRolloutPhase(spec, status);
}

/**
 * Whether the router's weights should be verified this tick: mid-update (a stable exists and is
 * not the new ReplicaSet) and either at a `setWeight` step, or past the last step with
 * `desiredWeight` at the maximum weight (the end of the rollout). Istio never verifies, so this
 * only matters for the trace.
 * @see utils/rollout/rolloututil.go ShouldVerifyWeight
 */
export function shouldVerifyWeight(rollout: RolloutState, desiredWeight: number): boolean {
  if ((rollout.status.stableRS ?? '') === '' || isFullyPromoted(rollout)) return false;
  const { step } = getCurrentCanaryStep(rollout);
  if (step !== undefined) return step.setWeight !== undefined;
  return desiredWeight === getMaxTrafficWeight(rollout.spec);
}
