import { hpaScaleTarget, type KubeObject } from '../model/manifests';
import { isPlainObject } from '../model/records';
import { recordAt, stringAt, type JsonRecord } from './data';

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

const NONE: readonly ManifestObject[] = [];

/**
 * A kind of value derived from an index's objects (a Rollout's plan, its PDB coverage...), to
 * memoize with {@link ManifestIndex.memo}. The table object itself is the identity.
 */
export class MemoTable<K, V> {
  /** Phantom field: ties the key and value types to the table. */
  declare private readonly types?: (key: K) => V;
  constructor(
    /** What the table holds (for debugging). */
    readonly name: string,
  ) {}
}

/**
 * Objects of the input by kind and name. Anything that is not an object with a `kind` is ignored.
 * Lookups go through maps built once (by kind, by kind and name, HPAs by scale target), so a rule
 * that looks up the objects of every Rollout stays linear in the number of objects.
 */
export class ManifestIndex {
  readonly objects: readonly ManifestObject[];
  private readonly byKind = new Map<string, ManifestObject[]>();
  /** kind -> metadata.name (the raw value, so non-string names never match a string) -> objects. */
  private readonly byKindName = new Map<string, Map<unknown, ManifestObject[]>>();
  /** scaleTargetRef.kind -> scaleTargetRef.name (as the model's `hpaScaleTarget` reads them) -> HorizontalPodAutoscalers. */
  private hpaTargets?: Map<string | undefined, Map<string | undefined, ManifestObject[]>>;
  /**
   * Values derived from these objects, by table then key. They live exactly as long as the index
   * (a lint run): nothing is kept across runs, and the garbage collector sees plain maps (module
   * WeakMaps keyed by per-run objects made every young-generation collection keep those objects).
   */
  private memos?: Map<MemoTable<unknown, unknown>, Map<unknown, unknown>>;

  constructor(input: readonly unknown[]) {
    const objects: ManifestObject[] = [];
    input.forEach((raw, index) => {
      if (!isPlainObject(raw)) return;
      const kind = stringAt(raw.kind);
      if (kind === undefined) return;
      const metadata = recordAt(raw.metadata);
      const name = stringAt(metadata.name) ?? '';
      const object: ManifestObject = {
        index,
        apiVersion: stringAt(raw.apiVersion) ?? '',
        kind,
        name,
        namespace: stringAt(metadata.namespace),
        ref: `${kind}/${name}`,
        raw,
      };
      objects.push(object);
      push(this.byKind, kind, object);
      let names = this.byKindName.get(kind);
      if (!names) this.byKindName.set(kind, (names = new Map()));
      push(names, metadata.name, object);
    });
    this.objects = objects;
  }

  /** Every object of one kind, in input order. */
  ofKind(kind: string): readonly ManifestObject[] {
    return this.byKind.get(kind) ?? NONE;
  }

  /**
   * Every object of `kind` whose `metadata.name` is exactly `name` (any namespace), in input order.
   * Objects whose name is not a string only match a `name` of the same raw value.
   */
  named(kind: string, name: unknown): readonly ManifestObject[] {
    return this.byKindName.get(kind)?.get(name) ?? NONE;
  }

  /**
   * The object of `kind` named `name` in exactly `namespace`, else the first one in a compatible
   * namespace (see {@link sameNamespace}).
   */
  find(kind: string, name: string, namespace: string | undefined): ManifestObject | undefined {
    // Names that are not strings are indexed as '' (ManifestObject.name), so look both up.
    const candidates = this.withName(kind, name);
    return candidates.find((o) => o.namespace === namespace) ?? candidates.find((o) => sameNamespace(o.namespace, namespace));
  }

  /**
   * HorizontalPodAutoscalers whose `spec.scaleTargetRef` has this kind and name, as the model's
   * reader reads them (`hpaScaleTarget`: a field that is not a string matches no name), any
   * namespace, in input order.
   */
  hpasTargeting(kind: string, name: string): readonly ManifestObject[] {
    if (!this.hpaTargets) {
      const targets = new Map<string | undefined, Map<string | undefined, ManifestObject[]>>();
      for (const hpa of this.ofKind('HorizontalPodAutoscaler')) {
        const target = hpaScaleTarget(hpa.raw as KubeObject);
        let names = targets.get(target.kind);
        if (!names) targets.set(target.kind, (names = new Map()));
        push(names, target.name, hpa);
      }
      this.hpaTargets = targets;
    }
    return this.hpaTargets.get(kind)?.get(name) ?? NONE;
  }

  /** The value of `table` at `key` for this index, computed by `compute` the first time. */
  memo<K, V>(table: MemoTable<K, V>, key: K, compute: () => V): V {
    const memos = (this.memos ??= new Map());
    let entries = memos.get(table as MemoTable<unknown, unknown>);
    if (!entries) memos.set(table as MemoTable<unknown, unknown>, (entries = new Map()));
    if (entries.has(key)) return entries.get(key) as V;
    const value = compute();
    entries.set(key, value);
    return value;
  }

  /** Objects whose `ManifestObject.name` is `name`: the raw name, plus every non-string name when `name` is ''. */
  private withName(kind: string, name: string): readonly ManifestObject[] {
    if (name !== '') return this.named(kind, name);
    return this.ofKind(kind).filter((o) => o.name === '');
  }
}

function push<K>(map: Map<K, ManifestObject[]>, key: K, object: ManifestObject): void {
  const list = map.get(key);
  if (list) list.push(object);
  else map.set(key, [object]);
}

/**
 * Two objects can refer to each other when their namespaces are equal or either is unset
 * (manifests often leave the namespace to `kubectl -n` or kustomize).
 */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}
