import type { IstioDestinationRuleRef, IstioVirtualServiceRef, RolloutSpec } from '../rollout-spec';

/**
 * The shapes the manifests reader reads into: any Kubernetes object with where it was found, and the
 * model of one Rollout with everything it references (`RolloutModel`).
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

/**
 * A manifest problem: names the file, the object and the field. When the reader found several
 * problems, `problems` lists each and the message is one line per problem.
 */
export class ManifestError extends Error {
  /** Each problem found, in the order the reader found them (one message line each). */
  readonly problems: readonly string[];
  constructor(message: string, problems: readonly string[] = [message]) {
    super(message);
    this.name = 'ManifestError';
    this.problems = problems;
  }
}

/**
 * What the collecting reader (`inspectRollout`) read of one Rollout: every part that read without a
 * problem, and the problems of the others. `model` is there only when nothing had a problem.
 */
export interface RolloutRead {
  /** The whole model, when there was no problem. @default - absent: see `problems` */
  readonly model?: RolloutModel;
  /** The Rollout, when the input held it (and it was the one asked for). @default - none */
  readonly rollout?: SourcedObject;
  /** The Rollout's spec, when it and its canary strategy read. @default - absent */
  readonly spec?: RolloutSpec;
  /** The pod template in force, when it read. @default - absent */
  readonly template?: Readonly<Record<string, unknown>>;
  /** The `workloadRef` target, when there is one and it read. @default - absent */
  readonly workload?: WorkloadModel;
  /** The HPA aimed at the Rollout, when there is one and it read. @default - absent */
  readonly hpa?: HpaModel;
  /** Each problem found, naming file, object, field, value and what is valid; empty when `model` is set. */
  readonly problems: readonly string[];
}
