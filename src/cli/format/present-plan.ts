import type { CanaryStep } from '../../runtime/types';
import { surgeAllowance } from '../../lint/rules/pod-surge';
import type { PlanResult, PlanRow } from './plan-types';
import { stepLabel, stepShortLabel } from './step-label';

/** A plan row with what people see: a label and whether it is a surge. */
export interface PresentedRow extends PlanRow {
  /** e.g. "setWeight 10%". */
  readonly label: string;
  /** Two short lines for the SVG timeline. */
  readonly shortLabel: readonly [string, string];
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
  /** `spec.strategy.canary.steps`, for labels. @default - the runtime's action strings */
  readonly steps?: readonly CanaryStep[];
  /** `spec.strategy.canary.minPodsPerReplicaSet`. @default 1 */
  readonly minPodsPerReplicaSet?: number;
  readonly surgeThresholdPercent: number;
}

/** Labels each row and flags surges with the same allowance as the `pod-surge` lint rule. */
export function presentPlan(result: PlanResult, options: PresentPlanOptions): PlanPresentation {
  let canaryBefore = 0;
  const rows = result.rows.map((row) => {
    const step = options.steps?.[row.step];
    const allowance = surgeAllowance(result.replicas, options.surgeThresholdPercent, canaryBefore === 0, options.minPodsPerReplicaSet ?? 1);
    canaryBefore = row.canaryReplicas;
    return {
      ...row,
      label: stepLabel(step, row.action),
      shortLabel: stepShortLabel(step, row.action),
      surge: row.podsAdded > allowance,
    };
  });
  return { rollout: result.rollout, replicas: result.replicas, surgeThresholdPercent: options.surgeThresholdPercent, rows };
}
