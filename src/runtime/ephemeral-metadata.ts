import { ARGO_KEYS } from '../model/argo-defaults';
import type { PodMetadata } from './types';

/**
 * Ephemeral pod metadata (`canaryMetadata` / `stableMetadata`) as Argo Rollouts v1.9.1 injects it
 * (rollout/ephemeralmetadata.go). What was injected is remembered in the ReplicaSet annotation
 * `rollout.argoproj.io/ephemeral-metadata`, so only keys injected earlier are ever removed.
 */

/** Labels and annotations of an object (a pod template's metadata, a pod's metadata). */
export interface ObjectMetadata {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Result of {@link syncEphemeralPodMetadata}. */
export interface SyncedMetadata {
  readonly metadata: ObjectMetadata;
  readonly modified: boolean;
}

/**
 * The pod metadata recorded in the ReplicaSet's ephemeral-metadata annotation; undefined when the
 * annotation is absent or not valid JSON of a `{labels, annotations}` object.
 * @see utils/replicaset/canary.go ParseExistingPodMetadata
 */
export function parseExistingPodMetadata(annotations: Readonly<Record<string, string>> | undefined): PodMetadata | undefined {
  const raw = annotations?.[ARGO_KEYS.ephemeralMetadataAnnotation];
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const { labels, annotations: podAnnotations } = parsed as Record<string, unknown>;
  const asStringMap = (value: unknown): Record<string, string> | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw new TypeError('not a map');
    for (const v of Object.values(value)) if (typeof v !== 'string') throw new TypeError('not a string map');
    return value as Record<string, string>;
  };
  try {
    const result: { labels?: Record<string, string>; annotations?: Record<string, string> } = {};
    const l = asStringMap(labels);
    const a = asStringMap(podAnnotations);
    if (l) result.labels = l;
    if (a) result.annotations = a;
    return result;
  } catch {
    return undefined;
  }
}

/**
 * Injects `desired` labels/annotations into `metadata` and removes the previously injected keys
 * (`existing`) that are no longer desired. Keys injected by nobody (e.g. by Istio) are never
 * touched; removing a key that is already gone is not a modification.
 * @see utils/replicaset/canary.go SyncEphemeralPodMetadata
 */
export function syncEphemeralPodMetadata(
  metadata: ObjectMetadata,
  existing: PodMetadata | undefined,
  desired: PodMetadata | undefined,
): SyncedMetadata {
  let modified = false;
  let labels: Record<string, string> | undefined = metadata.labels ? { ...metadata.labels } : undefined;
  let annotations: Record<string, string> | undefined = metadata.annotations ? { ...metadata.annotations } : undefined;
  for (const [key, value] of Object.entries(desired?.annotations ?? {})) {
    annotations ??= {};
    if (annotations[key] !== value) {
      annotations[key] = value;
      modified = true;
    }
  }
  for (const [key, value] of Object.entries(desired?.labels ?? {})) {
    labels ??= {};
    if (labels[key] !== value) {
      labels[key] = value;
      modified = true;
    }
  }
  for (const key of Object.keys(existing?.annotations ?? {})) {
    if (desired?.annotations?.[key] !== undefined) continue;
    if (annotations && key in annotations) {
      delete annotations[key];
      modified = true;
    }
  }
  for (const key of Object.keys(existing?.labels ?? {})) {
    if (desired?.labels?.[key] !== undefined) continue;
    if (labels && key in labels) {
      delete labels[key];
      modified = true;
    }
  }
  const result: { labels?: Record<string, string>; annotations?: Record<string, string> } = {};
  if (labels) result.labels = labels;
  if (annotations) result.annotations = annotations;
  return { metadata: result, modified };
}

function sortedMap(map: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The annotation value the controller writes: Go's `json.Marshal(PodTemplateMetadata)`, i.e.
 * `labels` before `annotations`, empty maps omitted, keys sorted.
 */
export function ephemeralMetadataAnnotationValue(podMetadata: PodMetadata): string {
  const out: Record<string, unknown> = {};
  if (podMetadata.labels && Object.keys(podMetadata.labels).length > 0) out['labels'] = sortedMap(podMetadata.labels);
  if (podMetadata.annotations && Object.keys(podMetadata.annotations).length > 0) {
    out['annotations'] = sortedMap(podMetadata.annotations);
  }
  return JSON.stringify(out);
}

/** A ReplicaSet's metadata and pod template metadata, as {@link syncReplicaSetEphemeralPodMetadata} reads them. */
export interface ReplicaSetMetadata {
  /** The ReplicaSet's own annotations (holds the tracking annotation). */
  readonly annotations?: Readonly<Record<string, string>>;
  /** `spec.template.metadata`. */
  readonly templateMetadata: ObjectMetadata;
}

/** Result of {@link syncReplicaSetEphemeralPodMetadata}. */
export interface SyncedReplicaSetMetadata extends ReplicaSetMetadata {
  readonly modified: boolean;
}

/**
 * Applies `podMetadata` to a ReplicaSet's pod template, removing what was injected before (per the
 * tracking annotation). When modified, the tracking annotation is rewritten to `podMetadata`, or
 * deleted when `podMetadata` is undefined (all ephemeral metadata removed).
 * @see utils/replicaset/canary.go SyncReplicaSetEphemeralPodMetadata
 */
export function syncReplicaSetEphemeralPodMetadata(
  rs: ReplicaSetMetadata,
  podMetadata: PodMetadata | undefined,
): SyncedReplicaSetMetadata {
  const existing = parseExistingPodMetadata(rs.annotations);
  const synced = syncEphemeralPodMetadata(rs.templateMetadata, existing, podMetadata);
  if (!synced.modified) return { ...rs, modified: false };
  const annotations: Record<string, string> = { ...(rs.annotations ?? {}) };
  if (podMetadata) annotations[ARGO_KEYS.ephemeralMetadataAnnotation] = ephemeralMetadataAnnotationValue(podMetadata);
  else delete annotations[ARGO_KEYS.ephemeralMetadataAnnotation];
  return { annotations, templateMetadata: synced.metadata, modified: true };
}
