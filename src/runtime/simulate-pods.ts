/**
 * The simulator's model of the ReplicaSet controller and the kubelet: pods appear when a
 * ReplicaSet is scaled up and become ready `podReadySeconds` and available `podReadySeconds +
 * minReadySeconds` later; the ReplicaSets' status counts and the pods' states (with their labels)
 * are written from them. Pure apart from its own pod table: the cluster states it returns are new
 * objects (copy on write).
 */
import type { ClusterState, ControllerAction, PodState } from './cluster-state';
import { ARGO_KEYS } from '../model/argo-defaults';
import type { ReplicaSetState } from './types';

/** A pod of the model. */
interface Pod {
  readonly name: string;
  readonly createdAt: number;
  readonly readyAt: number;
  readonly availableAt: number;
  /** The last PodState written for this pod (reused while nothing about the pod changed). */
  state?: PodState;
}

const NO_PODS: readonly Pod[] = [];
const NO_LABELS: Readonly<Record<string, string>> = {};

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

/** The inputs and outputs of the last refresh (see sameAsLastRefresh). */
interface LastRefresh {
  readonly t: number;
  readonly replicaSets: readonly ReplicaSetState[];
  readonly podLists: readonly (readonly Pod[] | undefined)[];
  readonly pods: readonly PodState[] | undefined;
  readonly template: object;
  readonly strategy: unknown;
  readonly stableRS: string | undefined;
  readonly currentPodHash: string | undefined;
}

/** The pods of every ReplicaSet of one simulation, by ReplicaSet name. */
export class PodModel {
  private readonly pods = new Map<string, Pod[]>();
  private podSeq = 0;
  private lastRefresh: LastRefresh | undefined;
  /** Pod labels by ReplicaSet hash, with the template and role labels they were built from. */
  private readonly labelCache = new Map<string, { templateLabels: object; role: object; labels: Record<string, string> }>();

  constructor(
    private readonly podReadySeconds: number,
    private readonly minReadySeconds: number,
  ) {}

  /** `n` available pods of a ReplicaSet that existed before t=0 (a restart at t=0 restarts them). */
  addStartPods(replicaSet: string, n: number): void {
    this.pods.set(replicaSet, Array.from({ length: n }, () => this.newPod(replicaSet, -1, 0, 0)));
  }

  /** How many pods there are. */
  count(): number {
    let pods = 0;
    for (const list of this.pods.values()) pods += list.length;
    return pods;
  }

  /** Calls `consider` with each time after t at which a pod becomes available. */
  pendingAvailability(t: number, consider: (at: number) => void): void {
    for (const pods of this.pods.values()) for (const pod of pods) if (pod.availableAt > t) consider(pod.availableAt);
  }

  /** Evicted pods are gone at once (no termination grace period); the ReplicaSet replaces them. */
  evict(actions: readonly ControllerAction[]): void {
    for (const action of actions) {
      if (action.kind !== 'evictPod') continue;
      const pods = this.pods.get(action.replicaSet) ?? [];
      this.pods.set(action.replicaSet, pods.filter((p) => p.name !== action.pod));
    }
  }

  /** `count` available pods of a ReplicaSet become unavailable at t and recover `recovery` seconds later. */
  failPods(replicaSet: string, count: number, recovery: number, t: number): void {
    let left = count;
    const pods = (this.pods.get(replicaSet) ?? []).map((pod) => {
      if (left > 0 && pod.availableAt <= t) {
        left -= 1;
        return { name: pod.name, createdAt: pod.createdAt, readyAt: Math.max(t, t + recovery - this.minReadySeconds), availableAt: t + recovery };
      }
      return pod;
    });
    this.pods.set(replicaSet, pods);
  }

  private newPod(replicaSet: string, createdAt: number, readyAt: number, availableAt: number): Pod {
    this.podSeq += 1;
    return { name: `${replicaSet}-${this.podSeq}`, createdAt, readyAt, availableAt };
  }

  /**
   * The ReplicaSet controller: creates / deletes pods to match each ReplicaSet's spec (unavailable
   * and newest pods go first), then {@link refresh}es the cluster at t.
   */
  sync(cluster: ClusterState, template: Record<string, unknown>, t: number): ClusterState {
    const replicaSets = cluster.replicaSets;
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
    return this.refresh(cluster, template, t);
  }

  /**
   * Writes each ReplicaSet's `status.replicas` / `availableReplicas` from its pods at time t, and
   * the pods themselves (labels: the template's, the ephemeral role metadata, the hash). Pod
   * states and the pod list are reused when nothing about them changed (the state is immutable).
   */
  refresh(cluster: ClusterState, template: Record<string, unknown>, t: number): ClusterState {
    if (this.sameAsLastRefresh(cluster, template, t)) return cluster;
    const previous = cluster.pods ?? [];
    let replicaSets: ReplicaSetState[] | undefined;
    const pods: PodState[] = [];
    let samePods = true;
    const current = cluster.replicaSets;
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
      const labels = this.podLabels(cluster, template, out);
      for (const pod of simPods) {
        const state = podState(pod, out, labels, t);
        if (samePods && previous[pods.length] !== state) samePods = false;
        pods.push(state);
      }
    }
    let out = cluster;
    if (!samePods || pods.length !== previous.length || replicaSets !== undefined) {
      out = { ...cluster, replicaSets: replicaSets ?? current, pods: samePods && pods.length === previous.length ? previous : pods };
    }
    this.rememberRefresh(out, template, t);
    return out;
  }

  /**
   * Whether a refresh at t would read exactly what the last one read and wrote: the same instant,
   * ReplicaSet objects, pod lists, PodState list and label inputs. It then writes nothing.
   */
  private sameAsLastRefresh(cluster: ClusterState, template: object, t: number): boolean {
    const last = this.lastRefresh;
    const { replicaSets, pods, rollout } = cluster;
    if (last === undefined || last.t !== t || last.pods !== pods || last.template !== template) return false;
    if (last.strategy !== rollout.spec.strategy.canary || last.stableRS !== rollout.status.stableRS || last.currentPodHash !== rollout.status.currentPodHash) return false;
    if (last.replicaSets.length !== replicaSets.length) return false;
    for (let i = 0; i < replicaSets.length; i++) {
      if (replicaSets[i] !== last.replicaSets[i] || this.pods.get(replicaSets[i].name) !== last.podLists[i]) return false;
    }
    return true;
  }

  private rememberRefresh(cluster: ClusterState, template: object, t: number): void {
    const { replicaSets, pods, rollout } = cluster;
    this.lastRefresh = {
      t,
      replicaSets,
      podLists: replicaSets.map((rs) => this.pods.get(rs.name)),
      pods,
      template,
      strategy: rollout.spec.strategy.canary,
      stableRS: rollout.status.stableRS,
      currentPodHash: rollout.status.currentPodHash,
    };
  }

  /**
   * Pod labels of a ReplicaSet: template labels, its ephemeral metadata (rollout/ephemeralmetadata.go) and its hash.
   * The same inputs give the same (shared, immutable) object.
   */
  private podLabels(cluster: ClusterState, template: Record<string, unknown>, rs: ReplicaSetState): Record<string, string> {
    const canary = cluster.rollout.spec.strategy.canary;
    const { stableRS, currentPodHash } = cluster.rollout.status;
    const templateLabels = (template.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? NO_LABELS;
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
}

/** The PodState of a pod at t: the last one written while nothing about the pod changed. */
function podState(pod: Pod, rs: ReplicaSetState, labels: Record<string, string>, t: number): PodState {
  const ready = pod.readyAt <= t;
  const isAvailable = pod.availableAt <= t;
  let state = pod.state;
  if (state === undefined || state.ready !== ready || state.available !== isAvailable || state.labels !== labels || state.replicaSet !== rs.name) {
    state = { name: pod.name, replicaSet: rs.name, createdAt: pod.createdAt, ready, available: isAvailable, labels };
    pod.state = state;
  }
  return state;
}
