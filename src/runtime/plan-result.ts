import type { RouteSummary } from './route-summary';
import type { CanaryStep } from './types';

/**
 * What `plan` returns (plan.ts), apart from the planners, so that both planners (the simulation in
 * plan.ts and the closed form in plan-formulas.ts) import the shapes without importing each other.
 */

/** One step of the plan (one row of `cdk8s-canary plan`). */
export interface PlanRow {
  /** Index of the step in `spec.strategy.canary.steps` (0-based, like `status.currentStepIndex`). */
  readonly step: number;
  /** The step as the Argo CLI prints it (`setWeight: 20`, `pause: 15s`, `setCanaryScale{replicas: 2}`). */
  readonly action: string;
  /**
   * Traffic weight of the canary, in percent, while the step holds.
   */
  readonly canaryWeight: number;
  /**
   * Traffic weight of the stable pods, in percent, while the step holds.
   */
  readonly stableWeight: number;
  /** `spec.replicas` of the canary (new) ReplicaSet. */
  readonly canaryReplicas: number;
  /** `spec.replicas` of the stable ReplicaSet. */
  readonly stableReplicas: number;
  /** Pods of every ReplicaSet of the Rollout at that moment. */
  readonly totalPods: number;
  /** Pods created while the step ran (new connections to databases and caches). */
  readonly podsAdded: number;
  /** Pause of a pause step: "indefinite" or its duration as written ("15s"); null otherwise. */
  readonly pause: string | null;
  /**
   * The header and mirror routes in the VirtualService after the step, in their order there; only
   * for a Rollout with `trafficRouting.managedRoutes`.
   * @default - absent
   */
  readonly managedRoutes?: readonly RouteSummary[];
}

/** `plan` output (the JSON of `cdk8s-canary plan --format json`). */
export interface PlanResult {
  /**
   * Name of the Rollout planned.
   */
  readonly rollout: string;
  /**
   * `spec.replicas` the plan is for.
   */
  readonly replicas: number;
  /**
   * `spec.strategy.canary.minPodsPerReplicaSet`, 1 when absent: the fewest pods a non-zero canary
   * count is raised to (`checkMinPodsPerReplicaSet`), which the CLI's surge flags allow for.
   */
  readonly minPodsPerReplicaSet: number;
  /**
   * One row per step, in order.
   */
  readonly rows: readonly PlanRow[];
  /**
   * `spec.strategy.canary.steps` as read, so that a row's `step` index leads to the step itself
   * (the CLI labels the rows from it).
   */
  readonly steps: readonly CanaryStep[];
}

/** Options of {@link plan}. */
export interface PlanOptions {
  /** `spec.replicas` to plan for. @default - the Rollout's spec.replicas, else the HPA's minReplicas, else 1 */
  readonly replicas?: number;
}
