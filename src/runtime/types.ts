/**
 * Plain-data shapes the runtime works on. They mirror the Argo Rollouts v1alpha1 API (field names
 * as in the CRD) but keep only what the canary reconciler reads. `undefined` = absent field / Go nil
 * pointer; `0` = explicit zero. The two differ in several controller rules.
 */

/** An intstr: a number is an absolute count, a string is ALWAYS a percentage ("25" == "25%"). */
export type IntOrPercent = number | string;

export interface SetCanaryScale {
  readonly replicas?: number;
  readonly weight?: number;
  readonly matchTrafficWeight?: boolean;
}

export interface PauseStep {
  /** Seconds (number), digits-only string (seconds) or a Go duration string ("30s", "5m", "1h"). */
  readonly duration?: number | string;
}

export interface HeaderRouteStep {
  readonly name: string;
  readonly match?: readonly unknown[];
}

export interface MirrorRouteStep {
  readonly name: string;
  readonly match?: readonly unknown[];
  readonly percentage?: number;
}

/** One entry of `spec.strategy.canary.steps` (CRD shape). Exactly one key is expected to be set. */
export interface CanaryStep {
  readonly setWeight?: number;
  readonly pause?: PauseStep;
  readonly setCanaryScale?: SetCanaryScale;
  readonly analysis?: Record<string, unknown>;
  readonly experiment?: Record<string, unknown>;
  readonly setHeaderRoute?: HeaderRouteStep;
  readonly setMirrorRoute?: MirrorRouteStep;
  readonly plugin?: Record<string, unknown>;
}

export interface TlsRouteRef {
  readonly port?: number;
  readonly sniHosts?: readonly string[];
}

export interface TcpRouteRef {
  readonly port?: number;
}

export interface IstioVirtualServiceRef {
  /** `name` or `namespace/name`. */
  readonly name: string;
  readonly routes?: readonly string[];
  readonly tlsRoutes?: readonly TlsRouteRef[];
  readonly tcpRoutes?: readonly TcpRouteRef[];
}

export interface IstioDestinationRuleRef {
  readonly name: string;
  readonly canarySubsetName: string;
  readonly stableSubsetName: string;
  readonly additionalSubsetNames?: readonly string[];
}

export interface IstioTrafficRouting {
  readonly virtualService?: IstioVirtualServiceRef;
  readonly virtualServices?: readonly IstioVirtualServiceRef[];
  readonly destinationRule?: IstioDestinationRuleRef;
}

export interface TrafficRouting {
  readonly istio?: IstioTrafficRouting;
  readonly maxTrafficWeight?: number;
  readonly managedRoutes?: readonly { readonly name: string }[];
}

export interface ReplicaProgressThreshold {
  /** `Percent` or `Pods`; the CRD has no enum and the controller reads any other string as `Pods`. */
  readonly type: string;
  readonly value: number;
}

export interface PodMetadata {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** `spec.strategy.canary` (the parts the reconciler reads). */
export interface CanaryStrategy {
  readonly steps?: readonly CanaryStep[];
  readonly maxSurge?: IntOrPercent;
  readonly maxUnavailable?: IntOrPercent;
  readonly trafficRouting?: TrafficRouting;
  readonly dynamicStableScale?: boolean;
  readonly minPodsPerReplicaSet?: number;
  readonly scaleDownDelaySeconds?: number;
  readonly scaleDownDelayRevisionLimit?: number;
  readonly abortScaleDownDelaySeconds?: number;
  readonly canaryService?: string;
  readonly stableService?: string;
  readonly pingPong?: { readonly pingService: string; readonly pongService: string };
  readonly canaryMetadata?: PodMetadata;
  readonly stableMetadata?: PodMetadata;
  readonly replicaProgressThreshold?: ReplicaProgressThreshold;
  readonly analysis?: Record<string, unknown>;
}

/** `spec` of a Rollout (the parts the reconciler reads). */
export interface RolloutSpec {
  readonly replicas?: number;
  readonly paused?: boolean;
  readonly minReadySeconds?: number;
  readonly progressDeadlineSeconds?: number;
  readonly progressDeadlineAbort?: boolean;
  readonly revisionHistoryLimit?: number;
  readonly restartAt?: string;
  /**
   * `spec.rollbackWindow`: a move back to one of the last `revisions` ReplicaSets older than the
   * stable one skips the steps (rollout/sync.go isRollbackWithinWindow).
   */
  readonly rollbackWindow?: RollbackWindow;
  /** True when the pod template came from `workloadRef` (set in memory by the controller). */
  readonly templateResolvedFromRef?: boolean;
  readonly strategy: { readonly canary?: CanaryStrategy; readonly blueGreen?: BlueGreenStrategy };
}

/** `spec.rollbackWindow`. */
export interface RollbackWindow {
  /** How many revisions back (older than the stable ReplicaSet) a rollback skips the steps. @default - no window */
  readonly revisions?: number;
}

/**
 * `spec.strategy.blueGreen`: only the fields the shared helpers (fenceposts, delay defaults) read.
 * The runtime does not simulate blue-green; these exist so the helpers keep Argo's semantics.
 */
export interface BlueGreenStrategy {
  readonly maxUnavailable?: IntOrPercent;
  readonly scaleDownDelaySeconds?: number;
  readonly abortScaleDownDelaySeconds?: number;
  readonly postPromotionAnalysis?: Record<string, unknown>;
}

/** `metadata` of a Rollout (the parts the controller functions read). */
export interface RolloutMetadata {
  readonly name?: string;
  readonly generation?: number;
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * A Rollout as the controller functions see it: the Go functions take `*v1alpha1.Rollout`,
 * the runtime takes this plain object (`status` may be empty: `{}`).
 */
export interface RolloutState {
  readonly metadata?: RolloutMetadata;
  readonly spec: RolloutSpec;
  readonly status: RolloutStatus;
}

export interface WeightDestination {
  readonly weight: number;
  readonly podTemplateHash: string;
  readonly serviceName?: string;
}

export interface TrafficWeights {
  readonly canary: WeightDestination;
  readonly stable: WeightDestination;
  readonly additional?: readonly WeightDestination[];
  readonly verified?: boolean;
}

export interface PauseCondition {
  readonly reason: 'CanaryPauseStep' | 'InconclusiveAnalysisRun' | 'InconclusiveExperiment' | string;
  /** Seconds on the simulation clock. */
  readonly startTime: number;
}

/** `status` of a Rollout (the parts the reconciler reads and writes). */
export interface RolloutStatus {
  readonly currentPodHash?: string;
  readonly stableRS?: string;
  readonly currentStepIndex?: number;
  readonly currentStepHash?: string;
  readonly pauseConditions?: readonly PauseCondition[];
  readonly controllerPause?: boolean;
  readonly abort?: boolean;
  readonly abortedAt?: number;
  readonly promoteFull?: boolean;
  readonly canary?: {
    readonly weights?: TrafficWeights;
    readonly stablePingPong?: 'ping' | 'pong';
    /** Phase of the current step's AnalysisRun (`Inconclusive` changes what `promote` sends). */
    readonly currentStepAnalysisRunStatus?: { readonly status: string; readonly name?: string; readonly message?: string };
    /** The current background AnalysisRun. */
    readonly currentBackgroundAnalysisRunStatus?: { readonly status: string; readonly name?: string; readonly message?: string };
  };
  readonly phase?: RolloutPhase;
  readonly message?: string;
  readonly restartedAt?: string;
  /** Sum of `status.replicas` of all ReplicaSets (pods created). */
  readonly replicas?: number;
  /** `status.replicas` of the new ReplicaSet. */
  readonly updatedReplicas?: number;
  readonly readyReplicas?: number;
  readonly availableReplicas?: number;
  readonly conditions?: readonly RolloutCondition[];
  /** `metadata.generation` observed by the controller, as a string (legacy: a hash). */
  readonly observedGeneration?: string;
  /** Generation of the workloadRef object observed by the controller, as a string. */
  readonly workloadObservedGeneration?: string;
  /**
   * Blue-green only, read by the phase calculation: hash the active Service selects, and the
   * phase of the post-promotion AnalysisRun (`status.blueGreen.postPromotionAnalysisRunStatus.status`).
   */
  readonly blueGreen?: {
    readonly activeSelector?: string;
    readonly postPromotionAnalysisRunStatus?: { readonly status?: string };
  };
}

/** One entry of `status.conditions`. */
export interface RolloutCondition {
  readonly type: 'Progressing' | 'Available' | 'Healthy' | 'Completed' | 'Paused' | 'ReplicaFailure' | 'InvalidSpec' | string;
  readonly status?: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
  readonly message?: string;
  /**
   * `lastUpdateTime` in seconds on the simulation clock (the progress deadline counts from the
   * Progressing condition's). @default - absent (not known)
   */
  readonly lastUpdateTime?: number;
  /** `lastTransitionTime` in seconds on the simulation clock. @default - absent (not known) */
  readonly lastTransitionTime?: number;
}

export type RolloutPhase = 'Healthy' | 'Progressing' | 'Paused' | 'Degraded';

/** A ReplicaSet as the reconciler sees it. */
export interface ReplicaSetState {
  readonly name: string;
  readonly podTemplateHash: string;
  /** 1, 2, 3... in creation order. */
  readonly revision?: number;
  /** `spec.replicas`; undefined = nil. */
  readonly specReplicas?: number;
  /** `status.replicas`: pods created. */
  readonly statusReplicas?: number;
  readonly availableReplicas: number;
  readonly annotations?: Readonly<Record<string, string>>;
}
