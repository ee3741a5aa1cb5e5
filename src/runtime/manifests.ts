import { Composer, type Document, parseAllDocuments, Parser } from 'yaml';
import { KUBERNETES_YAML_OPTIONS } from './yaml-text';
import { selectsSome } from '../model/label-selector';
import { asRecord } from '../model/records';
import { mergeLabels } from './merge-labels';
import { INT32_MAX } from '../model/int32';
import { pauseDurationSeconds } from '../model/pause-duration';
import type {
  CanaryStep,
  CanaryStrategy,
  IstioDestinationRuleRef,
  IstioVirtualServiceRef,
  RolloutSpec,
} from './types';

/**
 * Reading manifests: multi-document YAML text or parsed objects in, a typed model of one Rollout
 * and everything it references out. Pure: the CLI reads the files and passes their text.
 */

/** Any Kubernetes object as parsed from YAML (only the envelope is typed). */
export interface KubeObject {
  /**
   * `apiVersion`.
   * @default - absent
   */
  readonly apiVersion?: string;
  /**
   * `kind`.
   * @default - absent
   */
  readonly kind?: string;
  /**
   * `metadata` (name, namespace, labels, annotations, generation are typed; other fields are kept).
   * @default - absent
   */
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly generation?: number;
  };
  /**
   * `spec`, untyped.
   * @default - absent
   */
  readonly spec?: unknown;
  readonly [key: string]: unknown;
}

/** YAML text with the file it came from (used in error messages). */
export interface ManifestText {
  /**
   * Multi-document YAML (or JSON) text.
   */
  readonly text: string;
  /** File name shown in errors. @default - none */
  readonly file?: string;
}

/** What `readManifests` accepts: YAML text, parsed objects, or a list of either. */
export type ManifestInput = string | ManifestText | KubeObject | readonly (string | ManifestText | KubeObject)[];

/** Where an object was found. */
export interface ObjectSource {
  /**
   * File name, when the input named one.
   * @default - none: the input had no file name
   */
  readonly file?: string;
  /** 1-based document number inside the file (or index in the object list). */
  readonly document: number;
}

/** A parsed object and where it came from. */
export interface SourcedObject {
  /**
   * The parsed object.
   */
  readonly object: KubeObject;
  /**
   * Where it was found.
   */
  readonly source: ObjectSource;
}

/** A Service the Rollout names (stable, canary, ping or pong). */
export interface ServiceModel {
  /**
   * `metadata.name`.
   */
  readonly name: string;
  /**
   * `metadata.namespace`.
   * @default - absent (matches any namespace)
   */
  readonly namespace?: string;
  /** `spec.selector` as written in the manifest. */
  readonly selector: Readonly<Record<string, string>>;
  /**
   * The object as parsed.
   */
  readonly object: KubeObject;
}

/** A VirtualService the Rollout routes through, with the Rollout's reference to it. */
export interface VirtualServiceModel {
  /** The Rollout's entry (`virtualService` or one of `virtualServices`). */
  readonly ref: IstioVirtualServiceRef;
  /**
   * `metadata.name`.
   */
  readonly name: string;
  /**
   * `metadata.namespace`.
   * @default - absent (matches any namespace)
   */
  readonly namespace?: string;
  /** `spec` of the VirtualService (http / tls / tcp routes). */
  readonly spec: Readonly<Record<string, unknown>>;
  /**
   * The object as parsed.
   */
  readonly object: KubeObject;
}

/** The DestinationRule of a subset-level split. */
export interface DestinationRuleModel {
  /**
   * The Rollout's `trafficRouting.istio.destinationRule` entry.
   */
  readonly ref: IstioDestinationRuleRef;
  /**
   * `metadata.name`.
   */
  readonly name: string;
  /**
   * `metadata.namespace`.
   * @default - absent (matches any namespace)
   */
  readonly namespace?: string;
  /**
   * `spec` of the DestinationRule (host, subsets).
   */
  readonly spec: Readonly<Record<string, unknown>>;
  /**
   * The object as parsed.
   */
  readonly object: KubeObject;
}

/** An HPA whose `scaleTargetRef` is the Rollout. */
export interface HpaModel {
  /**
   * `metadata.name`.
   */
  readonly name: string;
  /** `spec.minReplicas`. @default - absent (Kubernetes defaults it to 1) */
  readonly minReplicas?: number;
  /**
   * `spec.maxReplicas`.
   */
  readonly maxReplicas: number;
  /**
   * The object as parsed.
   */
  readonly object: KubeObject;
}

/** A PodDisruptionBudget whose selector matches the Rollout's pods (stable, canary or both). */
export interface PdbModel {
  /**
   * `metadata.name`.
   */
  readonly name: string;
  /**
   * `spec.selector.matchLabels`.
   */
  readonly matchLabels: Readonly<Record<string, string>>;
  /**
   * `spec.minAvailable` (a count or a percentage).
   * @default - absent
   */
  readonly minAvailable?: number | string;
  /**
   * `spec.maxUnavailable` (a count or a percentage).
   * @default - absent
   */
  readonly maxUnavailable?: number | string;
  /** Which of the Rollout's pods it selects. */
  readonly selects: 'stable' | 'canary' | 'both';
  /**
   * The object as parsed.
   */
  readonly object: KubeObject;
}

/** The workload a `workloadRef` points at. */
export interface WorkloadModel {
  /**
   * Kind named by `workloadRef`.
   */
  readonly kind: 'Deployment' | 'ReplicaSet' | 'PodTemplate';
  /**
   * `metadata.name`.
   */
  readonly name: string;
  /** `workloadRef.scaleDown`. @default - absent (same as `never`) */
  readonly scaleDown?: string;
  /** The Deployment's (or ReplicaSet's) `spec.replicas`. @default - absent (Kubernetes runs 1) */
  readonly replicas?: number;
  /**
   * The object as parsed.
   */
  readonly object: KubeObject;
}

/** One Rollout and the objects it references, ready for `plan` / `simulate`. */
export interface RolloutModel {
  /**
   * `metadata.name`.
   */
  readonly name: string;
  /**
   * `metadata.namespace`.
   * @default - absent (matches any namespace)
   */
  readonly namespace?: string;
  /** The Rollout's spec in the runtime's plain-data shape. */
  readonly spec: RolloutSpec;
  /** `spec.selector.matchLabels` (taken from the workload when the Rollout has no selector). */
  readonly selector: Readonly<Record<string, string>>;
  /** The pod template in force: inline `spec.template` or the referenced workload's. */
  readonly template: Readonly<Record<string, unknown>>;
  /**
   * The `workloadRef` target, when the Rollout has one.
   * @default - none: the Rollout has an inline `spec.template`
   */
  readonly workload?: WorkloadModel;
  /**
   * The Services the Rollout names: stable and canary, or ping and pong; a name missing from the input is an error.
   */
  readonly services: {
    readonly stable?: ServiceModel;
    readonly canary?: ServiceModel;
    readonly ping?: ServiceModel;
    readonly pong?: ServiceModel;
  };
  /** Every VirtualService the Rollout names, in the Rollout's order. */
  readonly virtualServices: readonly VirtualServiceModel[];
  /**
   * The DestinationRule of a subset-level split.
   * @default - none: host-level split
   */
  readonly destinationRule?: DestinationRuleModel;
  /**
   * The HPA aimed at the Rollout, if any.
   * @default - none
   */
  readonly hpa?: HpaModel;
  /**
   * The PodDisruptionBudgets that select the Rollout's pods.
   */
  readonly pdbs: readonly PdbModel[];
  /**
   * The object as parsed.
   */
  readonly object: KubeObject;
  /**
   * Where the Rollout was found.
   */
  readonly source: ObjectSource;
}

/** Options of `readManifests`. */
export interface ReadManifestsOptions {
  /**
   * The Rollout to use when the input holds several: `NAME`, or `NAMESPACE/NAME` when Rollouts of
   * the same name live in several namespaces. @default - the only Rollout
   */
  readonly rollout?: string;
}

/** A manifest problem: names the file, the object and the field. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** Parses multi-document YAML (or takes objects) into a flat list, expanding `kind: List`. */
export function parseManifests(input: ManifestInput): SourcedObject[] {
  const items: readonly (string | ManifestText | KubeObject)[] = Array.isArray(input)
    ? (input as readonly (string | ManifestText | KubeObject)[])
    : [input as string | ManifestText | KubeObject];
  const out: SourcedObject[] = [];
  let objectIndex = 0;
  for (const item of items) {
    if (typeof item === 'string' || isManifestText(item)) {
      const text = typeof item === 'string' ? item : item.text;
      const file = typeof item === 'string' ? undefined : item.file;
      let document = 0;
      for (const doc of documentsOf(text)) {
        const source: ObjectSource = { file, document: (document += 1) };
        if (doc.errors.length > 0) throw yamlError(text, source);
        pushObject(out, documentValue(doc, source), source);
      }
    } else {
      objectIndex += 1;
      pushObject(out, item, { document: objectIndex });
    }
  }
  return out;
}

/**
 * The documents of a YAML stream, one at a time: each is turned into plain data and dropped
 * before the next is composed (`parseAllDocuments` holds every document's syntax tree at once,
 * about 35 times the text's size: 1.8 GB of memory for a 50 MB manifest).
 */
function documentsOf(text: string): Iterable<Document.Parsed> {
  return new Composer(KUBERNETES_YAML_OPTIONS).compose(new Parser().parse(text));
}

/**
 * The error of a document that is not valid YAML, with the line and column as `parseAllDocuments`
 * words them (it parses the text again, with line positions: only on this path, which ends the read).
 */
function yamlError(text: string, source: ObjectSource): ManifestError {
  const first = parseAllDocuments(text, KUBERNETES_YAML_OPTIONS)[source.document - 1].errors[0];
  const line = first.linePos?.[0]?.line;
  return new ManifestError(
    `${where(source)}invalid YAML in document ${source.document}${line !== undefined ? ` (line ${line})` : ''}: ${firstLine(first.message)}`,
  );
}

/**
 * The YAML aliases one document may expand: the yaml package's own default (its `maxAliasCount`),
 * named here because the error message quotes it.
 */
export const MAX_YAML_ALIAS_COUNT = 100;

/**
 * A parsed document as plain data. A document whose aliases expand too far (a "billion laughs"
 * document: each alias a list of aliases) makes the yaml package throw a ReferenceError; it is a
 * ManifestError naming the file and document instead, like any other unreadable YAML.
 */
function documentValue(doc: Document.Parsed, source: ObjectSource): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    throw new ManifestError(
      `${where(source)}invalid YAML in document ${source.document}: its aliases expand beyond ${MAX_YAML_ALIAS_COUNT} alias uses (${firstLine(err.message)})`,
    );
  }
}

/** Names of the Rollouts in the input, in input order. */
export function listRollouts(input: ManifestInput): string[] {
  return parseManifests(input)
    .filter((o) => o.object.kind === 'Rollout')
    .map((o) => o.object.metadata?.name ?? '');
}

/**
 * Finds one Rollout (by name when several) and resolves everything it references.
 * Throws `ManifestError` naming the object and field when a reference is missing or a field is invalid.
 */
export function readManifests(input: ManifestInput, options: ReadManifestsOptions = {}): RolloutModel {
  const objects = parseManifests(input);
  const rollouts = objects.filter((o) => o.object.kind === 'Rollout');
  if (rollouts.length === 0) throw new ManifestError(noRolloutMessage(input, objects));
  const picked = pickRollout(rollouts, options.rollout);
  return resolveRollout(picked, objects);
}

/** Objects named in the "no Rollout" message before it says how many more there are. */
const OBJECTS_NAMED = 5;

/** "no Rollout ... in a.yaml, b.yaml (read: Deployment/web, Service/web)": what was read and what it held. */
export function noRolloutMessage(input: ManifestInput, objects: readonly SourcedObject[]): string {
  const items = Array.isArray(input) ? (input as readonly unknown[]) : [input];
  const files = [...new Set(items.flatMap((item) => (isManifestText(item) && item.file !== undefined ? [item.file] : [])))];
  const read = files.length > 0 ? files.join(', ') : 'the input';
  const refs = objects.slice(0, OBJECTS_NAMED).map((o) => `${String(o.object.kind ?? '(no kind)')}/${String(o.object.metadata?.name ?? '(unnamed)')}`);
  const more = objects.length > OBJECTS_NAMED ? ` and ${objects.length - OBJECTS_NAMED} more` : '';
  const held = objects.length === 0 ? 'no object' : `${refs.join(', ')}${more}`;
  return `no Rollout (apiVersion argoproj.io/v1alpha1, kind Rollout) in ${read} (read: ${held})`;
}

/** `namespace/name` of a Rollout, or just its name when it has no namespace. */
function qualifiedName(rollout: SourcedObject): string {
  const name = rollout.object.metadata?.name ?? '(unnamed)';
  const ns = rollout.object.metadata?.namespace;
  return ns ? `${ns}/${name}` : name;
}

function pickRollout(rollouts: SourcedObject[], wanted: string | undefined): SourcedObject {
  const names = rollouts.map(qualifiedName);
  if (wanted !== undefined) {
    const slash = wanted.indexOf('/');
    const [ns, name] = slash >= 0 ? [wanted.slice(0, slash), wanted.slice(slash + 1)] : [undefined, wanted];
    const found = rollouts.filter(
      (r) => r.object.metadata?.name === name && (ns === undefined || (r.object.metadata?.namespace ?? '') === ns),
    );
    if (found.length === 0) {
      throw new ManifestError(`Rollout/${wanted} is not in the input (found: ${names.join(', ')})`);
    }
    if (found.length > 1) {
      const places = found.map((f) => `${qualifiedName(f)} (${f.source.file ? `${f.source.file}, ` : ''}document ${f.source.document})`);
      const hint = !found.some((f) => f.object.metadata?.namespace)
        ? ''
        : found.some((f) => !f.object.metadata?.namespace)
          ? '; choose one as NAMESPACE/NAME (/NAME for the one without a namespace)'
          : '; choose one as NAMESPACE/NAME';
      throw new ManifestError(`Rollout/${wanted} appears ${found.length} times (${places.join(', ')})${hint}`);
    }
    return found[0];
  }
  if (rollouts.length > 1) {
    throw new ManifestError(`the input holds ${rollouts.length} Rollouts (${names.join(', ')}): choose one with NAME or NAMESPACE/NAME`);
  }
  return rollouts[0];
}

function resolveRollout(picked: SourcedObject, all: SourcedObject[]): RolloutModel {
  const ro = picked.object;
  const name = ro.metadata?.name;
  const at = where(picked.source);
  if (!name) {
    throw new ManifestError(`${at}Rollout: metadata.name is missing`);
  }
  const ns = ro.metadata?.namespace;
  const id = `${at}Rollout/${name}`;
  const fail = (msg: string): never => {
    throw new ManifestError(`${id}: ${msg}`);
  };
  const rawSpec = asRecord(ro.spec);
  if (!rawSpec) {
    return fail('spec is missing');
  }
  const strategy = asRecord(rawSpec.strategy);
  if (!strategy) {
    return fail('spec.strategy is missing (only spec.strategy.canary is supported)');
  }
  if (strategy.blueGreen !== undefined) {
    return fail('spec.strategy.blueGreen is not supported: the runtime models spec.strategy.canary only');
  }
  const canaryRaw = asRecord(strategy.canary);
  if (!canaryRaw) {
    return fail('spec.strategy.canary is missing (only canary Rollouts are supported)');
  }
  // An object without metadata.namespace is in whatever namespace it is applied to (kubectl -n,
  // kustomize), so it matches the namespace a reference asks for (`name.namespace` of a VirtualService).
  const find = (kind: string, objName: string, objNs: string | undefined): SourcedObject | undefined =>
    all.find(
      (o) =>
        o.object.kind === kind &&
        o.object.metadata?.name === objName &&
        (o.object.metadata?.namespace ?? objNs ?? ns) === (objNs ?? ns),
    );

  // Workload: inline template or workloadRef.
  let template = asRecord(rawSpec.template);
  let workload: WorkloadModel | undefined;
  let selector = asRecord(rawSpec.selector);
  const workloadRef = asRecord(rawSpec.workloadRef);
  if (workloadRef) {
    if (template && Object.keys(template).length > 0) {
      fail('spec.template must be empty when spec.workloadRef is set ("template must be empty for workload reference rollout")');
    }
    const kind = String(workloadRef.kind ?? '');
    const refName = String(workloadRef.name ?? '');
    if (kind !== 'Deployment' && kind !== 'ReplicaSet' && kind !== 'PodTemplate') {
      fail(`spec.workloadRef.kind (${JSON.stringify(workloadRef.kind)}) must be Deployment, ReplicaSet or PodTemplate`);
    }
    if (!refName) {
      fail('spec.workloadRef.name is missing');
    }
    const target = find(kind, refName, ns);
    if (!target) {
      return fail(`spec.workloadRef names ${kind}/${refName}, which is not in the input`);
    }
    const wlSpec = asRecord(target.object.spec);
    const wlTemplate = kind === 'PodTemplate' ? asRecord(target.object.template) : asRecord(wlSpec?.template);
    if (!wlTemplate) {
      throw new ManifestError(
        `${where(target.source)}${kind}/${refName}: ${kind === 'PodTemplate' ? 'template' : 'spec.template'} is missing (referenced by Rollout/${name} spec.workloadRef)`,
      );
    }
    template = wlTemplate;
    selector = selector ?? asRecord(wlSpec?.selector);
    const workloadFail = (msg: string): never => {
      throw new ManifestError(`${where(target.source)}${kind}/${refName}: ${msg}`);
    };
    workload = {
      kind: kind as WorkloadModel['kind'],
      name: refName,
      scaleDown: typeof workloadRef.scaleDown === 'string' ? workloadRef.scaleDown : undefined,
      replicas: kind === 'PodTemplate' ? undefined : replicasInt(wlSpec?.replicas, workloadFail),
      object: target.object,
    };
  }
  if (!template) {
    return fail('has neither spec.template nor spec.workloadRef');
  }

  const canary = readCanaryStrategy(canaryRaw, fail);
  const spec: RolloutSpec = {
    replicas: replicasInt(rawSpec.replicas, fail),
    paused: rawSpec.paused === undefined ? undefined : rawSpec.paused === true,
    minReadySeconds: optionalInt(rawSpec.minReadySeconds, 'spec.minReadySeconds', 0, fail),
    progressDeadlineSeconds: optionalInt(rawSpec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds', 0, fail),
    progressDeadlineAbort: rawSpec.progressDeadlineAbort === undefined ? undefined : rawSpec.progressDeadlineAbort === true,
    revisionHistoryLimit: optionalInt(rawSpec.revisionHistoryLimit, 'spec.revisionHistoryLimit', 0, fail),
    restartAt: typeof rawSpec.restartAt === 'string' ? rawSpec.restartAt : undefined,
    rollbackWindow: readRollbackWindow(rawSpec.rollbackWindow, fail),
    strategy: { canary },
  };

  // Services.
  const service = (field: string, svcName: string | undefined): ServiceModel | undefined => {
    if (!svcName) {
      return undefined;
    }
    const found = find('Service', svcName, ns);
    if (!found) {
      return fail(`${field} names Service/${svcName}, which is not in the input`);
    }
    return {
      name: svcName,
      namespace: found.object.metadata?.namespace,
      selector: stringRecord(asRecord(found.object.spec)?.selector),
      object: found.object,
    };
  };
  const services = {
    stable: service('spec.strategy.canary.stableService', canary.stableService),
    canary: service('spec.strategy.canary.canaryService', canary.canaryService),
    ping: service('spec.strategy.canary.pingPong.pingService', canary.pingPong?.pingService),
    pong: service('spec.strategy.canary.pingPong.pongService', canary.pingPong?.pongService),
  };

  // Istio objects.
  const istio = canary.trafficRouting?.istio;
  const vsRefs: { ref: IstioVirtualServiceRef; field: string }[] = [];
  if (istio?.virtualService) {
    vsRefs.push({ ref: istio.virtualService, field: 'spec.strategy.canary.trafficRouting.istio.virtualService' });
  }
  (istio?.virtualServices ?? []).forEach((ref, i) =>
    vsRefs.push({ ref, field: `spec.strategy.canary.trafficRouting.istio.virtualServices[${i}]` }),
  );
  const virtualServices = vsRefs.map(({ ref, field }): VirtualServiceModel => {
    const { name: vsName, namespace: vsNs } = splitVirtualServiceName(ref.name);
    const found = find('VirtualService', vsName, vsNs);
    if (!found) {
      return fail(`${field}.name names VirtualService/${ref.name}, which is not in the input`);
    }
    const vsSpec = asRecord(found.object.spec);
    if (!vsSpec) {
      throw new ManifestError(`${where(found.source)}VirtualService/${vsName}: spec is missing`);
    }
    return { ref, name: vsName, namespace: found.object.metadata?.namespace, spec: vsSpec, object: found.object };
  });
  let destinationRule: DestinationRuleModel | undefined;
  if (istio?.destinationRule) {
    const ref = istio.destinationRule;
    const found = find('DestinationRule', ref.name, ns);
    if (!found) {
      return fail(
        `spec.strategy.canary.trafficRouting.istio.destinationRule.name names DestinationRule/${ref.name}, which is not in the input`,
      );
    }
    const drSpec = asRecord(found.object.spec) ?? {};
    const subsets = Array.isArray(drSpec.subsets) ? (drSpec.subsets as unknown[]) : [];
    const subsetNames = subsets.map((s) => asRecord(s)?.name);
    for (const [field, subset] of [
      ['canarySubsetName', ref.canarySubsetName],
      ['stableSubsetName', ref.stableSubsetName],
    ] as const) {
      if (!subsetNames.includes(subset)) {
        fail(
          `spec.strategy.canary.trafficRouting.istio.destinationRule.${field} names subset "${subset}", which DestinationRule/${ref.name} does not define (subsets: ${subsetNames.join(', ') || 'none'})`,
        );
      }
    }
    destinationRule = { ref, name: ref.name, namespace: found.object.metadata?.namespace, spec: drSpec, object: found.object };
  }

  // HPA aimed at the Rollout.
  const hpaObj = all.find((o) => {
    if (o.object.kind !== 'HorizontalPodAutoscaler' || (o.object.metadata?.namespace ?? ns) !== ns) {
      return false;
    }
    const target = asRecord(asRecord(o.object.spec)?.scaleTargetRef);
    return target?.kind === 'Rollout' && target?.name === name;
  });
  let hpa: HpaModel | undefined;
  if (hpaObj) {
    const hpaSpec = asRecord(hpaObj.object.spec) ?? {};
    const hpaName = hpaObj.object.metadata?.name ?? '(unnamed)';
    const hpaFail = (msg: string): never => {
      throw new ManifestError(`${where(hpaObj.source)}HorizontalPodAutoscaler/${hpaName}: ${msg}`);
    };
    const maxReplicas = optionalInt(hpaSpec.maxReplicas, 'spec.maxReplicas', 1, hpaFail);
    if (maxReplicas === undefined) {
      hpaFail('spec.maxReplicas is missing');
    }
    hpa = {
      name: hpaName,
      minReplicas: optionalInt(hpaSpec.minReplicas, 'spec.minReplicas', 1, hpaFail),
      maxReplicas: maxReplicas as number,
      object: hpaObj.object,
    };
  }

  // PDBs selecting the Rollout's pods.
  const podLabels = stringRecord(asRecord(template.metadata)?.labels);
  const stableLabels = mergeLabels(podLabels, canary.stableMetadata?.labels);
  const canaryLabels = mergeLabels(podLabels, canary.canaryMetadata?.labels);
  const pdbs: PdbModel[] = [];
  for (const o of all) {
    if (o.object.kind !== 'PodDisruptionBudget' || (o.object.metadata?.namespace ?? ns) !== ns) {
      continue;
    }
    const pdbSpec = asRecord(o.object.spec) ?? {};
    const matchLabels = stringRecord(asRecord(pdbSpec.selector)?.matchLabels);
    const inStable = selectsSome(matchLabels, stableLabels);
    const inCanary = selectsSome(matchLabels, canaryLabels);
    if (!inStable && !inCanary) {
      continue;
    }
    pdbs.push({
      name: o.object.metadata?.name ?? '(unnamed)',
      matchLabels,
      minAvailable: intOrString(pdbSpec.minAvailable),
      maxUnavailable: intOrString(pdbSpec.maxUnavailable),
      selects: inStable && inCanary ? 'both' : inStable ? 'stable' : 'canary',
      object: o.object,
    });
  }

  return {
    name,
    namespace: ns,
    spec,
    selector: stringRecord(selector?.matchLabels),
    template,
    workload,
    services,
    virtualServices,
    destinationRule,
    hpa,
    pdbs,
    object: ro,
    source: picked.source,
  };
}

/**
 * `istioutil.GetVirtualServiceNamespaceName` (v1.9.1): a reference is `name` or `name.namespace`
 * (split on dots; the first field is the name, the second the namespace).
 */
export function splitVirtualServiceName(ref: string): { name: string; namespace?: string } {
  // ref.split('.')[0] and [1], without building the array of every field.
  const dot = ref.indexOf('.');
  if (dot < 0) return { name: ref };
  const next = ref.indexOf('.', dot + 1);
  return { name: ref.slice(0, dot), namespace: ref.slice(dot + 1, next < 0 ? ref.length : next) };
}

const STEP_KINDS = [
  'setWeight',
  'pause',
  'setCanaryScale',
  'analysis',
  'experiment',
  'setHeaderRoute',
  'setMirrorRoute',
  'plugin',
] as const;

function readCanaryStrategy(raw: Record<string, unknown>, fail: (msg: string) => never): CanaryStrategy {
  const base = 'spec.strategy.canary';
  const stepsRaw = raw.steps;
  let steps: CanaryStep[] | undefined;
  if (stepsRaw !== undefined && stepsRaw !== null) {
    if (!Array.isArray(stepsRaw)) {
      fail(`${base}.steps (${JSON.stringify(stepsRaw)}) must be a list of steps`);
    }
    steps = (stepsRaw as unknown[]).map((s, i) => readStep(s, i, fail));
  }
  const trafficRouting = asRecord(raw.trafficRouting);
  const istio = asRecord(trafficRouting?.istio);
  if (trafficRouting) {
    for (const k of Object.keys(trafficRouting)) {
      if (k !== 'istio' && k !== 'maxTrafficWeight' && k !== 'managedRoutes') {
        fail(`${base}.trafficRouting.${k} is not supported: the runtime models Istio traffic routing only`);
      }
    }
  }
  if (trafficRouting && !istio) {
    fail(`${base}.trafficRouting has no istio section: the runtime models Istio traffic routing only`);
  }
  if (istio && !istio.virtualService && !istio.virtualServices) {
    fail(`${base}.trafficRouting.istio needs virtualService or virtualServices`);
  }
  if (trafficRouting?.maxTrafficWeight !== undefined && trafficRouting.maxTrafficWeight !== 100) {
    fail(
      `${base}.trafficRouting.maxTrafficWeight (${JSON.stringify(trafficRouting.maxTrafficWeight)}) is only supported for Nginx and plugins; with Istio it must be absent or 100`,
    );
  }
  const intOrPercent = (field: string): number | string | undefined => {
    const v = raw[field];
    if (v === undefined || v === null) {
      return undefined;
    }
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) {
      return v;
    }
    if (typeof v === 'string' && /^\d+%?$/.test(v)) {
      return v;
    }
    return fail(`${base}.${field} (${JSON.stringify(v)}) must be a non-negative integer or a percentage such as "25%"`);
  };
  const pingPong = asRecord(raw.pingPong);
  const strategy: CanaryStrategy = {
    steps,
    maxSurge: intOrPercent('maxSurge'),
    maxUnavailable: intOrPercent('maxUnavailable'),
    trafficRouting: trafficRouting as CanaryStrategy['trafficRouting'],
    dynamicStableScale: raw.dynamicStableScale === undefined ? undefined : raw.dynamicStableScale === true,
    minPodsPerReplicaSet: optionalInt(raw.minPodsPerReplicaSet, `${base}.minPodsPerReplicaSet`, 1, fail),
    scaleDownDelaySeconds: optionalInt(raw.scaleDownDelaySeconds, `${base}.scaleDownDelaySeconds`, 0, fail),
    scaleDownDelayRevisionLimit: optionalInt(raw.scaleDownDelayRevisionLimit, `${base}.scaleDownDelayRevisionLimit`, 0, fail),
    abortScaleDownDelaySeconds: optionalInt(raw.abortScaleDownDelaySeconds, `${base}.abortScaleDownDelaySeconds`, 0, fail),
    canaryService: optionalString(raw.canaryService),
    stableService: optionalString(raw.stableService),
    pingPong: pingPong
      ? { pingService: String(pingPong.pingService ?? ''), pongService: String(pingPong.pongService ?? '') }
      : undefined,
    canaryMetadata: raw.canaryMetadata as CanaryStrategy['canaryMetadata'],
    stableMetadata: raw.stableMetadata as CanaryStrategy['stableMetadata'],
    replicaProgressThreshold: raw.replicaProgressThreshold as CanaryStrategy['replicaProgressThreshold'],
    analysis: asRecord(raw.analysis),
  };
  if (istio && !istio.destinationRule && !pingPong && (!strategy.canaryService || !strategy.stableService)) {
    fail(
      `${base}.canaryService and ${base}.stableService must both be set to use Istio host-level traffic routing (canaryService: ${JSON.stringify(strategy.canaryService ?? null)}, stableService: ${JSON.stringify(strategy.stableService ?? null)})`,
    );
  }
  if (strategy.canaryService && strategy.canaryService === strategy.stableService) {
    fail(`${base}.canaryService and ${base}.stableService must differ (both are "${strategy.canaryService}")`);
  }
  if (strategy.dynamicStableScale && !trafficRouting) {
    fail(`${base}.dynamicStableScale can only be used with traffic routing`);
  }
  if (strategy.dynamicStableScale && strategy.scaleDownDelaySeconds !== undefined) {
    fail(`${base}.dynamicStableScale cannot be used with scaleDownDelaySeconds (${strategy.scaleDownDelaySeconds})`);
  }
  if (!trafficRouting) {
    steps?.forEach((s, i) => {
      for (const kind of ['setCanaryScale', 'setHeaderRoute', 'setMirrorRoute'] as const) {
        if (s[kind] !== undefined) {
          fail(`${base}.steps[${i}].${kind} requires ${base}.trafficRouting to be set`);
        }
      }
    });
  }
  return strategy;
}

/** Field path of step `index`, built only for a message (a valid step needs none). */
function stepPath(index: number): string {
  return `spec.strategy.canary.steps[${index}]`;
}

function readStep(raw: unknown, index: number, fail: (msg: string) => never): CanaryStep {
  const step = asRecord(raw);
  if (!step) {
    return fail(`${stepPath(index)} (${JSON.stringify(raw)}) must be an object with one of: ${STEP_KINDS.join(', ')}`);
  }
  if (!isSingleKnownStep(step)) {
    const keys = Object.keys(step).filter((k) => step[k] !== undefined && step[k] !== null);
    const known = keys.filter((k) => (STEP_KINDS as readonly string[]).includes(k));
    fail(
      `${stepPath(index)} (${JSON.stringify(raw)}) must set exactly one of: ${STEP_KINDS.join(', ')}${keys.length > known.length ? ` (unknown: ${keys.filter((k) => !known.includes(k)).join(', ')})` : ''}`,
    );
  }
  if (step.setWeight !== undefined) {
    const w = step.setWeight;
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 100) {
      fail(`${stepPath(index)}.setWeight (${JSON.stringify(w)}) must be an integer between 0 and 100`);
    }
  }
  if (step.pause !== undefined) {
    const pause = asRecord(step.pause);
    if (!pause) {
      fail(`${stepPath(index)}.pause (${JSON.stringify(step.pause)}) must be an object such as {} or {duration: 30s}`);
    }
    const d = pause?.duration;
    if (d !== undefined) {
      if (typeof d !== 'number' && typeof d !== 'string') {
        fail(`${stepPath(index)}.pause.duration (${JSON.stringify(d)}) must be whole seconds or a duration string such as "30s", "5m" or "1h"`);
      }
      try {
        pauseDurationSeconds(d as number | string, `${stepPath(index)}.pause.duration`);
      } catch (err) {
        fail((err as Error).message);
      }
    }
  }
  if (step.setCanaryScale !== undefined) {
    const scale = asRecord(step.setCanaryScale);
    const set = scale ? Object.keys(scale).filter((k) => scale[k] !== undefined && scale[k] !== null) : [];
    if (!scale || set.length === 0) {
      fail(`${stepPath(index)}.setCanaryScale (${JSON.stringify(step.setCanaryScale)}) must set replicas, weight or matchTrafficWeight`);
    }
    for (const k of ['replicas', 'weight'] as const) {
      const v = scale?.[k];
      if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
        fail(`${stepPath(index)}.setCanaryScale.${k} (${JSON.stringify(v)}) must be a non-negative integer`);
      }
    }
  }
  return step as CanaryStep;
}

/** Exactly one field of the step is set (not undefined or null), and it is a step kind. */
function isSingleKnownStep(step: Record<string, unknown>): boolean {
  let set: string | undefined;
  for (const k of Object.keys(step)) {
    if (step[k] === undefined || step[k] === null) continue;
    if (set !== undefined) return false;
    set = k;
  }
  return set !== undefined && (STEP_KINDS as readonly string[]).includes(set);
}

function pushObject(out: SourcedObject[], value: unknown, source: ObjectSource): void {
  if (value === null || value === undefined) {
    return;
  }
  const obj = asRecord(value);
  if (!obj) {
    throw new ManifestError(`${where(source)}document ${source.document} is not a Kubernetes object (${JSON.stringify(value)})`);
  }
  if (obj.kind === 'List' && Array.isArray(obj.items)) {
    for (const item of obj.items) {
      pushObject(out, item, source);
    }
    return;
  }
  out.push({ object: obj as KubeObject, source });
}

function isManifestText(x: unknown): x is ManifestText {
  return typeof x === 'object' && x !== null && typeof (x as ManifestText).text === 'string' && !('kind' in x);
}

function where(source: ObjectSource): string {
  return source.file ? `${source.file}: ` : '';
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

function stringRecord(v: unknown): Record<string, string> {
  const r = asRecord(v);
  const out: Record<string, string> = {};
  if (!r) return out;
  for (const k of Object.keys(r)) {
    // An own `__proto__` key stays an own property (as Object.fromEntries makes it), not the prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: String(r[k]), enumerable: true, writable: true, configurable: true });
    else out[k] = String(r[k]);
  }
  return out;
}

function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The most replicas the controller handles: it computes `weight * replicas` in int32
 * (utils/replicaset/canary.go trafficWeightToReplicas), which wraps above (2^31 - 1) / 100.
 */
const MAX_REPLICAS = Math.floor((2 ** 31 - 1) / 100);

function replicasInt(v: unknown, fail: (msg: string) => never): number | undefined {
  const replicas = optionalInt(v, 'spec.replicas', 0, fail);
  if (replicas !== undefined && replicas > MAX_REPLICAS) {
    return fail(`spec.replicas (${replicas}) must be at most ${MAX_REPLICAS}: the controller computes weight * replicas in 32-bit integers, which overflow above that`);
  }
  return replicas;
}

/** An optional int32 field (every integer field the reader reads is int32 in the CRD or the Kubernetes API). */
function optionalInt(v: unknown, field: string, min: number, fail: (msg: string) => never): number | undefined {
  if (v === undefined || v === null) {
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    return fail(`${field} (${JSON.stringify(v)}) must be an integer >= ${min}`);
  }
  if (v > INT32_MAX) {
    return fail(`${field} (${v}) must be at most ${INT32_MAX} (an int32 in the CRD)`);
  }
  return v;
}

function readRollbackWindow(raw: unknown, fail: (msg: string) => never): RolloutSpec['rollbackWindow'] {
  if (raw === undefined || raw === null) return undefined;
  const window = asRecord(raw);
  if (!window) return fail(`spec.rollbackWindow (${JSON.stringify(raw)}) must be an object such as {revisions: 3}`);
  return { revisions: optionalInt(window.revisions, 'spec.rollbackWindow.revisions', 0, fail) };
}

function intOrString(v: unknown): number | string | undefined {
  return typeof v === 'number' || typeof v === 'string' ? v : undefined;
}
