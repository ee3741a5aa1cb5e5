import { isPlainObject } from '../model/records';
import type {
  CanaryStep,
  CanaryStrategy,
  ReplicaProgressThreshold,
  ReplicaSetState,
  RolloutState,
  TrafficWeights,
} from '../runtime/types';

/**
 * Helpers that turn the vectors' JSON encoding (see docs/runtime.md, "Conformance vectors") into the
 * runtime's plain types. `null` is Go's nil, i.e. an absent field.
 */

/** An input object, or an Error naming the field when it is not one. */
export function asRecord(value: unknown, field: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw new Error(`${field} must be an object, got ${JSON.stringify(value)}`);
  return value;
}

/** Recursively drops `null` object values (nil pointers = absent fields). */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => withoutNulls(item)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (item !== null && item !== undefined) out[key] = withoutNulls(item);
    }
    return out as T;
  }
  return value;
}

/** `null` / absent -> undefined; anything else must be a number. */
export function optionalNumber(value: unknown, field: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'number') throw new Error(`${field} must be a number or null, got ${JSON.stringify(value)}`);
  return value;
}

/** `null` / absent -> undefined; a number or a string (intstr). */
export function optionalIntOrString(value: unknown, field: string): number | string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw new Error(`${field} must be a number, a string or null, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A vector ReplicaSet `{name, podTemplateHash, specReplicas, availableReplicas[, statusReplicas]}`; null -> undefined. */
export function toReplicaSet(value: unknown, field: string): ReplicaSetState | undefined {
  if (value === null || value === undefined) return undefined;
  const rs = asRecord(value, field);
  const hash = typeof rs['podTemplateHash'] === 'string' ? rs['podTemplateHash'] : '';
  const name = typeof rs['name'] === 'string' ? rs['name'] : hash !== '' ? hash : field;
  return {
    name,
    podTemplateHash: hash,
    specReplicas: optionalNumber(rs['specReplicas'], `${field}.specReplicas`),
    availableReplicas: optionalNumber(rs['availableReplicas'], `${field}.availableReplicas`) ?? 0,
    statusReplicas: optionalNumber(rs['statusReplicas'], `${field}.statusReplicas`),
  };
}

/** A list of vector ReplicaSets (null/absent = empty). */
export function toReplicaSets(value: unknown, field: string): ReplicaSetState[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${field} must be a list, got ${JSON.stringify(value)}`);
  return value.map((item, i) => toReplicaSet(item, `${field}[${i}]`)).filter((rs): rs is ReplicaSetState => rs !== undefined);
}

/**
 * Applied weights: `{canary: n, stable: n}` (numbers) or `{canary: {weight, podTemplateHash},
 * stable: {...}}`; null -> undefined.
 */
export function toWeights(value: unknown, field: string): TrafficWeights | undefined {
  if (value === null || value === undefined) return undefined;
  const weights = asRecord(value, field);
  const side = (raw: unknown, name: string): { weight: number; podTemplateHash: string } => {
    if (typeof raw === 'number') return { weight: raw, podTemplateHash: '' };
    const dest = asRecord(raw, `${field}.${name}`);
    return {
      weight: optionalNumber(dest['weight'], `${field}.${name}.weight`) ?? 0,
      podTemplateHash: typeof dest['podTemplateHash'] === 'string' ? dest['podTemplateHash'] : '',
    };
  };
  return { canary: side(weights['canary'], 'canary'), stable: side(weights['stable'], 'stable') };
}

/** Steps in CRD shape with nil fields dropped. */
export function toSteps(value: unknown, field: string): CanaryStep[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${field} must be a list, got ${JSON.stringify(value)}`);
  return withoutNulls(value) as CanaryStep[];
}

/** A replicaProgressThreshold `{type, value}`; null -> undefined. */
export function toThreshold(value: unknown, field: string): ReplicaProgressThreshold | undefined {
  if (value === null || value === undefined) return undefined;
  const threshold = asRecord(value, field);
  return { type: threshold['type'] as ReplicaProgressThreshold['type'], value: optionalNumber(threshold['value'], `${field}.value`) ?? 0 };
}

/**
 * A canary Rollout from the flat schema shared by replica-counts / dynamic-stable-scale /
 * availability vectors (`rolloutSpecReplicas`, `steps`, `currentStepIndex`, `maxSurge`, ...,
 * `status: {stableRS, currentPodHash, promoteFull, abort}`).
 */
export function toFlatCanaryRollout(input: Record<string, unknown>): RolloutState {
  const status = input['status'] === undefined || input['status'] === null ? {} : asRecord(input['status'], 'input.status');
  const maxTrafficWeight = optionalNumber(input['maxTrafficWeight'], 'input.maxTrafficWeight');
  const canary: CanaryStrategy = {
    steps: toSteps(input['steps'], 'input.steps'),
    maxSurge: optionalIntOrString(input['maxSurge'], 'input.maxSurge'),
    maxUnavailable: optionalIntOrString(input['maxUnavailable'], 'input.maxUnavailable'),
    trafficRouting: input['trafficRouting'] === true ? { maxTrafficWeight } : undefined,
    dynamicStableScale: input['dynamicStableScale'] === true,
    minPodsPerReplicaSet: optionalNumber(input['minPodsPerReplicaSet'], 'input.minPodsPerReplicaSet'),
    abortScaleDownDelaySeconds: optionalNumber(input['abortScaleDownDelaySeconds'], 'input.abortScaleDownDelaySeconds'),
    replicaProgressThreshold: toThreshold(input['replicaProgressThreshold'], 'input.replicaProgressThreshold'),
  };
  return {
    spec: { replicas: optionalNumber(input['rolloutSpecReplicas'], 'input.rolloutSpecReplicas'), strategy: { canary } },
    status: {
      currentStepIndex: optionalNumber(input['currentStepIndex'], 'input.currentStepIndex'),
      stableRS: typeof status['stableRS'] === 'string' ? status['stableRS'] : undefined,
      currentPodHash: typeof status['currentPodHash'] === 'string' ? status['currentPodHash'] : undefined,
      promoteFull: status['promoteFull'] === true,
      abort: status['abort'] === true,
    },
  };
}
