import { isPlainObject } from '../model/records';
import { arrayAt, recordAt, stringAt, type JsonRecord } from './data';
import { MemoTable, type ManifestIndex, type ManifestObject } from './manifest-index';

/** Where each workload kind keeps its pod template (`metadata` + `spec` of the pods). */
const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  Rollout: ['spec', 'template'],
};

/** The container lists of a pod spec that the API server runs (ephemeral containers included). */
export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** One container of a pod template, with the path of the container inside its object. */
export interface TemplateContainer {
  /** e.g. `spec.template.spec.containers[0]`. */
  readonly path: string;
  readonly list: (typeof CONTAINER_LISTS)[number];
  readonly name: string;
  readonly raw: JsonRecord;
}

/** The pods an object describes: its pod spec and metadata, and where they are. */
export interface PodTemplate {
  readonly object: ManifestObject;
  /** Path of the pod spec inside the object, e.g. `spec.template.spec` (a Pod: `spec`). */
  readonly specPath: string;
  readonly spec: JsonRecord;
  readonly metadata: JsonRecord;
  /** Every container of every list, in the order init, regular, ephemeral. */
  readonly containers: readonly TemplateContainer[];
}

/** The containers of a pod spec, each with its path under `specPath`. */
export function podContainers(spec: JsonRecord, specPath: string): TemplateContainer[] {
  const out: TemplateContainer[] = [];
  for (const list of CONTAINER_LISTS) {
    arrayAt(spec[list]).forEach((c, i) => {
      if (!isPlainObject(c)) return;
      out.push({ path: `${specPath}.${list}[${i}]`, list, name: stringAt(c.name) ?? `#${i}`, raw: c });
    });
  }
  return out;
}

function templateOf(object: ManifestObject): PodTemplate | undefined {
  if (object.kind === 'Pod') {
    if (!isPlainObject(object.raw.spec)) return undefined;
    return { object, specPath: 'spec', spec: object.raw.spec, metadata: recordAt(object.raw.metadata), containers: podContainers(object.raw.spec, 'spec') };
  }
  const path = TEMPLATE_PATHS[object.kind];
  if (!path) return undefined;
  // A Rollout with workloadRef runs the referenced Deployment's template, never its own (which the
  // controller refuses: workload-ref-template).
  if (object.kind === 'Rollout' && isPlainObject(recordAt(object.raw.spec).workloadRef)) return undefined;
  let template: unknown = object.raw;
  for (const key of path) template = recordAt(template)[key];
  if (!isPlainObject(template) || !isPlainObject(template.spec)) return undefined;
  const specPath = `${path.join('.')}.spec`;
  return { object, specPath, spec: template.spec, metadata: recordAt(template.metadata), containers: podContainers(template.spec, specPath) };
}

const TEMPLATES = new MemoTable<ManifestIndex, readonly PodTemplate[]>('pod templates');

/** Every pod template of the input (Pods, workloads, Rollouts without workloadRef), in input order. */
export function podTemplates(index: ManifestIndex): readonly PodTemplate[] {
  return index.memo(TEMPLATES, index, () => {
    const out: PodTemplate[] = [];
    for (const object of index.objects) {
      const template = templateOf(object);
      if (template) out.push(template);
    }
    return out;
  });
}

/** The pod template an object carries, if its kind has one. */
export function podTemplateOf(object: ManifestObject): PodTemplate | undefined {
  return templateOf(object);
}
