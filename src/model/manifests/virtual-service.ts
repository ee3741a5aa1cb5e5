import { asRecord } from '../records';
import type { IstioTrafficRouting, IstioVirtualServiceRef } from '../rollout-spec';
import { findObject, type RolloutReadContext } from './context';
import { attempt, type Fail, optionalInt } from './fields';
import { where } from './parse';
import { type KubeObject, ManifestError, type VirtualServiceModel } from './types';

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

/** The route sections of a VirtualService's spec. */
export type VirtualServiceSection = 'http' | 'tls' | 'tcp';

/** One destination of a route (`route[]`). */
export interface RouteDestinationFields {
  /** `destination.host` as written, when it is a string. */
  readonly host?: string;
  /** `destination.subset`, when it is a string. */
  readonly subset?: string;
  /** `weight`, an int32 >= 0; undefined when absent or refused (the problem is in `problems`). */
  readonly weight?: number;
}

/** One route of a section (`spec.http[i]`, `spec.tls[i]`, `spec.tcp[i]`). */
export interface VirtualServiceRouteFields {
  /** Its index in the section. */
  readonly index: number;
  /** `name`, when it is a string. */
  readonly name?: string;
  /** Its destinations (`route[]`), in order. */
  readonly destinations: readonly RouteDestinationFields[];
}

/**
 * The short host of a destination host: up to the first `.` (`stable.ns.svc.cluster.local` ->
 * `stable`), as the controller matches destinations to Services.
 * @see rollout/trafficrouting/istio/istio.go getHost
 */
export function shortHost(host: string): string {
  const dot = host.indexOf('.');
  return dot < 0 ? host : host.slice(0, dot);
}

/**
 * The routes of one section of a VirtualService, read one way for every consumer (the canary set
 * and the existing app of migration): each route's name and its destinations' host, subset and
 * weight. A refused weight is undefined, its problem (through `fail`) added to `problems`.
 */
export function readVirtualServiceRoutes(
  vs: KubeObject,
  section: VirtualServiceSection,
  fail: Fail,
  problems: string[],
): VirtualServiceRouteFields[] {
  const routes = asRecord(vs.spec)?.[section];
  if (!Array.isArray(routes)) return [];
  return routes.map((raw: unknown, index) => {
    const route = asRecord(raw);
    const dests = Array.isArray(route?.route) ? (route.route as unknown[]) : [];
    return {
      index,
      name: stringOrUndefined(route?.name),
      destinations: dests.map((d, i) => {
        const dest = asRecord(d);
        const target = asRecord(dest?.destination);
        const field = `spec.${section}[${index}].route[${i}].weight`;
        return {
          host: stringOrUndefined(target?.host),
          subset: stringOrUndefined(target?.subset),
          weight: attempt(problems, () => optionalInt(dest?.weight, field, 0, fail)),
        };
      }),
    };
  });
}

function stringOrUndefined(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
