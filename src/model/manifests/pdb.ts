import { selectsSome } from '../label-selector';
import { mergeLabels } from '../merge-labels';
import { asRecord } from '../records';
import type { CanaryStrategy } from '../rollout-spec';
import type { RolloutReadContext } from './context';
import { intOrString, stringRecord } from './fields';
import type { PdbModel } from './types';

/** The PodDisruptionBudgets whose selector matches the Rollout's stable pods, canary pods or both. */
export function readPdbs(ctx: RolloutReadContext, template: Record<string, unknown>, canary: CanaryStrategy): PdbModel[] {
  const podLabels = stringRecord(asRecord(template.metadata)?.labels);
  const stableLabels = mergeLabels(podLabels, canary.stableMetadata?.labels);
  const canaryLabels = mergeLabels(podLabels, canary.canaryMetadata?.labels);
  const pdbs: PdbModel[] = [];
  for (const o of ctx.all) {
    if (o.object.kind !== 'PodDisruptionBudget' || (o.object.metadata?.namespace ?? ctx.ns) !== ctx.ns) {
      continue;
    }
    const pdbSpec = asRecord(o.object.spec) ?? {};
    const matchLabels = stringRecord(asRecord(pdbSpec.selector)?.matchLabels);
    const inStable = selectsSome(matchLabels, stableLabels);
    const inCanary = selectsSome(matchLabels, canaryLabels);
    if (!inStable && !inCanary) {
      continue;
    }
    pdbs.push({
      name: o.object.metadata?.name ?? '(unnamed)',
      matchLabels,
      minAvailable: intOrString(pdbSpec.minAvailable),
      maxUnavailable: intOrString(pdbSpec.maxUnavailable),
      selects: inStable && inCanary ? 'both' : inStable ? 'stable' : 'canary',
      object: o.object,
    });
  }
  return pdbs;
}
