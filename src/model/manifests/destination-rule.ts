import { asRecord } from '../records';
import type { IstioTrafficRouting } from '../rollout-spec';
import { findObject, type RolloutReadContext } from './context';
import type { DestinationRuleModel } from './types';

/** The DestinationRule of a subset-level split: in the input, defining both subsets the Rollout names. */
export function readDestinationRule(ctx: RolloutReadContext, istio: IstioTrafficRouting | undefined): DestinationRuleModel | undefined {
  if (!istio?.destinationRule) return undefined;
  const ref = istio.destinationRule;
  const found = findObject(ctx, 'DestinationRule', ref.name, ctx.ns);
  if (!found) {
    return ctx.fail(
      `spec.strategy.canary.trafficRouting.istio.destinationRule.name names DestinationRule/${ref.name}, which is not in the input`,
    );
  }
  const drSpec = asRecord(found.object.spec) ?? {};
  const subsets = Array.isArray(drSpec.subsets) ? (drSpec.subsets as unknown[]) : [];
  const subsetNames = subsets.map((s) => asRecord(s)?.name);
  for (const [field, subset] of [
    ['canarySubsetName', ref.canarySubsetName],
    ['stableSubsetName', ref.stableSubsetName],
  ] as const) {
    if (!subsetNames.includes(subset)) {
      ctx.fail(
        `spec.strategy.canary.trafficRouting.istio.destinationRule.${field} names subset "${subset}", which DestinationRule/${ref.name} does not define (subsets: ${subsetNames.join(', ') || 'none'})`,
      );
    }
  }
  return { ref, name: ref.name, namespace: found.object.metadata?.namespace, spec: drSpec, object: found.object };
}
