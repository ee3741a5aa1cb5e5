import {
  type Fail,
  type HpaFields,
  hpaMinReplicasOrDefault,
  type KubeObject,
  ManifestError,
  readHpaFields,
  readRolloutFields,
  readWorkloadFields,
  readWorkloadRef,
  type WorkloadFields,
  type WorkloadRefFields,
} from '../model/manifests';
import { CANARY_CONVENTIONS } from './conventions';

import { mergeLabels } from '../model/merge-labels';

import type { CanaryStrategy } from '../model/rollout-spec';
import { recordAt, stringMapAt, type JsonRecord } from './data';
import { readLabelSelector } from './label-selector';

import { sameNamespace, type ManifestIndex, type ManifestObject } from './manifest-index';

/** `spec.workloadRef` of a Rollout, as the model's reader reads it (`readWorkloadRef`). */
export type WorkloadRef = WorkloadRefFields;

/** The lint reads the model's per-kind readers for their values; their problems reach it through the plan (not-evaluated). */
export const refuse: Fail = (msg: string): never => {
  throw new ManifestError(msg);
};

/** A Rollout and the objects around it, as the rules see them. */
export interface RolloutView {
  readonly object: ManifestObject;
  readonly spec: JsonRecord;
  /**
   * `spec.strategy.canary` as the manifests reader reads it (`readRolloutFields`); undefined for
   * blue-green (or strategy-less) Rollouts, and for a strategy whose steps or fields the reader
   * refuses, which the rules skip (not-evaluated reports the reader's problem).
   */
  readonly canary?: CanaryStrategy;
  /** `spec.replicas` as the reader reads it (undefined when absent or refused). */
  readonly replicas?: number;
  readonly paused: boolean;
  readonly workloadRef?: WorkloadRef;
  /** The Deployment `workloadRef` names, when it is among the manifests. */
  readonly workload?: ManifestObject;
  /** That Deployment's fields as the model's reader reads them (`readWorkloadFields`). */
  readonly workloadFields?: WorkloadFields;
  /** Labels of the Rollout's pods: the pod template's, else the Rollout's matchLabels. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Pod labels plus `stableMetadata.labels`. */
  readonly stablePodLabels: Readonly<Record<string, string>>;
  /** Pod labels plus `canaryMetadata.labels`. */
  readonly canaryPodLabels: Readonly<Record<string, string>>;
  /** HorizontalPodAutoscalers whose scaleTargetRef is this Rollout. */
  readonly hpas: readonly ManifestObject[];
}

/** Builds the view of every Rollout in the index. */
export function readRollouts(index: ManifestIndex): readonly RolloutView[] {
  return index.ofKind('Rollout').map((object) => readRollout(index, object));
}

function readRollout(index: ManifestIndex, object: ManifestObject): RolloutView {
  const spec = recordAt(object.raw.spec);
  const fields = readRolloutFields({ object: object.raw as KubeObject, source: { document: object.index + 1 } });
  const canary = fields.canary;
  const workloadRef = readWorkloadRef(spec);
  const workload =
    workloadRef?.kind === 'Deployment' && workloadRef.name !== undefined
      ? index.find('Deployment', workloadRef.name, object.namespace)
      : undefined;
  const workloadFields = workload ? readWorkloadFields(workload.raw as KubeObject, refuse, []) : undefined;
  const templateLabels = workloadFields?.templateLabels ?? stringMapAt(recordAt(recordAt(spec.template).metadata).labels);
  // The selector is only read when the template has no labels.
  const podLabels = Object.keys(templateLabels).length > 0 ? templateLabels : (readLabelSelector(spec.selector).matchLabels ?? {});
  const hpas: ManifestObject[] = [];
  for (const hpa of index.hpasTargeting('Rollout', object.name)) if (sameNamespace(hpa.namespace, object.namespace)) hpas.push(hpa);
  return {
    object,
    spec,
    canary,
    replicas: fields.spec?.replicas,
    paused: spec.paused === true,
    workloadRef,
    workload,
    workloadFields,
    podLabels,
    stablePodLabels: mergeLabels(podLabels, stringMapAt(recordAt(canary?.stableMetadata).labels)),
    canaryPodLabels: mergeLabels(podLabels, stringMapAt(recordAt(canary?.canaryMetadata).labels)),
    hpas,
  };
}

/** An HPA's fields as the model's reader reads them (`readHpaFields`): a count it refuses is undefined. */
export function hpaFields(hpa: ManifestObject): HpaFields {
  return readHpaFields(hpa.raw as KubeObject, refuse, []);
}

/**
 * `spec.minReplicas` of an HPA as the reader reads it, else Kubernetes' default
 * (`hpaMinReplicasOrDefault`); undefined when it is written but the reader refuses it (the plan
 * fails on it, and not-evaluated reports the reader's problem).
 */
export function hpaMinReplicas(hpa: ManifestObject): number | undefined {
  const fields = hpaFields(hpa);
  if (fields.minReplicas === undefined && recordAt(hpa.raw.spec).minReplicas != null) return undefined;
  return hpaMinReplicasOrDefault(fields);
}

/** `spec.maxReplicas` of an HPA as the reader reads it (required by the API; undefined when missing or refused). */
export function hpaMaxReplicas(hpa: ManifestObject): number | undefined {
  return hpaFields(hpa).maxReplicas;
}

/** Label key the presets use for the stable/canary role (for messages and fixes). */
export const ROLE_KEY = CANARY_CONVENTIONS.roleKey;
