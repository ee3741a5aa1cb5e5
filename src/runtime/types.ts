/**
 * Plain-data shapes the runtime works on: the Rollout spec (its shapes live in the model layer,
 * `src/model/rollout-spec.ts`, which every layer reads) and the controller's state.
 */
import type { RolloutSpec } from '../model/rollout-spec';

export type { IntOrPercent, SetCanaryScale, PauseStep, HeaderRouteStep, MirrorRouteStep, CanaryStep, TlsRouteRef, TcpRouteRef, IstioVirtualServiceRef, IstioDestinationRuleRef, IstioTrafficRouting, TrafficRouting, ReplicaProgressThreshold, PodMetadata, CanaryStrategy, RolloutSpec, RollbackWindow, BlueGreenStrategy } from '../model/rollout-spec';

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
