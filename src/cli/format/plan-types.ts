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
