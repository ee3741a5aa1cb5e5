/**
 * The trace of a simulation: the observable state after each tick ({@link SimulationTick}), read
 * from the cluster state (route weights, ReplicaSets by revision, the revisions the Services
 * select).
 */
import { type ClusterState, selectedHash } from './cluster-state';
import { ARGO_KEYS } from '../model/argo-defaults';
import { getCanaryStableServices, getHost, getHttpRouteIndexesToPatch, type VsRoute } from './istio';
import { summarizeHttpRoutes, type RouteSummary } from './route-summary';
import type { Mutable } from './reconcile-context';
import type { ReplicaSetState } from './types';

/** One ReplicaSet in a tick. */
export interface SimulationReplicaSet {
  /** 1, 2, 3... in creation order (stable across the trace; a rolled-back RS keeps its number). */
  readonly revision: number;
  /**
   * `stable` (the stable ReplicaSet), `canary` (the current pod template's, when it is not the stable one) or `old`.
   */
  readonly role: 'stable' | 'canary' | 'old';
  /** `spec.replicas`. */
  readonly replicas: number;
  /** Available pods. */
  readonly available: number;
}

/** The observable state after one tick (one row of `simulate`, see docs/cli.md). */
export interface SimulationTick {
  /** Seconds since the start. */
  readonly t: number;
  /** `status.currentStepIndex`; null when the Rollout has no steps. */
  readonly stepIndex: number | null;
  /**
   * The Rollout's phase (`Progressing`, `Paused`, `Healthy`, `Degraded`).
   */
  readonly phase: string;
  /**
   * The Rollout's status message.
   */
  readonly message: string;
  /** Weights of the weighted route (VirtualService); without traffic routing, the share of available pods. */
  readonly weights: { readonly canary: number; readonly stable: number };
  /**
   * Every ReplicaSet of the Rollout, by revision.
   */
  readonly replicaSets: readonly SimulationReplicaSet[];
  /** Revisions the stable / canary Services select (DestinationRule subsets in subset mode); null if none. */
  readonly services: { readonly stable: number | null; readonly canary: number | null };
  /** `spec.paused` or a pause condition. */
  readonly paused: boolean;
  /** `status.abort`. */
  readonly aborted: boolean;
  /**
   * The http routes of the first VirtualService, in order; only when the Rollout has
   * `trafficRouting.managedRoutes` (header and mirror route steps).
   * @default - absent
   */
  readonly routes?: readonly RouteSummary[];
}

/** The route weights of the last tick and what they were read from (see {@link Trace.observedWeights}). */
interface LastWeights {
  readonly vs: object;
  readonly strategy: object;
  readonly stablePingPong: string | undefined;
  readonly weights: { readonly canary: number; readonly stable: number };
}

/**
 * The ReplicaSet records and Service revisions of the last tick and what they were read from
 * (see {@link Trace.records}).
 */
interface LastRecords {
  readonly replicaSets: readonly ReplicaSetState[];
  readonly stableRS: string | undefined;
  readonly currentPodHash: string | undefined;
  readonly records: readonly SimulationReplicaSet[];
  readonly services: ClusterState['services'];
  readonly destinationRule: ClusterState['destinationRule'];
  readonly strategy: unknown;
  readonly stablePingPong: string | undefined;
  readonly revisions: SimulationTick['services'];
}

/**
 * Records the ticks of one simulation. Ticks share the records of the last tick while the inputs
 * are the same objects: records are never written once handed out.
 */
export class Trace {
  private lastWeights: LastWeights | undefined;
  private lastRecords: LastRecords | undefined;

  /** The observable state of `cluster` at t. */
  record(cluster: ClusterState, t: number): SimulationTick {
    const { rollout } = cluster;
    const status = rollout.status;
    const { records, revisions } = this.records(cluster);
    const tick: Mutable<SimulationTick> = {
      t,
      stepIndex: status.currentStepIndex ?? null,
      phase: status.phase ?? 'Progressing',
      message: status.message ?? '',
      weights: this.observedWeights(cluster),
      replicaSets: records,
      services: revisions,
      paused: rollout.spec.paused === true || (status.pauseConditions ?? []).length > 0,
      aborted: status.abort === true,
    };
    // (Written after the literal, not spread into it: one object shape per tick, no copy.)
    const routes = managedRouteSummary(cluster);
    if (routes !== undefined) tick.routes = routes;
    return tick;
  }

  /**
   * {@link observedWeights}, reusing the last result while the first VirtualService state, the
   * canary strategy and stablePingPong (the Service names) are the same objects/values.
   */
  private observedWeights(cluster: ClusterState): { canary: number; stable: number } {
    const { rollout, virtualServices } = cluster;
    const vs = virtualServices[0];
    const strategy = rollout.spec.strategy.canary;
    const stablePingPong = rollout.status.canary?.stablePingPong;
    if (!strategy?.trafficRouting || !vs) return observedWeights(cluster);
    const last = this.lastWeights;
    if (last === undefined || last.vs !== vs || last.strategy !== strategy || last.stablePingPong !== stablePingPong) {
      this.lastWeights = { vs, strategy, stablePingPong, weights: observedWeights(cluster) };
    }
    // Shared by the ticks that read the same route (never written once handed out).
    return (this.lastWeights as LastWeights).weights;
  }

  /**
   * The ReplicaSet records (by revision) and the revisions the Services select, reusing the last
   * tick's while the ReplicaSets, status hashes, Services, DestinationRule and strategy are the
   * same objects/values.
   */
  private records(cluster: ClusterState): { records: readonly SimulationReplicaSet[]; revisions: SimulationTick['services'] } {
    const { rollout, replicaSets, services, destinationRule } = cluster;
    const { stableRS, currentPodHash } = rollout.status;
    const strategy = rollout.spec.strategy.canary;
    const stablePingPong = rollout.status.canary?.stablePingPong;
    const last = this.lastRecords;
    if (
      last !== undefined &&
      last.replicaSets === replicaSets &&
      last.stableRS === stableRS &&
      last.currentPodHash === currentPodHash &&
      last.services === services &&
      last.destinationRule === destinationRule &&
      last.strategy === strategy &&
      last.stablePingPong === stablePingPong
    ) {
      return last;
    }
    const byHash = (hash: string | undefined): number | null => {
      if (!hash) return null;
      return replicaSets.find((rs) => rs.podTemplateHash === hash)?.revision ?? null;
    };
    const records = replicaSetRecords(replicaSets, stableRS, currentPodHash);
    const revisions = serviceRevisions(cluster, byHash);
    this.lastRecords = { replicaSets, stableRS, currentPodHash, records, services, destinationRule, strategy, stablePingPong, revisions };
    return this.lastRecords;
  }
}

/** The ReplicaSets by revision with their roles. */
function replicaSetRecords(replicaSets: readonly ReplicaSetState[], stableRS: string | undefined, currentPodHash: string | undefined): SimulationReplicaSet[] {
  // By revision, equal revisions in list order: a stable insertion sort (a tick has a few
  // ReplicaSets, and Array.prototype.sort allocates work space on every call).
  const records: SimulationReplicaSet[] = [];
  for (const rs of replicaSets) {
    const record: SimulationReplicaSet = {
      revision: rs.revision ?? 0,
      role: rs.podTemplateHash === stableRS ? 'stable' : rs.podTemplateHash === currentPodHash ? 'canary' : 'old',
      replicas: rs.specReplicas ?? 1,
      available: rs.availableReplicas,
    };
    let i = records.length;
    while (i > 0 && records[i - 1].revision > record.revision) {
      records[i] = records[i - 1];
      i -= 1;
    }
    records[i] = record;
  }
  return records;
}

function serviceRevisions(
  cluster: ClusterState,
  byHash: (hash: string | undefined) => number | null,
): { stable: number | null; canary: number | null } {
  const { rollout } = cluster;
  const { canaryService, stableService } = getCanaryStableServices(rollout);
  if (stableService || canaryService) {
    return {
      stable: byHash(selectedHash(cluster.services[stableService])),
      canary: byHash(selectedHash(cluster.services[canaryService])),
    };
  }
  const dr = rollout.spec.strategy.canary?.trafficRouting?.istio?.destinationRule;
  const subsets = cluster.destinationRule?.spec.subsets ?? [];
  const subsetHash = (name: string | undefined): string | undefined =>
    subsets.find((s) => s.name === name)?.labels?.[ARGO_KEYS.podTemplateHashLabel];
  return { stable: byHash(subsetHash(dr?.stableSubsetName)), canary: byHash(subsetHash(dr?.canarySubsetName)) };
}

/** `routes` of a tick: only for a Rollout with managed routes (keeps other ticks as they were). */
function managedRouteSummary(cluster: ClusterState): readonly RouteSummary[] | undefined {
  const vs = cluster.virtualServices[0];
  if (!vs || (cluster.rollout.spec.strategy.canary?.trafficRouting?.managedRoutes?.length ?? 0) === 0) return undefined;
  return summarizeHttpRoutes(cluster.rollout, vs.object);
}

/**
 * The traffic split users get: the weights of the first weighted route of the first VirtualService
 * (http, else tls, else tcp). Without traffic routing, the share of available pods (kube-proxy
 * spreads requests over every ready pod the Service selects).
 */
export function observedWeights(cluster: ClusterState): { canary: number; stable: number } {
  const { rollout } = cluster;
  const canary = rollout.spec.strategy.canary;
  const vs = cluster.virtualServices[0];
  if (!canary?.trafficRouting || !vs) return podShare(cluster);
  return routeWeights(cluster);
}

/** Without traffic routing: the share of available pods. */
function podShare(cluster: ClusterState): { canary: number; stable: number } {
  const status = cluster.rollout.status;
  const total = cluster.replicaSets.reduce((sum, rs) => sum + rs.availableReplicas, 0);
  const newRS = cluster.replicaSets.find((rs) => rs.podTemplateHash === status.currentPodHash);
  const canaryPods = newRS && newRS.podTemplateHash !== status.stableRS ? newRS.availableReplicas : 0;
  const share = total === 0 ? 0 : Math.round((100 * canaryPods) / total);
  return { canary: share, stable: 100 - share };
}

/** The weights of the weighted route of the first VirtualService. */
function routeWeights(cluster: ClusterState): { canary: number; stable: number } {
  const { rollout } = cluster;
  const vs = cluster.virtualServices[0] as ClusterState['virtualServices'][number];
  const { canaryService, stableService } = getCanaryStableServices(rollout);
  const dr = rollout.spec.strategy.canary?.trafficRouting?.istio?.destinationRule;
  const spec = vs.object.spec;
  let route: VsRoute | undefined;
  if (spec.http && spec.http.length > 0) {
    const { indexes } = getHttpRouteIndexesToPatch(vs.ref.routes ?? [], spec.http);
    // Header/mirror routes are managed too; the weighted route is the first listed one.
    route = indexes.map((i) => spec.http?.[i]).find((r) => r && r.mirror === undefined) ?? spec.http[indexes[0] ?? 0];
  } else {
    route = spec.tls?.[0] ?? spec.tcp?.[0];
  }
  let canaryWeight = 0;
  let stableWeight = 0;
  for (const d of route?.route ?? []) {
    const host = getHost(d);
    const subset = d.destination.subset ?? '';
    if ((canaryService && host === canaryService) || (dr && subset !== '' && subset === dr.canarySubsetName)) {
      canaryWeight += d.weight ?? 0;
    } else if ((stableService && host === stableService) || (dr && subset !== '' && subset === dr.stableSubsetName)) {
      stableWeight += d.weight ?? 0;
    }
  }
  return { canary: canaryWeight, stable: stableWeight };
}
