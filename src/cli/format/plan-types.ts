/** The design.md §5 shapes the formatters read, as the runtime exports them. */
export type { PlanResult, PlanRow } from '../../runtime/plan';
export type {
  SimulationReplicaSet as TickReplicaSet,
  SimulationResult,
  SimulationTick,
} from '../../runtime/simulate';
