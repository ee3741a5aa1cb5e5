/**
 * The Istio functions checked against Go (rollout/trafficrouting/istio/istio.go): route index
 * selection, route destination validation and reconcileVirtualService on random VirtualServices.
 */
import {
  getHttpRouteIndexesToPatch,
  getTcpRouteIndexesToPatch,
  getTlsRouteIndexesToPatch,
  reconcileVirtualService,
  validateVirtualServiceRouteDestinations,
  type VsRoute,
  type VsRouteDestination,
} from '../../src/runtime/istio';
import type { IstioVirtualServiceRef, RolloutState } from '../../src/runtime/types';
import { commonOutside, indexes, type Args, type FunctionSpec } from './functions';
import { genRollout } from './inputs';
import { Random } from './random';

const HOSTS = ['stable', 'canary', 'other', 'stable.default.svc.cluster.local', 'exp-t0'] as const;
const SNI = ['a.example', 'b.example'] as const;

function genDestination(r: Random): VsRouteDestination {
  const destination: Record<string, unknown> = { host: r.pick(HOSTS) };
  if (r.chance(0.4)) destination['subset'] = r.pick(['stable', 'canary', 'other']);
  if (r.chance(0.2)) destination['port'] = { number: r.pick([80, 8080]) };
  return r.chance(0.9) ? { destination: destination as VsRouteDestination['destination'], weight: r.int(0, 100) } : { destination: destination as VsRouteDestination['destination'] };
}

function genHttpRoute(r: Random): VsRoute {
  const route: Record<string, unknown> = { route: r.list(0, 3, () => genDestination(r)) };
  if (r.chance(0.7)) route['name'] = r.pick(['primary', 'secondary', '']);
  return route as VsRoute;
}

function genTlsRoute(r: Random): VsRoute {
  const match = r.list(0, 2, () => {
    const m: Record<string, unknown> = {};
    if (r.chance(0.8)) m['port'] = r.pick([443, 8443]);
    if (r.chance(0.8)) m['sniHosts'] = r.list(1, 3, () => r.pick(SNI));
    return m;
  });
  return { match, route: r.list(0, 3, () => genDestination(r)) };
}

function genTcpRoute(r: Random): VsRoute {
  return { match: r.list(0, 2, () => (r.chance(0.8) ? { port: r.pick([3306, 5432]) } : {})), route: r.list(0, 3, () => genDestination(r)) };
}

const genTlsRef = (r: Random) => ({ port: r.pick([443, 8443]), sniHosts: r.list(0, 3, () => r.pick(SNI)) });
const genTcpRef = (r: Random) => ({ port: r.pick([3306, 5432]) });
const genRouteNames = (r: Random) => r.list(0, 2, () => r.pick(['primary', 'secondary', 'missing']));

/** A Rollout pointing at VirtualService `vs` with the given reference, host or subset mode. */
function istioRollout(r: Random, vsRef: IstioVirtualServiceRef): RolloutState {
  const base = genRollout(r, { trafficRouting: true });
  const canary = base.spec.strategy.canary!;
  const subsets = r.chance(0.3);
  return {
    ...base,
    spec: {
      ...base.spec,
      strategy: {
        canary: {
          ...canary,
          canaryService: 'canary',
          stableService: 'stable',
          trafficRouting: {
            maxTrafficWeight: canary.trafficRouting?.maxTrafficWeight,
            istio: { virtualService: vsRef, ...(subsets ? { destinationRule: { name: 'dr', canarySubsetName: 'canary', stableSubsetName: 'stable' } } : {}) },
          },
        },
      },
    },
  };
}

function genReconcile(r: Random): Args {
  const vsRef: IstioVirtualServiceRef = {
    name: 'vs',
    routes: r.maybe(0.6, () => genRouteNames(r)),
    tlsRoutes: r.maybe(0.3, () => r.list(0, 2, () => genTlsRef(r))),
    tcpRoutes: r.maybe(0.2, () => r.list(0, 1, () => genTcpRef(r))),
  };
  const spec: Record<string, unknown> = {};
  if (r.chance(0.85)) spec['http'] = r.list(0, 3, () => genHttpRoute(r));
  if (r.chance(0.3)) spec['tls'] = r.list(0, 2, () => genTlsRoute(r));
  if (r.chance(0.2)) spec['tcp'] = r.list(0, 2, () => genTcpRoute(r));
  const maxW = 100;
  return {
    ro: istioRollout(r, vsRef),
    vs: { apiVersion: 'networking.istio.io/v1alpha3', kind: 'VirtualService', metadata: { name: 'vs', namespace: 'default' }, spec },
    vsRef,
    weight: r.weight(maxW),
    additional: r.chance(0.15) ? [{ serviceName: 'exp-t0', podTemplateHash: 'C', weight: r.int(0, 20) }] : [],
  };
}

/** An empty tls/tcp list with no route reference: Go patches index 0 of it and panics. */
function emptyRouteList(a: Args): string | undefined {
  const spec = a.vs?.spec ?? {};
  for (const [kind, refs] of [['tls', a.vsRef?.tlsRoutes], ['tcp', a.vsRef?.tcpRoutes]] as const) {
    const routes = spec[kind];
    if (Array.isArray(routes) && routes.length === 0 && (refs ?? []).length === 0) return `empty-route-list: spec.${kind} is an empty list (Go patches its index 0 and panics)`;
  }
  return commonOutside(a);
}

export const ISTIO_SPECS: readonly FunctionSpec[] = [
  {
    name: 'getHttpRouteIndexesToPatch',
    generate: (r) => ({ routeNames: genRouteNames(r), httpRoutes: r.list(0, 3, () => genHttpRoute(r)) }),
    ts: (a) => indexes(getHttpRouteIndexesToPatch(a.routeNames ?? [], a.httpRoutes ?? [])),
  },
  {
    name: 'getTlsRouteIndexesToPatch',
    generate: (r) => ({ tlsRefs: r.list(0, 2, () => genTlsRef(r)), tlsRoutes: r.list(0, 3, () => genTlsRoute(r)) }),
    ts: (a) => indexes(getTlsRouteIndexesToPatch(a.tlsRefs ?? [], a.tlsRoutes ?? [])),
  },
  {
    name: 'getTcpRouteIndexesToPatch',
    generate: (r) => ({ tcpRefs: r.list(0, 2, () => genTcpRef(r)), tcpRoutes: r.list(0, 3, () => genTcpRoute(r)) }),
    ts: (a) => indexes(getTcpRouteIndexesToPatch(a.tcpRefs ?? [], a.tcpRoutes ?? [])),
  },
  {
    name: 'validateVirtualServiceRouteDestinations',
    generate: (r) => ({
      destinations: r.list(0, 4, () => genDestination(r)),
      stableSvc: r.pick(['stable', '', 'stable.default.svc.cluster.local']),
      canarySvc: r.pick(['canary', '']),
      destinationRule: r.maybe(0.4, () => ({ name: 'dr', canarySubsetName: r.pick(['canary', '']), stableSubsetName: r.pick(['stable', '']) })),
    }),
    ts: (a) => validateVirtualServiceRouteDestinations(a.destinations ?? [], a.stableSvc ?? '', a.canarySvc ?? '', a.destinationRule) ?? null,
  },
  {
    name: 'reconcileVirtualService',
    generate: genReconcile,
    outside: emptyRouteList,
    ts: (a) => {
      const result = reconcileVirtualService(a.ro!, a.vs!, a.vsRef!, a.weight!, a.additional ?? []);
      return { vs: result.error ? null : result.virtualService, modified: result.error ? false : result.modified, error: result.error ?? null };
    },
  },
];
