import type { ProblemList } from './canary-app-error';

/** The budget of one PodDisruptionBudget: how many pods of a role a drain may evict at once. */
export class DisruptionBudget {
  /** At most `value` pods (a count, or a percentage such as `'25%'`) may be unavailable. */
  public static maxUnavailable(value: number | string): DisruptionBudget {
    return new DisruptionBudget('maxUnavailable', value);
  }

  /** At least `value` pods (a count, or a percentage such as `'50%'`) must stay available. */
  public static minAvailable(value: number | string): DisruptionBudget {
    return new DisruptionBudget('minAvailable', value);
  }

  private constructor(
    /** `maxUnavailable` or `minAvailable`. */
    public readonly field: 'maxUnavailable' | 'minAvailable',
    /** The count or percentage. */
    public readonly value: number | string,
  ) {}

  /**
   * Records every problem of this budget under `path`. `fewestPods` is the smallest number of pods
   * the role can run (while it runs any), used to spot budgets that forbid every eviction.
   * @internal
   */
  public _check(path: string, problems: ProblemList, fewestPods: number | undefined, role: string): void {
    const p = `${path}.${this.field}`;
    const v = this.value;
    let percent: number | undefined;
    if (typeof v === 'string') {
      const m = /^(\d+)%$/.exec(v);
      if (!m || Number(m[1]) > 100) {
        problems.add(p, v, 'must be a whole number >= 0 or a percentage between "0%" and "100%"');
        return;
      }
      percent = Number(m[1]);
    } else if (!Number.isInteger(v) || v < 0) {
      problems.add(p, v, 'must be a whole number >= 0 or a percentage between "0%" and "100%"');
      return;
    }
    if (this.field === 'maxUnavailable' && (v === 0 || percent === 0)) {
      problems.add(p, v, `forbids every eviction of ${role} pods, so node drains block; allow at least 1`);
    } else if (this.field === 'minAvailable' && percent === 100) {
      problems.add(p, v, `forbids every eviction of ${role} pods, so node drains block; use maxUnavailable: 1`);
    } else if (this.field === 'minAvailable' && typeof v === 'number' && fewestPods !== undefined && v >= fewestPods) {
      problems.add(p, v, `forbids every eviction when ${role} runs ${fewestPods} pod${fewestPods === 1 ? '' : 's'}; must be below ${fewestPods}, or use maxUnavailable: 1`);
    }
  }
}

/** The split PodDisruptionBudgets, one per role (stable, canary). */
export interface DisruptionBudgetOptions {
  /**
   * Budget of the stable pods (`role: stable`).
   * @default DisruptionBudget.maxUnavailable(1)
   */
  readonly stable?: DisruptionBudget;
  /**
   * Budget of the canary pods (`role: canary`).
   * @default DisruptionBudget.maxUnavailable(1)
   */
  readonly canary?: DisruptionBudget;
}
