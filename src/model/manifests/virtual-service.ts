import { asRecord } from '../records';
import type { IstioTrafficRouting, IstioVirtualServiceRef } from '../rollout-spec';
import { findObject, type RolloutReadContext } from './context';
import { where } from './parse';
import { ManifestError, type VirtualServiceModel } from './types';

/**
 * `istioutil.GetVirtualServiceNamespaceName` (v1.9.1): a reference is `name` or `name.namespace`
 * (split on dots; the first field is the name, the second the namespace).
 */
export function splitVirtualServiceName(ref: string): { name: string; namespace?: string } {
  // ref.split('.')[0] and [1], without building the array of every field.
  const dot = ref.indexOf('.');
  if (dot < 0) return { name: ref };
  const next = ref.indexOf('.', dot + 1);
  return { name: ref.slice(0, dot), namespace: ref.slice(dot + 1, next < 0 ? ref.length : next) };
}

/** Every VirtualService the Istio routing names (`virtualService`, then `virtualServices`), each in the input with a spec. */
export function readVirtualServices(ctx: RolloutReadContext, istio: IstioTrafficRouting | undefined): VirtualServiceModel[] {
  const vsRefs: { ref: IstioVirtualServiceRef; field: string }[] = [];
  if (istio?.virtualService) {
    vsRefs.push({ ref: istio.virtualService, field: 'spec.strategy.canary.trafficRouting.istio.virtualService' });
  }
  (istio?.virtualServices ?? []).forEach((ref, i) =>
    vsRefs.push({ ref, field: `spec.strategy.canary.trafficRouting.istio.virtualServices[${i}]` }),
  );
  return vsRefs.map(({ ref, field }) => readVirtualService(ctx, ref, field));
}

function readVirtualService(ctx: RolloutReadContext, ref: IstioVirtualServiceRef, field: string): VirtualServiceModel {
  const { name: vsName, namespace: vsNs } = splitVirtualServiceName(ref.name);
  const found = findObject(ctx, 'VirtualService', vsName, vsNs);
  if (!found) {
    return ctx.fail(`${field}.name names VirtualService/${ref.name}, which is not in the input`);
  }
  const vsSpec = asRecord(found.object.spec);
  if (!vsSpec) {
    throw new ManifestError(`${where(found.source)}VirtualService/${vsName}: spec is missing`);
  }
  return { ref, name: vsName, namespace: found.object.metadata?.namespace, spec: vsSpec, object: found.object };
}
