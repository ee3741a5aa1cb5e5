import { isPlainObject } from '../model/records';
import { type KubeObject, readVirtualServiceRoutes, shortHost, splitVirtualServiceName, type VirtualServiceRouteFields } from '../model/manifests';

import type { CanaryStrategy, IstioVirtualServiceRef } from '../runtime/types';
import { arrayAt, stringAt } from './data';
import { MemoTable, type ManifestIndex, type ManifestObject } from './manifest-index';

import { refuse, type RolloutView } from './rollout-view';

/** One VirtualService a Rollout names, with the field path of the reference. */
export interface VirtualServiceRef {
  readonly ref: IstioVirtualServiceRef;
  /** e.g. `spec.strategy.canary.trafficRouting.istio.virtualServices[1]`. */
  readonly path: string;
  /** The VirtualService, when it is among the manifests. */
  readonly object?: ManifestObject;
  /** Every http route of `object`, as the model's reader reads them (`readVirtualServiceRoutes`). */
  readonly http: readonly VirtualServiceRouteFields[];
  /** The http routes of `object` the controller re-weights ({@link selectedHttpRoutes}), with their destinations. */
  readonly routes: readonly RoutedHttpRoute[];
  /** What the model's reader refused in the http routes of `object` (e.g. a weight of 50.5), one message each. */
  readonly refused: readonly string[];
}

/** A selected http route (its index in `spec.http`) and its destinations ({@link routeDestinations}). */
export interface RoutedHttpRoute {
  readonly index: number;
  readonly destinations: readonly RouteDestination[];
}

const REFS = new MemoTable<RolloutView, readonly VirtualServiceRef[]>('VirtualServices of a Rollout');

/**
 * Every VirtualService referenced by `trafficRouting.istio` (single and list forms), with the
 * routes the controller re-weights. Worked out once per Rollout (two rules read it).
 */
export function virtualServiceRefs(index: ManifestIndex, rollout: RolloutView & { canary: CanaryStrategy }): readonly VirtualServiceRef[] {
  return index.memo(REFS, rollout, () => readVirtualServiceRefs(index, rollout));
}

function readVirtualServiceRefs(index: ManifestIndex, rollout: RolloutView & { canary: CanaryStrategy }): readonly VirtualServiceRef[] {
  const istio = rollout.canary.trafficRouting?.istio;
  if (!istio) return [];
  const base = 'spec.strategy.canary.trafficRouting.istio';
  const refs: { ref: IstioVirtualServiceRef; path: string }[] = [];
  if (isPlainObject(istio.virtualService)) refs.push({ ref: istio.virtualService, path: `${base}.virtualService` });
  arrayAt(istio.virtualServices).forEach((ref, i) => {
    if (isPlainObject(ref)) refs.push({ ref: ref as unknown as IstioVirtualServiceRef, path: `${base}.virtualServices[${i}]` });
  });
  return refs.map(({ ref, path }) => {
    // The controller's reading (istioutil.GetVirtualServiceNamespaceName): `name` or `name.namespace`.
    const { name, namespace } = splitVirtualServiceName(stringAt(ref.name) ?? '');
    const object = index.find('VirtualService', name, namespace ?? rollout.object.namespace);
    // The http routes as the model's reader reads them (readVirtualServiceRoutes).
    const refused: string[] = [];
    const http = object ? readVirtualServiceRoutes(object.raw as KubeObject, 'http', refuse, refused) : [];
    const routes = selectedHttpRoutes(http, ref).map((r) => ({ index: r.index, destinations: routeDestinations(r) }));
    return { ref, path, object, http, routes, refused };
  });
}

/**
 * The http routes the controller patches (rollout/trafficrouting/istio/istio.go getHttpRouteIndexesToPatch): the listed
 * names, or with no `routes` the only route, else the first unnamed one. Names that do not exist
 * are simply not selected (the route rule reports them).
 */
export function selectedHttpRoutes(http: readonly VirtualServiceRouteFields[], ref: IstioVirtualServiceRef): readonly VirtualServiceRouteFields[] {
  const wanted = arrayAt(ref.routes).filter((r): r is string => typeof r === 'string');
  if (wanted.length > 0) return http.filter((r) => wanted.includes(r.name ?? ''));
  if (http.length === 1) return http;
  const unnamed = http.find((r) => r.name === undefined);
  return unnamed ? [unnamed] : [];
}

/** A destination of an http route: its short host (first DNS label), subset and weight (missing or refused by the reader = 0). */
export interface RouteDestination {
  readonly host: string;
  readonly subset?: string;
  readonly weight: number;
}

/** The destinations of an http route, as the lint rules compare them. */
export function routeDestinations(route: VirtualServiceRouteFields): readonly RouteDestination[] {
  return route.destinations.map((d) => ({ host: shortHost(d.host ?? ''), subset: d.subset, weight: d.weight ?? 0 }));
}
