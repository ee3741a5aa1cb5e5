import type { AnalysisRunsState } from './analysis-runs';
import { ARGO_KEYS } from '../model/argo-defaults';
import type { DestinationRuleObject, VirtualServiceObject } from './istio';
import type { IstioVirtualServiceRef, ReplicaSetState, RolloutState } from './types';

/**
 * The plain cluster state one controller tick reads and writes: the Rollout (spec + status), its
 * ReplicaSets, the Services it points, the VirtualServices and DestinationRule it patches.
 * Everything is data; `reconcile` returns a new state and never mutates its input.
 */

/** A Service the Rollout manages (stable, canary, ping or pong). */
export interface ServiceState {
  readonly name: string;
  /** `spec.selector`; the controller adds `rollouts-pod-template-hash` to it. */
  readonly selector: Readonly<Record<string, string>>;
  /** `metadata.annotations` (the controller adds `argo-rollouts.argoproj.io/managed-by-rollouts`). */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A VirtualService and the Rollout's reference to it. */
export interface VirtualServiceState {
  /** The reference as written in the Rollout (`name` or `name.namespace`). */
  readonly ref: IstioVirtualServiceRef;
  readonly object: VirtualServiceObject;
}

/**
 * A pod of one of the Rollout's ReplicaSets. Only the restarter (rollout/restart.go) and the
 * eviction API's PodDisruptionBudget check read pods; everything else reads ReplicaSet counts.
 */
export interface PodState {
  readonly name: string;
  /** Name of the owning ReplicaSet. */
  readonly replicaSet: string;
  /** `metadata.creationTimestamp` in seconds on the simulation clock. */
  readonly createdAt: number;
  /** Ready condition (what a PodDisruptionBudget counts as healthy). */
  readonly ready: boolean;
  /** Ready for at least `minReadySeconds` (what the controller counts as available). */
  readonly available: boolean;
  /** `metadata.labels` (PodDisruptionBudget selectors match them). */
  readonly labels: Readonly<Record<string, string>>;
}

/** A PodDisruptionBudget in the Rollout's namespace (policy/v1). */
export interface PdbState {
  readonly name: string;
  /** `spec.selector.matchLabels`. */
  readonly matchLabels: Readonly<Record<string, string>>;
  /** `spec.minAvailable`: a number, or a percentage string ("50%"). @default - absent */
  readonly minAvailable?: number | string;
  /** `spec.maxUnavailable`: a number, or a percentage string. @default - absent */
  readonly maxUnavailable?: number | string;
}

/** The Deployment a `workloadRef` points at, as far as `workloadRef.scaleDown` writes it (rollout/scale_utils.go scaleDeployment). */
export interface WorkloadState {
  readonly kind: 'Deployment' | 'ReplicaSet' | 'PodTemplate';
  readonly name: string;
  /** `workloadRef.scaleDown`: `never` (or absent), `onsuccess`, `progressively`. @default - never */
  readonly scaleDown?: string;
  /** The Deployment's `spec.replicas` (Kubernetes defaults an absent value to 1). */
  readonly replicas: number;
}

/** Everything one tick reads. */
export interface ClusterState {
  /** The Rollout; `metadata.name` is required (ReplicaSet names derive from it). */
  readonly rollout: RolloutState;
  /** Hash of the Rollout's current pod template (`controller.ComputeHash(spec.template)`). */
  readonly templateHash: string;
  /** Every ReplicaSet the Rollout owns. */
  readonly replicaSets: readonly ReplicaSetState[];
  /** The Services the Rollout names, by name. */
  readonly services: Readonly<Record<string, ServiceState>>;
  /** The VirtualServices the Rollout names, in the Rollout's order. */
  readonly virtualServices: readonly VirtualServiceState[];
  readonly destinationRule?: DestinationRuleObject;
  /** The Rollout's current AnalysisRuns (analysis-runs.ts); absent when there are none. */
  readonly analysisRuns?: AnalysisRunsState;
  /**
   * Every pod of the Rollout's ReplicaSets. Absent: pods are not known, and a `spec.restartAt`
   * restart is not reconciled (the restarter needs pod creation times). @default - absent
   */
  readonly pods?: readonly PodState[];
  /** PodDisruptionBudgets the eviction API checks during a restart. @default - none */
  readonly pdbs?: readonly PdbState[];
  /** The `workloadRef` target (only a Deployment is ever scaled). @default - none */
  readonly workload?: WorkloadState;
}

/** One write (or router call) the controller made during a tick, in order. */
export type ControllerAction =
  | { readonly kind: 'createReplicaSet'; readonly replicaSet: string; readonly revision: number }
  | { readonly kind: 'deleteReplicaSet'; readonly replicaSet: string }
  | { readonly kind: 'scaleReplicaSet'; readonly replicaSet: string; readonly from: number; readonly to: number }
  | { readonly kind: 'annotateReplicaSet'; readonly replicaSet: string; readonly key: string; readonly value?: string }
  | { readonly kind: 'switchService'; readonly service: string; readonly from?: string; readonly to: string }
  | { readonly kind: 'setWeight'; readonly weight: number; readonly updated: readonly string[] }
  | { readonly kind: 'updateHash'; readonly canary: string; readonly stable: string; readonly modified: boolean }
  | { readonly kind: 'removeManagedRoutes'; readonly updated: readonly string[] }
  | { readonly kind: 'setManagedRoute'; readonly route: string; readonly updated: readonly string[] }
  | { readonly kind: 'evictPod'; readonly pod: string; readonly replicaSet: string }
  | { readonly kind: 'evictionRefused'; readonly pod: string; readonly replicaSet: string; readonly reason: string }
  | { readonly kind: 'scaleWorkload'; readonly workload: string; readonly from: number; readonly to: number }
  | { readonly kind: 'updateStatus' }
  | { readonly kind: 'event'; readonly reason: string; readonly message: string };

/** Value of the `rollouts-pod-template-hash` key of a Service selector, if any. */
export function selectedHash(service: ServiceState | undefined): string | undefined {
  return service?.selector[ARGO_KEYS.podTemplateHashLabel];
}

/**
 * RFC3339 (UTC, whole seconds) of a simulation time in seconds, as the controller writes
 * `scale-down-deadline` annotations (`time.Now().Add(d).UTC().Format(time.RFC3339)`).
 */
export function formatTimestamp(seconds: number): string {
  return new Date(Math.floor(seconds) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Inverse of {@link formatTimestamp}; `undefined` when the text is not RFC3339. */
export function parseTimestamp(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}
