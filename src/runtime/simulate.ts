import { type AnalysisVerdict, runAnalysisController } from './analysis-runs';
import { abortPatches, applyMergePatch, type CliPatches, pausePatches, promotePatches, restartPatches, retryPatches } from './cli-patches';
import type { ClusterState, ControllerAction } from './cluster-state';
import type { RolloutModel } from '../model/manifests';
import { CANARY_PAUSE_STEP } from './pause-context';
import { argoRevision, reconcile } from './reconcile';
import { type Scenario, ScenarioError, type ScenarioEvent } from './scenario';
import { PodModel } from './simulate-pods';
import { migrationStartState, rolledOutStartState, simulatedReplicas, startsWithMigration } from './simulate-start';
import { Trace, type SimulationTick } from './simulate-trace';
import { getCurrentCanaryStep } from './steps';
import { computeHash } from './template-hash';

export { simulatedReplicas } from './simulate-start';
export { observedWeights, type SimulationReplicaSet, type SimulationTick } from './simulate-trace';

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
 *
 * The parts: the start state (`simulate-start.ts`), the pod / ReplicaSet model
 * (`simulate-pods.ts`) and the trace (`simulate-trace.ts`); this module drives them.
 */

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

class Simulation {
  private cluster: ClusterState;
  /** The ReplicaSet controller and kubelet (simulate-pods.ts). */
  private readonly pods: PodModel;
  private readonly trace = new Trace();
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

  constructor(
    private readonly model: RolloutModel,
    private readonly scenario: Scenario,
    private readonly options: SimulationOptions,
  ) {
    this.podReadySeconds = scenario.podReadySeconds ?? 0;
    this.minReadySeconds = model.spec.minReadySeconds ?? 0;
    this.pods = new PodModel(this.podReadySeconds, this.minReadySeconds);
    this.events = (scenario.events ?? []).map((event, index) => ({ event, index })).sort((a, b) => a.event.at - b.event.at || a.index - b.index);
    // Read-only until an update event, which clones it before changing it.
    this.template = model.template as Record<string, unknown>;
    this.verdicts = this.events.flatMap(({ event }) =>
      event.analysis ? [{ at: event.at, phase: event.analysis.phase, message: event.analysis.message ?? `Metric assessed ${event.analysis.phase} (scenario)`, ...(event.analysis.run ? { run: event.analysis.run } : {}) }] : [],
    );
    this.migration = startsWithMigration(model, options.start);
    this.checkReplicaCounts();
    const n = simulatedReplicas(model, scenario.replicas);
    if (this.migration) {
      this.cluster = migrationStartState(model, n);
    } else {
      this.cluster = rolledOutStartState(model, n);
      for (const rs of this.cluster.replicaSets) this.pods.addStartPods(rs.name, n);
    }
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
    this.snapshots.push({ tick: this.trace.record(this.cluster, 0), cluster: this.cluster, read: this.cluster, actions: [] });
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

  private syncPods(t: number): void {
    this.cluster = this.pods.sync(this.cluster, this.template, t);
  }

  private refreshAvailability(t: number): void {
    this.cluster = this.pods.refresh(this.cluster, this.template, t);
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
      this.pods.failPods(rs.name, count, seconds ?? this.podReadySeconds + this.minReadySeconds, t);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Controller

  /** {@link reconcileBudget} for the cluster as it is now. */
  private reconcileBudget(): number {
    const { rollout } = this.cluster;
    return reconcileBudget(rollout.spec.replicas ?? 1, this.pods.count(), rollout.spec.strategy.canary?.steps?.length ?? 0);
  }

  private burst(t: number): void {
    const budget = this.reconcileBudget();
    for (let i = 0; i < budget; i++) {
      const read = this.cluster;
      const result = reconcile(read, t);
      this.cluster = result.state;
      this.pods.evict(result.actions);
      this.syncPods(t);
      for (const at of result.requeueAt) if (at > t) this.timers.add(at);
      this.rechecks = result.recheckAt.filter((at) => at > t);
      if (this.snapshots.length >= MAX_TICKS) {
        throw new SimulationError(`Rollout/${this.model.name}: more than ${MAX_TICKS} ticks; shorten the scenario (until)`);
      }
      this.snapshots.push({ tick: this.trace.record(this.cluster, t), cluster: this.cluster, read, actions: result.actions });
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
    this.pods.pendingAvailability(t, consider);
    for (const at of this.timers) if (at > t) consider(at);
    for (const at of this.rechecks) if (at > t) consider(at);
    return found ? next : undefined;
  }
}

/** The Argo revision the Rollout is at (its `rollout.argoproj.io/revision` annotation). */
export function rolloutRevision(cluster: ClusterState): number {
  const rs = cluster.replicaSets.find((r) => r.podTemplateHash === cluster.templateHash);
  return rs ? argoRevision(rs) : 0;
}
