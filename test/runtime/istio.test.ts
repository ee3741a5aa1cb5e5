import { describe, expect, it } from 'vitest';
import {
  getHttpRouteIndexesToPatch,
  getTlsRouteIndexesToPatch,
  orderRoutes,
  reconcileVirtualService,
  removeManagedRoutes,
  setWeight,
  updateHash,
  type DestinationRuleObject,
  type VirtualServiceObject,
  type VsRoute,
} from '../../src/runtime/istio';
import type { CanaryStrategy, IstioVirtualServiceRef, RolloutState } from '../../src/runtime/types';
import { canaryRollout, midUpdate, rs } from './function-fixtures';

const hostSplit = (extra: Partial<CanaryStrategy> = {}): RolloutState =>
  canaryRollout(4, { canaryService: 'canary', stableService: 'stable', trafficRouting: { istio: { virtualService: { name: 'vs', routes: ['primary'] } } }, ...extra }, midUpdate(0));
const subsetSplit = (): RolloutState =>
  canaryRollout(4, { trafficRouting: { istio: { virtualService: { name: 'vs' }, destinationRule: { name: 'dr', canarySubsetName: 'canary', stableSubsetName: 'stable' } } } }, midUpdate(0));
const route = (name: string | undefined, ...dests: [string, number?, string?][]): VsRoute => ({
  ...(name === undefined ? {} : { name }),
  route: dests.map(([host, weight, subset]) => ({ destination: { host, ...(subset ? { subset } : {}) }, ...(weight === undefined ? {} : { weight }) })),
});
const vs = (http?: VsRoute[], tls?: VsRoute[], tcp?: VsRoute[]): VirtualServiceObject => ({
  metadata: { name: 'vs' },
  spec: { hosts: ['app'], ...(http ? { http } : {}), ...(tls ? { tls } : {}), ...(tcp ? { tcp } : {}) },
});
const primary: IstioVirtualServiceRef = { name: 'vs', routes: ['primary'] };
const weightsOf = (r: VsRoute | undefined) => r?.route?.map((d) => [d.destination.host, d.weight ?? 0, d.destination.subset ?? '']);

// Spec §8.3 / §8.4 (istio.go reconcileVirtualService, processRoutes, patchVirtualService).
describe('reconcileVirtualService', () => {
  it('host prefix: FQDN destinations match the Service short name; unnamed others untouched', () => {
    const input = vs([route('primary', ['stable.prod.svc.cluster.local', 100], ['canary.prod.svc.cluster.local', 0]), route('other', ['stable', 100], ['canary', 0])]);
    const result = reconcileVirtualService(hostSplit(), input, primary, 25);
    expect(result.modified).toBe(true);
    expect(weightsOf(result.virtualService.spec.http?.[0])).toEqual([['stable.prod.svc.cluster.local', 75, ''], ['canary.prod.svc.cluster.local', 25, '']]);
    expect(weightsOf(result.virtualService.spec.http?.[1])).toEqual([['stable', 100, ''], ['canary', 0, '']]);
    expect(input.spec.http?.[0].route?.[0].weight).toBe(100); // input not mutated
  });

  it('subset split: destinations matched by DestinationRule subset on one host', () => {
    const result = reconcileVirtualService(subsetSplit(), vs([route(undefined, ['app', 100, 'stable'], ['app', 0, 'canary'])]), { name: 'vs' }, 40);
    expect(weightsOf(result.virtualService.spec.http?.[0])).toEqual([['app', 60, 'stable'], ['app', 40, 'canary']]);
  });

  it('no change needed: modified false and the same object back (the controller writes nothing)', () => {
    const input = vs([route('primary', ['stable', 70], ['canary', 30])]);
    const result = reconcileVirtualService(hostSplit(), input, primary, 30);
    expect(result).toEqual({ virtualService: input, modified: false });
  });

  it('experiment destinations: existing ones re-weighted, missing ones appended; stable gets the rest', () => {
    const input = vs([route('primary', ['stable', 100], ['canary', 0], ['exp-a', 0])]);
    const extra = [
      { serviceName: 'exp-a', weight: 5, podTemplateHash: 'E1' },
      { serviceName: 'exp-b', weight: 10, podTemplateHash: 'E2' },
    ];
    const result = reconcileVirtualService(hostSplit(), input, primary, 20, extra);
    expect(weightsOf(result.virtualService.spec.http?.[0])).toEqual([['stable', 65, ''], ['canary', 20, ''], ['exp-a', 5, ''], ['exp-b', 10, '']]);
  });

  it('an unknown destination with weight is deleted; one with weight 0 stays; a ".x" host is ignored', () => {
    const input = vs([route('primary', ['stable', 90], ['canary', 0], ['old-exp', 10], ['zero', 0], ['.odd', 3])]);
    const result = reconcileVirtualService(hostSplit(), input, primary, 10);
    expect(weightsOf(result.virtualService.spec.http?.[0])).toEqual([['stable', 90, ''], ['canary', 10, ''], ['zero', 0, ''], ['.odd', 3, '']]);
  });

  it('deletion quirk: a deletion shifts the indexes later patches of the route use (literal source behaviour)', () => {
    // Patches: delete #0, stable #1 -> 70, canary #2 -> 30. After the deletion #1 is the canary and #2 is past the end,
    // which the source treats as "append a destination" for the canary host.
    const input = vs([route('primary', ['old-exp', 5], ['stable', 100], ['canary', 0])]);
    const result = reconcileVirtualService(hostSplit(), input, primary, 30);
    expect(weightsOf(result.virtualService.spec.http?.[0])).toEqual([['stable', 100, ''], ['canary', 70, ''], ['canary', 30, '']]);
  });

  it('a tls section the Rollout does not list: route 0 is re-weighted too (spec §8.3 surprise)', () => {
    const input = vs([route('primary', ['stable', 100], ['canary', 0])], [{ match: [{ port: 443 }], ...route(undefined, ['stable', 100], ['canary', 0]) }]);
    const result = reconcileVirtualService(hostSplit(), input, primary, 10);
    expect(weightsOf(result.virtualService.spec.tls?.[0])).toEqual([['stable', 90, ''], ['canary', 10, '']]);
  });

  it('a managed mirror route is weighted with the listed routes', () => {
    const ro = hostSplit({ trafficRouting: { istio: { virtualService: primary }, managedRoutes: [{ name: 'mirror' }] } });
    const input = vs([{ ...route('mirror', ['stable', 100], ['canary', 0]), mirror: { host: 'canary' } }, route('primary', ['stable', 100], ['canary', 0])]);
    const result = reconcileVirtualService(ro, input, primary, 10);
    expect(result.virtualService.spec.http?.map(weightsOf)).toEqual([
      [['stable', 90, ''], ['canary', 10, '']],
      [['stable', 90, ''], ['canary', 10, '']],
    ]);
  });

  const errors: { name: string; rollout: RolloutState; input: VirtualServiceObject; ref: IstioVirtualServiceRef; error: string }[] = [
    { name: 'listed route missing', rollout: hostSplit(), input: vs([route('other', ['stable', 100], ['canary', 0])]), ref: primary, error: "HTTP Route 'primary' is not found in the defined Virtual Service." },
    { name: 'canary Service missing from the route', rollout: hostSplit(), input: vs([route('primary', ['stable', 100])]), ref: primary, error: "Canary Service 'canary' not found in route" },
    { name: 'subset missing with a DestinationRule', rollout: subsetSplit(), input: vs([route(undefined, ['app', 100, 'stable'])]), ref: { name: 'vs' }, error: "Canary DestinationRule subset 'canary' not found in route" },
    {
      name: 'no names and two unmanaged http routes',
      rollout: hostSplit(),
      input: vs([route(undefined, ['stable', 100], ['canary', 0]), route('b', ['stable', 100], ['canary', 0])]),
      ref: { name: 'vs' },
      error: 'spec.http[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.routes',
    },
    {
      name: 'unlisted tls section with two routes',
      rollout: hostSplit(),
      input: vs([route('primary', ['stable', 100], ['canary', 0])], [route(undefined, ['stable', 100], ['canary', 0]), route(undefined, ['stable', 100], ['canary', 0])]),
      ref: primary,
      error: 'spec.tls[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.tlsRoutes',
    },
  ];
  it.each(errors)('error: $name', ({ rollout, input, ref, error }) => {
    const result = reconcileVirtualService(rollout, input, ref, 10);
    expect(result).toEqual({ virtualService: input, modified: false, error });
  });
});

describe('route selection', () => {
  it.each([
    { name: 'one route, named: it is the one', names: [], routes: [{ name: 'a' }], want: [0] },
    { name: 'first unnamed route', names: [], routes: [{ name: 'a' }, {}, {}], want: [1] },
    { name: 'all named: none', names: [], routes: [{ name: 'a' }, { name: 'b' }], want: [] },
    { name: 'listed names, in listed order', names: ['b', 'a'], routes: [{ name: 'a' }, { name: 'b' }], want: [1, 0] },
  ])('getHttpRouteIndexesToPatch: $name', ({ names, routes, want }) => {
    expect(getHttpRouteIndexesToPatch(names, routes).indexes).toEqual(want);
  });
  it('tls: SNI hosts compare as sets across match entries, port must be the single port', () => {
    const routes: VsRoute[] = [
      { match: [{ port: 443, sniHosts: ['b.example', 'a.example'] }] },
      { match: [{ port: 443, sniHosts: ['a.example'] }, { port: 8443, sniHosts: ['b.example'] }] },
      { match: [{ port: 443, sniHosts: ['a.example'] }, { port: 443, sniHosts: ['b.example', 'a.example'] }] },
    ];
    expect(getTlsRouteIndexesToPatch([{ port: 443, sniHosts: ['a.example', 'b.example'] }], routes).indexes).toEqual([0, 2]);
    expect(getTlsRouteIndexesToPatch([{ port: 80 }], routes).error).toBe('No matching TLS routes found in the defined Virtual Service.');
  });
  // issue 17: the route's hosts are de-duplicated, the Rollout's list is not (utils/evaluate Equal).
  it.each([
    { name: 'Rollout list repeats a host the route lists once: no match', wanted: ['a.example', 'a.example'], route: ['a.example'], want: undefined },
    { name: 'route repeats a host the Rollout lists once: match', wanted: ['a.example'], route: ['a.example', 'a.example'], want: [0] },
    { name: 'Rollout [a, a] against route [a, b]: same length but b is missing: no match', wanted: ['a.example', 'a.example'], route: ['a.example', 'b.example'], want: undefined },
  ])('tls: $name', ({ wanted, route, want }) => {
    const result = getTlsRouteIndexesToPatch([{ port: 443, sniHosts: wanted }], [{ match: [{ port: 443, sniHosts: route }] }]);
    if (want) expect(result).toEqual({ indexes: want });
    else expect(result).toEqual({ indexes: [], error: 'No matching TLS routes found in the defined Virtual Service.' });
  });
});

describe('setWeight over several VirtualServices', () => {
  const ro = hostSplit({ trafficRouting: { istio: { virtualServices: [{ name: 'a' }, { name: 'b' }] } } });
  it('writes only the ones that change and reports them in order', () => {
    const result = setWeight(ro, { a: vs([route(undefined, ['stable', 80], ['canary', 20])]), b: vs([route(undefined, ['stable', 100], ['canary', 0])]) }, 20);
    expect(result.updated).toEqual(['b']);
    expect(weightsOf(result.virtualServices['b'].spec.http?.[0])).toEqual([['stable', 80, ''], ['canary', 20, '']]);
  });
  it('a missing VirtualService is an error naming it', () => {
    expect(setWeight(ro, { a: vs([route(undefined, ['stable', 100], ['canary', 0])]) }, 20).error).toBe('VirtualService `b` not found');
  });
});

describe('managed routes', () => {
  const ro = hostSplit({ trafficRouting: { istio: { virtualService: primary }, managedRoutes: [{ name: 'h2' }, { name: 'h1' }] } });
  const input = vs([route('primary', ['stable', 100], ['canary', 0]), route('h1', ['canary', 100]), route('h2', ['canary', 100])]);
  it('orderRoutes puts managed routes first, in managedRoutes order', () => {
    expect(orderRoutes(ro, input).spec.http?.map((r) => r.name)).toEqual(['h2', 'h1', 'primary']);
  });
  it('removeManagedRoutes drops them; nothing to drop is not a modification', () => {
    const removed = removeManagedRoutes(ro, input);
    expect(removed.modified).toBe(true);
    expect(removed.virtualService.spec.http?.map((r) => r.name)).toEqual(['primary']);
    expect(removeManagedRoutes(ro, removed.virtualService).modified).toBe(false);
  });
});

// Spec §8.5 UpdateHash.
describe('updateHash', () => {
  const dr: DestinationRuleObject = {
    metadata: { name: 'dr' },
    spec: {
      host: 'app',
      subsets: [
        { name: 'stable', labels: { app: 'x', 'rollouts-pod-template-hash': 'OLD' }, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } },
        { name: 'canary' },
        { name: 'leftover', labels: { a: 'b' } },
      ],
    },
  };
  it('points the subsets at the hashes, keeps extra fields, drops unknown subsets, marks it managed', () => {
    const result = updateHash(subsetSplit(), dr, 'B', 'A');
    expect(result.modified).toBe(true);
    expect(result.destinationRule.spec.subsets).toEqual([
      { name: 'stable', labels: { app: 'x', 'rollouts-pod-template-hash': 'A' }, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } },
      { name: 'canary', labels: { 'rollouts-pod-template-hash': 'B' } },
    ]);
    expect(result.destinationRule.metadata?.annotations).toEqual({ 'argo-rollouts.argoproj.io/managed-by-rollouts': 'app' });
    expect(updateHash(subsetSplit(), result.destinationRule, 'B', 'A').modified).toBe(false);
  });
  it('an empty hash removes the label; experiment subsets are created', () => {
    const result = updateHash(subsetSplit(), dr, '', 'A', [{ serviceName: 'exp', weight: 5, podTemplateHash: 'E' }]);
    expect(result.destinationRule.spec.subsets?.[1]).toEqual({ name: 'canary', labels: {} });
    expect(result.destinationRule.spec.subsets?.[2]).toEqual({ name: 'exp', labels: { 'rollouts-pod-template-hash': 'E' } });
  });
  it('pure subset mode delays while the canary RS is not fully available (error, nothing written)', () => {
    const result = updateHash(subsetSplit(), dr, 'B', 'A', [], [rs('A', 4, 4), rs('B', 1, 0)]);
    expect(result).toEqual({ destinationRule: dr, modified: false, error: 'delaying destination rule switch: ReplicaSet app-B not fully available' });
  });
});
