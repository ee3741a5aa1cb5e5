import { asRecord } from '../records';
import { findObject, type RolloutReadContext } from './context';
import { replicasInt } from './fields';
import { where } from './parse';
import { ManifestError, type WorkloadModel } from './types';

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
  const workloadRef = asRecord(rawSpec.workloadRef);
  if (workloadRef) {
    if (template && Object.keys(template).length > 0) {
      ctx.fail('spec.template must be empty when spec.workloadRef is set ("template must be empty for workload reference rollout")');
    }
    return readWorkload(ctx, workloadRef, selector);
  }
  if (!template) {
    return ctx.fail('has neither spec.template nor spec.workloadRef');
  }
  return { template, selector };
}

/** The Deployment, ReplicaSet or PodTemplate of `spec.workloadRef`, which must be in the input. */
function readWorkload(ctx: RolloutReadContext, workloadRef: Record<string, unknown>, selector: Record<string, unknown> | undefined): RolloutPods {
  const kind = String(workloadRef.kind ?? '');
  const refName = String(workloadRef.name ?? '');
  if (kind !== 'Deployment' && kind !== 'ReplicaSet' && kind !== 'PodTemplate') {
    ctx.fail(`spec.workloadRef.kind (${JSON.stringify(workloadRef.kind)}) must be Deployment, ReplicaSet or PodTemplate`);
  }
  if (!refName) {
    ctx.fail('spec.workloadRef.name is missing');
  }
  const target = findObject(ctx, kind, refName, ctx.ns);
  if (!target) {
    return ctx.fail(`spec.workloadRef names ${kind}/${refName}, which is not in the input`);
  }
  const wlSpec = asRecord(target.object.spec);
  const wlTemplate = kind === 'PodTemplate' ? asRecord(target.object.template) : asRecord(wlSpec?.template);
  const id = `${where(target.source)}${kind}/${refName}`;
  if (!wlTemplate) {
    throw new ManifestError(
      `${id}: ${kind === 'PodTemplate' ? 'template' : 'spec.template'} is missing (referenced by Rollout/${ctx.name} spec.workloadRef)`,
    );
  }
  const workloadFail = (msg: string): never => {
    throw new ManifestError(`${id}: ${msg}`);
  };
  const workload: WorkloadModel = {
    kind: kind as WorkloadModel['kind'],
    name: refName,
    scaleDown: typeof workloadRef.scaleDown === 'string' ? workloadRef.scaleDown : undefined,
    replicas: kind === 'PodTemplate' ? undefined : replicasInt(wlSpec?.replicas, workloadFail),
    object: target.object,
  };
  return { template: wlTemplate, selector: selector ?? asRecord(wlSpec?.selector), workload };
}
