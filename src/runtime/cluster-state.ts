import { ARGO_KEYS } from './defaults';
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
