import type { Duration } from 'cdk8s';
import type { LintConstructValidationOptions } from '../lint/construct-validation';
import type { AutoscalingOptions } from './autoscaling';
import type { CanaryAnalysis } from './analysis';
import type { CanaryStep } from './canary-step';
import type { DisruptionBudgetOptions } from './disruption';
import type { StepProfile } from './step-profile';
import type { ServiceOptions, TrafficSplit, VirtualServiceOptions } from './traffic';
import type { CanaryContainerProps, DeploymentInput, DeploymentSpecInput, PodMetadataProps } from './workload-input';

/** What Argo does with the referenced Deployment (`workloadRef.scaleDown`). */
export enum WorkloadScaleDown {
  /** Leave the Deployment alone (the write-up's choice; `CanaryApp` renders it with `replicas: 0`). */
  NEVER = 'never',
  /** Scale the Deployment to 0 once the Rollout is healthy. */
  ON_SUCCESS = 'onsuccess',
  /** Scale the Deployment down as the Rollout scales up (needs Argo Rollouts >= 1.9, argo-rollouts#4321). */
  PROGRESSIVELY = 'progressively',
}

/** Object names; each defaults to `<name><suffix>` (suffixes in `NAME_SUFFIXES`). */
export interface CanaryAppNames {
  /** @default '<name>-dep' (or a whole Deployment input's metadata.name) */
  readonly deployment?: string;
  /** @default '<name>-rollout' */
  readonly rollout?: string;
  /** @default '<name>-svc' */
  readonly stableService?: string;
  /** @default '<name>-canary-svc' */
  readonly canaryService?: string;
  /** @default '<name>-root-svc' */
  readonly rootService?: string;
  /** @default '<name>-vs' */
  readonly virtualService?: string;
  /** @default '<name>-dr' */
  readonly destinationRule?: string;
  /** @default '<name>-hpa' */
  readonly hpa?: string;
  /** @default '<name>-stable-pdb' */
  readonly stablePdb?: string;
  /** @default '<name>-canary-pdb' */
  readonly canaryPdb?: string;
}

/** Every object name of a `CanaryApp`, resolved (`CanaryApp.names`). */
export interface CanaryAppObjectNames {
  /** The Deployment. */
  readonly deployment: string;
  /** The Rollout. */
  readonly rollout: string;
  /** The stable Service. */
  readonly stableService: string;
  /** The canary Service. */
  readonly canaryService: string;
  /** The root Service. */
  readonly rootService: string;
  /** The VirtualService. */
  readonly virtualService: string;
  /** The DestinationRule. */
  readonly destinationRule: string;
  /** The HorizontalPodAutoscaler. */
  readonly hpa: string;
  /** The stable PodDisruptionBudget. */
  readonly stablePdb: string;
  /** The canary PodDisruptionBudget. */
  readonly canaryPdb: string;
}

/** Properties for `CanaryApp`. */
export interface CanaryAppProps {
  /**
   * App name (DNS-1123 label): prefix of every object name and, for a new app, the value of the
   * `app` selector label.
   */
  readonly name: string;
  /**
   * Namespace of every object.
   * @default - the chart's namespace, else a whole Deployment input's, else none (kubectl's current)
   * @jsii suppress JSII5018
   */
  readonly namespace?: string;
  /**
   * Containers of a new app. Give exactly one of `containers`, `deploymentSpec`, `deployment`.
   * @default - not set
   */
  readonly containers?: CanaryContainerProps[];
  /**
   * Extra pod labels and annotations of a new app (with `containers` only).
   * @default - only the `app: <name>` label
   */
  readonly podMetadata?: PodMetadataProps;
  /**
   * The `DeploymentSpec` of an existing app, as in its YAML; every field is kept.
   * @default - not set
   */
  readonly deploymentSpec?: DeploymentSpecInput;
  /**
   * A whole existing `Deployment`, as in its YAML; every field is kept but `status` and the
   * server-set metadata (uid, resourceVersion, managedFields...). Its name is kept too.
   * @default - not set
   */
  readonly deployment?: DeploymentInput;
  /**
   * Secure defaults of the pods (the Pod Security Standards' `restricted` profile plus a read-only
   * root filesystem; see `ContainerSecurityProps`). With `containers`, `false` drops them from every
   * container (each container's `securityContext` props still apply). With `deploymentSpec` or
   * `deployment`, `true` adds each default where the template leaves the field unset, never
   * changing a field that is set.
   * @default - true with `containers`; false with `deploymentSpec` / `deployment` (their template is kept exactly)
   */
  readonly securityDefaults?: boolean;
  /**
   * Put the pod template into the Rollout (`spec.template`) instead of referencing a Deployment
   * (`workloadRef`); no Deployment is rendered then.
   * @default false
   */
  readonly inlineTemplate?: boolean;
  /**
   * What Argo does with the referenced Deployment (`workloadRef.scaleDown`).
   * @default WorkloadScaleDown.NEVER
   */
  readonly scaleDown?: WorkloadScaleDown;
  /**
   * Fixed replica count of the Rollout, when there is no HPA (`autoscaling`).
   * @default - the input Deployment's replicas if >= 1, else 2
   */
  readonly replicas?: number;
  /**
   * An HPA aimed at the Rollout; it then owns the replica count and the Rollout has no `spec.replicas`.
   * @default - no HPA, fixed replicas
   */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * The canary steps: a profile or a list of steps.
   * @default StepProfile.automatic()
   * @example StepProfile.manual()
   * @example [CanaryStep.setWeight(20), CanaryStep.pauseIndefinitely(), CanaryStep.setWeight(100)]
   */
  readonly steps?: StepProfile | CanaryStep[];
  /**
   * Names of the routes the `setHeaderRoute` / `setMirrorRoute` steps manage
   * (`trafficRouting.managedRoutes`), in priority order: Argo puts them first in the
   * VirtualService in this order and removes them all at full promotion or abort. Every route a
   * step uses must be listed.
   * @default - the route names of those steps, in the order of first use
   */
  readonly managedRoutes?: string[];
  /**
   * Ports of the Services.
   * @default - port 80 named http, to the container port named http
   */
  readonly service?: ServiceOptions;
  /** The VirtualService (hosts are required). */
  readonly virtualService: VirtualServiceOptions;
  /**
   * Host-level (two Services) or subset-level (one Service + DestinationRule) traffic split.
   * @default TrafficSplit.host()
   */
  readonly trafficSplit?: TrafficSplit;
  /**
   * Also render a Service selecting every pod of the app (stable and canary), which keeps Istio's
   * inbound clusters of old pods alive at the end of a rollout (503 workaround, argo-rollouts#4195).
   * Host split only.
   * @default false
   */
  readonly rootService?: boolean;
  /**
   * The split PodDisruptionBudgets, or `false` for none.
   * @default - maxUnavailable 1 for stable and for canary pods
   */
  readonly disruptionBudgets?: DisruptionBudgetOptions | false;
  /**
   * `spec.minReadySeconds` of the Rollout.
   * @default Duration.seconds(5)
   */
  readonly minReady?: Duration;
  /**
   * `minPodsPerReplicaSet`: fewest pods of a running canary (or stable) ReplicaSet. At most the
   * fewest replicas (`replicas`, or `autoscaling.minReplicas`): Argo also raises the promoted
   * ReplicaSet to it, and more pods than `spec.replicas` never count as healthy (the rollout ends
   * Degraded, `ProgressDeadlineExceeded`).
   * @default - 2, or 1 when the app runs 1 replica (`replicas: 1` or `autoscaling.minReplicas: 1`)
   */
  readonly minPodsPerReplicaSet?: number;
  /**
   * How long the old stable pods stay after a promotion (`scaleDownDelaySeconds`); at least 30 s,
   * shorter delays cause 503s before every proxy has the new weights (argo-rollouts#587).
   * @default Duration.seconds(30)
   */
  readonly scaleDownDelay?: Duration;
  /**
   * How long canary pods stay after an abort (`abortScaleDownDelaySeconds`; 0 keeps them).
   * @default Duration.seconds(30)
   */
  readonly abortScaleDownDelay?: Duration;
  /**
   * Object names.
   * @default - `<name>` plus the suffixes of `NAME_SUFFIXES`
   */
  readonly names?: CanaryAppNames;
  /**
   * Automated analysis (opt-in, `src/constructs/analysis`): an AnalysisTemplate `<name>-analysis`
   * run in the background or as analysis steps. A failed analysis aborts the rollout, an
   * inconclusive one pauses it (`InconclusiveAnalysisRun`).
   * @default - no analysis
   * @example CanaryAnalysis.errorRateGate(PrometheusSource.mimir('http://mimir-query-frontend.mimir.svc:8080/prometheus', 'my-team'))
   */
  readonly analysis?: CanaryAnalysis;
  /**
   * Run the lint rules of `src/lint` (the write-up's pitfalls) over this app's objects when the chart
   * is synthesized: an error-level finding fails `cdk8s synth` with the rule id, object, path and
   * fix. Pass options to set the surge threshold or to fail on warnings too; `false` turns it off.
   * @default - on, failing on error-level findings only
   */
  readonly lint?: boolean | LintConstructValidationOptions;
}
