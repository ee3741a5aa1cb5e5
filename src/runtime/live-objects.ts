import { parseTimestamp } from './cluster-state';
import { ARGO_KEYS } from '../model/argo-defaults';
import type { KubeObject } from '../model/manifests';
import { asRecord } from '../model/records';

/**
 * The live objects of one Rollout as read from a cluster (`cdk8s-canary status`), and small pure
 * accessors on them. The CLI does the reading; everything here is plain data in, plain data out.
 */

/** What `status` reads for one Rollout: the objects as the API server returned them. */
export interface LiveObjects {
  /** The Rollout, with `status` and `metadata.managedFields`. */
  readonly rollout: KubeObject;
  /** The `spec.workloadRef` target, when the Rollout has one. */
  readonly workload?: KubeObject;
  /** ReplicaSets of the Rollout's namespace (those the Rollout owns are picked here). */
  readonly replicaSets: readonly KubeObject[];
  /** Services the Rollout names (stable, canary, ping, pong). */
  readonly services: readonly KubeObject[];
  /** VirtualServices the Rollout names. */
  readonly virtualServices: readonly KubeObject[];
  /** The DestinationRule of a subset-level split. */
  readonly destinationRules: readonly KubeObject[];
  /** HorizontalPodAutoscalers of the namespace (those aimed at the Rollout or its workload are used). */
  readonly hpas: readonly KubeObject[];
  /** PodDisruptionBudgets of the namespace. */
  readonly pdbs: readonly KubeObject[];
  /** AnalysisRuns of the namespace (those the Rollout owns are picked here). */
  readonly analysisRuns: readonly KubeObject[];
}

/** One entry of `metadata.managedFields`, as far as `status` reads it. */
interface ManagedFieldsEntry {
  readonly manager?: string;
  readonly operation?: string;
  readonly subresource?: string;
  readonly time?: string;
  readonly fieldsV1?: Record<string, unknown>;
}

export function record(v: unknown): Record<string, unknown> {
  return asRecord(v) ?? {};
}

export function list(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `status` of an object (empty when absent). */
export function statusOf(obj: KubeObject | undefined): Record<string, unknown> {
  return record(obj?.status);
}

/** `spec` of an object (empty when absent). */
export function specOf(obj: KubeObject | undefined): Record<string, unknown> {
  return record(obj?.spec);
}

/** True when `obj` has an ownerReference to `owner` (by uid when both have one, else by kind and name). */
export function ownedBy(obj: KubeObject, owner: KubeObject): boolean {
  const uid = str(record(owner.metadata).uid);
  return list(record(obj.metadata).ownerReferences).some((raw) => {
    const ref = record(raw);
    if (uid !== undefined && ref.uid !== undefined) return ref.uid === uid;
    return ref.kind === owner.kind && ref.name === owner.metadata?.name;
  });
}

/** The pod-template hash label of a ReplicaSet. */
export function podHashOf(rs: KubeObject): string | undefined {
  return rs.metadata?.labels?.[ARGO_KEYS.podTemplateHashLabel];
}

/** The controller's revision annotation of a ReplicaSet or Rollout, as a number. */
export function revisionOf(obj: KubeObject): number | undefined {
  const text = obj.metadata?.annotations?.[ARGO_KEYS.revisionAnnotation];
  const n = text === undefined ? NaN : Number(text);
  return Number.isInteger(n) ? n : undefined;
}

function managedFields(obj: KubeObject | undefined): readonly ManagedFieldsEntry[] {
  return list(record(obj?.metadata).managedFields).map((e) => record(e) as ManagedFieldsEntry);
}

/** Latest `managedFields[].time` (epoch seconds) of the entries that `pick` keeps. */
export function lastWriteAt(obj: KubeObject | undefined, pick: (e: ManagedFieldsEntry) => boolean): number | undefined {
  let latest: number | undefined;
  for (const entry of managedFields(obj)) {
    if (!pick(entry)) continue;
    const t = parseTimestamp(entry.time);
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  return latest;
}

/** Latest write of the Rollout's status (the controller's status updates, and promote/abort patches). */
export function lastStatusWriteAt(rollout: KubeObject): number | undefined {
  return lastWriteAt(rollout, (e) => e.subresource === 'status');
}

/**
 * Managers that own `spec.replicas` (the last to write it owns it), with the subresource they wrote
 * through: an HPA writes through `scale`.
 */
export function replicasOwners(obj: KubeObject): { readonly manager: string; readonly subresource?: string }[] {
  return managedFields(obj)
    .filter((e) => Object.hasOwn(record(record(e.fieldsV1)['f:spec']), 'f:replicas'))
    .map((e) => ({ manager: e.manager ?? '(unnamed manager)', ...(e.subresource ? { subresource: e.subresource } : {}) }));
}

/**
 * The workload generation the controller has acted on: `status.workloadObservedGeneration`, written
 * with the rest of the status (the `workload-generation` annotation is written by an earlier,
 * separate update, so a read between the two sees the annotation new and the status old).
 */
export function workloadObservedGeneration(rollout: KubeObject): number | undefined {
  const text = str(statusOf(rollout).workloadObservedGeneration) ?? rollout.metadata?.annotations?.[ARGO_KEYS.workloadGenerationAnnotation];
  const n = text === undefined ? NaN : Number(text);
  return Number.isInteger(n) ? n : undefined;
}
