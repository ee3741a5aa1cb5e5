import type { CanaryStep } from './types';

/** Shapes of `cdk8s-canary status` (see live-status.ts), shared by its parts. */

/** One ReplicaSet of the Rollout. */
export interface LiveRevision {
  /** The controller's revision annotation; null when absent. */
  readonly revision: number | null;
  /** The `rollouts-pod-template-hash` label. */
  readonly podTemplateHash: string;
  /** `stable` (status.stableRS), `canary` (status.currentPodHash when it is not stable) or `old`. */
  readonly role: 'stable' | 'canary' | 'old';
  /** `spec.replicas`. */
  readonly desired: number;
  /** `status.readyReplicas`. */
  readonly ready: number;
  /** `status.availableReplicas`. */
  readonly available: number;
  /** The `scale-down-deadline` annotation (epoch seconds), when the controller set one. */
  readonly scaleDownAt?: number;
}

/** Last measurement of one metric of an AnalysisRun. */
export interface LiveMetric {
  readonly name: string;
  /** The metric's phase (Running, Successful, Failed, Error, Inconclusive). */
  readonly phase: string;
  /** Measurements taken, and how many of them succeeded / failed / were inconclusive / errored. */
  readonly count: number;
  readonly successful: number;
  readonly failed: number;
  readonly inconclusive: number;
  readonly error: number;
  /** The last measurement: its value, phase and when it finished (epoch seconds). */
  readonly last?: { readonly value?: string; readonly phase?: string; readonly finishedAt?: number };
}

/** An AnalysisRun of the Rollout. */
export interface LiveAnalysisRun {
  readonly name: string;
  /** `step` (status.canary.currentStepAnalysisRunStatus), `background`, or `earlier` (any other). */
  readonly kind: 'step' | 'background' | 'earlier';
  readonly phase: string;
  readonly message?: string;
  readonly metrics: readonly LiveMetric[];
}

/** Weights one VirtualService route sends to the canary and stable destinations. */
export interface LiveRouteWeights {
  /** `name` or `namespace/name` of the VirtualService. */
  readonly virtualService: string;
  /** The route's name, or its index when unnamed. */
  readonly route: string;
  readonly canary: number | null;
  readonly stable: number | null;
}

/** Where the Rollout is now. */
export interface LiveNow {
  /** `status.phase` (Healthy, Progressing, Paused, Degraded); empty before the controller set it. */
  readonly phase: string;
  /** `status.message`. */
  readonly message: string;
  /** `status.currentStepIndex` (null when absent), the number of steps, and the current step. */
  readonly step: { readonly index: number | null; readonly count: number; readonly step?: CanaryStep };
  /** `status.canary.weights` as the controller recorded them; null without traffic routing. */
  readonly weights: { readonly canary: number; readonly stable: number } | null;
  /** The weights the VirtualService routes carry now. */
  readonly routes: readonly LiveRouteWeights[];
  /** ReplicaSets of the Rollout, newest revision first. */
  readonly revisions: readonly LiveRevision[];
  /** `spec.paused` or a pause condition. */
  readonly paused: boolean;
  /** Why: `spec.paused`, each pause condition's reason (with its start), `controllerPause`. */
  readonly pauseReasons: readonly string[];
  /** `status.abort`. */
  readonly aborted: boolean;
  /** The controller has seen the latest spec (observedGeneration, and the workload's generation with a workloadRef). */
  readonly observed: boolean;
  /** The update is done: spec observed, Healthy, stable is the current pod template, no older ReplicaSet left with pods. */
  readonly completed: boolean;
  /** Running AnalysisRuns first, then the latest finished ones. */
  readonly analysisRuns: readonly LiveAnalysisRun[];
}

/** Options of `liveStatus`. */
export interface LiveStatusOptions {
  /** The current time, epoch seconds. */
  readonly now: number;
  /**
   * When the caller last saw any of the objects change (epoch seconds), e.g. while watching.
   * @default - only the Rollout's own write times are known
   */
  readonly lastChangeAt?: number;
  /** Seconds from pod creation to readiness assumed by the forecast. @default 0 */
  readonly podReadySeconds?: number;
  /** Seconds without progress, past what the model allows, before a stall is reported. @default 30 */
  readonly stallGraceSeconds?: number;
}

/** Seconds past the model's expectation before a stall is reported (the e2e nudges after 35 s). */
export const DEFAULT_STALL_GRACE_SECONDS = 30;

