import { asRecord } from '../records';
import type { RolloutReadContext } from './context';
import { attempt, type Fail, optionalInt } from './fields';
import { where } from './parse';
import { type HpaModel, type KubeObject, ManifestError } from './types';

/**
 * `spec.minReplicas` of a HorizontalPodAutoscaler when it is absent: Kubernetes defaults it to 1
 * (k8s.io/api autoscaling/v2 HorizontalPodAutoscalerSpec). Every consumer (the runtime's start
 * state, the lint, migration) applies it through {@link hpaMinReplicasOrDefault}.
 */
export const HPA_DEFAULT_MIN_REPLICAS = 1;

/** `spec.minReplicas` of an HPA as read, or Kubernetes' default of 1. */
export function hpaMinReplicasOrDefault(hpa: { readonly minReplicas?: number }): number {
  return hpa.minReplicas ?? HPA_DEFAULT_MIN_REPLICAS;
}

/** `spec.scaleTargetRef` of an HPA: each field when it is a string. */
export interface ScaleTargetRef {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
}

/** What every reader takes of a HorizontalPodAutoscaler. */
export interface HpaFields {
  /** `spec.scaleTargetRef` (`{}` when absent). */
  readonly scaleTargetRef: ScaleTargetRef;
  /** `spec.minReplicas`, an int32 >= 1; undefined when absent (see {@link hpaMinReplicasOrDefault}) or refused. */
  readonly minReplicas?: number;
  /** `spec.maxReplicas`, an int32 >= 1 the API requires; undefined (with a problem) when absent or refused. */
  readonly maxReplicas?: number;
}

/** `spec.scaleTargetRef` of an HPA object. */
export function hpaScaleTarget(hpa: KubeObject): ScaleTargetRef {
  const ref = asRecord(asRecord(hpa.spec)?.scaleTargetRef);
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return { apiVersion: str(ref?.apiVersion), kind: str(ref?.kind), name: str(ref?.name) };
}

/**
 * The fields of an HPA every consumer reads (the Rollout reader, migration, the lint), read one
 * way; a refused count is undefined, its problem (through `fail`) added to `problems`.
 */
export function readHpaFields(hpa: KubeObject, fail: Fail, problems: string[]): HpaFields {
  const spec = asRecord(hpa.spec) ?? {};
  return {
    scaleTargetRef: hpaScaleTarget(hpa),
    maxReplicas: attempt(problems, () => optionalInt(spec.maxReplicas, 'spec.maxReplicas', 1, fail) ?? fail('spec.maxReplicas is missing')),
    minReplicas: attempt(problems, () => optionalInt(spec.minReplicas, 'spec.minReplicas', 1, fail)),
  };
}

/** The HorizontalPodAutoscaler whose `scaleTargetRef` is the Rollout (the first in the input), if any. */
export function readHpa(ctx: RolloutReadContext): HpaModel | undefined {
  const hpaObj = ctx.all.find((o) => {
    if (o.object.kind !== 'HorizontalPodAutoscaler' || (o.object.metadata?.namespace ?? ctx.ns) !== ctx.ns) {
      return false;
    }
    const target = hpaScaleTarget(o.object);
    return target.kind === 'Rollout' && target.name === ctx.name;
  });
  if (!hpaObj) return undefined;
  const hpaName = hpaObj.object.metadata?.name ?? '(unnamed)';
  const problems: string[] = [];
  const hpaFail = (msg: string): never => {
    throw new ManifestError(`${where(hpaObj.source)}HorizontalPodAutoscaler/${hpaName}: ${msg}`);
  };
  const fields = readHpaFields(hpaObj.object, hpaFail, problems);
  if (problems.length > 0) throw new ManifestError(problems.join('\n'), problems);
  return {
    name: hpaName,
    minReplicas: fields.minReplicas,
    maxReplicas: fields.maxReplicas as number,
    object: hpaObj.object,
  };
}
