import { isRecord, recordAt, stringAt, type JsonRecord } from './data';

/** One Kubernetes object of the input, with the fields every rule needs. */
export interface ManifestObject {
  /** Position in the array given to `lintManifests`. */
  readonly index: number;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** `metadata.namespace`; undefined means "whatever namespace the objects are applied to". */
  readonly namespace?: string;
  /** `Kind/name`, as findings name objects. */
  readonly ref: string;
  readonly raw: JsonRecord;
}

/** Objects of the input by kind and name. Anything that is not an object with a `kind` is ignored. */
export class ManifestIndex {
  readonly objects: readonly ManifestObject[];

  constructor(input: readonly unknown[]) {
    const objects: ManifestObject[] = [];
    input.forEach((raw, index) => {
      if (!isRecord(raw)) return;
      const kind = stringAt(raw.kind);
      if (kind === undefined) return;
      const metadata = recordAt(raw.metadata);
      const name = stringAt(metadata.name) ?? '';
      objects.push({
        index,
        apiVersion: stringAt(raw.apiVersion) ?? '',
        kind,
        name,
        namespace: stringAt(metadata.namespace),
        ref: `${kind}/${name}`,
        raw,
      });
    });
    this.objects = objects;
  }

  /** Every object of one kind, in input order. */
  ofKind(kind: string): readonly ManifestObject[] {
    return this.objects.filter((o) => o.kind === kind);
  }

  /** The first object of `kind` named `name` in a namespace compatible with `namespace`. */
  find(kind: string, name: string, namespace: string | undefined): ManifestObject | undefined {
    return this.objects.find((o) => o.kind === kind && o.name === name && sameNamespace(o.namespace, namespace));
  }
}

/**
 * Two objects can refer to each other when their namespaces are equal or either is unset
 * (manifests often leave the namespace to `kubectl -n` or kustomize).
 */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}
