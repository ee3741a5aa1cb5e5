/**
 * The three ways to describe the pods of a `CanaryApp`: container props for a new app, or a plain
 * Kubernetes `DeploymentSpec` / whole `Deployment` (as parsed from YAML) for an existing app.
 * The plain shapes keep every field: unknown keys are passed through untouched.
 */
import type { ContainerSecurityProps } from './pod-security';

/** Quantities of one resource (Kubernetes quantity strings such as `100m`, `512Mi`). */
export interface ResourceQuantities {
  /**
   * Guaranteed amount (`resources.requests`).
   * @default - not set
   */
  readonly request?: string;
  /**
   * Maximum amount (`resources.limits`).
   * @default - not set
   */
  readonly limit?: string;
}

/** CPU and memory of a container. */
export interface ContainerResources {
  /**
   * CPU, e.g. `{ request: '100m', limit: '500m' }`. An HPA on CPU utilization needs a CPU request.
   * @default - not set
   */
  readonly cpu?: ResourceQuantities;
  /**
   * Memory, e.g. `{ request: '512Mi', limit: '512Mi' }`.
   * @default - not set
   */
  readonly memory?: ResourceQuantities;
}

/** Props of one container of a new app (cdk8s-plus style names, plain values). */
export interface CanaryContainerProps {
  /** Container image, e.g. `my-image:1`. */
  readonly image: string;
  /**
   * Container name (DNS-1123 label).
   * @default 'app'
   */
  readonly name?: string;
  /**
   * Port the app listens on. `0` for a container without a port (a sidecar).
   * @default 8080
   */
  readonly portNumber?: number;
  /**
   * Name of that port; the Services target it by this name.
   * @default 'http'
   */
  readonly portName?: string;
  /**
   * Environment variables (name to value), rendered sorted by name.
   * @default - none
   */
  readonly envVariables?: Record<string, string>;
  /**
   * Entrypoint (`command`).
   * @default - the image's
   */
  readonly command?: string[];
  /**
   * Arguments (`args`).
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * CPU and memory requests and limits.
   * @default - none
   */
  readonly resources?: ContainerResources;
  /**
   * Readiness probe, as in a pod spec (e.g. `{ httpGet: { path: '/healthz', port: 'http' } }`).
   * @default - none
   */
  readonly readiness?: Record<string, unknown>;
  /**
   * Liveness probe, as in a pod spec.
   * @default - none
   */
  readonly liveness?: Record<string, unknown>;
  /**
   * Startup probe, as in a pod spec.
   * @default - none
   */
  readonly startup?: Record<string, unknown>;
  /**
   * Image pull policy (`Always`, `IfNotPresent`, `Never`).
   * @default - Kubernetes' default for the tag
   */
  readonly imagePullPolicy?: string;
  /**
   * This container's `securityContext`; each prop overrides one secure default.
   * @default - runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
   *   capabilities.drop: [ALL], seccompProfile: RuntimeDefault (none with `securityDefaults: false`)
   */
  readonly securityContext?: ContainerSecurityProps;
}

/** Extra pod metadata of a new app. */
export interface PodMetadataProps {
  /**
   * Labels added to the pods (the selector label `app: <name>` is always there).
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Annotations added to the pods.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/** A label selector as in Kubernetes YAML. */
export interface LabelSelectorInput {
  /**
   * Equality requirements. Services select pods with these, so they must be set.
   * @default - none
   */
  readonly matchLabels?: Record<string, string>;
  /**
   * Set-based requirements (kept as given).
   * @default - none
   */
  readonly matchExpressions?: { [key: string]: any }[];
}

/** A container as in Kubernetes YAML (every field kept). */
export interface ContainerInput {
  /** Container name. */
  readonly name: string;
  /**
   * Container image (required by `CanaryApp`: a missing image is an error naming the field).
   * @default - none
   */
  readonly image?: string;
  /**
   * Container ports; the Services target the one named by `service.targetPort`.
   * @default - none
   */
  readonly ports?: ContainerPortInput[];
  /**
   * Any other field of a Kubernetes Container, kept as given.
   * TypeScript only: jsii structs have no index signatures.
   * @jsii ignore
   */
  readonly [key: string]: unknown;
}

/** A container port as in Kubernetes YAML (every field kept). */
export interface ContainerPortInput {
  /** Port number in the container. */
  readonly containerPort: number;
  /**
   * Port name (an IANA_SVC_NAME), referenced by the Services' `targetPort`.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * Any other field of a Kubernetes ContainerPort, kept as given.
   * TypeScript only: jsii structs have no index signatures.
   * @jsii ignore
   */
  readonly [key: string]: unknown;
}

/** A pod template as in Kubernetes YAML (every field kept). */
export interface PodTemplateInput {
  /**
   * Pod metadata.
   * @default - none: the pods get the selector labels only
   */
  readonly metadata?: PodTemplateMetadataInput;
  /** Pod spec. */
  readonly spec: PodSpecInput;
}

/** Metadata of a pod template as in Kubernetes YAML (every field kept). */
export interface PodTemplateMetadataInput {
  /**
   * Pod labels.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Pod annotations.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
  /**
   * Any other metadata field, kept as given.
   * TypeScript only: jsii structs have no index signatures.
   * @jsii ignore
   */
  readonly [key: string]: unknown;
}

/** A pod spec as in Kubernetes YAML (every field kept). */
export interface PodSpecInput {
  /** The pod's containers. */
  readonly containers: ContainerInput[];
  /**
   * Any other field of a Kubernetes PodSpec, kept as given.
   * TypeScript only: jsii structs have no index signatures.
   * @jsii ignore
   */
  readonly [key: string]: unknown;
}

/** A `DeploymentSpec` as in Kubernetes YAML (every field kept). */
export interface DeploymentSpecInput {
  /** The pod template. */
  readonly template: PodTemplateInput;
  /**
   * Label selector of the pods.
   * @default - `app: <name>`, also added to the pod labels
   */
  readonly selector?: LabelSelectorInput;
  /**
   * Replica count; it becomes the Rollout's when there is no HPA (the Deployment gets 0).
   * @default - unset (the Rollout's replicas then come from the HPA, or Kubernetes' default of 1)
   */
  readonly replicas?: number;
  /**
   * Any other field of a Kubernetes DeploymentSpec, kept as given.
   * TypeScript only: jsii structs have no index signatures.
   * @jsii ignore
   */
  readonly [key: string]: unknown;
}

/** A whole `Deployment` as in Kubernetes YAML, e.g. `kubectl get deploy x -o yaml` (every field kept). */
export interface DeploymentInput {
  /**
   * `apps/v1`.
   * @default - unchecked when absent
   */
  readonly apiVersion?: string;
  /**
   * `Deployment`.
   * @default - unchecked when absent
   */
  readonly kind?: string;
  /**
   * Object metadata; server-set fields (uid, resourceVersion, managedFields...) are dropped.
   * @default - none
   */
  readonly metadata?: DeploymentMetadataInput;
  /** The Deployment spec. */
  readonly spec: DeploymentSpecInput;
  /**
   * Any other top-level field, kept as given (`status` is dropped).
   * TypeScript only: jsii structs have no index signatures.
   * @jsii ignore
   */
  readonly [key: string]: unknown;
}

/** Metadata of a whole Deployment input (every field kept, server-set ones dropped). */
export interface DeploymentMetadataInput {
  /**
   * Name, kept on the rendered Deployment.
   * @default - the app's Deployment name (`<name>-dep`)
   */
  readonly name?: string;
  /**
   * Namespace of the app (the `namespace` prop, if set, must match it).
   * @default - the app's namespace
   * @jsii suppress JSII5018
   */
  readonly namespace?: string;
  /**
   * Labels, kept.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Annotations, kept.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
  /**
   * Any other metadata field, kept as given (server-set ones are dropped).
   * TypeScript only: jsii structs have no index signatures.
   * @jsii ignore
   */
  readonly [key: string]: unknown;
}

/**
 * Metadata fields the API server writes; they are dropped from a whole Deployment input
 * (with `status`), because they must not be applied back.
 */
export const SERVER_SET_METADATA_FIELDS = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
] as const;
