import { type ClusterState, type ControllerAction, parseTimestamp, type ServiceState, type VirtualServiceState, type WorkloadState } from './cluster-state';
import { ARGO_KEYS } from '../model/argo-defaults';
import type { DestinationRuleObject } from './istio';
import type { AnalysisRunsState } from './analysis-runs';
import { PauseContext } from './pause-context';
import { getMaxTrafficWeight, getReplicasOrDefault } from './rollout-defaults';
import type { CanaryStrategy, ReplicaSetState, RolloutCondition, RolloutState, RolloutStatus, TrafficWeights } from './types';

/** A writable copy type for objects the tick builds before writing them. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A copy of `record` without `key`. */
export function withoutKey<T>(record: Readonly<Record<string, T>> | undefined, key: string): Record<string, T> {
  const copy = { ...(record ?? {}) };
  delete copy[key];
  return copy;
}

/** The scale-down deadline annotated on a ReplicaSet (seconds), if any. */
export function scaleDownDeadline(rs: ReplicaSetState): number | undefined {
  return parseTimestamp(rs.annotations?.[ARGO_KEYS.scaleDownDeadlineAnnotation]);
}

/**
 * The per-tick context (`rollout/context.go rolloutContext`) shared by the reconcile modules
 * (`reconcile-*.ts`, each a function over this context, like the Go methods on `*rolloutContext`).
 * Reads are from the state at the start of the tick; writes are kept here (copy on write) until
 * `reconcile.ts finish` assembles the state after the tick.
 */
export class RolloutContext {
  readonly ro: RolloutState;
  readonly canary: CanaryStrategy;
  readonly name: string;
  /** `spec.replicas` or its default. */
  readonly n: number;
  readonly maxW: number;
  readonly trafficRouted: boolean;
  /** The number of canary steps. */
  readonly steps: number;
  readonly pause: PauseContext;

  /**
   * ReplicaSets written so far (by name); created on the first write (copy on write: a tick that
   * writes no ReplicaSet hands the read list on), and the ReplicaSet this tick created, if any.
   */
  rsOut: Map<string, ReplicaSetState> | undefined;
  created: ReplicaSetState | undefined;
  /** Names of the ReplicaSets deleted this tick (created on the first deletion: most ticks delete none). */
  deleted: Set<string> | undefined;
  /** Set by `syncNewReplicaSet`, the first step of every tick. */
  newRS!: ReplicaSetState;
  stableRS: ReplicaSetState | undefined;
  otherRSs: ReplicaSetState[] = [];
  allRSs: ReplicaSetState[] = [];
  rolloutRevision = 0;

  /**
   * The Services as read, replaced by this tick's own copy on the first write (copy on write): it is
   * written when it is no longer the read object.
   */
  services: Readonly<Record<string, ServiceState>>;
  /** The VirtualServices as read, replaced by this tick's own copy on the first write (as `services`). */
  virtualServices: readonly VirtualServiceState[];
  destinationRule: DestinationRuleObject | undefined;

  /** `newStatus.canary.weights`: carried from the stored status, replaced by traffic routing. */
  weights: TrafficWeights | undefined;
  statusOut: RolloutStatus | undefined;
  /** The current AnalysisRuns (analysis-runs.ts). */
  analysisRuns: AnalysisRunsState | undefined;
  readonly actions: ControllerAction[] = [];
  readonly requeue: number[] = [];
  readonly recheck: number[] = [];
  error: string | undefined;
  /**
   * Conditions as read, plus the Progressing condition written on creating / finding the new RS.
   * The read list itself while nothing is added (lists are replaced, never changed in place).
   */
  readConditions: readonly RolloutCondition[];
  /** `status.restartedAt` to write (SetRestartedAt), when the restarter finished this tick. */
  restartedAt: string | undefined;
  /** Pods evicted this tick (by name); created on the first eviction. */
  evicted: Set<string> | undefined;
  /** The workloadRef Deployment as written so far. */
  workload: WorkloadState | undefined;

  constructor(
    readonly state: ClusterState,
    readonly now: number,
  ) {
    this.ro = state.rollout;
    const canary = this.ro.spec.strategy.canary;
    if (!canary) {
      throw new Error(`Rollout/${this.ro.metadata?.name ?? ''}: spec.strategy.canary is missing (only canary is reconciled)`);
    }
    this.canary = canary;
    this.name = this.ro.metadata?.name ?? '';
    this.n = getReplicasOrDefault(this.ro.spec.replicas);
    this.maxW = getMaxTrafficWeight(this.ro.spec);
    this.trafficRouted = canary.trafficRouting !== undefined;
    this.steps = canary.steps?.length ?? 0;
    this.pause = new PauseContext(this.ro);
    this.services = state.services;
    this.virtualServices = state.virtualServices;
    this.destinationRule = state.destinationRule;
    this.weights = this.ro.status.canary?.weights;
    this.analysisRuns = state.analysisRuns;
    this.readConditions = this.ro.status.conditions ?? [];
    this.workload = state.workload;
  }

  /** A ReplicaSet as written so far this tick. */
  current(rs: ReplicaSetState): ReplicaSetState {
    return this.rsOut?.get(rs.name) ?? (rs.name === this.created?.name ? this.created : rs);
  }

  write(rs: ReplicaSetState): ReplicaSetState {
    (this.rsOut ??= new Map()).set(rs.name, rs);
    return rs;
  }

  /** The Services to write to: this tick's own copy (made on the first write). */
  writableServices(): Record<string, ServiceState> {
    if (this.services === this.state.services) this.services = { ...this.services };
    return this.services as Record<string, ServiceState>;
  }

  /** The VirtualServices to write to: this tick's own copy (made on the first write). */
  writableVirtualServices(): VirtualServiceState[] {
    if (this.virtualServices === this.state.virtualServices) this.virtualServices = [...this.virtualServices];
    return this.virtualServices as VirtualServiceState[];
  }

  /** Sets (or, with `undefined`, removes) an annotation of a ReplicaSet. */
  annotate(rs: ReplicaSetState, key: string, value: string | undefined): ReplicaSetState {
    const cur = this.current(rs);
    const annotations = value === undefined ? withoutKey(cur.annotations, key) : { ...(cur.annotations ?? {}), [key]: value };
    this.actions.push({ kind: 'annotateReplicaSet', replicaSet: rs.name, key, value });
    return this.write({ ...cur, annotations });
  }

  event(reason: string, message: string): void {
    this.actions.push({ kind: 'event', reason, message });
  }
}
