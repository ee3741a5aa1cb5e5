/**
 * What the Argo Rollouts v1.9.1 controller assumes and writes: its defaults for absent fields
 * (utils/defaults/defaults.go), the label and annotation keys it writes, and the API versions of
 * the objects every layer reads and renders. CanaryApp's own, opinionated values live with the
 * constructs (`src/constructs/defaults.ts`); the conventions the lint checks and CanaryApp renders
 * live with the lint (`src/lint/conventions.ts`).
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
