import {
  getHttpRouteIndexesToPatch,
  reconcileVirtualService,
  validateVirtualServiceRouteDestinations,
  type VirtualServiceObject,
  type VsRoute,
  type VsRouteDestination,
} from '../runtime/istio';
import { plainEqual } from '../runtime/plain-equal';
import { checkReplicasAvailable, isDynamicallyRollingBackToStable, shouldDelayDestinationRuleUpdate } from '../runtime/traffic-helpers';
import type { IstioDestinationRuleRef, RolloutState, TcpRouteRef, TlsRouteRef, WeightDestination } from '../runtime/types';
import type { Adapter, AdapterOutcome, VectorCase } from './case-result';
import { asRecord, optionalNumber, toReplicaSet, toReplicaSets, toThreshold, withoutNulls } from './vector-input';

/**
 * Adapters for traffic-routing-helpers.json and istio-virtualservice.json.
 */

const input = (testCase: VectorCase): Record<string, unknown> => asRecord(testCase.input, 'input');
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function destinationRuleRef(value: unknown): IstioDestinationRuleRef | undefined {
  if (value === null || value === undefined) return undefined;
  return withoutNulls(asRecord(value, 'input.destinationRule')) as unknown as IstioDestinationRuleRef;
}

/** `assertedWeights` entry: the weight of the destination whose host is exactly `host`. */
function weightAt(vs: VirtualServiceObject, routeType: string, routeIndex: number, host: string): number | null {
  const routes = (vs.spec as Record<string, readonly VsRoute[] | undefined>)[routeType] ?? [];
  const dest = routes[routeIndex]?.route?.find((d) => d.destination?.host === host);
  return dest === undefined ? null : (dest.weight ?? 0);
}

/** The Rollout of a reconcileVirtualService vector: its Services, ping-pong and DestinationRule. */
function istioVectorRollout(inp: Record<string, unknown>): RolloutState {
  const pingPong = inp['pingPong'] === null || inp['pingPong'] === undefined ? undefined : asRecord(inp['pingPong'], 'input.pingPong');
  return {
    metadata: { name: 'rollout' },
    spec: {
      strategy: {
        canary: {
          canaryService: str(inp['canaryService']) || undefined,
          stableService: str(inp['stableService']) || undefined,
          pingPong: pingPong ? { pingService: str(pingPong['pingService']), pongService: str(pingPong['pongService']) } : undefined,
          trafficRouting: { istio: { destinationRule: destinationRuleRef(inp['destinationRule']) } },
        },
      },
    },
    status: { canary: { stablePingPong: inp['statusStablePingPong'] === 'ping' || inp['statusStablePingPong'] === 'pong' ? inp['statusStablePingPong'] : undefined } },
  };
}

const reconcileVirtualServiceAdapter: Adapter = (testCase): AdapterOutcome => {
  const inp = input(testCase);
  const expected = asRecord(testCase.expected, 'expected');
  const rollout = istioVectorRollout(inp);
  const vsRef = {
    name: 'virtual-service',
    routes: (inp['rolloutRoutes'] as string[] | null | undefined) ?? [],
    tlsRoutes: withoutNulls((inp['rolloutTlsRoutes'] as TlsRouteRef[] | null | undefined) ?? []),
    tcpRoutes: withoutNulls((inp['rolloutTcpRoutes'] as TcpRouteRef[] | null | undefined) ?? []),
  };
  const vs = asRecord(inp['virtualService'], 'input.virtualService') as unknown as VirtualServiceObject;
  const additional = withoutNulls((inp['additionalDestinations'] as WeightDestination[] | null | undefined) ?? []);
  const result = reconcileVirtualService(rollout, vs, vsRef, optionalNumber(inp['desiredWeight'], 'input.desiredWeight') ?? 0, additional);

  if (typeof expected['error'] === 'string') {
    const actual = { error: result.error ?? null };
    if (expected['errorMessageAsserted'] === false) {
      // The Go test only asserts that an error occurs; the message is informative.
      return { actual, expected: { error: expected['error'] }, passed: result.error !== undefined };
    }
    return { actual, expected: { error: expected['error'] } };
  }
  const actual: Record<string, unknown> = {};
  const compared: Record<string, unknown> = {};
  if (result.error) actual['error'] = result.error;
  if (Array.isArray(expected['assertedWeights'])) {
    compared['assertedWeights'] = expected['assertedWeights'];
    actual['assertedWeights'] = expected['assertedWeights'].map((raw) => {
      const a = asRecord(raw, 'expected.assertedWeights[]');
      return { ...a, weight: weightAt(result.virtualService, str(a['routeType']), Number(a['routeIndex']), str(a['host'])) };
    });
  }
  if ('modified' in expected) {
    compared['modified'] = expected['modified'];
    actual['modified'] = result.modified;
  }
  if ('resultingRoutesAsComputedFromSource' in expected) {
    compared['resultingRoutesAsComputedFromSource'] = expected['resultingRoutesAsComputedFromSource'];
    actual['resultingRoutesAsComputedFromSource'] = result.virtualService.spec;
  }
  if (Array.isArray(expected['assertedRoute0Destinations'])) {
    compared['assertedRoute0Destinations'] = expected['assertedRoute0Destinations'];
    const route0: readonly VsRouteDestination[] = result.virtualService.spec.http?.[0]?.route ?? [];
    actual['assertedRoute0Destinations'] = route0.map((d) =>
      withoutNulls({ host: d.destination.host, subset: d.destination.subset, weight: d.weight ?? 0 }),
    );
  }
  return { actual, expected: compared, passed: result.error === undefined && plainEqual(actual, compared) };
};

export const TRAFFIC_ADAPTERS: Readonly<Record<string, Adapter>> = {
  checkReplicasAvailable: (testCase) => {
    const inp = input(testCase);
    const maxTrafficWeight = optionalNumber(inp['maxTrafficWeight'], 'input.maxTrafficWeight');
    const rollout: RolloutState = {
      spec: {
        replicas: optionalNumber(inp['rolloutSpecReplicas'], 'input.rolloutSpecReplicas'),
        strategy: {
          canary: {
            trafficRouting: { maxTrafficWeight },
            replicaProgressThreshold: toThreshold(inp['replicaProgressThreshold'], 'input.replicaProgressThreshold'),
          },
        },
      },
      status: {},
    };
    return {
      actual: checkReplicasAvailable(rollout, toReplicaSet(inp['rs'], 'input.rs'), optionalNumber(inp['weight'], 'input.weight') ?? 0),
    };
  },
  isDynamicallyRollingBackToStable: (testCase) => {
    const inp = input(testCase);
    const status = asRecord(inp['status'] ?? {}, 'input.status');
    const weights = inp['weights'] === null || inp['weights'] === undefined ? undefined : asRecord(inp['weights'], 'input.weights');
    const rollout: RolloutState = {
      spec: {
        replicas: optionalNumber(inp['rolloutSpecReplicas'], 'input.rolloutSpecReplicas'),
        strategy: { canary: { trafficRouting: inp['trafficRouting'] === true ? {} : undefined, dynamicStableScale: inp['dynamicStableScale'] === true } },
      },
      status: {
        currentPodHash: str(status['currentPodHash']),
        stableRS: str(status['stableRS']),
        canary: weights
          ? {
              weights: {
                canary: { weight: optionalNumber(weights['canaryWeight'], 'input.weights.canaryWeight') ?? 0, podTemplateHash: str(weights['canaryPodTemplateHash']) },
                stable: { weight: optionalNumber(weights['stableWeight'], 'input.weights.stableWeight') ?? 0, podTemplateHash: str(weights['stablePodTemplateHash']) },
              },
            }
          : undefined,
      },
    };
    return { actual: isDynamicallyRollingBackToStable(rollout, toReplicaSet(inp['desiredRS'], 'input.desiredRS')) };
  },
  shouldDelayDestinationRuleUpdate: (testCase) => {
    const inp = input(testCase);
    const rollout: RolloutState = {
      spec: { strategy: { canary: { canaryService: str(inp['canaryService']), stableService: str(inp['stableService']) } } },
      status: { abort: inp['abort'] === true },
    };
    const result = shouldDelayDestinationRuleUpdate(
      rollout,
      str(inp['canaryHash']),
      str(inp['stableHash']),
      toReplicaSets(inp['replicaSets'], 'input.replicaSets'),
      inp['rollingBackToStable'] === true,
    );
    return { actual: { delay: result.delay, rsName: result.rsName } };
  },
  reconcileVirtualService: reconcileVirtualServiceAdapter,
  getHttpRouteIndexesToPatch: (testCase) => {
    const inp = input(testCase);
    const result = getHttpRouteIndexesToPatch((inp['routeNames'] as string[] | null) ?? [], (inp['httpRoutes'] as VsRoute[] | null) ?? []);
    // Go returns a nil slice (JSON null) when nothing is selected or on error.
    return { actual: { indexes: result.indexes.length > 0 ? result.indexes : null, error: result.error ?? null } };
  },
  validateVirtualServiceRouteDestinations: (testCase) => {
    const inp = input(testCase);
    const error = validateVirtualServiceRouteDestinations(
      (inp['routeDestinations'] as VsRouteDestination[] | null) ?? [],
      str(inp['stableService']),
      str(inp['canaryService']),
      destinationRuleRef(inp['destinationRule']),
    );
    return { actual: { error: error ?? null } };
  },
};
