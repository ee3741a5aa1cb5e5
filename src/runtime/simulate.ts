import { type AnalysisVerdict, runAnalysisController } from './analysis-runs';
import { abortPatches, applyMergePatch, type CliPatches, pausePatches, promotePatches, restartPatches, retryPatches } from './cli-patches';
import { type ClusterState, type ControllerAction, type PodState, selectedHash, type ServiceState, type WorkloadState } from './cluster-state';
import { ARGO_KEYS } from './defaults';
import { getCanaryStableServices, getHost, getHttpRouteIndexesToPatch, type VsRoute } from './istio';
import type { RolloutModel } from './manifests';
import { CANARY_PAUSE_STEP } from './pause-context';
import { argoRevision, computeStepHash, reconcile } from './reconcile';
import { getReplicasOrDefault } from './rollout-defaults';
import { type Scenario, ScenarioError, type ScenarioEvent } from './scenario';
import { getCurrentCanaryStep } from './steps';
import { computeHash } from './template-hash';
import type { ReplicaSetState, RolloutState, RolloutStatus } from './types';
import { WORKLOAD_SCALE_DOWN } from './workload-scale-down';

/**
 * `simulate(model, scenario)`: the Rollout's manifests, fully rolled out at revision 1, driven
 * through a scenario by the pure controller tick (`reconcile`) and a small model of the
 * ReplicaSet controller and kubelet (pods appear when a ReplicaSet is scaled up and become
 * available `podReadySeconds + minReadySeconds` later).
 *
 * Tick model (event driven, deterministic, bounded):
 * - Time only moves to instants where something happens: a scenario event, a pod becoming
 *   available, or a time the controller asked to be requeued at (pause expiry, scale-down
 *   deadlines). At each such instant the kubelet/RS state is updated, the events of that instant
 *   are applied in list order, then the controller reconciles again and again until a reconcile
 *   writes nothing (each write triggers the next reconcile, as the controller's watches do).
 * - Every reconcile is one tick of the trace; `ticks[0]` is the start state.
 * - The run stops at `until`, or when nothing is left to happen.
 */

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
}

/** `simulate` output (the JSON of `cdk8s-canary simulate --format json`). */
export interface SimulationResult {
  /**
   * Name of the Rollout simulated.
   */
  readonly rollout: string;
  /**
   * One entry per controller tick, in time order.
   */
  readonly ticks: readonly SimulationTick[];
}

/** A tick with the full cluster state and the controller's writes (for tests and tools). */
export interface SimulationSnapshot {
  readonly tick: SimulationTick;
  /** The cluster after the tick (and after the ReplicaSet controller created/deleted pods). */
  readonly cluster: ClusterState;
  /** The cluster the controller read at the start of the tick (events and pod readiness applied). */
  readonly read: ClusterState;
  readonly actions: readonly ControllerAction[];
}

/** Options of {@link runSimulation}. */
export interface SimulationOptions {
  /** Promote automatically whenever the Rollout waits at an indefinite pause (used by `plan`). @default false */
  readonly autoPromote?: boolean;
  /**
   * The start state. `rolledOut`: revision 1 fully rolled out. `migration`: the Rollout just
   * created next to its workloadRef Deployment (no ReplicaSet yet). `auto`: `migration` when the
   * Rollout's workloadRef Deployment has pods and `scaleDown: onsuccess | progressively` (the
   * controller is about to scale it down), else `rolledOut`.
   * @default 'auto'
   */
  readonly start?: 'auto' | 'rolledOut' | 'migration';
}

/** A simulation that cannot go on (the controller kept failing, or never settled). */
export class SimulationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationError';
  }
}

/**
 * Reconciles one instant may take before the simulator gives up (a controller that never settles
 * is a bug): a fixed base plus a share per pod and per step, because a legitimate instant can
 * take that many. With pods ready at once (podReadySeconds 0) a whole update runs in one instant,
 * and with maxSurge 0 / maxUnavailable 1 each pod moved costs two reconciles (one scale-down of
 * the stable ReplicaSet, one scale-up of the canary), each step a few more (its status writes,
 * its analysis). A fixed 200 stopped a valid 100-replica canary.
 */
export function reconcileBudget(replicas: number, pods: number, steps: number): number {
  return RECONCILES_BASE + RECONCILES_PER_POD * Math.max(replicas, pods) + RECONCILES_PER_STEP * steps;
}
/**
 * Most replicas a simulation models. The simulator keeps every pod and a snapshot of the cluster
 * per reconcile, and an update moves the pods a few at a time (one per reconcile with maxSurge 0 /
 * maxUnavailable 1), so its time and memory grow with the square of the replicas: 2,000 replicas
 * take about 10 s and 250 MB at worst, 20 million ran Node out of heap. Step proportions do not
 * change with the count, so a larger app is planned or simulated at a smaller count.
 */
export const MAX_SIMULATED_REPLICAS = 2_000;

/** Throws the SimulationError for a replica count above {@link MAX_SIMULATED_REPLICAS}; `field` names where it came from. */
export function checkSimulatedReplicas(rollout: string, replicas: number, field: string): void {
  if (replicas <= MAX_SIMULATED_REPLICAS) return;
  throw new SimulationError(
    `Rollout/${rollout}: ${field} (${replicas}) is above the ${MAX_SIMULATED_REPLICAS} replicas the simulator models ` +
      `(it keeps every pod, so time and memory grow with the square of the replicas); plan or simulate at ${MAX_SIMULATED_REPLICAS} or fewer ` +
      '(--replicas, scenario replicas): the step proportions are the same',
  );
}

const RECONCILES_BASE = 200;
const RECONCILES_PER_POD = 4;
const RECONCILES_PER_STEP = 10;
/** Upper bound of simulated time when `until` is not given. */
const MAX_SECONDS = 24 * 3600;
/** Upper bound of ticks in one run. */
const MAX_TICKS = 100_000;
/** Template annotation that makes an image-less `update` a new revision. */
const UPDATE_MARKER = 'simulate.cdk8s-canary.io/update';

const NO_PODS: readonly Pod[] = [];

/**
 * `{ ...rs, statusReplicas, availableReplicas }`. The simulation's ReplicaSets are all made with
 * every key, in the order of ReplicaSetState (start state, createReplicaSet), then spread: such a
 * ReplicaSet is rebuilt as a literal of that order, which gives the same object (same keys, same
 * order) without a spread (slow on objects of many shapes, on every pod count change).
 * Any other ReplicaSet is spread.
 */
function withPodCounts(rs: ReplicaSetState, statusReplicas: number, availableReplicas: number): ReplicaSetState {
  const { name, podTemplateHash, revision, specReplicas, annotations } = rs;
  if (revision === undefined || specReplicas === undefined || rs.statusReplicas === undefined || annotations === undefined) {
    return { ...rs, statusReplicas, availableReplicas };
  }
  return { name, podTemplateHash, revision, specReplicas, statusReplicas, availableReplicas, annotations };
}
/** Compile-time guard: a key added to ReplicaSetState must be added to withPodCounts too (it would be dropped). */
const REPLICA_SET_KEYS_COVERED: [Exclude<keyof ReplicaSetState, 'name' | 'podTemplateHash' | 'revision' | 'specReplicas' | 'statusReplicas' | 'availableReplicas' | 'annotations'>] extends [never]
  ? true
  : never = true;
void REPLICA_SET_KEYS_COVERED;

const NO_LABELS: Readonly<Record<string, string>> = {};

interface Pod {
  readonly name: string;
  readonly createdAt: number;
  readonly readyAt: number;
  readonly availableAt: number;
  /** The last PodState written for this pod (reused while nothing about the pod changed). */
  state?: PodState;
}

/** Replays a scenario and returns its trace, one {@link SimulationTick} per tick. */
export function simulate(model: RolloutModel, scenario: Scenario): SimulationResult {
  return toResult(model, runSimulation(model, scenario));
}

/** Wraps snapshots as a {@link SimulationResult}. */
export function toResult(model: RolloutModel, snapshots: readonly SimulationSnapshot[]): SimulationResult {
  return { rollout: model.name, ticks: snapshots.map((s) => s.tick) };
}

/** Replays a scenario and returns every tick with the full cluster state. */
export function runSimulation(model: RolloutModel, scenario: Scenario, options: SimulationOptions = {}): SimulationSnapshot[] {
  return new Simulation(model, scenario, options).run();
}

/** `spec.replicas` a simulation uses: the scenario's, the Rollout's, the HPA's minimum, or 1. */
export function simulatedReplicas(model: RolloutModel, replicas: number | undefined): number {
  return replicas ?? model.spec.replicas ?? model.hpa?.minReplicas ?? getReplicasOrDefault(undefined);
}

/** A `spec.restartAt` already in the manifests counts as done at the start (`status.restartedAt`). */
function restartDone(model: RolloutModel): Pick<RolloutStatus, 'restartedAt'> {
  return model.spec.restartAt !== undefined ? { restartedAt: model.spec.restartAt } : {};
}

/**
 * The pod template after an `update` event and its hash. The base template and the event are
 * immutable, so the result is computed once per (event, base template, event path).
 */
function updatedTemplate(
  base: Record<string, unknown>,
  update: NonNullable<ScenarioEvent['update']>,
  path: string,
  rolloutName: string,
): { template: Record<string, unknown>; hash: string } {
  const cached = UPDATED_TEMPLATES.get(update);
  if (cached && cached.base === base && cached.path === path) return cached;
  // Copy on write: only the objects on the changed path are new, the rest is shared with the
  // base (templates are never mutated once built).
  let template: Record<string, unknown>;
  const metadata = base.metadata as Record<string, unknown> | undefined;
  if (update.image !== undefined) {
    const spec = base.spec as Record<string, unknown> | undefined;
    const containers = spec?.containers;
    if (!Array.isArray(containers) || containers.length === 0) {
      throw new ScenarioError(`${path}.update.image: the pod template of Rollout/${rolloutName} has no containers`);
    }
    const updatedContainers = containers.slice();
    updatedContainers[0] = { ...containers[0], image: update.image };
    template = { ...base, spec: { ...spec, containers: updatedContainers } };
    const annotations = metadata?.annotations as Record<string, unknown> | undefined;
    if (annotations && Object.hasOwn(annotations, UPDATE_MARKER)) {
      const { [UPDATE_MARKER]: _marker, ...rest } = annotations;
      void _marker;
      template.metadata = { ...metadata, annotations: rest };
    }
  } else {
    template = {
      ...base,
      metadata: { ...(metadata ?? {}), annotations: { ...((metadata?.annotations as Record<string, unknown> | undefined) ?? {}), [UPDATE_MARKER]: path } },
    };
  }
  const result = { base, path, template, hash: computeHash(template) };
  UPDATED_TEMPLATES.set(update, result);
  return result;
}

const UPDATED_TEMPLATES = new WeakMap<object, { base: object; path: string; template: Record<string, unknown>; hash: string }>();

/** Hash of the manifests' pod template (models are immutable: computed once per model template). */
function modelTemplateHash(model: RolloutModel): string {
  let hash = TEMPLATE_HASHES.get(model.template);
  if (hash === undefined) {
    hash = computeHash(model.template);
    TEMPLATE_HASHES.set(model.template, hash);
  }
  return hash;
}

const TEMPLATE_HASHES = new WeakMap<object, string>();

/** Whether the simulation starts at the Rollout's creation next to its workloadRef Deployment. */
function startsWithMigration(model: RolloutModel, options: SimulationOptions): boolean {
  const start = options.start ?? 'auto';
  if (start !== 'auto') return start === 'migration';
  const workload = model.workload;
  const scalesDown = workload?.scaleDown === WORKLOAD_SCALE_DOWN.onSuccess || workload?.scaleDown === WORKLOAD_SCALE_DOWN.progressively;
  return workload?.kind === 'Deployment' && scalesDown && (workload.replicas ?? 1) > 0;
}

class Simulation {
  private cluster: ClusterState;
  private readonly pods = new Map<string, Pod[]>();
  private podSeq = 0;
  /** Re-checks the latest reconcile asked for (progress deadline, restart in progress). */
  private rechecks: number[] = [];
  private readonly migration: boolean;
  private readonly podReadySeconds: number;
  private readonly minReadySeconds: number;
  private readonly events: { readonly event: ScenarioEvent; readonly index: number }[];
  private nextEvent = 0;
  private readonly timers = new Set<number>();
  private template: Record<string, unknown>;
  private readonly snapshots: SimulationSnapshot[] = [];
  /** Scenario `analysis` events, in time order, and those already taken by a run. */
  private readonly verdicts: AnalysisVerdict[];
  private readonly consumedVerdicts = new Set<number>();
  /** The route weights of the last tick and what they were read from (see observedWeights). */
  private lastWeights: { readonly vs: object; readonly strategy: object; readonly stablePingPong: string | undefined; readonly weights: { readonly canary: number; readonly stable: number } } | undefined;
  /** The inputs and outputs of the last refreshAvailability (see sameAsLastRefresh). */
  private lastRefresh:
    | {
        readonly t: number;
        readonly replicaSets: readonly ReplicaSetState[];
        readonly podLists: readonly (readonly Pod[] | undefined)[];
        readonly pods: readonly PodState[] | undefined;
        readonly template: object;
        readonly strategy: unknown;
        readonly stableRS: string | undefined;
        readonly currentPodHash: string | undefined;
      }
    | undefined;
  /**
   * The ReplicaSet records and Service revisions of the last tick and what they were read from
   * (see record). Ticks share them while the inputs are the same objects: records are never
   * written once handed out.
   */
  private lastRecords:
    | {
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
    | undefined;
  /** Pod labels by ReplicaSet hash, with the template and role labels they were built from. */
  private readonly labelCache = new Map<string, { templateLabels: object; role: object; labels: Record<string, string> }>();

  constructor(
    private readonly model: RolloutModel,
    private readonly scenario: Scenario,
    private readonly options: SimulationOptions,
  ) {
    this.podReadySeconds = scenario.podReadySeconds ?? 0;
    this.minReadySeconds = model.spec.minReadySeconds ?? 0;
    this.events = (scenario.events ?? []).map((event, index) => ({ event, index })).sort((a, b) => a.event.at - b.event.at || a.index - b.index);
    // Read-only until an update event, which clones it before changing it.
    this.template = model.template as Record<string, unknown>;
    this.verdicts = this.events.flatMap(({ event }) =>
      event.analysis ? [{ at: event.at, phase: event.analysis.phase, message: event.analysis.message ?? `Metric assessed ${event.analysis.phase} (scenario)`, ...(event.analysis.run ? { run: event.analysis.run } : {}) }] : [],
    );
    this.migration = startsWithMigration(model, options);
    this.checkReplicaCounts();
    this.cluster = this.migration ? this.migrationStartState() : this.startState();
  }

  /** Every replica count the run would model, against {@link MAX_SIMULATED_REPLICAS}, before any pod is made. */
  private checkReplicaCounts(): void {
    const { model, scenario } = this;
    const field = scenario.replicas !== undefined ? 'replicas' : model.spec.replicas !== undefined ? 'spec.replicas' : 'the HPA minReplicas';
    checkSimulatedReplicas(model.name, simulatedReplicas(model, scenario.replicas), field);
    if (this.migration) checkSimulatedReplicas(model.name, model.workload?.replicas ?? 1, `Deployment/${model.workload?.name ?? ''} spec.replicas`);
    for (const { event, index } of this.events) {
      if (event.scale) checkSimulatedReplicas(model.name, event.scale.replicas, `scenario.events[${index}].scale.replicas`);
    }
  }

  run(): SimulationSnapshot[] {
    if (!this.migration) this.settleStart();
    this.refreshAvailability(0);
    this.snapshots.push({ tick: this.record(0), cluster: this.cluster, read: this.cluster, actions: [] });
    const until = this.scenario.until ?? MAX_SECONDS;
    let t = 0;
    for (;;) {
      this.applyEvents(t);
      this.refreshAvailability(t);
      this.burst(t);
      const next = this.nextInstant(t);
      if (next === undefined || next > until) break;
      t = next;
    }
    return this.snapshots;
  }

  // -------------------------------------------------------------------------------------------
  // Start state: the manifests' Rollout fully rolled out at revision 1.

  private startState(): ClusterState {
    const model = this.model;
    const canary = model.spec.strategy.canary;
    const n = simulatedReplicas(model, this.scenario.replicas);
    const hash = modelTemplateHash(model);
    const name = `${model.name}-${hash}`;
    const rs: ReplicaSetState = {
      name,
      podTemplateHash: hash,
      revision: 1,
      specReplicas: n,
      statusReplicas: n,
      availableReplicas: n,
      annotations: { [ARGO_KEYS.revisionAnnotation]: '1', [ARGO_KEYS.desiredReplicasAnnotation]: String(n) },
    };
    // Pods of the rolled-out revision existed before t=0 (a restart at t=0 restarts them).
    this.pods.set(name, Array.from({ length: n }, () => this.newPod(name, -1, 0, 0)));
    const steps = canary?.steps?.length ?? 0;
    const provisional: RolloutState = {
      metadata: { name: model.name, annotations: { [ARGO_KEYS.revisionAnnotation]: '1' } },
      spec: { ...model.spec, replicas: n },
      status: { stableRS: hash, currentPodHash: hash, ...(canary?.pingPong ? { canary: { stablePingPong: 'ping' } } : {}) },
    };
    const { canaryService, stableService } = getCanaryStableServices(provisional);
    const status: RolloutStatus = {
      currentPodHash: hash,
      stableRS: hash,
      currentStepHash: computeStepHash(canary),
      ...(steps > 0 ? { currentStepIndex: steps } : {}),
      ...restartDone(model),
      canary: {
        ...(canary?.trafficRouting
          ? {
              weights: {
                canary: { weight: 0, podTemplateHash: hash, ...(canaryService ? { serviceName: canaryService } : {}) },
                stable: { weight: 100, podTemplateHash: hash, ...(stableService ? { serviceName: stableService } : {}) },
              },
            }
          : {}),
        ...(canary?.pingPong ? { stablePingPong: 'ping' as const } : {}),
      },
    };
    const services: Record<string, ServiceState> = {};
    for (const svc of Object.values(model.services)) {
      if (!svc) continue;
      services[svc.name] = {
        name: svc.name,
        selector: { ...svc.selector, [ARGO_KEYS.podTemplateHashLabel]: hash },
        annotations: { ...(svc.object.metadata?.annotations ?? {}), [ARGO_KEYS.managedByAnnotation]: model.name },
      };
    }
    return {
      rollout: { ...provisional, status },
      templateHash: hash,
      replicaSets: [rs],
      services,
      ...routingObjects(model),
      ...this.podsPdbsAndWorkload(),
    };
  }

  /**
   * The migration start: the Rollout just created (no ReplicaSet, empty status) next to its
   * workloadRef Deployment, the Services, VirtualService and DestinationRule as in the manifests
   * (not yet adopted by the controller).
   */
  private migrationStartState(): ClusterState {
    const model = this.model;
    const n = simulatedReplicas(model, this.scenario.replicas);
    const services: Record<string, ServiceState> = {};
    for (const svc of Object.values(model.services)) {
      if (!svc) continue;
      services[svc.name] = { name: svc.name, selector: { ...svc.selector }, annotations: { ...(svc.object.metadata?.annotations ?? {}) } };
    }
    return {
      rollout: { metadata: { name: model.name }, spec: { ...model.spec, replicas: n }, status: { ...restartDone(model) } },
      templateHash: modelTemplateHash(model),
      replicaSets: [],
      services,
      ...routingObjects(model),
      ...this.podsPdbsAndWorkload(),
    };
  }

  /** The PodDisruptionBudgets and the workloadRef Deployment of the manifests (pods are filled in later). */
  private podsPdbsAndWorkload(): Pick<ClusterState, 'pods' | 'pdbs' | 'workload'> {
    const { pdbs, workload } = this.model;
    const deployment: WorkloadState | undefined =
      workload?.kind === 'Deployment'
        ? { kind: 'Deployment', name: workload.name, ...(workload.scaleDown !== undefined ? { scaleDown: workload.scaleDown } : {}), replicas: workload.replicas ?? 1 }
        : undefined;
    return {
      pods: [],
      pdbs: pdbs.map((pdb) => ({
        name: pdb.name,
        matchLabels: pdb.matchLabels,
        ...(pdb.minAvailable !== undefined ? { minAvailable: pdb.minAvailable } : {}),
        ...(pdb.maxUnavailable !== undefined ? { maxUnavailable: pdb.maxUnavailable } : {}),
      })),
      ...(deployment ? { workload: deployment } : {}),
    };
  }

  private newPod(replicaSet: string, createdAt: number, readyAt: number, availableAt: number): Pod {
    this.podSeq += 1;
    return { name: `${replicaSet}-${this.podSeq}`, createdAt, readyAt, availableAt };
  }

  /** Lets the controller settle the start state (router weights, DestinationRule labels, phase). */
  private settleStart(): void {
    const budget = this.reconcileBudget();
    for (let i = 0; i < budget; i++) {
      const result = reconcile(this.cluster, 0);
      if (result.error !== undefined) {
        throw new SimulationError(`Rollout/${this.model.name}: the controller fails on the start state: ${result.error}`);
      }
      this.cluster = result.state;
      this.syncPods(0);
      if (!result.changed) return;
    }
    throw new SimulationError(`Rollout/${this.model.name}: the start state never settles`);
  }

  // -------------------------------------------------------------------------------------------
  // Events

  private applyEvents(t: number): void {
    while (this.nextEvent < this.events.length && this.events[this.nextEvent].event.at <= t) {
      const { event, index } = this.events[this.nextEvent];
      this.applyEvent(event, `scenario.events[${index}]`, t);
      this.nextEvent += 1;
    }
  }

  private patch(patches: CliPatches): void {
    let rollout = this.cluster.rollout;
    if (patches.specPatch) rollout = applyMergePatch(rollout, patches.specPatch);
    if (patches.statusPatch) rollout = applyMergePatch(rollout, patches.statusPatch);
    this.cluster = { ...this.cluster, rollout };
  }

  private applyEvent(event: ScenarioEvent, path: string, t: number): void {
    const rollout = this.cluster.rollout;
    if (event.update) {
      const { template, hash } = updatedTemplate(this.template, event.update, path, this.model.name);
      this.template = template;
      this.cluster = { ...this.cluster, templateHash: hash };
    } else if (event.promote) {
      this.patch(promotePatches(rollout));
    } else if (event.promoteFull) {
      this.patch(promotePatches(rollout, { full: true }));
    } else if (event.abort) {
      this.patch(abortPatches());
    } else if (event.retry) {
      this.patch(retryPatches());
    } else if (event.pause) {
      this.patch(pausePatches());
    } else if (event.restart) {
      this.patch(restartPatches(t * 1000, event.restart.in ?? 0));
    } else if (event.scale) {
      this.cluster = { ...this.cluster, rollout: { ...rollout, spec: { ...rollout.spec, replicas: event.scale.replicas } } };
    } else if (event.failPods) {
      const { revision, count, seconds } = event.failPods;
      const rs = this.cluster.replicaSets.find((r) => r.revision === revision);
      if (!rs) {
        const known = this.cluster.replicaSets.map((r) => r.revision).join(', ');
        throw new ScenarioError(`${path}.failPods.revision (${revision}) names no ReplicaSet at t=${t}s (revisions: ${known})`);
      }
      const recovery = seconds ?? this.podReadySeconds + this.minReadySeconds;
      let left = count;
      const pods = (this.pods.get(rs.name) ?? []).map((pod) => {
        if (left > 0 && pod.availableAt <= t) {
          left -= 1;
          return { name: pod.name, createdAt: pod.createdAt, readyAt: Math.max(t, t + recovery - this.minReadySeconds), availableAt: t + recovery };
        }
        return pod;
      });
      this.pods.set(rs.name, pods);
    }
  }

  // -------------------------------------------------------------------------------------------
  // ReplicaSet controller + kubelet

  /** Creates / deletes pods to match each ReplicaSet's spec (unavailable and newest pods go first). */
  private syncPods(t: number): void {
    const replicaSets = this.cluster.replicaSets;
    if (this.pods.size !== replicaSets.length || replicaSets.some((rs) => !this.pods.has(rs.name))) {
      const alive = new Set(replicaSets.map((rs) => rs.name));
      for (const name of [...this.pods.keys()]) if (!alive.has(name)) this.pods.delete(name);
    }
    const delay = this.podReadySeconds + this.minReadySeconds;
    for (const rs of replicaSets) {
      const current = this.pods.get(rs.name) ?? NO_PODS;
      const want = rs.specReplicas ?? 1;
      if (current.length === want && this.pods.has(rs.name)) continue;
      let pods = [...current];
      if (pods.length < want) {
        for (let i = pods.length; i < want; i++) pods.push(this.newPod(rs.name, t, t + this.podReadySeconds, t + delay));
      } else if (pods.length > want) {
        pods.sort((a, b) => Number(b.availableAt > t) - Number(a.availableAt > t) || b.createdAt - a.createdAt);
        pods = pods.slice(pods.length - want);
        pods.sort((a, b) => a.createdAt - b.createdAt);
      }
      this.pods.set(rs.name, pods);
    }
    this.refreshAvailability(t);
  }

  /**
   * Writes each ReplicaSet's `status.replicas` / `availableReplicas` from its pods at time t, and
   * the pods themselves (labels: the template's, the ephemeral role metadata, the hash). Pod
   * states and the pod list are reused when nothing about them changed (the state is immutable).
   */
  private refreshAvailability(t: number): void {
    if (this.sameAsLastRefresh(t)) return;
    const previous = this.cluster.pods ?? [];
    let replicaSets: ReplicaSetState[] | undefined;
    const pods: PodState[] = [];
    let samePods = true;
    const current = this.cluster.replicaSets;
    for (let r = 0; r < current.length; r++) {
      const rs = current[r];
      const simPods = this.pods.get(rs.name) ?? NO_PODS;
      let available = 0;
      for (const p of simPods) if (p.availableAt <= t) available += 1;
      let out = rs;
      if (rs.statusReplicas !== simPods.length || rs.availableReplicas !== available) {
        out = withPodCounts(rs, simPods.length, available);
        replicaSets ??= current.slice(0, r);
      }
      replicaSets?.push(out);
      const labels = this.podLabels(out);
      for (const pod of simPods) {
        const ready = pod.readyAt <= t;
        const isAvailable = pod.availableAt <= t;
        let state = pod.state;
        if (state === undefined || state.ready !== ready || state.available !== isAvailable || state.labels !== labels || state.replicaSet !== out.name) {
          state = { name: pod.name, replicaSet: out.name, createdAt: pod.createdAt, ready, available: isAvailable, labels };
          pod.state = state;
        }
        if (samePods && previous[pods.length] !== state) samePods = false;
        pods.push(state);
      }
    }
    if (!samePods || pods.length !== previous.length || replicaSets !== undefined) {
      this.cluster = { ...this.cluster, replicaSets: replicaSets ?? current, pods: samePods && pods.length === previous.length ? previous : pods };
    }
    this.rememberRefresh(t);
  }

  /**
   * Whether a refresh at t would read exactly what the last one read and wrote: the same instant,
   * ReplicaSet objects, pod lists, PodState list and label inputs. It then writes nothing.
   */
  private sameAsLastRefresh(t: number): boolean {
    const last = this.lastRefresh;
    const { replicaSets, pods, rollout } = this.cluster;
    if (last === undefined || last.t !== t || last.pods !== pods || last.template !== this.template) return false;
    if (last.strategy !== rollout.spec.strategy.canary || last.stableRS !== rollout.status.stableRS || last.currentPodHash !== rollout.status.currentPodHash) return false;
    if (last.replicaSets.length !== replicaSets.length) return false;
    for (let i = 0; i < replicaSets.length; i++) {
      if (replicaSets[i] !== last.replicaSets[i] || this.pods.get(replicaSets[i].name) !== last.podLists[i]) return false;
    }
    return true;
  }

  private rememberRefresh(t: number): void {
    const { replicaSets, pods, rollout } = this.cluster;
    this.lastRefresh = {
      t,
      replicaSets,
      podLists: replicaSets.map((rs) => this.pods.get(rs.name)),
      pods,
      template: this.template,
      strategy: rollout.spec.strategy.canary,
      stableRS: rollout.status.stableRS,
      currentPodHash: rollout.status.currentPodHash,
    };
  }

  /**
   * Pod labels of a ReplicaSet: template labels, its ephemeral metadata (rollout/ephemeralmetadata.go) and its hash.
   * The same inputs give the same (shared, immutable) object.
   */
  private podLabels(rs: ReplicaSetState): Record<string, string> {
    const canary = this.cluster.rollout.spec.strategy.canary;
    const { stableRS, currentPodHash } = this.cluster.rollout.status;
    const templateLabels = (this.template.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? NO_LABELS;
    const distinctStable = !!stableRS && stableRS !== currentPodHash;
    let role: Readonly<Record<string, string>> = NO_LABELS;
    if (rs.podTemplateHash === currentPodHash) {
      role = (distinctStable ? canary?.canaryMetadata?.labels : canary?.stableMetadata?.labels) ?? NO_LABELS;
    } else if (rs.podTemplateHash === stableRS) {
      role = canary?.stableMetadata?.labels ?? NO_LABELS;
    }
    const cached = this.labelCache.get(rs.podTemplateHash);
    if (cached !== undefined && cached.templateLabels === templateLabels && cached.role === role) return cached.labels;
    const labels = { ...templateLabels, ...role, [ARGO_KEYS.podTemplateHashLabel]: rs.podTemplateHash };
    this.labelCache.set(rs.podTemplateHash, { templateLabels, role, labels });
    return labels;
  }

  // -------------------------------------------------------------------------------------------
  // Controller

  /** {@link reconcileBudget} for the cluster as it is now. */
  private reconcileBudget(): number {
    const { rollout } = this.cluster;
    let pods = 0;
    for (const list of this.pods.values()) pods += list.length;
    return reconcileBudget(rollout.spec.replicas ?? 1, pods, rollout.spec.strategy.canary?.steps?.length ?? 0);
  }

  private burst(t: number): void {
    const budget = this.reconcileBudget();
    for (let i = 0; i < budget; i++) {
      const read = this.cluster;
      const result = reconcile(read, t);
      this.cluster = result.state;
      this.evict(result.actions);
      this.syncPods(t);
      for (const at of result.requeueAt) if (at > t) this.timers.add(at);
      this.rechecks = result.recheckAt.filter((at) => at > t);
      if (this.snapshots.length >= MAX_TICKS) {
        throw new SimulationError(`Rollout/${this.model.name}: more than ${MAX_TICKS} ticks; shorten the scenario (until)`);
      }
      this.snapshots.push({ tick: this.record(t), cluster: this.cluster, read, actions: result.actions });
      if (result.error !== undefined) {
        if (result.error.startsWith('delaying destination rule switch')) return; // retried on the next change
        throw new SimulationError(`Rollout/${this.model.name}: at t=${t}s the controller fails: ${result.error}`);
      }
      if (this.options.autoPromote && this.waitingAtIndefinitePause()) {
        this.patch(promotePatches(this.cluster.rollout));
        continue;
      }
      // The analysis controller ends runs (scenario verdicts; step runs succeed at once otherwise).
      const analysis = runAnalysisController(this.cluster.analysisRuns, this.verdicts, this.consumedVerdicts, t);
      if (analysis.changed) {
        analysis.consumed.forEach((i) => this.consumedVerdicts.add(i));
        this.cluster = { ...this.cluster, analysisRuns: analysis.runs };
        continue;
      }
      if (!result.changed) return;
    }
    throw new SimulationError(`Rollout/${this.model.name}: the controller did not settle at t=${t}s (${budget} reconciles)`);
  }

  /** Evicted pods are gone at once (no termination grace period); the ReplicaSet replaces them. */
  private evict(actions: readonly ControllerAction[]): void {
    for (const action of actions) {
      if (action.kind !== 'evictPod') continue;
      const pods = this.pods.get(action.replicaSet) ?? [];
      this.pods.set(action.replicaSet, pods.filter((p) => p.name !== action.pod));
    }
  }

  private waitingAtIndefinitePause(): boolean {
    const rollout = this.cluster.rollout;
    const { step } = getCurrentCanaryStep(rollout);
    const paused = (rollout.status.pauseConditions ?? []).some((c) => c.reason === CANARY_PAUSE_STEP);
    return paused && step?.pause !== undefined && step.pause.duration === undefined;
  }

  private nextInstant(t: number): number | undefined {
    // The earliest candidate, kept as a running minimum (no candidate list per instant).
    let next = Number.POSITIVE_INFINITY;
    let found = false;
    const consider = (at: number): void => {
      found = true;
      if (at < next || Number.isNaN(at)) next = at;
    };
    if (this.nextEvent < this.events.length) consider(this.events[this.nextEvent].event.at);
    for (const pods of this.pods.values()) for (const pod of pods) if (pod.availableAt > t) consider(pod.availableAt);
    for (const at of this.timers) if (at > t) consider(at);
    for (const at of this.rechecks) if (at > t) consider(at);
    return found ? next : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Trace

  /**
   * {@link observedWeights}, reusing the last result while the first VirtualService state, the
   * canary strategy and stablePingPong (the Service names) are the same objects/values.
   */
  private observedWeights(): { canary: number; stable: number } {
    const { rollout, virtualServices } = this.cluster;
    const vs = virtualServices[0];
    const strategy = rollout.spec.strategy.canary;
    const stablePingPong = rollout.status.canary?.stablePingPong;
    if (!strategy?.trafficRouting || !vs) return observedWeights(this.cluster);
    const last = this.lastWeights;
    if (last === undefined || last.vs !== vs || last.strategy !== strategy || last.stablePingPong !== stablePingPong) {
      this.lastWeights = { vs, strategy, stablePingPong, weights: observedWeights(this.cluster) };
    }
    // Shared by the ticks that read the same route (never written once handed out).
    return (this.lastWeights as NonNullable<Simulation['lastWeights']>).weights;
  }

  /**
   * The ReplicaSet records (by revision) and the revisions the Services select, reusing the last
   * tick's while the ReplicaSets, status hashes, Services, DestinationRule and strategy are the
   * same objects/values.
   */
  private records(): { records: readonly SimulationReplicaSet[]; revisions: SimulationTick['services'] } {
    const { rollout, replicaSets, services, destinationRule } = this.cluster;
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
    const revisions = serviceRevisions(this.cluster, byHash);
    this.lastRecords = { replicaSets, stableRS, currentPodHash, records, services, destinationRule, strategy, stablePingPong, revisions };
    return this.lastRecords;
  }

  private record(t: number): SimulationTick {
    const { rollout } = this.cluster;
    const status = rollout.status;
    const { records, revisions } = this.records();
    return {
      t,
      stepIndex: status.currentStepIndex ?? null,
      phase: status.phase ?? 'Progressing',
      message: status.message ?? '',
      weights: this.observedWeights(),
      replicaSets: records,
      services: revisions,
      paused: rollout.spec.paused === true || (status.pauseConditions ?? []).length > 0,
      aborted: status.abort === true,
    };
  }
}

/** The Argo revision the Rollout is at (its `rollout.argoproj.io/revision` annotation). */
export function rolloutRevision(cluster: ClusterState): number {
  const rs = cluster.replicaSets.find((r) => r.podTemplateHash === cluster.templateHash);
  return rs ? argoRevision(rs) : 0;
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

/**
 * The VirtualServices and DestinationRule of the manifests for a start state. The model and the
 * cluster state are immutable data (reconcile writes new objects), so they share the model's
 * metadata and spec instead of deep copies; the objects are built once per model, which also lets
 * the per-object memos of the router (istio.ts) serve every run of the same model.
 */
function routingObjects(model: RolloutModel): Pick<ClusterState, 'virtualServices' | 'destinationRule'> {
  let objects = ROUTING_OBJECTS.get(model);
  if (objects === undefined) {
    objects = {
      virtualServices: model.virtualServices.map((vs) => ({
        ref: vs.ref,
        object: { metadata: vs.object.metadata ?? {}, spec: vs.spec } as ClusterState['virtualServices'][number]['object'],
      })),
      ...(model.destinationRule
        ? { destinationRule: { metadata: model.destinationRule.object.metadata ?? {}, spec: model.destinationRule.spec } as NonNullable<ClusterState['destinationRule']> }
        : {}),
    };
    ROUTING_OBJECTS.set(model, objects);
  }
  return objects;
}

const ROUTING_OBJECTS = new WeakMap<RolloutModel, Pick<ClusterState, 'virtualServices' | 'destinationRule'>>();
