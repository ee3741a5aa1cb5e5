import { asRecord } from '../records';
import type { CanaryStep, CanaryStrategy } from '../rollout-spec';
import { readSteps } from './canary-steps';
import { attempt, type Fail, optionalInt, optionalString } from './fields';

const BASE = 'spec.strategy.canary';

/**
 * `spec.strategy.canary`: its steps, Istio traffic routing (the only routing the runtime models),
 * the int-or-percent and int32 fields, and the controller's cross-field rules
 * (pkg/apis/rollouts/validation/validation.go ValidateRolloutStrategyCanary). Each part is checked
 * on its own and its problem added to `problems`; the strategy is there when its steps and fields
 * read (a cross-field problem leaves it, for a caller that reports that problem its own way: the lint).
 */
export function readCanaryStrategy(raw: Record<string, unknown>, fail: Fail, problems: string[]): CanaryStrategy | undefined {
  const steps = attempt(problems, () => readSteps(raw.steps, fail) ?? null);
  const trafficRouting = asRecord(raw.trafficRouting);
  attempt(problems, () => checkTrafficRouting(trafficRouting, fail));
  const strategy = attempt(problems, () => readStrategyFields(raw, steps ?? undefined, trafficRouting, fail));
  if (strategy) {
    attempt(problems, () => checkServices(strategy, asRecord(trafficRouting?.istio), fail));
    attempt(problems, () => checkDynamicStableScale(strategy, fail));
    if (!trafficRouting) attempt(problems, () => checkStepsWithoutRouting(strategy.steps, fail));
  }
  return steps === undefined ? undefined : strategy;
}

/** The strategy's fields, as read (`steps` already read). */
function readStrategyFields(
  raw: Record<string, unknown>,
  steps: CanaryStep[] | undefined,
  trafficRouting: Record<string, unknown> | undefined,
  fail: Fail,
): CanaryStrategy {
  const pingPong = asRecord(raw.pingPong);
  return {
    steps,
    maxSurge: intOrPercent(raw, 'maxSurge', fail),
    maxUnavailable: intOrPercent(raw, 'maxUnavailable', fail),
    trafficRouting: trafficRouting as CanaryStrategy['trafficRouting'],
    dynamicStableScale: raw.dynamicStableScale === undefined ? undefined : raw.dynamicStableScale === true,
    minPodsPerReplicaSet: optionalInt(raw.minPodsPerReplicaSet, `${BASE}.minPodsPerReplicaSet`, 1, fail),
    scaleDownDelaySeconds: optionalInt(raw.scaleDownDelaySeconds, `${BASE}.scaleDownDelaySeconds`, 0, fail),
    scaleDownDelayRevisionLimit: optionalInt(raw.scaleDownDelayRevisionLimit, `${BASE}.scaleDownDelayRevisionLimit`, 0, fail),
    abortScaleDownDelaySeconds: optionalInt(raw.abortScaleDownDelaySeconds, `${BASE}.abortScaleDownDelaySeconds`, 0, fail),
    canaryService: optionalString(raw.canaryService),
    stableService: optionalString(raw.stableService),
    pingPong: pingPong
      ? { pingService: String(pingPong.pingService ?? ''), pongService: String(pingPong.pongService ?? '') }
      : undefined,
    canaryMetadata: raw.canaryMetadata as CanaryStrategy['canaryMetadata'],
    stableMetadata: raw.stableMetadata as CanaryStrategy['stableMetadata'],
    replicaProgressThreshold: raw.replicaProgressThreshold as CanaryStrategy['replicaProgressThreshold'],
    analysis: asRecord(raw.analysis),
  };
}

/** Istio only: no other router, an istio section naming a VirtualService, no maxTrafficWeight but 100. */
function checkTrafficRouting(trafficRouting: Record<string, unknown> | undefined, fail: Fail): void {
  if (!trafficRouting) return;
  for (const k of Object.keys(trafficRouting)) {
    if (k !== 'istio' && k !== 'maxTrafficWeight' && k !== 'managedRoutes') {
      fail(`${BASE}.trafficRouting.${k} is not supported: the runtime models Istio traffic routing only`);
    }
  }
  const istio = asRecord(trafficRouting.istio);
  if (!istio) {
    fail(`${BASE}.trafficRouting has no istio section: the runtime models Istio traffic routing only`);
  }
  if (istio && !istio.virtualService && !istio.virtualServices) {
    fail(`${BASE}.trafficRouting.istio needs virtualService or virtualServices`);
  }
  if (trafficRouting.maxTrafficWeight !== undefined && trafficRouting.maxTrafficWeight !== 100) {
    fail(
      `${BASE}.trafficRouting.maxTrafficWeight (${JSON.stringify(trafficRouting.maxTrafficWeight)}) is only supported for Nginx and plugins; with Istio it must be absent or 100`,
    );
  }
}

/** A count or a percentage string (`maxSurge`, `maxUnavailable`). */
function intOrPercent(raw: Record<string, unknown>, field: string, fail: Fail): number | string | undefined {
  const v = raw[field];
  if (v === undefined || v === null) {
    return undefined;
  }
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) {
    return v;
  }
  if (typeof v === 'string' && /^\d+%?$/.test(v)) {
    return v;
  }
  return fail(`${BASE}.${field} (${JSON.stringify(v)}) must be a non-negative integer or a percentage such as "25%"`);
}

/** Host-level Istio routing needs both Services, and they must differ. */
function checkServices(strategy: CanaryStrategy, istio: Record<string, unknown> | undefined, fail: Fail): void {
  if (istio && !istio.destinationRule && !strategy.pingPong && (!strategy.canaryService || !strategy.stableService)) {
    fail(
      `${BASE}.canaryService and ${BASE}.stableService must both be set to use Istio host-level traffic routing (canaryService: ${JSON.stringify(strategy.canaryService ?? null)}, stableService: ${JSON.stringify(strategy.stableService ?? null)})`,
    );
  }
  if (strategy.canaryService && strategy.canaryService === strategy.stableService) {
    fail(`${BASE}.canaryService and ${BASE}.stableService must differ (both are "${strategy.canaryService}")`);
  }
}

function checkDynamicStableScale(strategy: CanaryStrategy, fail: Fail): void {
  if (strategy.dynamicStableScale && !strategy.trafficRouting) {
    fail(`${BASE}.dynamicStableScale can only be used with traffic routing`);
  }
  if (strategy.dynamicStableScale && strategy.scaleDownDelaySeconds !== undefined) {
    fail(`${BASE}.dynamicStableScale cannot be used with scaleDownDelaySeconds (${strategy.scaleDownDelaySeconds})`);
  }
}

/** setCanaryScale, setHeaderRoute and setMirrorRoute steps need traffic routing. */
function checkStepsWithoutRouting(steps: readonly CanaryStep[] | undefined, fail: Fail): void {
  steps?.forEach((s, i) => {
    for (const kind of ['setCanaryScale', 'setHeaderRoute', 'setMirrorRoute'] as const) {
      if (s[kind] !== undefined) {
        fail(`${BASE}.steps[${i}].${kind} requires ${BASE}.trafficRouting to be set`);
      }
    }
  });
}
