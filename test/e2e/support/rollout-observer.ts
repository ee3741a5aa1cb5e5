import { summarizeHttpRoutes, type RouteSummary } from '../../../src/runtime/route-summary';
import { expectOk, type KubeClient, type KubeObject } from './kube-client';

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
  /** spec.replicas of the Rollout (the controller defaults it to 1; the HPA then sets it). */
  readonly specReplicas: number | null;
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
  /** The VirtualService's http routes, in order; only for a Rollout with `trafficRouting.managedRoutes`. */
  readonly routes?: readonly RouteSummary[];
}

/** An observed state with the seconds since the scenario started. */
export interface TraceTick extends ObservedState {
  /** Seconds since the scenario started, when the change was seen (0.1 s resolution). */
  readonly t: number;
}

/** The collections the observer watches, by key. */
const WATCHED = {
  rollout: 'argoproj.io/v1alpha1/Rollout',
  replicaSet: 'apps/v1/ReplicaSet',
  service: 'v1/Service',
  virtualService: 'networking.istio.io/v1/VirtualService',
} as const;
type WatchedKey = keyof typeof WATCHED;

/**
 * Watches a Rollout, the ReplicaSets, Services and VirtualServices of its namespace (list, then
 * watch from that resourceVersion) and turns every change into an {@link ObservedState}, so no
 * intermediate state is missed the way polling would miss it.
 */
export class RolloutObserver {
  private readonly name: string;
  private readonly stableService: string;
  private readonly canaryService: string;
  private readonly virtualService: string;
  private readonly routeName: string | undefined;
  private readonly managedRoutes: boolean;
  private readonly cache = new Map<WatchedKey, Map<string, any>>();
  private readonly watches: { close(): void }[] = [];
  private listeners: ((state: ObservedState, atMs: number) => void)[] = [];
  private readonly pending: { byName: Map<string, any>; event: { type: string; object: any }; atMs: number }[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private lastAtMs = 0;
  private failure: Error | undefined;

  /**
   * @param settleMs hold watch events this long and apply them in resourceVersion order (0: apply
   * each at once, in arrival order)
   */
  constructor(
    private readonly kube: KubeClient,
    private readonly namespace: string,
    rollout: KubeObject,
    private readonly settleMs = 0,
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
    this.managedRoutes = (canary.trafficRouting?.managedRoutes?.length ?? 0) > 0;
  }

  /** Lists and starts watching the four collections. */
  async start(): Promise<void> {
    for (const key of Object.keys(WATCHED) as WatchedKey[]) {
      const [apiVersion, kind] = splitKey(WATCHED[key]);
      const path = await this.kube.pathOf(apiVersion, kind, { namespace: this.namespace });
      const list = await this.kube.request('GET', path);
      expectOk(list, `list ${kind} in ${this.namespace}`);
      const byName = new Map<string, any>(list.body.items.map((o: any) => [o.metadata.name, o]));
      this.cache.set(key, byName);
      this.watches.push(
        await this.kube.watch(path, { resourceVersion: list.body.metadata.resourceVersion, timeoutSeconds: '1800' }, (event) => {
          if (event.type === 'ERROR') {
            this.failure = new Error(`watch of ${kind} failed: ${JSON.stringify(event.object).slice(0, 300)}`);
            return;
          }
          this.pending.push({ byName, event, atMs: Date.now() });
          if (this.settleMs === 0) this.flush();
          else this.flushTimer ??= setTimeout(() => this.flush(), this.settleMs);
        }),
      );
    }
  }

  /** Closes the watches. */
  stop(): void {
    clearTimeout(this.flushTimer);
    for (const w of this.watches.splice(0)) w.close();
  }

  /**
   * Applies the events received (with `settleMs`, those of the last `settleMs` in resourceVersion
   * order: etcd's revision, shared by all objects; the four collections are separate watches, and
   * under load an event of one, a ReplicaSet scale-up or a VirtualService weight, can arrive before
   * an earlier write to another, the Rollout status, e2e/findings.md 8). Each state keeps the
   * arrival time of its event (never earlier than the state before).
   */
  private flush(): void {
    this.flushTimer = undefined;
    const events = this.pending.splice(0).sort((a, b) => Number(a.event.object.metadata.resourceVersion) - Number(b.event.object.metadata.resourceVersion));
    for (const { byName, event, atMs } of events) {
      if (event.type === 'DELETED') byName.delete(event.object.metadata.name);
      else byName.set(event.object.metadata.name, event.object);
      this.lastAtMs = Math.max(this.lastAtMs, atMs);
      this.changed(this.lastAtMs);
    }
  }

  /** The state as of the last event seen; undefined until the Rollout exists. */
  current(): ObservedState | undefined {
    if (this.failure) throw this.failure;
    const rollout = this.cache.get('rollout')?.get(this.name);
    return rollout ? this.stateOf(rollout) : undefined;
  }

  /** Subscribes to every change; returns the unsubscribe function. */
  onChange(listener: (state: ObservedState, atMs: number) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  private changed(atMs: number): void {
    const state = this.current();
    if (!state) return;
    for (const l of this.listeners) l(state, atMs);
  }

  private stateOf(rollout: any): ObservedState {
    const status = rollout.status ?? {};
    const owned = [...(this.cache.get('replicaSet')?.values() ?? [])].filter((rs: any) =>
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
    const services = this.cache.get('service');
    const revisionOf = (name: string): number | null => {
      const hash = services?.get(name)?.spec?.selector?.[HASH_LABEL];
      return hash === undefined ? null : (revisionOfHash.get(hash) ?? null);
    };
    const vs = this.cache.get('virtualService')?.get(this.virtualService);
    return {
      specReplicas: rollout.spec?.replicas ?? null,
      stepIndex: status.currentStepIndex ?? null,
      phase: status.phase ?? '',
      message: status.message ?? '',
      weights: this.weights(vs),
      replicaSets,
      services: { stable: revisionOf(this.stableService), canary: revisionOf(this.canaryService) },
      paused: (status.pauseConditions?.length ?? 0) > 0 || rollout.spec?.paused === true,
      aborted: status.abort === true,
      ...(this.managedRoutes ? { routes: summarizeHttpRoutes({ spec: rollout.spec, status } as never, { spec: vs?.spec ?? {} }) } : {}),
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

function splitKey(key: string): [string, string] {
  const i = key.lastIndexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** What a scenario may do when it sees a state: act on the Rollout, then keep observing. */
export type ScenarioAction = (state: ObservedState, t: number) => Promise<string | undefined>;

/** Options of {@link recordUntil}. */
export interface RecordOptions {
  /** Stop when this holds for a recorded state. */
  readonly done: (state: ObservedState) => boolean;
  /** Fail after this many milliseconds. @default 300000 */
  readonly timeoutMs?: number;
  /** Called for every new state, in order; may act (promote, abort...) and return a label for the trace. @default - none */
  readonly act?: ScenarioAction;
  /** Called when no new state arrived for `afterMs`; returns a label for the trace. @default - none */
  readonly onIdle?: { readonly afterMs: number; readonly action: () => Promise<string> };
}

/** A recorded trace: every distinct state, plus the actions taken, with their times. */
export interface RecordedTrace {
  /** Distinct states in order. */
  readonly ticks: TraceTick[];
  /** Actions the scenario took, with the time they were sent. */
  readonly actions: { readonly t: number; readonly action: string }[];
}

/**
 * Records every distinct state the started observer sees from now on (plus the current one), with
 * times relative to `startMs` (a Date.now() value), until `done` holds. States keep being recorded
 * while `act` awaits. Throws with the last state when the time bound is exceeded (the error's
 * `trace` property holds what was recorded).
 */
export async function recordUntil(observer: RolloutObserver, startMs: number, options: RecordOptions): Promise<RecordedTrace> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const seconds = (ms: number) => Math.round((ms - startMs) / 100) / 10;
  const ticks: TraceTick[] = [];
  const actions: { t: number; action: string }[] = [];
  let last = '';
  let lastAtMs = Date.now();
  let wake: (() => void) | undefined;
  const push = (state: ObservedState, atMs: number) => {
    const key = JSON.stringify(state);
    if (key === last) return;
    last = key;
    lastAtMs = atMs;
    ticks.push({ t: seconds(atMs), ...state });
    wake?.();
  };
  const unsubscribe = observer.onChange(push);
  try {
    const now = observer.current();
    if (now) push(now, Date.now());
    for (let next = 0; ; ) {
      while (next < ticks.length) {
        const tick = ticks[next++];
        const action = await options.act?.(tick, seconds(Date.now()));
        if (action) actions.push({ t: seconds(Date.now()), action });
        if (options.done(tick)) return { ticks: ticks.slice(0, next), actions };
      }
      if (options.onIdle && Date.now() - lastAtMs > options.onIdle.afterMs) {
        lastAtMs = Date.now();
        actions.push({ t: seconds(Date.now()), action: await options.onIdle.action() });
      }
      const remaining = startMs + timeoutMs - Date.now();
      if (remaining <= 0) {
        throw Object.assign(new Error(`scenario not done after ${timeoutMs / 1000}s; last state: ${last}`), { trace: { ticks, actions } });
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 1_000));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      observer.current(); // surfaces a failed watch
    }
  } finally {
    unsubscribe();
  }
}
