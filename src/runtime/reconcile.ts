import {
  type ClusterState,
  type ControllerAction,
  formatTimestamp,
  parseTimestamp,
  selectedHash,
  type ServiceState,
  type VirtualServiceState,
  type WorkloadState,
} from './cluster-state';
import { ARGO_DEFAULTS, ARGO_KEYS } from './defaults';
import { maxUnavailable } from './fenceposts';
import {
  type DestinationRuleObject,
  getCanaryStableServices,
  removeManagedRoutes,
  setWeight as setVirtualServiceWeights,
  updateHash,
  type VirtualServiceObject,
} from './istio';
import {
  type AnalysisRunsState,
  analysisRunStatuses,
  INCONCLUSIVE_ANALYSIS,
  reconcileAnalysisRuns,
  stepAnalysisSuccessful,
} from './analysis-runs';
import { applyManagedRouteStep } from './managed-routes';
import { CANARY_PAUSE_STEP, deadlinePassed, findPauseCondition, PauseContext } from './pause-context';
import { calculateRolloutPhase, isFullyPromoted } from './phase';
import {
  calculateRolloutConditions,
  CONDITIONS,
  findCondition,
  foundNewReplicaSetMessage,
  isIndefiniteStep,
  newReplicaSetMessage,
  pauseConditions,
  progressCheckAt,
  setCondition,
  timedOutMessage,
} from './progress-deadline';
import { plainEqual } from './plain-equal';
import {
  atDesiredReplicaCountsForCanary,
  calculateReplicaCountsForBasicCanary,
  calculateReplicaCountsForTrafficRoutedCanary,
  checkStableRSExists,
  replicaProgressThresholdMet,
  rsSpecReplicas,
} from './replica-counts';
import {
  getAbortScaleDownDelaySecondsOrDefault,
  getMaxTrafficWeight,
  getReplicasOrDefault,
  getScaleDownDelaySecondsOrDefault,
} from './rollout-defaults';
import { reconcileRestart, restartOrder } from './restart';
import { isRollbackWithinWindow } from './rollback-window';
import { getCurrentCanaryStep, getCurrentSetWeight, parsePauseDurationSeconds } from './steps';
import { computeHash } from './template-hash';
import {
  calculateDesiredWeightOnAbortOrStableRollback,
  checkReplicasAvailable,
  isDynamicallyRollingBackToStable,
} from './traffic-helpers';
import type {
  CanaryStrategy,
  ReplicaSetState,
  RolloutCondition,
  RolloutState,
  RolloutStatus,
  TrafficWeights,
  WeightDestination,
} from './types';
import { onSuccessScaleDownTarget, progressiveScaleDownTarget } from './workload-scale-down';

/**
 * One controller tick over a plain cluster state: Argo Rollouts v1.9.1 `rollout/context.go
 * reconcile` + `rollout/canary.go rolloutCanary` for a canary Rollout, in their order.
 * Pure: the input is not mutated and `now` (seconds) is the only clock.
 */

/** Result of {@link reconcile}. */
export interface ReconcileResult {
  /** The cluster after the tick's writes. */
  readonly state: ClusterState;
  /** Every write and router call of the tick, in order. */
  readonly actions: readonly ControllerAction[];
  /** The reconcile error (the controller logs it and retries); writes before it are kept. */
  readonly error?: string;
  /** Times (seconds) the controller asked to be requeued at (pause expiry, scale-down deadlines, a future restartAt). */
  readonly requeueAt: readonly number[];
  /**
   * Times the controller re-checks on its own while nothing else happens: the progress deadline
   * (`requeueStuckRollout`) and a restart with pods left (`restartPodCheckTime`). Every reconcile
   * states them anew, so only the latest reconcile's are due (a simulator drops older ones).
   */
  readonly recheckAt: readonly number[];
  /** False when the tick wrote nothing (the state is unchanged). */
  readonly changed: boolean;
}

/** Hash of the canary steps, as stored in `status.currentStepHash` (any stable hash: only equality is compared). */
export function computeStepHash(canary: CanaryStrategy | undefined): string {
  const steps = canary?.steps;
  if (!steps) return computeHash(null);
  let hash = STEP_HASHES.get(steps);
  if (hash === undefined) {
    hash = computeHash(steps);
    STEP_HASHES.set(steps, hash);
  }
  return hash;
}

/** Step lists are immutable data: their hash is computed once per list. */
const STEP_HASHES = new WeakMap<object, string>();

/** The Argo revision (`rollout.argoproj.io/revision` annotation) of a ReplicaSet; 0 when absent. */
export function argoRevision(rs: ReplicaSetState): number {
  const value = Number.parseInt(rs.annotations?.[ARGO_KEYS.revisionAnnotation] ?? '', 10);
  return Number.isNaN(value) ? 0 : value;
}

/** Runs one controller tick at time `now` (seconds). */
export function reconcile(state: ClusterState, now: number): ReconcileResult {
  return new Tick(state, now).run();
}

/** Fully available: spec > 0, available > 0 and spec <= available (service adoption, DR delay). */
function isFullyAvailable(rs: ReplicaSetState): boolean {
  const spec = rsSpecReplicas(rs);
  return spec > 0 && rs.availableReplicas > 0 && spec <= rs.availableReplicas;
}

/** Whether two plain values differ (same reference: equal; else compared by content). */
function differs(a: unknown, b: unknown): boolean {
  return !plainEqual(a, b);
}

/** The first destination weight outside 0..100 in any route of the VirtualService, if any. */
function outOfRangeWeight(vs: VirtualServiceObject | undefined): number | undefined {
  for (const kind of ['http', 'tls', 'tcp'] as const) {
    for (const route of vs?.spec[kind] ?? []) {
      for (const d of route.route ?? []) {
        const w = d.weight ?? 0;
        if (w < 0 || w > 100) return w;
      }
    }
  }
  return undefined;
}

function scaleDownDeadline(rs: ReplicaSetState): number | undefined {
  return parseTimestamp(rs.annotations?.[ARGO_KEYS.scaleDownDeadlineAnnotation]);
}

/**
 * An old ReplicaSet with pods waits for its scale-down deadline (no progress timeout meanwhile,
 * rollout/sync.go calculateRolloutConditions). Old: every ReplicaSet but the one of `currentHash`, when given.
 */
function waitingForScaleDown(replicaSets: readonly ReplicaSetState[], currentHash?: string): boolean {
  for (const rs of replicaSets) {
    if (rs.podTemplateHash !== currentHash && rsSpecReplicas(rs) > 0 && scaleDownDeadline(rs) !== undefined) return true;
  }
  return false;
}

/**
 * Whether the rollout's own keys are exactly metadata, spec, status in that order: then
 * `{ metadata, spec, status }` is the same object as `{ ...rollout, metadata, status }` (built
 * from one literal shape, which keeps the hot copies fast).
 */
function hasRolloutKeysInOrder(rollout: RolloutState): boolean {
  let i = 0;
  for (const key in rollout) {
    if (i > 2 || key !== ROLLOUT_KEYS[i]) return false;
    i += 1;
  }
  return i === 3;
}

const ROLLOUT_KEYS = ['metadata', 'spec', 'status'] as const;

/** The distinct times in ascending order. */
function sortedUnique(times: number[]): number[] {
  // (A tick's own list: handed on as it is when there is nothing to sort.)
  if (times.length <= 1) return times;
  return [...new Set(times)].sort((a, b) => a - b);
}

/** A writable copy type for objects the tick builds before writing them. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function withoutKey<T>(record: Readonly<Record<string, T>> | undefined, key: string): Record<string, T> {
  const copy = { ...(record ?? {}) };
  delete copy[key];
  return copy;
}

/** The per-tick context (`rolloutContext`): reads are from the state at the start of the tick. */
class Tick {
  private readonly ro: RolloutState;
  private readonly canary: CanaryStrategy;
  private readonly name: string;
  private readonly n: number;
  private readonly maxW: number;
  private readonly trafficRouted: boolean;
  private readonly steps: number;
  private readonly pause: PauseContext;

  /**
   * ReplicaSets written so far (by name); created on the first write (copy on write: a tick that
   * writes no ReplicaSet hands the read list on), and the ReplicaSet this tick created, if any.
   */
  private rsOut: Map<string, ReplicaSetState> | undefined;
  private created: ReplicaSetState | undefined;
  /** Names of the ReplicaSets deleted this tick (created on the first deletion: most ticks delete none). */
  private deleted: Set<string> | undefined;
  private newRS!: ReplicaSetState;
  private stableRS: ReplicaSetState | undefined;
  private otherRSs: ReplicaSetState[] = [];
  private allRSs: ReplicaSetState[] = [];
  private rolloutRevision = 0;

  /**
   * The Services as read, replaced by this tick's own copy on the first write (copy on write): it is
   * written when it is no longer the read object.
   */
  private services: Readonly<Record<string, ServiceState>>;
  /** The VirtualServices as read, replaced by this tick's own copy on the first write (as `services`). */
  private virtualServices: readonly VirtualServiceState[];
  private destinationRule: DestinationRuleObject | undefined;

  /** `newStatus.canary.weights`: carried from the stored status, replaced by traffic routing. */
  private weights: TrafficWeights | undefined;
  private statusOut: RolloutStatus | undefined;
  /** The current AnalysisRuns (analysis-runs.ts). */
  private analysisRuns: AnalysisRunsState | undefined;
  private readonly actions: ControllerAction[] = [];
  private readonly requeue: number[] = [];
  private readonly recheck: number[] = [];
  private error: string | undefined;
  /**
   * Conditions as read, plus the Progressing condition written on creating / finding the new RS.
   * The read list itself while nothing is added (lists are replaced, never changed in place).
   */
  private readConditions: readonly RolloutCondition[];
  /** `status.restartedAt` to write (SetRestartedAt), when the restarter finished this tick. */
  private restartedAt: string | undefined;
  /** Pods evicted this tick (by name); created on the first eviction. */
  private evicted: Set<string> | undefined;
  /** The workloadRef Deployment as written so far. */
  private workload: WorkloadState | undefined;

  constructor(
    private readonly state: ClusterState,
    private readonly now: number,
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

  run(): ReconcileResult {
    this.syncNewReplicaSet();
    if (isFullyPromoted(this.ro) && this.ro.status.abort) {
      // A fully promoted Rollout cannot be aborted: the flag is dropped (rollout/canary.go rolloutCanary).
      this.pause.removeAbort();
    }
    if (this.isScalingEvent()) {
      this.syncReplicasOnly();
      return this.finish();
    }
    if (this.podTemplateOrStepsChanged()) {
      this.persist(this.resetStatus());
      return this.finish();
    }
    if (this.reconcilePodRestarts()) return this.finish();
    this.reconcileRevisionHistoryLimit();
    this.reconcilePingAndPongService();
    this.reconcileStableAndCanaryService();
    const routingError = this.reconcileTrafficRouting();
    if (routingError !== undefined) {
      this.error = routingError;
      return this.finish();
    }
    // Analysis runs (analysis-runs.ts): a failed run aborts; an inconclusive one pauses and ends the tick.
    if (this.reconcileAnalysis()) {
      this.syncRolloutStatusCanary();
      return this.finish();
    }
    if (this.reconcileCanaryReplicaSets()) {
      this.syncRolloutStatusCanary();
      return this.finish();
    }
    this.reconcileCanaryPause();
    this.syncRolloutStatusCanary();
    return this.finish();
  }

  // ---------------------------------------------------------------------------------------------
  // ReplicaSets: creation, revision, writes

  /** newRolloutContext + getAllReplicaSetsAndSyncRevision: find or create the new RS (replicas 0). */
  private syncNewReplicaSet(): void {
    const hash = this.state.templateHash;
    const existing = this.state.replicaSets.find((rs) => rs.podTemplateHash === hash);
    let newArgoRevision = 1;
    for (const rs of this.state.replicaSets) if (rs !== existing) newArgoRevision = Math.max(newArgoRevision, argoRevision(rs) + 1);
    let newRS: ReplicaSetState;
    if (!existing) {
      const revision = Math.max(0, ...this.state.replicaSets.map((rs) => rs.revision ?? 0)) + 1;
      newRS = {
        name: `${this.name}-${hash}`,
        podTemplateHash: hash,
        revision,
        specReplicas: 0,
        statusReplicas: 0,
        availableReplicas: 0,
        annotations: {
          [ARGO_KEYS.revisionAnnotation]: String(newArgoRevision),
          [ARGO_KEYS.desiredReplicasAnnotation]: String(this.n),
        },
      };
      this.created = newRS;
      this.actions.push({ kind: 'createReplicaSet', replicaSet: newRS.name, revision: newArgoRevision });
      this.readConditions = setCondition(this.readConditions, {
        type: 'Progressing',
        status: 'True',
        reason: CONDITIONS.newReplicaSetCreated,
        message: newReplicaSetMessage(newRS.name),
        lastUpdateTime: Math.floor(this.now),
        lastTransitionTime: Math.floor(this.now),
      }).conditions;
    } else {
      newRS = existing;
      if (argoRevision(existing) < newArgoRevision) {
        // Moving back to an older template: its ReplicaSet gets the next revision number.
        newRS = this.annotate(existing, ARGO_KEYS.revisionAnnotation, String(newArgoRevision));
      }
      if (!findCondition(this.readConditions, 'Progressing')) {
        // No progress estimate yet: it starts now (syncReplicaSetRevision).
        this.readConditions = [
          ...this.readConditions,
          {
            type: 'Progressing',
            status: 'True',
            reason: CONDITIONS.foundNewReplicaSet,
            message: foundNewReplicaSetMessage(newRS.name),
            lastUpdateTime: Math.floor(this.now),
            lastTransitionTime: Math.floor(this.now),
          },
        ];
      }
    }
    this.newRS = newRS;
    this.rolloutRevision = argoRevision(newRS);
    const stableHash = this.ro.status.stableRS ?? '';
    this.stableRS =
      stableHash === '' ? undefined : stableHash === hash ? newRS : this.state.replicaSets.find((rs) => rs.podTemplateHash === stableHash);
    this.otherRSs = this.state.replicaSets.filter((rs) => rs !== existing && rs !== this.stableRS);
    this.allRSs = [...this.otherRSs, ...(this.stableRS && this.stableRS !== newRS ? [this.stableRS] : []), newRS];
  }

  private current(rs: ReplicaSetState): ReplicaSetState {
    return this.rsOut?.get(rs.name) ?? (rs.name === this.created?.name ? this.created : rs);
  }

  private write(rs: ReplicaSetState): ReplicaSetState {
    (this.rsOut ??= new Map()).set(rs.name, rs);
    return rs;
  }

  /** The Services to write to: this tick's own copy (made on the first write). */
  private writableServices(): Record<string, ServiceState> {
    if (this.services === this.state.services) this.services = { ...this.services };
    return this.services as Record<string, ServiceState>;
  }

  /** The VirtualServices to write to: this tick's own copy (made on the first write). */
  private writableVirtualServices(): VirtualServiceState[] {
    if (this.virtualServices === this.state.virtualServices) this.virtualServices = [...this.virtualServices];
    return this.virtualServices as VirtualServiceState[];
  }

  private annotate(rs: ReplicaSetState, key: string, value: string | undefined): ReplicaSetState {
    const cur = this.current(rs);
    const annotations = value === undefined ? withoutKey(cur.annotations, key) : { ...(cur.annotations ?? {}), [key]: value };
    this.actions.push({ kind: 'annotateReplicaSet', replicaSet: rs.name, key, value });
    return this.write({ ...cur, annotations });
  }

  /**
   * `scaleReplicaSetAndRecordEvent`: writes the count and the desired-replicas annotation. An
   * annotation-only update (count unchanged) is written but does not count as "scaled".
   */
  private scaleReplicaSet(rs: ReplicaSetState, target: number): boolean {
    const cur = this.current(rs);
    const from = rsSpecReplicas(cur);
    const annotationStale = cur.annotations?.[ARGO_KEYS.desiredReplicasAnnotation] !== String(this.n);
    if (from === target && !annotationStale) return false;
    let annotations: Record<string, string> = { ...(cur.annotations ?? {}), [ARGO_KEYS.desiredReplicasAnnotation]: String(this.n) };
    if (target === 0 && !this.shouldDelayScaleDownOnAbort()) {
      annotations = withoutKey(annotations, ARGO_KEYS.scaleDownDeadlineAnnotation);
    }
    this.write({ ...cur, specReplicas: target, annotations });
    if (from === target) {
      this.actions.push({
        kind: 'annotateReplicaSet',
        replicaSet: rs.name,
        key: ARGO_KEYS.desiredReplicasAnnotation,
        value: String(this.n),
      });
      return false;
    }
    this.actions.push({ kind: 'scaleReplicaSet', replicaSet: rs.name, from, to: target });
    this.event('ScalingReplicaSet', `Scaled ${from < target ? 'up' : 'down'} ReplicaSet ${rs.name} from ${from} to ${target}`);
    return true;
  }

  /** rollout/sync.go isScalingEvent: new or stable RS with replicas whose desired-replicas annotation != N. */
  private isScalingEvent(): boolean {
    // The new RS, then the stable one when it is another RS (no candidate list: this runs every tick).
    const stable = this.stableRS;
    return this.scalingReplicaSet(this.newRS) || (stable !== undefined && stable !== this.newRS && this.scalingReplicaSet(stable));
  }

  /** A ReplicaSet with replicas whose desired-replicas annotation is not N. */
  private scalingReplicaSet(rs: ReplicaSetState): boolean {
    const desired = rs.annotations?.[ARGO_KEYS.desiredReplicasAnnotation];
    return rsSpecReplicas(rs) > 0 && desired !== undefined && Number(desired) !== this.n;
  }

  /** rollout/sync.go syncReplicasOnly: only the ReplicaSets are scaled; status counts are refreshed. */
  private syncReplicasOnly(): void {
    this.reconcileCanaryReplicaSets();
    // Everything but the counts is carried over (conditions too: they are not recalculated);
    // pause and abort fields are re-derived on write.
    this.persist({ ...this.ro.status, conditions: this.readConditions, ...this.baseCounts() }, false);
  }

  /**
   * The pod restarter (rollout/restart.go RolloutPodRestarter, before the canary reconcile). True when the tick ends here: a pod was
   * evicted (no status write) or the eviction API failed (the reconcile error).
   */
  private reconcilePodRestarts(): boolean {
    const pods = this.state.pods;
    if (this.ro.spec.restartAt === undefined || pods === undefined) return false;
    const result = reconcileRestart({
      spec: this.ro.spec,
      status: this.ro.status,
      now: this.now,
      replicas: this.n,
      maxUnavailable: maxUnavailable(this.ro),
      replicaSets: restartOrder(this.allRSs, this.stableRS, this.newRS),
      pods,
      pdbs: this.state.pdbs ?? [],
    });
    for (const { pod, reason } of result.refused) {
      this.actions.push({ kind: 'evictionRefused', pod: pod.name, replicaSet: pod.replicaSet, reason });
    }
    for (const pod of result.evicted) {
      (this.evicted ??= new Set()).add(pod.name);
      this.actions.push({ kind: 'evictPod', pod: pod.name, replicaSet: pod.replicaSet });
      this.event('RestartingPod', `Restarting pod ${pod.name} (created before ${this.ro.spec.restartAt})`);
    }
    if (result.requeueAt !== undefined) this.requeue.push(result.requeueAt);
    if (result.recheckAt !== undefined) this.recheck.push(result.recheckAt);
    if (result.error !== undefined) {
      this.error = result.error;
      return true;
    }
    if (result.finished) this.restartedAt = this.ro.spec.restartAt;
    return result.evicted.length > 0;
  }

  /** reconcileRevisionHistoryLimit: delete the oldest scaled-down old ReplicaSets beyond the limit. */
  private reconcileRevisionHistoryLimit(): void {
    const limit = this.ro.spec.revisionHistoryLimit ?? ARGO_DEFAULTS.revisionHistoryLimit;
    const diff = this.otherRSs.length - limit;
    if (diff <= 0) return;
    const oldestFirst = [...this.otherRSs].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
    for (const rs of oldestFirst.slice(0, diff)) {
      if ((rs.statusReplicas ?? 0) !== 0 || rsSpecReplicas(rs) !== 0) continue;
      (this.deleted ??= new Set()).add(rs.name);
      this.actions.push({ kind: 'deleteReplicaSet', replicaSet: rs.name });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Services (rollout/service.go)

  private ensureServiceTarget(serviceName: string | undefined, rs: ReplicaSetState | undefined, checkAvailability: boolean): void {
    if (!rs || !serviceName) return;
    const svc = this.services[serviceName];
    if (!svc) return;
    if (selectedHash(svc) === rs.podTemplateHash) return;
    const adopted = svc.annotations?.[ARGO_KEYS.managedByAnnotation] !== undefined;
    if (!adopted && checkAvailability && !isFullyAvailable(rs)) return;
    if (checkAvailability && rs.availableReplicas === 0) return;
    const from = selectedHash(svc);
    this.writableServices()[serviceName] = {
      ...svc,
      selector: { ...svc.selector, [ARGO_KEYS.podTemplateHashLabel]: rs.podTemplateHash },
      annotations: { ...(svc.annotations ?? {}), [ARGO_KEYS.managedByAnnotation]: this.name },
    };
    this.actions.push({ kind: 'switchService', service: serviceName, from, to: rs.podTemplateHash });
    this.event('SwitchService', `Switched selector for service '${serviceName}' from '${from ?? ''}' to '${rs.podTemplateHash}'`);
  }

  /** reconcilePingAndPongService: the canary of the pair follows the new RS until fully promoted. */
  private reconcilePingAndPongService(): void {
    if (!this.canary.pingPong || isFullyPromoted(this.ro)) return;
    this.ensureServiceTarget(getCanaryStableServices(this.ro).canaryService, this.newRS, false);
  }

  /** rollout/service.go reconcileStableAndCanaryService. */
  private reconcileStableAndCanaryService(): void {
    this.ensureServiceTarget(this.canary.stableService, this.stableRS, true);
    if (this.pause.isAborted() && !this.trafficRouted) {
      this.ensureServiceTarget(this.canary.canaryService, this.stableRS, true);
      return;
    }
    if (isDynamicallyRollingBackToStable(this.ro, this.newRS)) return;
    this.ensureServiceTarget(this.canary.canaryService, this.newRS, true);
  }

  // ---------------------------------------------------------------------------------------------
  // Traffic routing (rollout/trafficrouting.go reconcileTrafficRouting)

  private vsMap(): Record<string, VirtualServiceObject> {
    const map: Record<string, VirtualServiceObject> = {};
    for (const vs of this.virtualServices) {
      // (Object.fromEntries semantics: a "__proto__" name is an own key, not the prototype.)
      if (vs.ref.name === '__proto__') return Object.fromEntries(this.virtualServices.map((v) => [v.ref.name, v.object]));
      map[vs.ref.name] = vs.object;
    }
    return map;
  }

  private storeVirtualServices(objects: Readonly<Record<string, VirtualServiceObject>>, updated: readonly string[]): void {
    for (let i = 0; i < this.virtualServices.length; i++) {
      const vs = this.virtualServices[i];
      if (updated.includes(vs.ref.name)) this.writableVirtualServices()[i] = { ...vs, object: objects[vs.ref.name] };
    }
  }

  private removeManagedRoutes(): void {
    const updated: string[] = [];
    for (let i = 0; i < this.virtualServices.length; i++) {
      const vs = this.virtualServices[i];
      const result = removeManagedRoutes(this.ro, vs.object);
      if (result.modified) {
        this.writableVirtualServices()[i] = { ...vs, object: result.virtualService };
        updated.push(vs.ref.name);
      }
    }
    this.actions.push({ kind: 'removeManagedRoutes', updated });
  }

  /**
   * SetWeight on every VirtualService; returns the controller's error text, if any. A write whose
   * weights fall outside 0..100 is refused, as Istio's validation refuses it (the controller can
   * compute such weights: argo-rollouts#4424); the Rollout is then stuck on that error.
   */
  private routerSetWeight(weight: number, extra: readonly WeightDestination[]): string | undefined {
    const result = setVirtualServiceWeights(this.ro, this.vsMap(), weight, extra);
    const rejected = result.updated.map((name) => [name, outOfRangeWeight(result.virtualServices[name])] as const).find(([, w]) => w !== undefined);
    if (rejected) {
      this.actions.push({ kind: 'setWeight', weight, updated: [] });
      return `VirtualService ${rejected[0]}: update refused by Istio: route weight ${rejected[1]} is outside 0..100 (desired canary weight ${weight})`;
    }
    this.storeVirtualServices(result.virtualServices, result.updated);
    this.actions.push({ kind: 'setWeight', weight, updated: result.updated });
    return result.error;
  }

  /** reconcileTrafficRouting: returns an error text when the tick fails. */
  private reconcileTrafficRouting(): string | undefined {
    if (!this.trafficRouted) {
      this.weights = undefined;
      return undefined;
    }
    const status = this.ro.status;
    const newRS = this.newRS;
    const stableRS = this.stableRS;
    let canaryHash = newRS.podTemplateHash;
    const stableHash = stableRS?.podTemplateHash ?? '';
    const extra: WeightDestination[] = [];
    const { step: currentStep, index } = getCurrentCanaryStep(this.ro);
    const rollingBack = isDynamicallyRollingBackToStable(this.ro, newRS);
    let desired: number;
    if (rollingBack) {
      desired = calculateDesiredWeightOnAbortOrStableRollback(this.ro, newRS, stableRS);
      canaryHash = status.canary?.weights?.canary.podTemplateHash ?? canaryHash;
    } else if (isFullyPromoted(this.ro)) {
      this.removeManagedRoutes();
      desired = 0;
    } else if (this.pause.isAborted()) {
      desired = calculateDesiredWeightOnAbortOrStableRollback(this.ro, newRS, stableRS);
      if (!this.canary.dynamicStableScale || desired === 0) {
        // spec.strategy.canary.canaryService only (a ping-pong pair is left alone).
        this.ensureServiceTarget(this.canary.canaryService, stableRS, false);
      }
      this.removeManagedRoutes();
    } else if (newRS.availableReplicas === 0) {
      desired = 0;
      this.removeManagedRoutes();
    } else if (status.promoteFull) {
      desired = this.canary.dynamicStableScale
        ? Math.floor((this.maxW * newRS.availableReplicas) / this.n)
        : (status.canary?.weights?.canary.weight ?? 0);
      this.removeManagedRoutes();
    } else if (index !== undefined) {
      if (!atDesiredReplicaCountsForCanary(this.ro, newRS, stableRS, this.otherRSs, undefined)) {
        // The new RS is not ready for the current weight: keep the previous setWeight.
        desired = 0;
        const steps = this.canary.steps ?? [];
        for (let i = index - 1; i >= 0; i--) {
          const weight = steps[i].setWeight;
          if (weight !== undefined) {
            desired = weight;
            break;
          }
        }
      } else if (index !== this.steps) {
        desired = getCurrentSetWeight(this.ro);
      } else {
        desired = this.maxW;
      }
    } else {
      desired = 0;
    }

    // The stable-capacity gate: nothing changes while the stable cannot carry its share.
    if (!checkReplicasAvailable(this.ro, stableRS, this.maxW - desired)) return undefined;

    if (currentStep && (currentStep.setHeaderRoute || currentStep.setMirrorRoute) && this.rolloutRevision > 1) {
      for (let i = 0; i < this.virtualServices.length; i++) {
        const vs = this.virtualServices[i];
        const result = applyManagedRouteStep(this.ro, vs.object, vs.ref, currentStep, this.destinationRule?.spec.host);
        if (result.error) return result.error;
        if (result.modified) this.writableVirtualServices()[i] = { ...vs, object: result.virtualService };
        const route = (currentStep.setHeaderRoute ?? currentStep.setMirrorRoute)?.name ?? '';
        this.actions.push({ kind: 'setManagedRoute', route, updated: result.modified ? [vs.ref.name] : [] });
      }
    }

    if (newRS.availableReplicas === 0 && (status.canary?.weights?.canary.weight ?? 0) > 0) {
      // v1.9: move the weight off the canary before re-pointing subsets (argo-rollouts PR #4564).
      const err = this.routerSetWeight(desired, extra);
      if (err) return err;
    }
    // UpdateHash is always called; without a DestinationRule the Istio reconciler does nothing.
    if (this.destinationRule) {
      const result = updateHash(
        this.ro,
        this.destinationRule,
        canaryHash,
        stableHash,
        extra,
        this.state.replicaSets,
        rollingBack,
      );
      this.actions.push({ kind: 'updateHash', canary: canaryHash, stable: stableHash, modified: result.modified });
      if (result.error) return result.error;
      this.destinationRule = result.destinationRule;
    } else {
      this.actions.push({ kind: 'updateHash', canary: canaryHash, stable: stableHash, modified: false });
    }
    const err = this.routerSetWeight(desired, extra);
    if (err) return err;

    const { canaryService, stableService } = getCanaryStableServices(this.ro);
    const extraWeight = extra.reduce((sum, d) => sum + d.weight, 0);
    const canaryWeight: Mutable<WeightDestination> = { weight: desired, podTemplateHash: canaryHash };
    if (canaryService) canaryWeight.serviceName = canaryService;
    const stableWeight: Mutable<WeightDestination> = { weight: this.maxW - desired - extraWeight, podTemplateHash: stableHash };
    if (stableService) stableWeight.serviceName = stableService;
    this.weights = extra.length > 0 ? { canary: canaryWeight, stable: stableWeight, additional: extra } : { canary: canaryWeight, stable: stableWeight };
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Scaling (rollout/canary.go reconcileCanaryReplicaSets, rollout/replicaset.go)

  private shouldDelayScaleDownOnAbort(): boolean {
    if (!this.pause.isAborted() || !this.stableRS || !this.trafficRouted) return false;
    const { delaySeconds, wasSet } = getAbortScaleDownDelaySecondsOrDefault(this.ro.spec);
    if (delaySeconds === undefined) return false;
    return !(this.canary.dynamicStableScale && !wasSet);
  }

  private desiredCounts(weights: TrafficWeights | undefined): { canaryReplicas: number; stableReplicas: number } {
    return this.trafficRouted
      ? calculateReplicaCountsForTrafficRoutedCanary(this.ro, this.newRS, this.stableRS, weights)
      : calculateReplicaCountsForBasicCanary(this.ro, this.newRS, this.stableRS, this.otherRSs);
  }

  /** reconcileCanaryReplicaSets: at most one kind of RS is scaled; true when something was. */
  private reconcileCanaryReplicaSets(): boolean {
    const inconclusive = findPauseCondition(this.ro.status, 'InconclusiveAnalysisRun') !== undefined;
    if (this.ro.spec.paused || inconclusive) return false;
    this.removeScaleDownDeadlines();
    if (this.stableRS && checkStableRSExists(this.newRS, this.stableRS)) {
      // The stable is sized with the weights persisted by the previous tick (rollout/canary.go reconcileCanaryReplicaSets).
      const { stableReplicas } = this.desiredCounts(this.ro.status.canary?.weights);
      if (this.scaleReplicaSet(this.stableRS, stableReplicas)) return true;
    }
    if (this.reconcileNewReplicaSet()) return true;
    return this.reconcileOtherReplicaSets();
  }

  private removeScaleDownDeadlines(): void {
    const targets: ReplicaSetState[] = [];
    if (!this.shouldDelayScaleDownOnAbort()) targets.push(this.newRS);
    if (this.stableRS && (targets.length === 0 || this.stableRS.name !== this.newRS.name)) targets.push(this.stableRS);
    for (const rs of targets) {
      if (this.current(rs).annotations?.[ARGO_KEYS.scaleDownDeadlineAnnotation] !== undefined) {
        this.annotate(rs, ARGO_KEYS.scaleDownDeadlineAnnotation, undefined);
      }
    }
  }

  /** rollout/replicaset.go reconcileNewReplicaSet, with the abort scale-down delay (shouldDelayScaleDownOnAbort). */
  private reconcileNewReplicaSet(): boolean {
    let target = this.desiredCounts(this.weights).canaryReplicas;
    if (this.shouldDelayScaleDownOnAbort()) {
      const deadline = scaleDownDeadline(this.newRS);
      if (deadline !== undefined) {
        if (!deadlinePassed(deadline, this.now)) {
          const remaining = deadline - this.now;
          if (remaining < ARGO_DEFAULTS.rolloutResyncSeconds) {
            this.requeue.push(deadline);
            return false;
          }
          // Quirk: more than a resync period left falls through to the computed count.
        } else {
          target = 0;
        }
      } else {
        const delay = getAbortScaleDownDelaySecondsOrDefault(this.ro.spec).delaySeconds as number;
        if ((this.stableRS as ReplicaSetState).availableReplicas === this.n) {
          this.annotate(this.newRS, ARGO_KEYS.scaleDownDeadlineAnnotation, formatTimestamp(this.now + delay));
          this.requeue.push(Math.floor(this.now + delay));
        }
        return false;
      }
    }
    const before = rsSpecReplicas(this.current(this.newRS));
    const scaled = this.scaleReplicaSet(this.newRS, target);
    this.scaleWorkload(
      progressiveScaleDownTarget({
        workload: this.workload,
        revision: this.rolloutRevision,
        previousPhase: this.ro.status.phase,
        specReplicas: this.ro.spec.replicas,
        readyReplicas: this.ro.status.readyReplicas ?? 0,
        newRSReplicasBefore: before,
        newRSReplicasAfter: target,
      }),
    );
    return scaled;
  }

  /** rollout/scale_utils.go scaleDeployment: writes the workloadRef Deployment's replicas when they differ. */
  private scaleWorkload(target: number | undefined): void {
    const workload = this.workload;
    if (target === undefined || !workload) return;
    const to = Math.max(0, target);
    if (to === workload.replicas) return;
    this.workload = { ...workload, replicas: to };
    this.actions.push({ kind: 'scaleWorkload', workload: `${workload.kind}/${workload.name}`, from: workload.replicas, to });
    this.event('ScalingWorkload', `Scaled ${workload.kind} ${workload.name} from ${workload.replicas} to ${to}`);
  }

  /** rollout/sync.go isRollbackWithinWindow: back to a ReplicaSet older than the stable, inside rollbackWindow. */
  private rollbackWithinWindow(): boolean {
    return isRollbackWithinWindow(this.ro.spec, this.newRS, this.stableRS, this.allRSs);
  }

  /** isReplicaSetReferenced: status hashes, applied weights, live Service selectors, DR subsets. */
  private isReplicaSetReferenced(rs: ReplicaSetState): boolean {
    const hash = rs.podTemplateHash;
    const status = this.ro.status;
    const weights = status.canary?.weights;
    const referenced = [
      status.stableRS,
      status.currentPodHash,
      weights?.canary.podTemplateHash,
      weights?.stable.podTemplateHash,
      ...(weights?.additional ?? []).map((d) => d.podTemplateHash),
      ...Object.values(this.services).map(selectedHash),
      ...(this.destinationRule?.spec.subsets ?? []).map((s) => s.labels?.[ARGO_KEYS.podTemplateHashLabel]),
    ];
    return referenced.some((h) => h !== undefined && h !== '' && h === hash);
  }

  /** reconcileOtherReplicaSets + rollout/canary.go scaleDownOldReplicaSetsForCanary. */
  private reconcileOtherReplicaSets(): boolean {
    const active = this.otherRSs.filter((rs) => rsSpecReplicas(rs) > 0);
    if (active.length === 0) return false;
    let scaledDown = 0;
    // cleanupUnhealthyReplicas: oldest first, drop pods that are not available.
    const byAge = [...active].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
    for (const rs of byAge) {
      const spec = rsSpecReplicas(this.current(rs));
      if (spec === rs.availableReplicas) continue;
      if (this.scaleReplicaSet(rs, rs.availableReplicas)) scaledDown += spec - rs.availableReplicas;
    }
    const availableAll = this.allRSs.reduce((sum, rs) => sum + rs.availableReplicas, 0);
    let maxScaleDown = availableAll - (this.n - maxUnavailable(this.ro));
    if (maxScaleDown <= 0) return scaledDown > 0;
    const newestFirst = [...active].sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0));
    let annotated = 0;
    for (const rs of newestFirst) {
      if (this.trafficRouted && this.isReplicaSetReferenced(rs)) continue;
      if (maxScaleDown <= 0) break;
      const cur = this.current(rs);
      const spec = rsSpecReplicas(cur);
      if (spec === 0) continue;
      let target: number;
      if (!this.trafficRouted) {
        target = Math.max(0, spec - maxScaleDown);
      } else if (isFullyPromoted(this.ro) || scaleDownDeadline(cur) !== undefined) {
        if (this.canary.dynamicStableScale) {
          target = 0;
        } else {
          [annotated, target] = this.scaleDownDelayHelper(cur, annotated);
        }
      } else {
        // An intermediate RS of an interrupted update (V1 -> V2 -> V3): scaled down without delay.
        target = 0;
      }
      if (target === spec) continue;
      if (this.scaleReplicaSet(cur, target)) {
        maxScaleDown -= spec - target;
        scaledDown += spec - target;
      }
    }
    return scaledDown > 0;
  }

  /** scaleDownDelayHelper: annotate a deadline, keep the RS until it passes (or over the limit). */
  private scaleDownDelayHelper(rs: ReplicaSetState, annotated: number): [number, number] {
    const limit = this.canary.scaleDownDelayRevisionLimit ?? Number.MAX_SAFE_INTEGER;
    const deadline = scaleDownDeadline(rs);
    const spec = rsSpecReplicas(rs);
    if (deadline === undefined && spec > 0) {
      if (annotated < limit) {
        const delay = getScaleDownDelaySecondsOrDefault(this.ro.spec);
        if (delay > 0) {
          this.annotate(rs, ARGO_KEYS.scaleDownDeadlineAnnotation, formatTimestamp(this.now + delay));
          this.requeue.push(Math.floor(this.now + delay));
        }
        return [annotated + 1, spec];
      }
      return [annotated, 0];
    }
    if (deadline !== undefined) {
      const count = annotated + 1;
      if (count > limit) return [count, 0];
      if (!deadlinePassed(deadline, this.now)) {
        if (deadline - this.now < ARGO_DEFAULTS.rolloutResyncSeconds) this.requeue.push(deadline);
        // Keeps the replicas it has until the deadline (the canary path passes the RS's own count
        // as the helper's "rolloutReplicas"; argo-rollouts#1822).
        return [count, spec];
      }
      return [count, 0];
    }
    return [annotated, 0];
  }

  // ---------------------------------------------------------------------------------------------
  // Pause, steps, status (rollout/canary.go reconcileCanaryPause, syncRolloutStatusCanary; rollout/pause.go)

  /** reconcileCanaryPause: add the CanaryPauseStep condition when a pause step is reached. */
  private reconcileCanaryPause(): void {
    if (this.ro.spec.paused || this.ro.status.promoteFull || this.steps === 0) return;
    const { step, index } = getCurrentCanaryStep(this.ro);
    if (!step || index === undefined || index >= this.steps || !step.pause) return;
    const condition = findPauseCondition(this.ro.status, CANARY_PAUSE_STEP);
    if (!condition) {
      if (!this.ro.status.controllerPause) this.pause.addPauseCondition(CANARY_PAUSE_STEP);
      return;
    }
    if (step.pause.duration !== undefined) {
      this.requeue.push(condition.startTime + parsePauseDurationSeconds(step.pause.duration));
    }
  }

  /** reconcileAnalysisRuns: create/keep runs, abort on a failed one, pause on an inconclusive one. */
  private reconcileAnalysis(): boolean {
    const result = reconcileAnalysisRuns({
      rollout: this.ro,
      runs: this.analysisRuns,
      newRSHash: this.newRS.podTemplateHash,
      revision: this.rolloutRevision,
      aborted: this.pause.isAborted(),
      newRSHasScaleDownDeadline: scaleDownDeadline(this.newRS) !== undefined,
      now: this.now,
    });
    this.analysisRuns = result.runs;
    if (result.abortMessage !== undefined) this.pause.addAbort(result.abortMessage);
    if (result.addInconclusivePause) this.pause.addPauseCondition(INCONCLUSIVE_ANALYSIS);
    return this.pause.hasAddPause();
  }

  /** completedCurrentCanaryStep. Experiment and plugin steps are assumed to succeed. */
  private completedCurrentCanaryStep(): boolean {
    if (this.ro.spec.paused) return false;
    const { step, index } = getCurrentCanaryStep(this.ro);
    if (!step) return false;
    if (step.analysis !== undefined) return stepAnalysisSuccessful(this.analysisRuns, index);
    if (step.pause) return this.pause.completedCanaryPauseStep(step.pause, this.now);
    if (step.setCanaryScale || step.setWeight !== undefined) {
      return atDesiredReplicaCountsForCanary(this.ro, this.newRS, this.stableRS, this.otherRSs, this.weights);
    }
    return true;
  }

  private baseCounts(): Pick<RolloutStatus, 'replicas' | 'updatedReplicas' | 'readyReplicas' | 'availableReplicas'> {
    let replicas = 0;
    let available = 0;
    for (const rs of this.allRSs) {
      replicas += rs.statusReplicas ?? 0;
      available += rs.availableReplicas;
    }
    return { replicas, updatedReplicas: this.newRS.statusReplicas ?? 0, readyReplicas: available, availableReplicas: available };
  }

  /**
   * calculateBaseStatus: counts, hashes and the fields the controller carries over. (Built field by
   * field: the field order is the written order, and it is a hot path.)
   */
  private baseStatus(): Mutable<RolloutStatus> {
    const old = this.ro.status;
    const currentPodHash = this.newRS.podTemplateHash;
    const runs = this.analysisRuns;
    const canary: Mutable<NonNullable<RolloutStatus['canary']>> = {};
    if (this.weights) canary.weights = this.weights;
    if (old.canary?.stablePingPong) canary.stablePingPong = old.canary.stablePingPong;
    if (runs?.step || runs?.background) {
      const currentRuns = { background: runs?.background?.podHash === currentPodHash ? runs.background : undefined, step: runs?.step?.podHash === currentPodHash ? runs.step : undefined };
      Object.assign(canary, analysisRunStatuses(currentRuns));
    }
    const status: Mutable<RolloutStatus> = this.baseCounts();
    status.currentPodHash = currentPodHash;
    status.stableRS = old.stableRS;
    status.currentStepHash = computeStepHash(this.canary);
    if (old.promoteFull && currentPodHash !== old.stableRS) status.promoteFull = true;
    const restartedAt = this.restartedAt ?? old.restartedAt;
    if (restartedAt !== undefined) status.restartedAt = restartedAt;
    status.canary = canary;
    status.conditions = this.readConditions;
    return status;
  }

  /** utils/replicaset/replicaset.go PodTemplateOrStepsChanged. */
  private podTemplateOrStepsChanged(): boolean {
    const status = this.ro.status;
    if (!status.currentStepHash || status.currentStepHash !== computeStepHash(this.canary)) return true;
    return !!status.currentPodHash && status.currentPodHash !== this.newRS.podTemplateHash;
  }

  /** rollout/sync.go resetRolloutStatus: index back to 0, or past the end when rolling back to stable. */
  private resetStatus(): RolloutStatus {
    this.pause.clearPauseConditions();
    this.pause.removeAbort();
    const { promoteFull: _promoteFull, ...status } = this.baseStatus();
    void _promoteFull;
    let currentStepIndex: number | undefined = this.steps > 0 ? 0 : undefined;
    if (this.steps > 0 && this.newRS.podTemplateHash === this.ro.status.stableRS) {
      currentStepIndex = this.steps;
      this.event('SkipSteps', 'Rollback to stable');
    } else if (this.steps > 0 && this.rollbackWithinWindow() && rsSpecReplicas(this.newRS) > 0) {
      currentStepIndex = this.steps;
      this.event('SkipSteps', 'Rollback to active ReplicaSets within RollbackWindow');
    }
    return {
      ...status,
      ...(this.ro.spec.restartAt !== undefined ? { restartedAt: this.ro.spec.restartAt } : {}),
      ...(currentStepIndex !== undefined ? { currentStepIndex } : {}),
    };
  }

  /** rollout/sync.go shouldFullPromote: the reason, or "" when not promoting. */
  private shouldFullPromote(): string {
    if (!this.stableRS) return 'Initial deploy';
    if (this.pause.isAborted()) return '';
    const newRS = this.newRS;
    if (newRS.availableReplicas < this.n && !replicaProgressThresholdMet(this.canary.replicaProgressThreshold, newRS, this.n)) {
      return '';
    }
    if (this.ro.status.promoteFull) return 'Full promotion requested';
    if (this.rollbackWithinWindow()) return 'Rollback within window';
    const { index } = getCurrentCanaryStep(this.ro);
    if (this.steps === 0 || index === this.steps) return `Completed all ${this.steps} canary steps`;
    return '';
  }

  /** rollout/canary.go syncRolloutStatusCanary. */
  private syncRolloutStatusCanary(): void {
    const newStatus = this.baseStatus();
    let { index } = getCurrentCanaryStep(this.ro);
    if (this.ro.status.promoteFull || this.rollbackWithinWindow()) {
      this.pause.clearPauseConditions();
      this.pause.removeAbort();
      if (this.steps > 0) index = this.steps;
    }
    const reason = this.shouldFullPromote();
    if (reason !== '') {
      this.pause.clearPauseConditions();
      this.pause.removeAbort();
      delete newStatus.promoteFull;
      newStatus.currentStepIndex = this.steps > 0 ? this.steps : undefined;
      const previous = newStatus.stableRS ?? '';
      if (previous !== newStatus.currentPodHash) {
        if (this.canary.pingPong && previous !== '') {
          const stableIsPing = (this.ro.status.canary?.stablePingPong ?? 'ping') === 'ping';
          newStatus.canary = { ...newStatus.canary, stablePingPong: stableIsPing ? 'pong' : 'ping' };
        }
        this.event('RolloutCompleted', `Rollout completed update to revision ${this.rolloutRevision}: ${reason}`);
      }
      newStatus.stableRS = newStatus.currentPodHash;
      this.scaleWorkload(onSuccessScaleDownTarget(this.workload, this.rolloutRevision, this.ro.status.phase));
      this.persist(newStatus);
      return;
    }
    if (this.pause.isAborted()) {
      if (this.steps > 0) newStatus.currentStepIndex = newStatus.stableRS === newStatus.currentPodHash ? this.steps : 0;
      this.persist(newStatus);
      return;
    }
    if (this.completedCurrentCanaryStep() && index !== undefined) {
      index += 1;
      this.pause.removePauseCondition(CANARY_PAUSE_STEP);
      this.event('RolloutStepCompleted', `Rollout step ${index}/${this.steps} completed`);
    }
    newStatus.currentStepIndex = index;
    this.persist(newStatus);
  }

  /**
   * persistRolloutStatus: conditions (calculateRolloutConditions, unless `withConditions` is false
   * as in syncReplicasOnly), pause/abort bookkeeping, the pause flips of the conditions, phase
   * and message.
   */
  private persist(status: Mutable<RolloutStatus>, withConditions = true): void {
    // `status` is a fresh object of this tick: it is completed in place.
    const next = status;
    if (withConditions) {
      const read = this.ro.status;
      const result = calculateRolloutConditions({
        spec: this.ro.spec,
        old: read,
        read: this.readConditions,
        next,
        now: this.now,
        aborted: this.pause.isAborted(),
        paused: (read.pauseConditions ?? []).length > 0 || this.ro.spec.paused === true,
        indefiniteStep: isIndefiniteStep(this.ro),
        waitingForScaleDown: waitingForScaleDown(this.otherRSs),
        newReplicaSet: this.newRS.name,
        revision: this.rolloutRevision,
        abortMessage: this.pause.abortMessage(),
      });
      if (result.timedOut) this.event(CONDITIONS.timedOut, timedOutMessage(this.newRS.name));
      if (result.abort) {
        // progressDeadlineAbort: the timeout aborts the update (written with this status).
        this.pause.addAbort();
        this.event(CONDITIONS.aborted, timedOutMessage(this.newRS.name));
      }
      next.conditions = result.conditions;
    }
    // applyTo returns `next` or a new object: either is this tick's own.
    const withPause: Mutable<RolloutStatus> = this.pause.applyTo(next, this.now);
    if (withConditions) {
      const paused = this.ro.spec.paused === true || (withPause.pauseConditions ?? []).length > 0;
      withPause.conditions = pauseConditions(withPause.conditions ?? [], paused, withPause.abort === true, this.now);
    }
    const { phase, message } = calculateRolloutPhase(this.ro.spec, withPause);
    withPause.phase = phase;
    withPause.message = message;
    this.statusOut = withPause;
  }

  private event(reason: string, message: string): void {
    this.actions.push({ kind: 'event', reason, message });
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * The ReplicaSets after the tick, in the read order with the created one last: the read list
   * itself when the tick wrote, created and deleted none (copy on write).
   */
  private replicaSetsOut(): readonly ReplicaSetState[] {
    const { rsOut, created, deleted } = this;
    if (rsOut === undefined && created === undefined && deleted === undefined) return this.state.replicaSets;
    const replicaSets: ReplicaSetState[] = [];
    for (const rs of this.state.replicaSets) {
      if (deleted === undefined || !deleted.has(rs.name)) replicaSets.push(rsOut?.get(rs.name) ?? rs);
    }
    if (created !== undefined && (deleted === undefined || !deleted.has(created.name))) replicaSets.push(rsOut?.get(created.name) ?? created);
    return replicaSets;
  }

  /** Whether a ReplicaSet, Service or VirtualService the tick wrote differs from the one it read. */
  private objectsChanged(replicaSets: readonly ReplicaSetState[]): boolean {
    const read = this.state;
    if (replicaSets !== read.replicaSets) {
      if (replicaSets.length !== read.replicaSets.length) return true;
      for (let i = 0; i < replicaSets.length; i++) if (differs(replicaSets[i], read.replicaSets[i])) return true;
    }
    if (this.services !== read.services) {
      for (const name of Object.keys(this.services)) if (differs(this.services[name], read.services[name])) return true;
    }
    if (this.virtualServices !== read.virtualServices) {
      for (let i = 0; i < this.virtualServices.length; i++) if (differs(this.virtualServices[i], read.virtualServices[i])) return true;
    }
    return false;
  }

  private finish(): ReconcileResult {
    const replicaSets = this.replicaSetsOut();
    const revision = String(this.rolloutRevision);
    const readMetadata = this.ro.metadata;
    const revisionChanged = revision !== readMetadata?.annotations?.[ARGO_KEYS.revisionAnnotation];
    // Setting the revision annotation to the value it has rewrites nothing: the metadata is kept.
    const metadata =
      readMetadata !== undefined && !revisionChanged
        ? readMetadata
        : { ...(readMetadata ?? {}), annotations: { ...(readMetadata?.annotations ?? {}), [ARGO_KEYS.revisionAnnotation]: revision } };
    const status = this.statusOut ?? this.ro.status;
    const statusChanged = this.statusOut !== undefined && differs(this.statusOut, this.ro.status);
    if (statusChanged) this.actions.push({ kind: 'updateStatus' });
    const rollout: RolloutState = hasRolloutKeysInOrder(this.ro) ? { metadata, spec: this.ro.spec, status } : { ...this.ro, metadata, status };
    const readPods = this.state.pods;
    const evicted = this.evicted;
    const pods = readPods === undefined || evicted === undefined ? readPods : readPods.filter((p) => !evicted.has(p.name));
    const state: Mutable<ClusterState> = {
      rollout,
      templateHash: this.state.templateHash,
      replicaSets,
      services: this.services,
      virtualServices: this.virtualServices,
    };
    if (this.destinationRule) state.destinationRule = this.destinationRule;
    if (this.analysisRuns?.background || this.analysisRuns?.step) state.analysisRuns = this.analysisRuns;
    if (pods) state.pods = pods;
    if (this.state.pdbs) state.pdbs = this.state.pdbs;
    if (this.workload) state.workload = this.workload;
    const progressCheck = progressCheckAt(rollout, waitingForScaleDown(replicaSets, this.state.templateHash));
    if (progressCheck !== undefined) this.recheck.push(progressCheck);
    // Objects the tick did not write are the read ones (same reference): only written ones are compared.
    const changed =
      statusChanged ||
      revisionChanged ||
      this.objectsChanged(replicaSets) ||
      differs(this.destinationRule, this.state.destinationRule) ||
      evicted !== undefined ||
      differs(this.workload, this.state.workload);
    const requeueAt = sortedUnique(this.requeue);
    const recheckAt = sortedUnique(this.recheck);
    return this.error === undefined
      ? { state, actions: this.actions, requeueAt, recheckAt, changed }
      : { state, actions: this.actions, error: this.error, requeueAt, recheckAt, changed };
  }
}
