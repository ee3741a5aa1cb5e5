/**
 * Random Rollouts, ReplicaSets and routes for the differential run, their Go JSON form, and the
 * valid-domain classifier: a case is "valid" when the CRD and the controller's validation accept
 * it and Go's int32 arithmetic cannot wrap on it; everything else is "outside" with a reason.
 */
import type { CanaryStep, ReplicaSetState, RolloutState, TrafficWeights } from '../../src/runtime/types';
import { INT32_MAX, Random } from './random';

/**
 * The most replicas for which Go's int32 `weight * replicas` cannot wrap at the default maximum
 * weight 100 (`floor((2^31 - 1) / 100)`); with another maxTrafficWeight the bound is
 * `floor((2^31 - 1) / maxTrafficWeight)`.
 */
const REPLICA_LIMIT = Math.floor(INT32_MAX / 100);
const HASHES = ['A', 'B', 'C'] as const;
const EPOCH = Date.UTC(2026, 0, 1) / 1000;

export function genReplicaSet(r: Random, hash: string = r.pick(HASHES)): ReplicaSetState {
  const spec = r.chance(0.95) ? r.replicas() : undefined;
  const statusReplicas = r.chance(0.5) ? (spec ?? 1) : r.int(0, 12);
  return { name: `app-${hash}`, podTemplateHash: hash, specReplicas: spec, statusReplicas, availableReplicas: r.chance(0.5) ? Math.min(statusReplicas, spec ?? 1) : r.int(0, 12) };
}

function genStep(r: Random, maxWeight: number): CanaryStep {
  switch (r.int(0, 9)) {
    case 0:
    case 1:
    case 2:
      return { setWeight: r.chance(0.97) ? r.weight(maxWeight) : maxWeight + r.int(1, 50) };
    case 3:
      return { pause: r.pick([{}, { duration: 30 }, { duration: '30s' }, { duration: '1m' }, { duration: 0 }]) };
    case 4:
      return { setCanaryScale: r.pick([{ replicas: r.int(0, 12) }, { weight: r.weight(maxWeight) }, { matchTrafficWeight: true }, { weight: r.weight(maxWeight), replicas: r.int(0, 5) }, { matchTrafficWeight: false }]) };
    case 5:
      return { experiment: { templates: r.list(1, 2, (i) => ({ name: `t${i}`, specRef: 'canary', ...(r.chance(0.5) ? { weight: r.int(0, 20) } : {}) })) } };
    case 6:
      return { analysis: { templates: [{ templateName: 'a' }] } };
    case 7:
      return r.chance(0.5) ? { setHeaderRoute: { name: 'h' } } : { setMirrorRoute: { name: 'm' } };
    case 8:
      return { plugin: { name: 'p' }, ...(r.chance(0.5) ? { setHeaderRoute: { name: 'h' } } : {}) };
    default:
      return r.chance(0.5) ? { setWeight: r.weight(maxWeight), pause: {} } : {};
  }
}

function genWeights(r: Random, maxWeight: number): TrafficWeights {
  const canary = r.weight(maxWeight);
  const weights: TrafficWeights = {
    canary: { weight: canary, podTemplateHash: r.pick(HASHES), serviceName: 'canary' },
    stable: { weight: r.chance(0.8) ? maxWeight - canary : r.weight(maxWeight), podTemplateHash: r.pick(HASHES), serviceName: 'stable' },
  };
  return weights;
}

export interface RolloutOptions {
  readonly blueGreen?: boolean;
  readonly trafficRouting?: boolean;
}

/** A canary (or blue-green) Rollout with a status somewhere in its life. */
export function genRollout(r: Random, options: RolloutOptions = {}): RolloutState {
  const routed = options.trafficRouting ?? r.chance(0.6);
  const maxTrafficWeight = routed ? r.pick([undefined, undefined, undefined, undefined, 100, 1000, 10, 1, 0]) : undefined;
  const maxW = maxTrafficWeight ?? 100;
  const steps = r.chance(0.9) ? r.list(0, 6, () => genStep(r, Math.max(maxW, 1))) : undefined;
  const hashOrEmpty = () => r.pick(['A', 'B', 'B', '', undefined] as const);
  const strategy = options.blueGreen
    ? { blueGreen: { maxUnavailable: r.maybe(0.5, () => r.intOrPercent()), postPromotionAnalysis: r.maybe(0.5, () => ({ templates: [] })) } }
    : {
        canary: {
          steps,
          maxSurge: r.maybe(0.6, () => r.intOrPercent()),
          maxUnavailable: r.maybe(0.6, () => r.intOrPercent()),
          trafficRouting: routed ? { istio: { virtualService: { name: 'vs' } }, maxTrafficWeight } : undefined,
          dynamicStableScale: routed && r.chance(0.4) ? true : undefined,
          canaryService: r.chance(0.7) ? 'canary' : undefined,
          stableService: r.chance(0.7) ? 'stable' : undefined,
          replicaProgressThreshold: r.maybe(0.2, () => ({ type: r.pick(['Percent', 'Pods', 'Percentage']), value: r.int(-1, 120) })),
          minPodsPerReplicaSet: r.maybe(0.15, () => r.int(0, 5)),
          analysis: r.maybe(0.1, () => ({ startingStep: r.int(0, 5), templates: [] })),
        },
      };
  const updated = r.int(0, 12);
  return {
    metadata: {
      name: 'app',
      generation: r.int(1, 5),
      annotations: r.chance(0.3) ? { 'rollout.argoproj.io/workload-generation': r.pick(['1', '2', '3', 'x', '2147483648']) } : undefined,
    },
    spec: {
      replicas: r.chance(0.93) ? r.replicas() : undefined,
      paused: r.chance(0.1) ? true : undefined,
      restartAt: r.maybe(0.1, () => '2026-01-01T00:10:00Z'),
      templateResolvedFromRef: r.chance(0.2) ? true : undefined,
      strategy,
    },
    status: {
      currentStepIndex: r.maybe(0.85, () => (r.chance(0.97) ? r.int(0, (steps?.length ?? 0) + 1) : -1)),
      stableRS: hashOrEmpty(),
      currentPodHash: hashOrEmpty(),
      abort: r.chance(0.2) ? true : undefined,
      promoteFull: r.chance(0.15) ? true : undefined,
      controllerPause: r.chance(0.15) ? true : undefined,
      pauseConditions: r.chance(0.2) ? [{ reason: r.pick(['CanaryPauseStep', 'BlueGreenPause']), startTime: 0 }] : undefined,
      canary: r.chance(0.5) ? { weights: genWeights(r, maxW) } : undefined,
      replicas: r.int(0, 14),
      updatedReplicas: updated,
      availableReplicas: r.chance(0.5) ? updated : r.int(0, 12),
      restartedAt: r.maybe(0.05, () => '2026-01-01T00:10:00Z'),
      conditions: r.maybe(0.15, () => [
        r.pick([
          { type: 'InvalidSpec', status: 'True' as const, message: 'bad' },
          { type: 'Progressing', status: 'False' as const, reason: 'RolloutAborted', message: 'aborted' },
          { type: 'Progressing', status: 'False' as const, reason: 'ProgressDeadlineExceeded', message: 'late' },
          { type: 'Available', status: 'True' as const, reason: 'AvailableReason', message: 'ok' },
        ]),
      ]),
      observedGeneration: r.maybe(0.7, () => r.pick(['1', '2', '3', '5', 'abc123', '99999999999999999999'])),
      workloadObservedGeneration: r.maybe(0.4, () => r.pick(['1', '2', '3', '-1', 'x'])),
      phase: r.maybe(0.1, () => r.pick(['Healthy', 'Paused'] as const)),
      blueGreen: options.blueGreen ? { activeSelector: hashOrEmpty(), postPromotionAnalysisRunStatus: r.maybe(0.5, () => ({ status: r.pick(['Running', 'Successful', 'Failed', '']) })) } : undefined,
    },
  };
}

function isoAt(seconds: number): string {
  return new Date((EPOCH + seconds) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The Go (Kubernetes JSON) form of a Rollout: times as RFC 3339, the rest as is. */
export function goRollout(ro: RolloutState): unknown {
  const { status } = ro;
  return {
    metadata: { name: ro.metadata?.name ?? 'app', namespace: 'default', generation: ro.metadata?.generation, annotations: ro.metadata?.annotations },
    spec: ro.spec,
    // json:"-" in Go: the harness sets it from this flag after decoding.
    templateResolvedFromRef: ro.spec.templateResolvedFromRef === true,
    status: {
      ...status,
      abortedAt: status.abortedAt === undefined ? undefined : isoAt(status.abortedAt),
      pauseConditions: status.pauseConditions?.map((c) => ({ reason: c.reason, startTime: isoAt(c.startTime) })),
      conditions: status.conditions?.map(({ lastUpdateTime, lastTransitionTime, ...c }) => ({
        ...c,
        lastUpdateTime: lastUpdateTime === undefined ? undefined : isoAt(lastUpdateTime),
        lastTransitionTime: lastTransitionTime === undefined ? undefined : isoAt(lastTransitionTime),
      })),
    },
  };
}

/** The Go (Kubernetes JSON) form of a ReplicaSet; undefined stays nil. */
export function goReplicaSet(rs: ReplicaSetState | undefined): unknown {
  if (!rs) return null;
  return {
    metadata: { name: rs.name, namespace: 'default', labels: { 'rollouts-pod-template-hash': rs.podTemplateHash }, annotations: rs.annotations },
    spec: { replicas: rs.specReplicas },
    status: { replicas: rs.statusReplicas ?? rs.availableReplicas, availableReplicas: rs.availableReplicas },
  };
}

function isIntOrPercent(value: number | string | undefined): boolean {
  return value === undefined || typeof value === 'number' || /^\d+%?$/.test(value);
}

/** Why a Rollout is outside the valid domain, or undefined when the controller accepts it. */
export function rolloutOutside(ro: RolloutState): string | undefined {
  const { spec, status } = ro;
  const canary = spec.strategy.canary;
  const maxW = canary?.trafficRouting?.maxTrafficWeight ?? 100;
  if (maxW <= 0) return 'max-weight-0: maxTrafficWeight 0 (the CRD allows it, Go divides by it)';
  if (spec.replicas === undefined) return 'nil-rollout-replicas: spec.replicas absent (the controller sets 1 before reconciling; some Go helpers dereference it)';
  if ((spec.replicas ?? 1) * maxW > INT32_MAX) return `int32-wrap: spec.replicas ${spec.replicas} (Go's int32 weight * replicas wraps)`;
  for (const step of canary?.steps ?? []) {
    if (step.setWeight !== undefined && (step.setWeight < 0 || step.setWeight > maxW)) return `set-weight-range: setWeight ${step.setWeight} outside 0..${maxW} (validation rejects it)`;
  }
  const weights = status.canary?.weights;
  if (weights && Math.max(weights.canary.weight, weights.stable.weight) > maxW) return `set-weight-range: status.canary.weights above maxTrafficWeight ${maxW} (int32 products wrap)`;
  if (!isIntOrPercent(canary?.maxSurge) || !isIntOrPercent(canary?.maxUnavailable) || !isIntOrPercent(spec.strategy.blueGreen?.maxUnavailable)) {
    return 'intstr-format: maxSurge / maxUnavailable not an int or an integer percent (validation rejects it)';
  }
  if ((status.currentStepIndex ?? 0) < 0) return 'negative-step-index: negative status.currentStepIndex (Go indexes the steps with it)';
  return undefined;
}

export function replicaSetOutside(rs: ReplicaSetState | undefined): string | undefined {
  if (rs && rs.specReplicas === undefined) return 'nil-rs-replicas: ReplicaSet spec.replicas absent (the API server defaults it to 1; Go dereferences it)';
  if (rs?.specReplicas !== undefined && rs.specReplicas > REPLICA_LIMIT) return `int32-wrap: ReplicaSet spec.replicas ${rs.specReplicas} (int32 arithmetic wraps)`;
  return undefined;
}

export { INT32_MAX, REPLICA_LIMIT };
