/**
 * The one module of defaults shared by the constructs (what we render) and the runtime (what we
 * simulate), so rendering and simulation cannot disagree.
 *
 * Two kinds of value live here:
 * - `ARGO_DEFAULTS`: what the Argo Rollouts v1.9.1 controller assumes when a field is absent
 *   (utils/defaults/defaults.go). The runtime must use these for hand-written manifests.
 * - `CANARY_APP_DEFAULTS`: the opinionated values `CanaryApp` writes explicitly into its
 *   manifests (the production write-up's choices). They are rendered, never implied.
 */

/** Controller-side defaults of Argo Rollouts v1.9.1 (utils/defaults/defaults.go). */
export const ARGO_DEFAULTS = {
  /** `spec.replicas` when nil (DefaultReplicas); the controller also persists it. */
  replicas: 1,
  /** DefaultMaxSurge = "25": a string, so always a percentage ("25" == "25%"), rounded up. */
  maxSurge: '25',
  /** DefaultMaxUnavailable = "25": a percentage, rounded down. */
  maxUnavailable: '25',
  /** DefaultScaleDownDelaySeconds, applied only with trafficRouting (0 for basic canary). */
  scaleDownDelaySeconds: 30,
  /** DefaultAbortScaleDownDelaySeconds, applied only with trafficRouting. */
  abortScaleDownDelaySeconds: 30,
  /** DefaultProgressDeadlineSeconds. */
  progressDeadlineSeconds: 600,
  /** DefaultRevisionHistoryLimit. */
  revisionHistoryLimit: 10,
  /** weightutil.MaxTrafficWeight default; Istio cannot change it. */
  maxTrafficWeight: 100,
  /** minReadySeconds default (copied to every ReplicaSet). */
  minReadySeconds: 0,
  /** Controller resync period (--rollout-resync), relevant for the abort-delay quirk (rollout/replicaset.go reconcileNewReplicaSet). */
  rolloutResyncSeconds: 900,
  /** rollout/restart.go restartPodCheckTime: a restart with pods left to restart is re-checked after this. */
  restartPodCheckSeconds: 30,
} as const;

/** Well-known label and annotation keys written by the controller. */
export const ARGO_KEYS = {
  podTemplateHashLabel: 'rollouts-pod-template-hash',
  desiredReplicasAnnotation: 'rollout.argoproj.io/desired-replicas',
  /** `DefaultReplicaSetScaleDownDeadlineAnnotationKey` (pkg/apis/rollouts/v1alpha1/types.go): unprefixed. */
  scaleDownDeadlineAnnotation: 'scale-down-deadline',
  managedByAnnotation: 'argo-rollouts.argoproj.io/managed-by-rollouts',
  ephemeralMetadataAnnotation: 'rollout.argoproj.io/ephemeral-metadata',
  workloadGenerationAnnotation: 'rollout.argoproj.io/workload-generation',
  revisionAnnotation: 'rollout.argoproj.io/revision',
} as const;

/** API versions of the objects we read and render. */
export const API_VERSIONS = {
  rollout: 'argoproj.io/v1alpha1',
  analysisTemplate: 'argoproj.io/v1alpha1',
  virtualService: 'networking.istio.io/v1',
  destinationRule: 'networking.istio.io/v1',
  deployment: 'apps/v1',
  service: 'v1',
  hpa: 'autoscaling/v2',
  pdb: 'policy/v1',
  rbac: 'rbac.authorization.k8s.io/v1',
} as const;

/**
 * Values `CanaryApp` renders explicitly (the production write-up's opinionated choices).
 * Each one appears in the synthesized YAML, so a reader of the manifests never has to know it.
 */
export const CANARY_APP_DEFAULTS = {
  minReadySeconds: 5,
  minPodsPerReplicaSet: 2,
  scaleDownDelaySeconds: 30,
  abortScaleDownDelaySeconds: 30,
  /** workloadRef.scaleDown: the write-up keeps the Deployment alone (`never`). */
  workloadScaleDown: 'never',
  /** Label key/values put on pods by stableMetadata / canaryMetadata (labels and annotations). */
  roleKey: 'role',
  stableRole: 'stable',
  canaryRole: 'canary',
  /** Selector label of the app's pods. */
  appLabel: 'app',
  /** Service port and the container port name it targets. */
  servicePort: 80,
  targetPortName: 'http',
  /** Name of the weighted http route in the VirtualService, listed in the Rollout's `routes`. */
  routeName: 'primary',
  /** Fixed replica count when no HPA is configured. */
  replicas: 2,
  /** PDB: allow one pod of each role to be evicted at a time. */
  pdbMaxUnavailable: 1,
  /** Final settle pause of the presets (avoids the end-of-rollout 503 window). */
  settlePauseSeconds: 15,
  /** Lint: a step that adds more than this share of spec.replicas as new pods is a surge. */
  surgeThresholdPercent: 30,
  /**
   * `spec.replicas` of the Deployment referenced by `workloadRef`: the Rollout runs the pods, so the
   * Deployment only holds the pod template (a non-zero count would run a second copy of the app).
   */
  workloadReplicas: 0,
  /** Name and port of the container of a new app (the write-up's `app` container on 8080). */
  containerName: 'app',
  containerPort: 8080,
  /** rollingUpdate of a new app's Deployment (the write-up's; only used if the Deployment ever runs pods). */
  deploymentMaxSurge: 1,
  deploymentMaxUnavailable: 0,
  /** HPA of the write-up's my-app: 2..10 replicas at 70 % average CPU utilization. */
  hpaMinReplicas: 2,
  hpaMaxReplicas: 10,
  hpaCpuUtilization: 70,
  /** DestinationRule subset names in subset-level traffic splitting. */
  stableSubset: 'stable',
  canarySubset: 'canary',
  /** Below this, the old ReplicaSet goes away before every proxy has the new weights (argo-rollouts#587). */
  minScaleDownDelaySeconds: 30,
} as const;

/** Names of the optional RBAC companions (the write-up's roles). */
export const ROLLOUTS_RBAC_NAMES = {
  readerRole: 'rollouts-reader',
  writerRole: 'rollouts-writer',
  /** A RoleBinding is named after its Role plus this suffix. */
  bindingSuffix: '-binding',
} as const;

/** The write-up's Helm values for the Argo Rollouts controller chart (argo/argo-rollouts). */
export const ARGO_CONTROLLER_VALUES_DEFAULTS = {
  /** Traffic providers whose RBAC the chart grants; the write-up enables only Istio. */
  providers: {
    istio: true,
    smi: false,
    ambassador: false,
    awsLoadBalancerController: false,
    awsAppMesh: false,
    traefik: false,
    apisix: false,
    contour: false,
    glooPlatform: false,
    gatewayAPI: false,
  },
  limitsMemory: '512Mi',
  limitsEphemeralStorage: '1Gi',
  requestsCpu: '100m',
  requestsMemory: '512Mi',
  pdbMinAvailable: 1,
  metricsEnabled: true,
} as const;

/** Object name suffixes for an app `<name>` (the write-up's scheme). */
export const NAME_SUFFIXES = {
  deployment: '-dep',
  rollout: '-rollout',
  stableService: '-svc',
  canaryService: '-canary-svc',
  rootService: '-root-svc',
  virtualService: '-vs',
  destinationRule: '-dr',
  hpa: '-hpa',
  stablePdb: '-stable-pdb',
  canaryPdb: '-canary-pdb',
  analysisTemplate: '-analysis',
} as const;

/**
 * Analysis defaults: what the Argo Rollouts v1.9.1 analysis controller assumes when a metric field
 * is absent (`ARGO_ANALYSIS_DEFAULTS`), and what `CanaryMetric`/`CanaryAnalysisTemplate` render
 * explicitly (`CANARY_ANALYSIS_DEFAULTS`).
 */
export const ARGO_ANALYSIS_DEFAULTS = {
  /** Metric.failureLimit when absent: the first failed measurement fails the metric. */
  failureLimit: 0,
  /** Metric.inconclusiveLimit when absent. */
  inconclusiveLimit: 0,
  /** Metric.consecutiveErrorLimit when absent (DefaultConsecutiveErrorLimit). */
  consecutiveErrorLimit: 4,
  /** Prometheus provider query timeout in seconds when `timeout` is absent. */
  prometheusTimeoutSeconds: 30,
} as const;

/** Values the analysis builders render explicitly; each appears in the synthesized YAML. */
export const CANARY_ANALYSIS_DEFAULTS = {
  /** Time between two measurements of a ready-made metric. */
  intervalSeconds: 30,
  /** PromQL range of `rate(...[window])`; 2m keeps >= 2 samples with a 60s scrape interval (Mimir/Alloy). */
  windowSeconds: 120,
  /** Failed measurements tolerated before the metric fails (so the second bad one aborts). */
  failureLimit: 1,
  /** Inconclusive (no data) measurements tolerated before the run pauses the rollout. */
  inconclusiveLimit: 2,
  /** Error-rate gate: largest acceptable share of 5xx responses (1 %). */
  maxErrorRate: 0.01,
  /** `response_code` regex counted as an error by the error-rate metric. */
  errorCodes: '5..',
  /** Istio telemetry reporter; `source` also sees 503s generated by the client proxy/gateway. */
  istioReporter: 'source',
  /** Latency metric quantile. */
  latencyQuantile: 0.99,
  /** Background analysis starts once step 0 (the first setWeight) is done. */
  startingStep: 1,
  /** Header Grafana Mimir (and Cortex/Loki) read the tenant id from. */
  tenantHeader: 'X-Scope-OrgID',
} as const;

/** Argument names shared by the analysis template and the Rollout that passes their values. */
export const ANALYSIS_ARGS = {
  canaryService: 'canary-service',
  stableService: 'stable-service',
  namespace: 'namespace',
  canaryHash: 'canary-hash',
  stableHash: 'stable-hash',
} as const;
