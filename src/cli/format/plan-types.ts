/**
 * The JSON shapes of design.md §5 that the formatters read. PROVISIONAL: replaced by the
 * runtime's exported types once `plan` / `simulate` land on branch runtime.
 */

/** One row of `plan`: the state after a step completes. */
export interface PlanRow {
  readonly step: number;
  readonly action: string;
  readonly canaryWeight: number;
  readonly stableWeight: number;
  readonly canaryReplicas: number;
  readonly stableReplicas: number;
  readonly totalPods: number;
  readonly podsAdded: number;
  /** null: no pause; "indefinite": waits for promotion; otherwise a duration such as "15s". */
  readonly pause: null | string;
}

/** `plan --format json`. */
export interface PlanResult {
  readonly rollout: string;
  readonly replicas: number;
  readonly rows: readonly PlanRow[];
}

/** One ReplicaSet in a simulation tick. */
export interface TickReplicaSet {
  readonly revision: number;
  readonly role: 'stable' | 'canary' | 'old';
  readonly replicas: number;
  readonly available: number;
}

/** One tick of `simulate`: the state after the controller's reconcile at time `t`. */
export interface SimulationTick {
  readonly t: number;
  readonly stepIndex: number | null;
  readonly phase: string;
  readonly message: string;
  readonly weights: { readonly canary: number; readonly stable: number };
  readonly replicaSets: readonly TickReplicaSet[];
  /** Revision each Service selects (null when it selects none yet). */
  readonly services: { readonly stable: number | null; readonly canary: number | null };
  readonly paused: boolean;
  readonly aborted: boolean;
}

/** `simulate --format json`. */
export interface SimulationResult {
  readonly rollout: string;
  readonly ticks: readonly SimulationTick[];
}
