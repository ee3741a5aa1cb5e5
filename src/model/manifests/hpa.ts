import { asRecord } from '../records';
import type { RolloutReadContext } from './context';
import { optionalInt } from './fields';
import { where } from './parse';
import { type HpaModel, ManifestError } from './types';

/** The HorizontalPodAutoscaler whose `scaleTargetRef` is the Rollout (the first in the input), if any. */
export function readHpa(ctx: RolloutReadContext): HpaModel | undefined {
  const hpaObj = ctx.all.find((o) => {
    if (o.object.kind !== 'HorizontalPodAutoscaler' || (o.object.metadata?.namespace ?? ctx.ns) !== ctx.ns) {
      return false;
    }
    const target = asRecord(asRecord(o.object.spec)?.scaleTargetRef);
    return target?.kind === 'Rollout' && target?.name === ctx.name;
  });
  if (!hpaObj) return undefined;
  const hpaSpec = asRecord(hpaObj.object.spec) ?? {};
  const hpaName = hpaObj.object.metadata?.name ?? '(unnamed)';
  const hpaFail = (msg: string): never => {
    throw new ManifestError(`${where(hpaObj.source)}HorizontalPodAutoscaler/${hpaName}: ${msg}`);
  };
  const maxReplicas = optionalInt(hpaSpec.maxReplicas, 'spec.maxReplicas', 1, hpaFail);
  if (maxReplicas === undefined) {
    hpaFail('spec.maxReplicas is missing');
  }
  return {
    name: hpaName,
    minReplicas: optionalInt(hpaSpec.minReplicas, 'spec.minReplicas', 1, hpaFail),
    maxReplicas: maxReplicas as number,
    object: hpaObj.object,
  };
}
