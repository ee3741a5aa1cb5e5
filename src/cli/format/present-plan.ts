import { surgeAllowance } from '../../lint/rules/pod-surge';
import type { PlanResult, PlanRow } from './plan-types';
import { stepLabel, stepShortLabel } from './step-label';

/** A plan row with what people see: a label and whether it is a surge. */
export interface PresentedRow extends PlanRow {
  /** e.g. "setWeight 10%". */
  readonly label: string;
  /** Two short lines for the SVG timeline. */
  readonly shortLabel: readonly [string, string];
  /** How the row's pause reads: "" (none), "until promoted", or the duration ("15s"). */
  readonly pauseText: string;
  /** Adds more pods than the lint `pod-surge` rule allows. */
  readonly surge: boolean;
}

/** What the table, markdown and SVG formatters render. */
export interface PlanPresentation {
  readonly rollout: string;
  readonly replicas: number;
  readonly surgeThresholdPercent: number;
  readonly rows: readonly PresentedRow[];
}

/** Options of {@link presentPlan}. */
export interface PresentPlanOptions {
  readonly surgeThresholdPercent: number;
}

/** Labels each row (from the plan's own steps) and flags surges with the same allowance as the `pod-surge` lint rule. */
export function presentPlan(result: PlanResult, options: PresentPlanOptions): PlanPresentation {
  let canaryBefore = 0;
  const rows = result.rows.map((row) => {
    const step = result.steps[row.step];
    const allowance = surgeAllowance(result.replicas, options.surgeThresholdPercent, canaryBefore === 0, result.minPodsPerReplicaSet);
    canaryBefore = row.canaryReplicas;
    return {
      ...row,
      label: stepLabel(step, row.action),
      shortLabel: stepShortLabel(step, row.action),
      pauseText: row.pause === null ? '' : row.pause === 'indefinite' ? 'until promoted' : row.pause,
      surge: row.podsAdded > allowance,
    };
  });
  return { rollout: result.rollout, replicas: result.replicas, surgeThresholdPercent: options.surgeThresholdPercent, rows };
}
