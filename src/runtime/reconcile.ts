import {
  type ClusterState,
  type ControllerAction,
  formatTimestamp,
  parseTimestamp,
  selectedHash,
  type ServiceState,
  type VirtualServiceState,
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
import { applyManagedRouteStep } from './managed-routes';
import { CANARY_PAUSE_STEP, deadlinePassed, findPauseCondition, PauseContext } from './pause-context';
import { calculateRolloutPhase, isFullyPromoted } from './phase';
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

/**
 * One controller tick over a plain cluster state: Argo Rollouts v1.9.1 `rollout/context.go
 * reconcile` + `rollout/canary.go rolloutCanary` for a canary Rollout, in the order of spec §2.
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
  /** Times (seconds) the controller asked to be requeued at (pause expiry, scale-down deadlines). */
  readonly requeueAt: readonly number[];
  /** False when the tick wrote nothing (the state is unchanged). */
  readonly changed: boolean;
}

/** Hash of the canary steps, as stored in `status.currentStepHash` (spec §1: any stable hash). */
export function computeStepHash(canary: CanaryStrategy | undefined): string {
  return computeHash(canary?.steps ?? null);
}

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

function scaleDownDeadline(rs: ReplicaSetState): number | undefined {
  return parseTimestamp(rs.annotations?.[ARGO_KEYS.scaleDownDeadlineAnnotation]);
}

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

  /** ReplicaSets as written so far (by name), and the deletion / creation bookkeeping. */
  private readonly rsOut = new Map<string, ReplicaSetState>();
  private readonly rsOrder: string[] = [];
  private readonly deleted = new Set<string>();
  private newRS!: ReplicaSetState;
  private stableRS: ReplicaSetState | undefined;
  private otherRSs: ReplicaSetState[] = [];
  private allRSs: ReplicaSetState[] = [];
  private rolloutRevision = 0;

  private readonly services: Record<string, ServiceState>;
  private readonly virtualServices: VirtualServiceState[];
  private destinationRule: DestinationRuleObject | undefined;

  /** `newStatus.canary.weights`: carried from the stored status, replaced by traffic routing. */
  private weights: TrafficWeights | undefined;
  private statusOut: RolloutStatus | undefined;
  private readonly actions: ControllerAction[] = [];
  private readonly requeue: number[] = [];
  private error: string | undefined;

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
    for (const rs of state.replicaSets) {
      this.rsOut.set(rs.name, rs);
      this.rsOrder.push(rs.name);
    }
    this.services = { ...state.services };
    this.virtualServices = [...state.virtualServices];
    this.destinationRule = state.destinationRule;
    this.weights = this.ro.status.canary?.weights;
  }

  run(): ReconcileResult {
    this.syncNewReplicaSet();
    if (isFullyPromoted(this.ro) && this.ro.status.abort) {
      // A fully promoted Rollout cannot be aborted: the flag is dropped (spec §2 step 0, §11.6).
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
    this.reconcileRevisionHistoryLimit();
    this.reconcilePingAndPongService();
    this.reconcileStableAndCanaryService();
    const routingError = this.reconcileTrafficRouting();
    if (routingError !== undefined) {
      this.error = routingError;
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
    const older = this.state.replicaSets.filter((rs) => rs !== existing);
    const newArgoRevision = Math.max(0, ...older.map(argoRevision)) + 1;
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
      this.rsOut.set(newRS.name, newRS);
      this.rsOrder.push(newRS.name);
      this.actions.push({ kind: 'createReplicaSet', replicaSet: newRS.name, revision: newArgoRevision });
    } else {
      newRS = existing;
      if (argoRevision(existing) < newArgoRevision) {
        // Moving back to an older template: its ReplicaSet gets the next revision number.
        newRS = this.annotate(existing, ARGO_KEYS.revisionAnnotation, String(newArgoRevision));
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
    return this.rsOut.get(rs.name) ?? rs;
  }

  private write(rs: ReplicaSetState): ReplicaSetState {
    this.rsOut.set(rs.name, rs);
    return rs;
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

  /** isScalingEvent (spec §14): new or stable RS with replicas whose desired-replicas annotation != N. */
  private isScalingEvent(): boolean {
    const candidates = [this.newRS, this.stableRS].filter((rs, i, all): rs is ReplicaSetState => !!rs && all.indexOf(rs) === i);
    return candidates.some((rs) => {
      const desired = rs.annotations?.[ARGO_KEYS.desiredReplicasAnnotation];
      return rsSpecReplicas(rs) > 0 && desired !== undefined && Number(desired) !== this.n;
    });
  }

  /** syncReplicasOnly (spec §14): only the ReplicaSets are scaled; status counts are refreshed. */
  private syncReplicasOnly(): void {
    this.reconcileCanaryReplicaSets();
    // Everything but the counts is carried over; pause and abort fields are re-derived on write.
    this.persist({ ...this.ro.status, ...this.baseCounts() });
  }

  /** reconcileRevisionHistoryLimit: delete the oldest scaled-down old ReplicaSets beyond the limit. */
  private reconcileRevisionHistoryLimit(): void {
    const limit = this.ro.spec.revisionHistoryLimit ?? ARGO_DEFAULTS.revisionHistoryLimit;
    const diff = this.otherRSs.length - limit;
    if (diff <= 0) return;
    const oldestFirst = [...this.otherRSs].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
    for (const rs of oldestFirst.slice(0, diff)) {
      if ((rs.statusReplicas ?? 0) !== 0 || rsSpecReplicas(rs) !== 0) continue;
      this.deleted.add(rs.name);
      this.actions.push({ kind: 'deleteReplicaSet', replicaSet: rs.name });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Services (spec §9)

  private ensureServiceTarget(serviceName: string | undefined, rs: ReplicaSetState | undefined, checkAvailability: boolean): void {
    if (!rs || !serviceName) return;
    const svc = this.services[serviceName];
    if (!svc) return;
    if (selectedHash(svc) === rs.podTemplateHash) return;
    const adopted = svc.annotations?.[ARGO_KEYS.managedByAnnotation] !== undefined;
    if (!adopted && checkAvailability && !isFullyAvailable(rs)) return;
    if (checkAvailability && rs.availableReplicas === 0) return;
    const from = selectedHash(svc);
    this.services[serviceName] = {
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

  /** reconcileStableAndCanaryService (spec §9). */
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
  // Traffic routing (spec §8)

  private vsMap(): Record<string, VirtualServiceObject> {
    return Object.fromEntries(this.virtualServices.map((vs) => [vs.ref.name, vs.object]));
  }

  private storeVirtualServices(objects: Readonly<Record<string, VirtualServiceObject>>, updated: readonly string[]): void {
    for (let i = 0; i < this.virtualServices.length; i++) {
      const vs = this.virtualServices[i];
      if (updated.includes(vs.ref.name)) this.virtualServices[i] = { ...vs, object: objects[vs.ref.name] };
    }
  }

  private removeManagedRoutes(): void {
    const updated: string[] = [];
    for (let i = 0; i < this.virtualServices.length; i++) {
      const vs = this.virtualServices[i];
      const result = removeManagedRoutes(this.ro, vs.object);
      if (result.modified) {
        this.virtualServices[i] = { ...vs, object: result.virtualService };
        updated.push(vs.ref.name);
      }
    }
    this.actions.push({ kind: 'removeManagedRoutes', updated });
  }

  /** SetWeight on every VirtualService; returns the controller's error text, if any. */
  private routerSetWeight(weight: number, extra: readonly WeightDestination[]): string | undefined {
    const result = setVirtualServiceWeights(this.ro, this.vsMap(), weight, extra);
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
        this.ensureServiceTarget(getCanaryStableServices(this.ro).canaryService, stableRS, false);
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
        if (result.modified) this.virtualServices[i] = { ...vs, object: result.virtualService };
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
    this.weights = {
      canary: { weight: desired, podTemplateHash: canaryHash, ...(canaryService ? { serviceName: canaryService } : {}) },
      stable: {
        weight: this.maxW - desired - extraWeight,
        podTemplateHash: stableHash,
        ...(stableService ? { serviceName: stableService } : {}),
      },
      ...(extra.length > 0 ? { additional: extra } : {}),
    };
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Scaling (spec §5.4, §5.5, §11)

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
      // The stable is sized with the weights persisted by the previous tick (spec §5.2).
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

  /** reconcileNewReplicaSet, with the abort scale-down delay (spec §11.4). */
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
    return this.scaleReplicaSet(this.newRS, target);
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

  /** reconcileOtherReplicaSets + scaleDownOldReplicaSetsForCanary (spec §5.5). */
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
        // The source keeps the RS at the Rollout's replica count until the deadline.
        return [count, this.n];
      }
      return [count, 0];
    }
    return [annotated, 0];
  }

  // ---------------------------------------------------------------------------------------------
  // Pause, steps, status (spec §4, §7)

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

  /** completedCurrentCanaryStep. Analysis, experiment and plugin steps are assumed to succeed. */
  private completedCurrentCanaryStep(): boolean {
    if (this.ro.spec.paused) return false;
    const { step } = getCurrentCanaryStep(this.ro);
    if (!step) return false;
    if (step.pause) return this.pause.completedCanaryPauseStep(step.pause, this.now);
    if (step.setCanaryScale || step.setWeight !== undefined) {
      return atDesiredReplicaCountsForCanary(this.ro, this.newRS, this.stableRS, this.otherRSs, this.weights);
    }
    return true;
  }

  private baseCounts(): Pick<RolloutStatus, 'replicas' | 'updatedReplicas' | 'readyReplicas' | 'availableReplicas'> {
    const sum = (f: (rs: ReplicaSetState) => number): number => this.allRSs.reduce((total, rs) => total + f(rs), 0);
    return {
      replicas: sum((rs) => rs.statusReplicas ?? 0),
      updatedReplicas: this.newRS.statusReplicas ?? 0,
      readyReplicas: sum((rs) => rs.availableReplicas),
      availableReplicas: sum((rs) => rs.availableReplicas),
    };
  }

  /** calculateBaseStatus: counts, hashes and the fields the controller carries over. */
  private baseStatus(): RolloutStatus {
    const old = this.ro.status;
    const currentPodHash = this.newRS.podTemplateHash;
    const canary: RolloutStatus['canary'] = {
      ...(this.weights ? { weights: this.weights } : {}),
      ...(old.canary?.stablePingPong ? { stablePingPong: old.canary.stablePingPong } : {}),
    };
    return {
      ...this.baseCounts(),
      currentPodHash,
      stableRS: old.stableRS,
      currentStepHash: computeStepHash(this.canary),
      ...(old.promoteFull && currentPodHash !== old.stableRS ? { promoteFull: true } : {}),
      ...(old.restartedAt !== undefined ? { restartedAt: old.restartedAt } : {}),
      canary,
    };
  }

  /** PodTemplateOrStepsChanged (spec §4.1). */
  private podTemplateOrStepsChanged(): boolean {
    const status = this.ro.status;
    if (!status.currentStepHash || status.currentStepHash !== computeStepHash(this.canary)) return true;
    return !!status.currentPodHash && status.currentPodHash !== this.newRS.podTemplateHash;
  }

  /** resetRolloutStatus (spec §4.1): index back to 0, or past the end when rolling back to stable. */
  private resetStatus(): RolloutStatus {
    this.pause.clearPauseConditions();
    this.pause.removeAbort();
    const { promoteFull: _promoteFull, ...status } = this.baseStatus();
    void _promoteFull;
    let currentStepIndex: number | undefined = this.steps > 0 ? 0 : undefined;
    if (this.steps > 0 && this.newRS.podTemplateHash === this.ro.status.stableRS) {
      currentStepIndex = this.steps;
      this.event('SkipSteps', 'Rollback to stable');
    }
    return {
      ...status,
      ...(this.ro.spec.restartAt !== undefined ? { restartedAt: this.ro.spec.restartAt } : {}),
      ...(currentStepIndex !== undefined ? { currentStepIndex } : {}),
    };
  }

  /** shouldFullPromote (spec §4.2): the reason, or "" when not promoting. */
  private shouldFullPromote(): string {
    if (!this.stableRS) return 'Initial deploy';
    if (this.pause.isAborted()) return '';
    const newRS = this.newRS;
    if (newRS.availableReplicas < this.n && !replicaProgressThresholdMet(this.canary.replicaProgressThreshold, newRS, this.n)) {
      return '';
    }
    if (this.ro.status.promoteFull) return 'Full promotion requested';
    const { index } = getCurrentCanaryStep(this.ro);
    if (this.steps === 0 || index === this.steps) return `Completed all ${this.steps} canary steps`;
    return '';
  }

  /** syncRolloutStatusCanary (spec §4). */
  private syncRolloutStatusCanary(): void {
    const newStatus: { -readonly [K in keyof RolloutStatus]: RolloutStatus[K] } = this.baseStatus();
    let { index } = getCurrentCanaryStep(this.ro);
    if (this.ro.status.promoteFull) {
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

  /** persistRolloutStatus: pause/abort bookkeeping, conditions, phase and message. */
  private persist(status: RolloutStatus): void {
    const withPause = this.pause.applyTo(status, this.now);
    const conditions = this.conditions(withPause);
    const withConditions: RolloutStatus = { ...withPause, conditions };
    const { phase, message } = calculateRolloutPhase(this.ro.spec, withConditions);
    this.statusOut = { ...withConditions, phase, message };
  }

  /**
   * The conditions the phase depends on: Progressing (RolloutAborted when aborted) and
   * Completed. Timestamps are not modelled.
   */
  private conditions(status: RolloutStatus): RolloutCondition[] {
    const completed = !!status.stableRS && status.stableRS === status.currentPodHash;
    let progressing: RolloutCondition;
    if (status.abort) {
      progressing = {
        type: 'Progressing',
        status: 'False',
        reason: 'RolloutAborted',
        message: `Rollout aborted update to revision ${this.rolloutRevision}`,
      };
    } else if (completed && (status.availableReplicas ?? 0) >= this.n && (status.updatedReplicas ?? 0) >= this.n) {
      progressing = {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${this.newRS.name}" has successfully progressed.`,
      };
    } else {
      progressing = {
        type: 'Progressing',
        status: 'True',
        reason: 'ReplicaSetUpdated',
        message: `ReplicaSet "${this.newRS.name}" is progressing.`,
      };
    }
    return [progressing, { type: 'Completed', status: completed ? 'True' : 'False', reason: completed ? 'RolloutCompleted' : 'RolloutNotCompleted' }];
  }

  private event(reason: string, message: string): void {
    this.actions.push({ kind: 'event', reason, message });
  }

  // ---------------------------------------------------------------------------------------------

  private finish(): ReconcileResult {
    const replicaSets = this.rsOrder.filter((name) => !this.deleted.has(name)).map((name) => this.rsOut.get(name) as ReplicaSetState);
    const annotations = {
      ...(this.ro.metadata?.annotations ?? {}),
      [ARGO_KEYS.revisionAnnotation]: String(this.rolloutRevision),
    };
    const status = this.statusOut ?? this.ro.status;
    const statusChanged = this.statusOut !== undefined && computeHash(this.statusOut) !== computeHash(this.ro.status);
    if (statusChanged) this.actions.push({ kind: 'updateStatus' });
    const rollout: RolloutState = { ...this.ro, metadata: { ...(this.ro.metadata ?? {}), annotations }, status };
    const state: ClusterState = {
      rollout,
      templateHash: this.state.templateHash,
      replicaSets,
      services: this.services,
      virtualServices: this.virtualServices,
      ...(this.destinationRule ? { destinationRule: this.destinationRule } : {}),
    };
    const changed = computeHash(state) !== computeHash(this.state);
    return {
      state,
      actions: this.actions,
      ...(this.error !== undefined ? { error: this.error } : {}),
      requeueAt: [...new Set(this.requeue)].sort((a, b) => a - b),
      changed,
    };
  }
}
