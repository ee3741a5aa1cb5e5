import { type KubeObject, ManifestError, parseManifests, type ManifestText } from '../model/manifests';
import { asRecord } from '../model/records';

export type { ManifestText } from '../model/manifests';

/**
 * Plain Kubernetes objects as the migration code reads and writes them. Only the envelope is
 * typed; everything else is kept exactly as written so that no field of the user's manifests is
 * lost on the way through.
 */
export interface ManifestObject {
  /**
   * `apiVersion`.
   */
  readonly apiVersion: string;
  /**
   * `kind`.
   */
  readonly kind: string;
  /**
   * `metadata`.
   */
  readonly metadata: ObjectMeta;
  readonly [key: string]: unknown;
}

/** `metadata` of a manifest (only the fields the migration reads are typed). */
export interface ObjectMeta {
  /**
   * `metadata.name`.
   */
  readonly name: string;
  /**
   * `metadata.namespace`.
   * @default - none (the kubectl context's)
   */
  readonly namespace?: string;
  /**
   * `metadata.labels`.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * `metadata.annotations`.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

/** A manifest and where it was read from (used to name it in errors). */
export interface SourcedManifest {
  /**
   * The manifest.
   */
  readonly object: ManifestObject;
  /** File name, when the input named one. @default - none */
  readonly file?: string;
  /** 1-based document number inside the file. */
  readonly document: number;
}

/** `Kind/name`, the way kubectl names an object. */
export function refOf(object: Pick<ManifestObject, 'kind' | 'metadata'>): string {
  return `${object.kind}/${object.metadata.name}`;
}

/** `Kind/name (file.yaml, document 2)` for error messages. */
export function describeSource(manifest: SourcedManifest): string {
  return `${refOf(manifest.object)} (${whereOf(manifest)})`;
}

/** `file.yaml, document 2`, or `document 2` when there is no file name. */
function whereOf({ file, document }: { readonly file?: string; readonly document: number }): string {
  return file ? `${file}, document ${document}` : `document ${document}`;
}

/** A manifest as the model's per-kind readers take it (the same object, typed by its envelope only). */
export function asKube(object: ManifestObject): KubeObject {
  return object as unknown as KubeObject;
}

/** Deep copy of plain JSON data. */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}

/** A plain object (not an array, not null), or undefined: the model's one copy, for the migration readers. */
export { asRecord };

/** An array, or undefined. */
export function asArray(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** Reads a nested field (`get(obj, 'spec', 'template')`), undefined when any level is missing. */
export function getPath(value: unknown, ...path: (string | number)[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (typeof key === 'number') {
      const arr = asArray(current);
      if (!arr) return undefined;
      current = arr[key];
    } else {
      const rec = asRecord(current);
      if (!rec) return undefined;
      current = rec[key];
    }
  }
  return current;
}

/** A string-to-string map (labels, selectors); undefined when the value is not one. */
export function asStringMap(value: unknown): Readonly<Record<string, string>> | undefined {
  const rec = asRecord(value);
  if (!rec) return undefined;
  for (const v of Object.values(rec)) if (typeof v !== 'string') return undefined;
  return rec as Record<string, string>;
}

/** `a=b,c=d` for messages and kubectl label selectors (keys sorted). */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

/**
 * Parses multi-document YAML texts into manifests with the runtime's reader (`parseManifests`:
 * empty documents are skipped, a `kind: List` stands for its items). Invalid YAML, or a document
 * that is not a Kubernetes object (apiVersion, kind and metadata.name must be strings), is a
 * `ManifestError` naming the file and the document.
 */
export function parseManifestTexts(texts: readonly ManifestText[]): SourcedManifest[] {
  return parseManifests(texts).map(({ object, source }) => {
    const { file, document } = source;
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string' || typeof getPath(object, 'metadata', 'name') !== 'string') {
      const shown = JSON.stringify(object).slice(0, 80);
      throw new ManifestError(
        `${whereOf(source)}: not a Kubernetes object (${shown}): apiVersion, kind and metadata.name must be strings`,
      );
    }
    return { object: object as unknown as ManifestObject, file, document };
  });
}
