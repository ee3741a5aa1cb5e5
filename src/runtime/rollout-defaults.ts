import { ARGO_DEFAULTS } from '../model/argo-defaults';
import type { IntOrPercent, RolloutSpec } from './types';

/**
 * Accessors that apply the Argo Rollouts v1.9.1 controller defaults to a Rollout spec
 * (utils/defaults/defaults.go). The values themselves live in `ARGO_DEFAULTS`.
 */

/**
 * `spec.replicas`, or 1 when absent.
 * @see utils/defaults/defaults.go GetReplicasOrDefault
 */
export function getReplicasOrDefault(replicas: number | undefined): number {
  return replicas ?? ARGO_DEFAULTS.replicas;
}

/**
 * The canary's `minPodsPerReplicaSet`, or 1 when absent: a non-zero canary count is never below one
 * pod anyway, so 1 is what an absent value means to `checkMinPodsPerReplicaSet`.
 * @see utils/replicaset/canary.go CheckMinPodsPerReplicaSet
 */
export function getMinPodsPerReplicaSetOrDefault(spec: RolloutSpec): number {
  return spec.strategy.canary?.minPodsPerReplicaSet ?? 1;
}

/**
 * The canary's `maxSurge`, or the default `"25"` (a string, so a percentage).
 * @see utils/defaults/defaults.go GetMaxSurgeOrDefault
 */
export function getMaxSurgeOrDefault(spec: RolloutSpec): IntOrPercent {
  return spec.strategy.canary?.maxSurge ?? ARGO_DEFAULTS.maxSurge;
}

/**
 * `maxUnavailable` of the blue-green or canary strategy, or the default `"25"` (a percentage).
 * @see utils/defaults/defaults.go GetMaxUnavailableOrDefault
 */
export function getMaxUnavailableOrDefault(spec: RolloutSpec): IntOrPercent {
  const { blueGreen, canary } = spec.strategy;
  if (blueGreen?.maxUnavailable !== undefined) return blueGreen.maxUnavailable;
  if (canary?.maxUnavailable !== undefined) return canary.maxUnavailable;
  return ARGO_DEFAULTS.maxUnavailable;
}

/**
 * `progressDeadlineSeconds`, or 600.
 * @see utils/defaults/defaults.go GetProgressDeadlineSecondsOrDefault
 */
export function getProgressDeadlineSecondsOrDefault(spec: RolloutSpec): number {
  return spec.progressDeadlineSeconds ?? ARGO_DEFAULTS.progressDeadlineSeconds;
}

/**
 * `trafficRouting.maxTrafficWeight`, or 100 (always 100 for Istio: validation allows maxTrafficWeight only for Nginx and plugins).
 * @see utils/weightutil/weight.go MaxTrafficWeight
 */
export function getMaxTrafficWeight(spec: RolloutSpec): number {
  return spec.strategy.canary?.trafficRouting?.maxTrafficWeight ?? ARGO_DEFAULTS.maxTrafficWeight;
}

/**
 * Scale-down delay of the old ReplicaSet in seconds: blue-green defaults to 30; canary only has
 * one with trafficRouting (default 30); basic canary and no strategy give 0.
 * @see utils/defaults/defaults.go GetScaleDownDelaySecondsOrDefault
 */
export function getScaleDownDelaySecondsOrDefault(spec: RolloutSpec): number {
  const { blueGreen, canary } = spec.strategy;
  let delay = 0;
  if (blueGreen) {
    delay = blueGreen.scaleDownDelaySeconds ?? ARGO_DEFAULTS.scaleDownDelaySeconds;
  }
  if (canary?.trafficRouting) {
    delay = canary.scaleDownDelaySeconds ?? ARGO_DEFAULTS.scaleDownDelaySeconds;
  }
  return delay;
}

/** Result of {@link getAbortScaleDownDelaySecondsOrDefault}. */
export interface AbortScaleDownDelay {
  /** Seconds; `undefined` is Go's nil pointer: never scale down through the abort-delay path. */
  readonly delaySeconds: number | undefined;
  /** True when the user set `abortScaleDownDelaySeconds` explicitly. */
  readonly wasSet: boolean;
}

/**
 * Abort scale-down delay: an explicit 0 means "nil" (the canary is not scaled down through the
 * delay path); unset means 30 s for blue-green and traffic-routed canary, 0 otherwise.
 * @see utils/defaults/defaults.go GetAbortScaleDownDelaySecondsOrDefault
 */
export function getAbortScaleDownDelaySecondsOrDefault(spec: RolloutSpec): AbortScaleDownDelay {
  const { blueGreen, canary } = spec.strategy;
  let configured: number | undefined;
  let applies = false;
  if (blueGreen) {
    applies = true;
    configured = blueGreen.abortScaleDownDelaySeconds;
  } else if (canary?.trafficRouting) {
    applies = true;
    configured = canary.abortScaleDownDelaySeconds;
  }
  if (!applies) return { delaySeconds: 0, wasSet: false };
  if (configured === undefined) return { delaySeconds: ARGO_DEFAULTS.abortScaleDownDelaySeconds, wasSet: false };
  if (configured === 0) return { delaySeconds: undefined, wasSet: true };
  return { delaySeconds: configured, wasSet: true };
}

/**
 * `revisionHistoryLimit`, or 10.
 * @see utils/defaults/defaults.go GetRevisionHistoryLimitOrDefault
 */
export function getRevisionHistoryLimitOrDefault(spec: RolloutSpec): number {
  return spec.revisionHistoryLimit ?? ARGO_DEFAULTS.revisionHistoryLimit;
}
