import { asRecord } from '../records';
import { findObject, type RolloutReadContext } from './context';
import { attempt, type Fail, replicasInt, stringRecord } from './fields';
import { where } from './parse';
import { type KubeObject, ManifestError, type WorkloadModel } from './types';

/** `spec.workloadRef` of a Rollout: each field when it is a string. */
export interface WorkloadRefFields {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  /** `never`, `onsuccess` or `progressively` (as written; absent is `never`). */
  readonly scaleDown?: string;
}

/** `spec.workloadRef` of a Rollout's spec, when it is an object. */
export function readWorkloadRef(rolloutSpec: unknown): WorkloadRefFields | undefined {
  const ref = asRecord(asRecord(rolloutSpec)?.workloadRef);
  if (!ref) return undefined;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return { apiVersion: str(ref.apiVersion), kind: str(ref.kind), name: str(ref.name), scaleDown: str(ref.scaleDown) };
}

/** What every reader takes of a Deployment, ReplicaSet or PodTemplate (the pod template and the scale). */
export interface WorkloadFields {
  /** `spec.selector`, when it is an object. */
  readonly selector?: Record<string, unknown>;
  /** `spec.selector.matchLabels` (`{}` when absent). */
  readonly matchLabels: Record<string, string>;
  /** The pod template: `spec.template` (a PodTemplate's own `template`), when it is an object. */
  readonly template?: Record<string, unknown>;
  /** The pod template's `metadata.labels` (`{}` when absent). */
  readonly templateLabels: Record<string, string>;
  /** `spec.replicas` (a PodTemplate has none); undefined when absent or refused (the problem is in `problems`). */
  readonly replicas?: number;
}

/**
 * The fields of a workload object every consumer reads (the Rollout reader through `workloadRef`,
 * migration, the lint), read one way: `spec.replicas` is an int32 >= 0 the controller can scale
 * (`replicasInt`); a refused value is undefined, its problem (through `fail`) added to `problems`.
 */
export function readWorkloadFields(object: KubeObject, fail: Fail, problems: string[]): WorkloadFields {
  const spec = asRecord(object.spec);
  const selector = asRecord(spec?.selector);
  const template = object.kind === 'PodTemplate' ? asRecord(object.template) : asRecord(spec?.template);
  return {
    selector,
    matchLabels: stringRecord(selector?.matchLabels),
    template,
    templateLabels: stringRecord(asRecord(template?.metadata)?.labels),
    replicas: object.kind === 'PodTemplate' ? undefined : attempt(problems, () => replicasInt(spec?.replicas, fail)),
  };
}

/** The pod template in force, the selector, and the `workloadRef` target when there is one. */
export interface RolloutPods {
  readonly template: Record<string, unknown>;
  readonly selector?: Record<string, unknown>;
  readonly workload?: WorkloadModel;
}

/** The Rollout's inline `spec.template`, or the template of the workload `spec.workloadRef` names. */
export function readRolloutPods(ctx: RolloutReadContext, rawSpec: Record<string, unknown>): RolloutPods {
  const template = asRecord(rawSpec.template);
  const selector = asRecord(rawSpec.selector);
  const workloadRef = readWorkloadRef(rawSpec);
  if (workloadRef) {
    if (template && Object.keys(template).length > 0) {
      ctx.fail('spec.template must be empty when spec.workloadRef is set ("template must be empty for workload reference rollout")');
    }
    return readWorkload(ctx, workloadRef, asRecord(rawSpec.workloadRef)?.kind, selector);
  }
  if (!template) {
    return ctx.fail('has neither spec.template nor spec.workloadRef');
  }
  return { template, selector };
}

/** The Deployment, ReplicaSet or PodTemplate of `spec.workloadRef`, which must be in the input. */
function readWorkload(ctx: RolloutReadContext, workloadRef: WorkloadRefFields, rawKind: unknown, selector: Record<string, unknown> | undefined): RolloutPods {
  const kind = workloadRef.kind ?? '';
  const refName = workloadRef.name ?? '';
  if (kind !== 'Deployment' && kind !== 'ReplicaSet' && kind !== 'PodTemplate') {
    ctx.fail(`spec.workloadRef.kind (${JSON.stringify(rawKind)}) must be Deployment, ReplicaSet or PodTemplate`);
  }
  if (!refName) {
    ctx.fail('spec.workloadRef.name is missing');
  }
  const target = findObject(ctx, kind, refName, ctx.ns);
  if (!target) {
    return ctx.fail(`spec.workloadRef names ${kind}/${refName}, which is not in the input`);
  }
  const id = `${where(target.source)}${kind}/${refName}`;
  const problems: string[] = [];
  const fields = readWorkloadFields(target.object, (msg: string): never => {
    throw new ManifestError(`${id}: ${msg}`);
  }, problems);
  if (!fields.template) {
    throw new ManifestError(
      `${id}: ${kind === 'PodTemplate' ? 'template' : 'spec.template'} is missing (referenced by Rollout/${ctx.name} spec.workloadRef)`,
    );
  }
  if (problems.length > 0) throw new ManifestError(problems.join('\n'), problems);
  const workload: WorkloadModel = {
    kind: kind as WorkloadModel['kind'],
    name: refName,
    scaleDown: workloadRef.scaleDown,
    replicas: fields.replicas,
    object: target.object,
  };
  return { template: fields.template, selector: selector ?? fields.selector, workload };
}
