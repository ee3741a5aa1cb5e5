import { ARGO_KEYS } from '../model/argo-defaults';
import { shouldDelayDestinationRuleUpdate } from './traffic-helpers';
import type {
  IstioDestinationRuleRef,
  IstioVirtualServiceRef,
  ReplicaSetState,
  RolloutState,
  TcpRouteRef,
  TlsRouteRef,
  WeightDestination,
} from './types';

/**
 * Istio VirtualService / DestinationRule patching as the Argo Rollouts v1.9.1 Istio reconciler does
 * it (rollout/trafficrouting/istio/istio.go), over plain objects. Nothing is mutated: every
 * function returns new objects.
 */

/** One `route[]` entry of an http/tls/tcp route. Unknown fields are kept. */
export interface VsRouteDestination {
  readonly destination: {
    readonly host: string;
    readonly subset?: string;
    readonly port?: { readonly number?: number };
    readonly [key: string]: unknown;
  };
  /** A missing weight reads as 0. */
  readonly weight?: number;
  readonly [key: string]: unknown;
}

/** An http, tls or tcp route of a VirtualService. Unknown fields are kept. */
export interface VsRoute {
  readonly name?: string;
  readonly match?: readonly Readonly<Record<string, unknown>>[];
  readonly route?: readonly VsRouteDestination[];
  readonly mirror?: unknown;
  readonly [key: string]: unknown;
}

/** A VirtualService as plain data (only `spec.http`, `spec.tls`, `spec.tcp` are read). */
export interface VirtualServiceObject {
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly spec: {
    readonly http?: readonly VsRoute[];
    readonly tls?: readonly VsRoute[];
    readonly tcp?: readonly VsRoute[];
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** A DestinationRule subset. Unknown fields (trafficPolicy...) are kept. */
export interface DrSubset {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

/** A DestinationRule as plain data. */
export interface DestinationRuleObject {
  readonly metadata?: { readonly name?: string; readonly annotations?: Readonly<Record<string, string>>; readonly [key: string]: unknown };
  readonly spec: { readonly host?: string; readonly subsets?: readonly DrSubset[]; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** Route kinds of a VirtualService. */
export type RouteType = 'http' | 'tls' | 'tcp';

/** Result of {@link reconcileVirtualService} and {@link setWeight}-style operations. */
export interface VirtualServiceResult {
  /** The rewritten VirtualService (the input, unchanged, when `error` is set). */
  readonly virtualService: VirtualServiceObject;
  /** True when at least one destination changed (the controller then writes the object). */
  readonly modified: boolean;
  /** The controller's error text; the tick fails and nothing is written. */
  readonly error?: string;
}

/** Service / subset names a route's destinations are matched against. */
interface RouteTargets {
  readonly canaryService: string;
  readonly stableService: string;
  readonly canarySubset: string;
  readonly stableSubset: string;
  readonly additionalSubsets: readonly string[];
}

/**
 * The short host of a destination: the host up to the first `.` (`"stable.ns.svc.cluster.local"`
 * -> `"stable"`); a host starting with `.` gives `""` (ignored).
 * @see rollout/trafficrouting/istio/istio.go getHost
 */
export function getHost(destination: VsRouteDestination): string {
  const host = destination.destination?.host ?? '';
  const dot = host.indexOf('.');
  if (dot < 0) return host;
  return dot > 0 ? host.slice(0, dot) : '';
}

/**
 * Canary and stable Service names for the VirtualService: `canaryService`/`stableService`, or,
 * with ping-pong and no names, the ping/pong pair (stable = ping when
 * `status.canary.stablePingPong == "ping"`, else pong).
 */
export function getCanaryStableServices(rollout: RolloutState): { canaryService: string; stableService: string } {
  const canary = rollout.spec.strategy.canary;
  const canaryService = canary?.canaryService ?? '';
  const stableService = canary?.stableService ?? '';
  if (canary?.pingPong && canaryService === '' && stableService === '') {
    const stableIsPing = rollout.status.canary?.stablePingPong === 'ping';
    return {
      stableService: stableIsPing ? canary.pingPong.pingService : canary.pingPong.pongService,
      canaryService: stableIsPing ? canary.pingPong.pongService : canary.pingPong.pingService,
    };
  }
  return { canaryService, stableService };
}

function routeTargets(rollout: RolloutState): RouteTargets {
  const dr = rollout.spec.strategy.canary?.trafficRouting?.istio?.destinationRule;
  const { canaryService, stableService } = getCanaryStableServices(rollout);
  return {
    canaryService,
    stableService,
    canarySubset: dr?.canarySubsetName ?? '',
    stableSubset: dr?.stableSubsetName ?? '',
    additionalSubsets: dr?.additionalSubsetNames ?? [],
  };
}

/** Result of {@link getHttpRouteIndexesToPatch}. */
export interface RouteIndexes {
  readonly indexes: readonly number[];
  readonly error?: string;
}

/**
 * Indexes of the http routes whose weights are managed. No names: the only route if there is
 * exactly one, else the first unnamed route, else none. Names: each must exist.
 * @see rollout/trafficrouting/istio/istio.go getHttpRouteIndexesToPatch
 */
export function getHttpRouteIndexesToPatch(routeNames: readonly string[], httpRoutes: readonly VsRoute[]): RouteIndexes {
  if (routeNames.length === 0) {
    if (httpRoutes.length === 1) return { indexes: [0] };
    const unnamed = httpRoutes.findIndex((route) => (route.name ?? '') === '');
    return { indexes: unnamed >= 0 ? [unnamed] : [] };
  }
  const indexes: number[] = [];
  for (const name of routeNames) {
    const index = httpRoutes.findIndex((route) => (route.name ?? '') === name);
    if (index < 0) return { indexes: [], error: `HTTP Route '${name}' is not found in the defined Virtual Service.` };
    indexes.push(index);
  }
  return { indexes };
}

/** The single port of a route's matches (absent = 0), or undefined when they name several. */
function singleMatchPort(route: VsRoute): number | undefined {
  const ports = new Set<number>();
  for (const match of route.match ?? []) ports.add(typeof match['port'] === 'number' ? match['port'] : 0);
  if (ports.size > 1) return undefined;
  return ports.size === 1 ? [...ports][0] : 0;
}

/**
 * The SNI comparison of the controller: the route's hosts are de-duplicated, the Rollout's list is
 * not; equal when both have the same length and every route host is in the Rollout's list (so a
 * Rollout list repeating a host never matches a route listing it once).
 * @see utils/evaluate/evaluate.go Equal
 */
function sniHostsEqual(wanted: readonly string[], routeHosts: readonly string[]): boolean {
  const distinctRouteHosts = [...new Set(routeHosts)];
  const wantedSet = new Set(wanted);
  return wanted.length === distinctRouteHosts.length && distinctRouteHosts.every((host) => wantedSet.has(host));
}

/**
 * Indexes of the tls routes to patch: index 0 when none are listed; else every route whose
 * matches resolve to one port equal to `port` and whose SNI hosts equal `sniHosts` ({@link sniHostsEqual}).
 * @see rollout/trafficrouting/istio/istio.go getTlsRouteIndexesToPatch
 */
export function getTlsRouteIndexesToPatch(tlsRoutes: readonly TlsRouteRef[], vsRoutes: readonly VsRoute[]): RouteIndexes {
  if (tlsRoutes.length === 0) return { indexes: [0] };
  const indexes: number[] = [];
  for (const wanted of tlsRoutes) {
    const found: number[] = [];
    vsRoutes.forEach((route, i) => {
      const port = singleMatchPort(route);
      if (port === undefined) return;
      const sniHosts = (route.match ?? []).flatMap((match) => (Array.isArray(match['sniHosts']) ? (match['sniHosts'] as string[]) : []));
      if (port === (wanted.port ?? 0) && sniHostsEqual(wanted.sniHosts ?? [], sniHosts)) found.push(i);
    });
    if (found.length === 0) return { indexes: [], error: 'No matching TLS routes found in the defined Virtual Service.' };
    indexes.push(...found);
  }
  return { indexes };
}

/**
 * Indexes of the tcp routes to patch: index 0 when none are listed; else every route whose
 * matches resolve to one port equal to `port`.
 * @see rollout/trafficrouting/istio/istio.go getTcpRouteIndexesToPatch
 */
export function getTcpRouteIndexesToPatch(tcpRoutes: readonly TcpRouteRef[], vsRoutes: readonly VsRoute[]): RouteIndexes {
  if (tcpRoutes.length === 0) return { indexes: [0] };
  const indexes: number[] = [];
  for (const wanted of tcpRoutes) {
    const found: number[] = [];
    vsRoutes.forEach((route, i) => {
      if (singleMatchPort(route) === (wanted.port ?? 0)) found.push(i);
    });
    if (found.length === 0) return { indexes: [], error: 'No matching TCP routes found in the defined Virtual Service.' };
    indexes.push(...found);
  }
  return { indexes };
}

/**
 * A managed route must carry both the canary and the stable destination: the Services without a
 * DestinationRule, both subsets with one. Returns the controller's error text, or undefined.
 * @see rollout/trafficrouting/istio/istio.go validateVirtualServiceRouteDestinations
 */
export function validateVirtualServiceRouteDestinations(
  destinations: readonly VsRouteDestination[],
  stableService: string,
  canaryService: string,
  destinationRule: IstioDestinationRuleRef | undefined,
): string | undefined {
  let hasStableSvc = false;
  let hasCanarySvc = false;
  let hasStableSubset = false;
  let hasCanarySubset = false;
  for (const destination of destinations) {
    const host = getHost(destination);
    if (stableService !== '' && host === stableService) hasStableSvc = true;
    if (canaryService !== '' && host === canaryService) hasCanarySvc = true;
    const subset = destination.destination?.subset ?? '';
    if (destinationRule) {
      if (destinationRule.stableSubsetName !== '' && subset === destinationRule.stableSubsetName) hasStableSubset = true;
      if (destinationRule.canarySubsetName !== '' && subset === destinationRule.canarySubsetName) hasCanarySubset = true;
    }
  }
  if (destinationRule) {
    if (!hasCanarySubset) return `Canary DestinationRule subset '${destinationRule.canarySubsetName}' not found in route`;
    if (!hasStableSubset) return `Stable DestinationRule subset '${destinationRule.stableSubsetName}' not found in route`;
    return undefined;
  }
  if (!hasCanarySvc) return `Canary Service '${canaryService}' not found in route`;
  if (!hasStableSvc) return `Stable Service '${stableService}' not found in route`;
  return undefined;
}

function managedRouteNames(rollout: RolloutState): string[] {
  return (rollout.spec.strategy.canary?.trafficRouting?.managedRoutes ?? []).map((route) => route.name);
}

const AMBIGUOUS = (kind: RouteType, field: string): string =>
  `spec.${kind}[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.${field}`;

/** ValidateHTTPRoutes / ValidateTlsRoutes / ValidateTcpRoutes of the source. */
function validateRoutes(rollout: RolloutState, vsRef: IstioVirtualServiceRef, spec: VirtualServiceObject['spec']): string | undefined {
  const { canaryService, stableService } = getCanaryStableServices(rollout);
  const dr = rollout.spec.strategy.canary?.trafficRouting?.istio?.destinationRule;
  const checkDestinations = (routes: readonly VsRoute[], indexes: readonly number[]): string | undefined => {
    for (const index of indexes) {
      if (index >= routes.length) continue;
      const error = validateVirtualServiceRouteDestinations(routes[index].route ?? [], stableService, canaryService, dr);
      if (error) return error;
    }
    return undefined;
  };
  if (spec.http !== undefined) {
    const names = vsRef.routes ?? [];
    const { indexes, error } = getHttpRouteIndexesToPatch(names, spec.http);
    if (error) return error;
    const destinationError = checkDestinations(spec.http, indexes);
    if (destinationError) return destinationError;
    const managed = new Set(managedRouteNames(rollout));
    const unmanaged = spec.http.filter((route) => !managed.has(route.name ?? ''));
    if (names.length === 0 && unmanaged.length > 1) return AMBIGUOUS('http', 'routes');
  }
  if (spec.tls !== undefined) {
    const listed = vsRef.tlsRoutes ?? [];
    const { indexes, error } = getTlsRouteIndexesToPatch(listed, spec.tls);
    if (error) return error;
    const destinationError = checkDestinations(spec.tls, indexes);
    if (destinationError) return destinationError;
    if (listed.length === 0 && spec.tls.length > 1) return AMBIGUOUS('tls', 'tlsRoutes');
  }
  if (spec.tcp !== undefined) {
    const listed = vsRef.tcpRoutes ?? [];
    const { indexes, error } = getTcpRouteIndexesToPatch(listed, spec.tcp);
    if (error) return error;
    const destinationError = checkDestinations(spec.tcp, indexes);
    if (destinationError) return destinationError;
    if (listed.length === 0 && spec.tcp.length > 1) return AMBIGUOUS('tcp', 'tcpRoutes');
  }
  return undefined;
}

/** One destination change, applied in order like the source's virtualServicePatch. */
interface DestinationPatch {
  readonly routeType: RouteType;
  readonly routeIndex: number;
  readonly destinationIndex: number;
  readonly weight: number;
  readonly host: string;
  readonly toDelete: boolean;
}

/** rollout/trafficrouting/istio/istio.go processRoutes: the patches that bring one route's destinations to the desired weights. */
function processRoute(
  routeType: RouteType,
  routeIndex: number,
  destinations: readonly VsRouteDestination[],
  desiredWeight: number,
  targets: RouteTargets,
  additional: readonly WeightDestination[],
): DestinationPatch[] {
  const patches: DestinationPatch[] = [];
  const pending = new Map<string, WeightDestination>();
  let stableWeight = 100 - desiredWeight;
  for (const dest of additional) {
    pending.set(dest.serviceName ?? '', dest);
    stableWeight -= dest.weight;
  }
  if (targets.additionalSubsets.length > 0) {
    for (const destination of destinations) {
      const subset = destination.destination?.subset ?? '';
      if (subset !== '' && targets.additionalSubsets.includes(subset)) stableWeight -= destination.weight ?? 0;
    }
  }
  stableWeight = Math.max(0, stableWeight);
  const add = (weight: number | undefined, wanted: number, destinationIndex: number, host: string, toDelete: boolean): void => {
    if ((weight ?? 0) !== wanted) patches.push({ routeType, routeIndex, destinationIndex, weight: wanted, host, toDelete });
  };
  destinations.forEach((destination, i) => {
    const host = getHost(destination);
    if (host === '') return;
    const subset = destination.destination?.subset ?? '';
    const weight = destination.weight;
    if (host === targets.canaryService || (subset !== '' && subset === targets.canarySubset)) {
      add(weight, desiredWeight, i, host, false);
    } else if (host === targets.stableService || (subset !== '' && subset === targets.stableSubset)) {
      add(weight, stableWeight, i, host, false);
    } else if (pending.has(host)) {
      add(weight, pending.get(host)?.weight ?? 0, i, host, false);
      pending.delete(host);
    } else if (subset !== '' && targets.additionalSubsets.includes(subset)) {
      // An additional DestinationRule subset keeps its weight.
    } else {
      // Unknown destination: deleted (0 is the "desired" weight of a deletion, so a 0-weight one stays).
      add(weight, 0, i, host, true);
    }
  });
  let next = destinations.length;
  for (const dest of pending.values()) {
    add(0, dest.weight, next, dest.serviceName ?? '', false);
    next += 1;
  }
  return patches;
}

/**
 * Applies patches in order on mutable copies. A deletion shifts the indexes later patches of the
 * same route refer to, and an index past the end appends a destination: both are the source's
 * literal behaviour (rollout/trafficrouting/istio/istio.go patchVirtualService).
 */
function applyPatches(routes: Record<RouteType, Record<string, unknown>[] | undefined>, patches: readonly DestinationPatch[]): void {
  for (const patch of patches) {
    const list = routes[patch.routeType];
    if (!list) continue;
    const route = list[patch.routeIndex];
    const destinations = [...((route['route'] as Record<string, unknown>[] | undefined) ?? [])];
    if (patch.destinationIndex < destinations.length) {
      if (patch.toDelete) {
        destinations.splice(patch.destinationIndex, 1);
      } else {
        destinations[patch.destinationIndex] = { ...destinations[patch.destinationIndex], weight: patch.weight };
      }
    } else {
      destinations.push({ weight: patch.weight, destination: { host: patch.host } });
    }
    list[patch.routeIndex] = { ...route, route: destinations };
  }
}

/**
 * Rewrites the managed routes of one VirtualService to `desiredWeight` for the canary (and the
 * additional experiment destinations), the rest for the stable (rollout/trafficrouting/istio/istio.go SetWeight, reconcileVirtualService). Validates the
 * routes first (missing route names, missing destinations, ambiguous unnamed routes) and returns
 * the controller's error text instead of a change. `modified` is false when every weight already
 * matches, in which case the controller writes nothing. Managed mirror routes are patched too.
 * @see rollout/trafficrouting/istio/istio.go reconcileVirtualService
 */
export function reconcileVirtualService(
  rollout: RolloutState,
  virtualService: VirtualServiceObject,
  vsRef: IstioVirtualServiceRef,
  desiredWeight: number,
  additionalDestinations: readonly WeightDestination[] = [],
): VirtualServiceResult {
  // The result depends on the VirtualService, the reference, the weight and what routeTargets /
  // managedRouteNames read: the canary strategy and, for a ping-pong pair, status.canary.stablePingPong.
  // Every input is immutable data, so the last result per VirtualService object is reused.
  if (additionalDestinations.length > 0) return computeVirtualService(rollout, virtualService, vsRef, desiredWeight, additionalDestinations);
  const strategy = rollout.spec.strategy.canary;
  const stablePingPong = rollout.status.canary?.stablePingPong;
  const entries = RECONCILED_VIRTUAL_SERVICES.get(virtualService);
  const cached = entries?.find((e) => e.strategy === strategy && e.stablePingPong === stablePingPong && e.vsRef === vsRef && e.desiredWeight === desiredWeight);
  if (cached) return cached.result;
  const result = computeVirtualService(rollout, virtualService, vsRef, desiredWeight, additionalDestinations);
  rememberReconciled(virtualService, { strategy, stablePingPong, vsRef, desiredWeight, result });
  if (result.modified && WEIGHTS_ONLY.has(result) && Number.isFinite(desiredWeight)) {
    // Only weights were rewritten (no destination deleted or added): the routes, names and hosts
    // validated as before, and every managed destination is at its desired weight, so the same
    // weight on the rewritten object validates and changes nothing (the next ticks ask exactly that).
    const rewritten = result.virtualService;
    rememberReconciled(rewritten, { strategy, stablePingPong, vsRef, desiredWeight, result: { virtualService: rewritten, modified: false } });
  }
  return result;
}

function rememberReconciled(virtualService: VirtualServiceObject, entry: ReconciledEntry): void {
  let entries = RECONCILED_VIRTUAL_SERVICES.get(virtualService);
  if (entries === undefined) {
    entries = [];
    RECONCILED_VIRTUAL_SERVICES.set(virtualService, entries);
  }
  // A VirtualService is asked for its own weight and the next step's: a few entries per object.
  if (entries.length >= RECONCILED_PER_VIRTUAL_SERVICE) entries.shift();
  entries.push(entry);
}

interface ReconciledEntry {
  readonly strategy: unknown;
  readonly stablePingPong: string | undefined;
  readonly vsRef: IstioVirtualServiceRef;
  readonly desiredWeight: number;
  readonly result: VirtualServiceResult;
}

/** The last {@link reconcileVirtualService} results (without additional destinations) per VirtualService object. */
const RECONCILED_VIRTUAL_SERVICES = new WeakMap<VirtualServiceObject, ReconciledEntry[]>();
const RECONCILED_PER_VIRTUAL_SERVICE = 4;
/** Results of {@link computeVirtualService} whose patches only rewrote weights. */
const WEIGHTS_ONLY = new WeakSet<VirtualServiceResult>();

function computeVirtualService(
  rollout: RolloutState,
  virtualService: VirtualServiceObject,
  vsRef: IstioVirtualServiceRef,
  desiredWeight: number,
  additionalDestinations: readonly WeightDestination[],
): VirtualServiceResult {
  const spec = virtualService.spec ?? {};
  const error = validateRoutes(rollout, vsRef, spec);
  if (error) return { virtualService, modified: false, error };

  const targets = routeTargets(rollout);
  const managed = managedRouteNames(rollout);
  const names = [...(vsRef.routes ?? [])];
  if (managed.length > 0) {
    for (const route of spec.http ?? []) {
      if (route.mirror !== undefined && route.mirror !== null && managed.includes(route.name ?? '')) names.push(route.name ?? '');
    }
  }
  const patches: DestinationPatch[] = [];
  const collect = (routeType: RouteType, vsRoutes: readonly VsRoute[] | undefined, indexes: readonly number[]): void => {
    if (!vsRoutes) return;
    for (const index of indexes) {
      if (index >= vsRoutes.length) break;
      patches.push(...processRoute(routeType, index, vsRoutes[index].route ?? [], desiredWeight, targets, additionalDestinations));
    }
  };
  collect('http', spec.http, spec.http ? getHttpRouteIndexesToPatch(names, spec.http).indexes : []);
  collect('tls', spec.tls, spec.tls ? getTlsRouteIndexesToPatch(vsRef.tlsRoutes ?? [], spec.tls).indexes : []);
  collect('tcp', spec.tcp, spec.tcp ? getTcpRouteIndexesToPatch(vsRef.tcpRoutes ?? [], spec.tcp).indexes : []);
  if (patches.length === 0) return { virtualService, modified: false };

  const routes: Record<RouteType, Record<string, unknown>[] | undefined> = {
    http: spec.http?.map((route) => ({ ...route })),
    tls: spec.tls?.map((route) => ({ ...route })),
    tcp: spec.tcp?.map((route) => ({ ...route })),
  };
  applyPatches(routes, patches);
  const newSpec: Record<string, unknown> = { ...spec };
  for (const kind of ['http', 'tls', 'tcp'] as const) {
    if (routes[kind] !== undefined) newSpec[kind] = routes[kind];
  }
  const result: VirtualServiceResult = { virtualService: { ...virtualService, spec: newSpec as VirtualServiceObject['spec'] }, modified: true };
  if (additionalDestinations.length === 0 && patches.every((p) => !p.toDelete)) WEIGHTS_ONLY.add(result);
  return result;
}

/** The VirtualService references of the rollout (`virtualService` or `virtualServices[]`). */
export function getVirtualServiceRefs(rollout: RolloutState): readonly IstioVirtualServiceRef[] {
  const istio = rollout.spec.strategy.canary?.trafficRouting?.istio;
  if (istio?.virtualServices && istio.virtualServices.length > 0) return istio.virtualServices;
  return istio?.virtualService ? [istio.virtualService] : [];
}

/** Result of {@link setWeight}: the VirtualServices by reference name. */
export interface SetWeightResult {
  readonly virtualServices: Readonly<Record<string, VirtualServiceObject>>;
  /** Reference names of the VirtualServices that were written, in processing order. */
  readonly updated: readonly string[];
  readonly error?: string;
}

/**
 * SetWeight over every VirtualService of the rollout: reconcile each, order the routes of a
 * modified one (managed routes first), skip unmodified ones. `virtualServices` is keyed by the
 * reference name as written in the Rollout (`name` or `namespace/name`); a missing one is an error.
 * Stops at the first error, keeping the writes done before it (like the controller).
 * @see rollout/trafficrouting/istio/istio.go SetWeight
 */
export function setWeight(
  rollout: RolloutState,
  virtualServices: Readonly<Record<string, VirtualServiceObject>>,
  desiredWeight: number,
  additionalDestinations: readonly WeightDestination[] = [],
): SetWeightResult {
  const result: Record<string, VirtualServiceObject> = { ...virtualServices };
  const updated: string[] = [];
  for (const ref of getVirtualServiceRefs(rollout)) {
    const current = result[ref.name];
    if (!current) {
      return { virtualServices: result, updated, error: `VirtualService \`${ref.name}\` not found` };
    }
    const reconciled = reconcileVirtualService(rollout, current, ref, desiredWeight, additionalDestinations);
    if (reconciled.error) return { virtualServices: result, updated, error: reconciled.error };
    if (!reconciled.modified) continue;
    result[ref.name] = orderRoutes(rollout, reconciled.virtualService);
    updated.push(ref.name);
  }
  return { virtualServices: result, updated };
}

/**
 * Puts the http routes named in `trafficRouting.managedRoutes` first, in that order, then the
 * others in their order. No managed routes: unchanged.
 * @see rollout/trafficrouting/istio/istio.go orderRoutes
 */
export function orderRoutes(rollout: RolloutState, virtualService: VirtualServiceObject): VirtualServiceObject {
  const managed = managedRouteNames(rollout);
  const http = virtualService.spec.http;
  if (managed.length === 0 || !http) return virtualService;
  const managedSet = new Set(managed);
  const first = managed.flatMap((name) => http.filter((route) => (route.name ?? '') === name));
  const rest = http.filter((route) => !managedSet.has(route.name ?? ''));
  return { ...virtualService, spec: { ...virtualService.spec, http: [...first, ...rest] } };
}

/**
 * Removes every http route whose name is in `trafficRouting.managedRoutes` (header and mirror
 * routes). `modified` is true when a route was removed.
 * @see rollout/trafficrouting/istio/istio.go RemoveManagedRoutes
 */
export function removeManagedRoutes(rollout: RolloutState, virtualService: VirtualServiceObject): VirtualServiceResult {
  const managed = new Set(managedRouteNames(rollout));
  const http = virtualService.spec.http;
  if (managed.size === 0 || !http) return { virtualService, modified: false };
  const kept = http.filter((route) => !managed.has(route.name ?? ''));
  if (kept.length === http.length) return { virtualService, modified: false };
  return { virtualService: { ...virtualService, spec: { ...virtualService.spec, http: kept } }, modified: true };
}

/** Result of {@link updateHash}. */
export interface DestinationRuleResult {
  readonly destinationRule: DestinationRuleObject;
  readonly modified: boolean;
  /** "delaying destination rule switch: ..." (rollout/trafficrouting/istio/istio.go shouldDelayDestinationRuleUpdate); nothing is written. */
  readonly error?: string;
}

function withHashLabel(subset: DrSubset, hash: string): DrSubset {
  const labels: Record<string, string> = { ...(subset.labels ?? {}) };
  if (hash !== '') labels[ARGO_KEYS.podTemplateHashLabel] = hash;
  else delete labels[ARGO_KEYS.podTemplateHashLabel];
  return { ...subset, labels };
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Points the DestinationRule's canary subset at `canaryHash` and the stable subset at `stableHash`
 * (label `rollouts-pod-template-hash`, removed for an empty hash), keeps/creates experiment
 * subsets, drops every other subset, and marks the object managed by the rollout (rollout/trafficrouting/istio/istio.go UpdateHash).
 * When `replicaSets` is given, first applies the pure-subset-mode delay of
 * {@link shouldDelayDestinationRuleUpdate} and returns its error instead of a change.
 * No `istio.destinationRule`: returns the input unmodified.
 * @see rollout/trafficrouting/istio/istio.go UpdateHash
 */
export function updateHash(
  rollout: RolloutState,
  destinationRule: DestinationRuleObject,
  canaryHash: string,
  stableHash: string,
  additionalDestinations: readonly WeightDestination[] = [],
  replicaSets?: readonly ReplicaSetState[],
  rollingBackToStable = false,
): DestinationRuleResult {
  const ref = rollout.spec.strategy.canary?.trafficRouting?.istio?.destinationRule;
  if (!ref) return { destinationRule, modified: false };
  if (replicaSets) {
    const delay = shouldDelayDestinationRuleUpdate(rollout, canaryHash, stableHash, replicaSets, rollingBackToStable);
    if (delay.delay) return { destinationRule, modified: false, error: delay.message };
  }
  const pending = new Map<string, WeightDestination>();
  for (const dest of additionalDestinations) pending.set(dest.serviceName ?? '', dest);
  const subsets: DrSubset[] = [];
  for (const subset of destinationRule.spec.subsets ?? []) {
    if (subset.name === ref.canarySubsetName) {
      subsets.push(withHashLabel(subset, canaryHash));
    } else if (subset.name === ref.stableSubsetName) {
      subsets.push(withHashLabel(subset, stableHash));
    } else if (pending.has(subset.name)) {
      const dest = pending.get(subset.name) as WeightDestination;
      subsets.push(withHashLabel(subset, dest.podTemplateHash));
      if (dest.podTemplateHash !== '') pending.delete(subset.name);
    }
  }
  for (const dest of pending.values()) {
    subsets.push({ name: dest.serviceName ?? '', labels: { [ARGO_KEYS.podTemplateHashLabel]: dest.podTemplateHash } });
  }
  const metadata = destinationRule.metadata ?? {};
  const next: DestinationRuleObject = {
    ...destinationRule,
    metadata: {
      ...metadata,
      annotations: { ...(metadata.annotations ?? {}), [ARGO_KEYS.managedByAnnotation]: rollout.metadata?.name ?? '' },
    },
    spec: { ...destinationRule.spec, subsets },
  };
  return { destinationRule: next, modified: stableJson(next) !== stableJson(destinationRule) };
}
