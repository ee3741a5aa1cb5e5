import type { RolloutModel } from '../runtime/manifests';
import type { PlanResult, SimulationResult } from './format/plan-types';

/** PROVISIONAL: calls the runtime's plan() once it lands on branch runtime. */
export function runPlan(_model: RolloutModel, _replicas: number | undefined): PlanResult {
  throw new Error('the runtime plan() is not available yet');
}

/** PROVISIONAL: calls the runtime's simulate() once it lands on branch runtime. */
export function runSimulate(_model: RolloutModel, _scenario: unknown): SimulationResult {
  throw new Error('the runtime simulate() is not available yet');
}
