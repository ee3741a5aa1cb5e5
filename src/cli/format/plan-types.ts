/** The plan and simulate shapes the formatters read, as the runtime exports them. */
export type { PlanResult, PlanRow } from '../../runtime/plan';
export type {
  SimulationReplicaSet as TickReplicaSet,
  SimulationResult,
  SimulationTick,
} from '../../runtime/simulate';
