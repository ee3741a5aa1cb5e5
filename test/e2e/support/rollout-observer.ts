import type { KubeClient, KubeObject } from './kube-client';

const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
const HASH_LABEL = 'rollouts-pod-template-hash';

/** One ReplicaSet of the Rollout, numbered by the controller's revision annotation. */
export interface ObservedReplicaSet {
  /** rollout.argoproj.io/revision of the ReplicaSet. */
  readonly revision: number;
  /** 'stable' = status.stableRS, 'canary' = the current pod template when it is not stable. */
  readonly role: 'stable' | 'canary' | 'old';
  /** spec.replicas. */
  readonly replicas: number;
  /** status.availableReplicas (0 when absent). */
  readonly available: number;
}

/** The state of a Rollout and what it drives, in the shape of one tick of `simulate --format json`. */
export interface ObservedState {
  /** status.currentStepIndex, null before the controller has set it. */
  readonly stepIndex: number | null;
  /** status.phase. */
  readonly phase: string;
  /** status.message. */
  readonly message: string;
  /** Weights of the canary and stable destinations of the VirtualService route. */
  readonly weights: { readonly canary: number | null; readonly stable: number | null };
  /** ReplicaSets owned by the Rollout, by revision. */
  readonly replicaSets: readonly ObservedReplicaSet[];
  /** Revision each Service's rollouts-pod-template-hash selector points at (null: no hash yet). */
  readonly services: { readonly stable: number | null; readonly canary: number | null };
  /** True while status.pauseConditions is non-empty or spec.paused is set. */
  readonly paused: boolean;
  /** status.abort. */
  readonly aborted: boolean;
}

/** An observed state with the seconds since the scenario started. */
export interface TraceTick extends ObservedState {
  /** Seconds since the first event of the scenario (0.1 s resolution). */
  readonly t: number;
}

/** Reads a Rollout, its ReplicaSets, its Services and its VirtualService route from the cluster. */
export class RolloutObserver {
  private readonly name: string;
  private readonly stableService: string;
  private readonly canaryService: string;
  private readonly virtualService: string;
  private readonly routeName: string | undefined;

  constructor(
    private readonly kube: KubeClient,
    private readonly namespace: string,
    rollout: KubeObject,
  ) {
    const canary = (rollout as any).spec?.strategy?.canary;
    const vs = canary?.trafficRouting?.istio?.virtualService;
    if (!canary?.stableService || !canary?.canaryService || !vs?.name) {
      throw new Error(`Rollout ${rollout.metadata.name}: the observer needs strategy.canary.stableService, canaryService and trafficRouting.istio.virtualService.name`);
    }
    this.name = rollout.metadata.name;
    this.stableService = canary.stableService;
    this.canaryService = canary.canaryService;
    this.virtualService = vs.name;
    this.routeName = vs.routes?.[0];
  }

  /** One consistent-enough read of everything (five GETs, a few milliseconds apart). */
  async snapshot(): Promise<ObservedState> {
    const ns = this.namespace;
    const [rollout, rsList, stableSvc, canarySvc, vs] = await Promise.all([
      this.kube.get('argoproj.io/v1alpha1', 'Rollout', ns, this.name),
      this.kube.list('apps/v1', 'ReplicaSet', ns),
      this.kube.get('v1', 'Service', ns, this.stableService),
      this.kube.get('v1', 'Service', ns, this.canaryService),
      this.kube.get('networking.istio.io/v1', 'VirtualService', ns, this.virtualService),
    ]);
    if (!rollout) throw new Error(`Rollout ${ns}/${this.name} does not exist`);
    const status = rollout.status ?? {};
    const owned = rsList.filter((rs: any) =>
      (rs.metadata.ownerReferences ?? []).some((o: any) => o.kind === 'Rollout' && o.name === this.name),
    );
    const revisionOfHash = new Map<string, number>();
    const replicaSets = owned
      .map((rs: any): ObservedReplicaSet => {
        const hash = rs.metadata.labels?.[HASH_LABEL];
        const revision = Number(rs.metadata.annotations?.[REVISION_ANNOTATION]);
        revisionOfHash.set(hash, revision);
        const role = hash === status.stableRS ? 'stable' : hash === status.currentPodHash ? 'canary' : 'old';
        return { revision, role, replicas: rs.spec.replicas ?? 0, available: rs.status?.availableReplicas ?? 0 };
      })
      .sort((a, b) => a.revision - b.revision);
    const revisionOf = (svc: any): number | null => {
      const hash = svc?.spec?.selector?.[HASH_LABEL];
      return hash === undefined ? null : (revisionOfHash.get(hash) ?? null);
    };
    return {
      stepIndex: status.currentStepIndex ?? null,
      phase: status.phase ?? '',
      message: status.message ?? '',
      weights: this.weights(vs),
      replicaSets,
      services: { stable: revisionOf(stableSvc), canary: revisionOf(canarySvc) },
      paused: (status.pauseConditions?.length ?? 0) > 0 || rollout.spec?.paused === true,
      aborted: status.abort === true,
    };
  }

  private weights(vs: any): ObservedState['weights'] {
    const routes: any[] = vs?.spec?.http ?? [];
    const route = this.routeName ? routes.find((r) => r.name === this.routeName) : routes[0];
    const weightOf = (service: string): number | null => {
      const dest = (route?.route ?? []).find((d: any) => {
        const host: string = d.destination?.host ?? '';
        return host === service || host.startsWith(`${service}.`);
      });
      return dest ? (dest.weight ?? 0) : null;
    };
    return { canary: weightOf(this.canaryService), stable: weightOf(this.stableService) };
  }
}

/** What a scenario may do when it sees a state: act on the Rollout, then keep observing. */
export type ScenarioAction = (state: ObservedState, t: number) => Promise<string | undefined>;

/** Options of {@link recordUntil}. */
export interface RecordOptions {
  /** Stop when this holds for the latest state. */
  readonly done: (state: ObservedState) => boolean;
  /** Fail after this many milliseconds. @default 300000 */
  readonly timeoutMs?: number;
  /** Poll interval in milliseconds. @default 250 */
  readonly intervalMs?: number;
  /** Called for every new state; may act (promote, abort...) and return a label for the trace. @default - none */
  readonly act?: ScenarioAction;
}

/** A recorded trace: every distinct state, plus the actions taken, with their times. */
export interface RecordedTrace {
  /** Distinct states in order. */
  readonly ticks: TraceTick[];
  /** Actions the scenario took, with the time they were sent. */
  readonly actions: { readonly t: number; readonly action: string }[];
}

/**
 * Polls the observer from `startMs` (a Date.now() value) until `done` holds, keeping each state that
 * differs from the previous one. Throws with the last state when the time bound is exceeded.
 */
export async function recordUntil(observer: RolloutObserver, startMs: number, options: RecordOptions): Promise<RecordedTrace> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const intervalMs = options.intervalMs ?? 250;
  const ticks: TraceTick[] = [];
  const actions: { t: number; action: string }[] = [];
  let last = '';
  for (;;) {
    const t = Math.round((Date.now() - startMs) / 100) / 10;
    const state = await observer.snapshot();
    const key = JSON.stringify(state);
    if (key !== last) {
      ticks.push({ t, ...state });
      last = key;
      const action = await options.act?.(state, t);
      if (action) actions.push({ t, action });
    }
    if (options.done(state)) return { ticks, actions };
    if (Date.now() - startMs > timeoutMs) {
      throw new Error(`scenario not done after ${timeoutMs / 1000}s; last state: ${key}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
