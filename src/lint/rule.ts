import type { Severity } from './finding';
import { MemoTable, type ManifestIndex, type ManifestObject } from './manifest-index';
import type { RolloutView } from './rollout-view';

/** What a rule reports; the rule id and severity are added by `lintManifests`. */
export interface RuleFinding {
  readonly object: ManifestObject;
  readonly path: string;
  readonly message: string;
  /** Overrides the rule's general fix when the case needs a more specific one. */
  readonly fix?: string;
}

/** Replica counts of one canary step, as the runtime's plan computes them. */
export interface PlannedStep {
  /** Index into `spec.strategy.canary.steps`. */
  readonly stepIndex: number;
  readonly action: string;
  readonly canaryReplicas: number;
  readonly stableReplicas: number;
  readonly podsAdded: number;
}

/** The plan of one Rollout at one replica count, or why it could not be planned. */
export type PlanOutcome =
  | { readonly ok: true; readonly replicas: number; readonly steps: readonly PlannedStep[] }
  | { readonly ok: false; readonly replicas: number; readonly error: string };

/** What rules get to look at. Everything is derived from the input objects; nothing is read from outside. */
export interface LintContext {
  readonly index: ManifestIndex;
  readonly rollouts: readonly RolloutView[];
  readonly surgeThresholdPercent: number;
  /** `LintOptions.replicas`, when given. */
  readonly replicas?: number;
  /** The runtime's plan for a Rollout at a replica count (memoized). */
  plan(rollout: RolloutView, replicas: number): PlanOutcome;
  /** Objects that got an error-level finding from the rules run so far (catalogue order). */
  readonly objectsWithErrors: ReadonlySet<ManifestObject>;
  /** Whether a rule runs in this lint (not disabled, and its severity is reported). */
  runs(ruleId: string): boolean;
}

/** One lint rule: documented id, severity and fix, and a pure check over the manifests. */
export interface LintRule {
  /** Stable kebab-case id, used in output, `--disable` and the README. */
  readonly id: string;
  readonly severity: Severity;
  /** One sentence: the pitfall the rule catches and why it hurts. */
  readonly summary: string;
  /** The general fix. */
  readonly fix: string;
  check(context: LintContext): readonly RuleFinding[];
}

/** A Rollout with a canary strategy. */
export type CanaryRolloutView = RolloutView & { readonly canary: NonNullable<RolloutView['canary']> };

const CANARY_ROLLOUTS = new MemoTable<readonly RolloutView[], readonly CanaryRolloutView[]>('Rollouts with a canary strategy');

/** The Rollouts the canary rules apply to (blue-green Rollouts are skipped); worked out once per run. */
export function canaryRollouts(context: LintContext): readonly CanaryRolloutView[] {
  return context.index.memo(CANARY_ROLLOUTS, context.rollouts, () =>
    context.rollouts.filter((r): r is CanaryRolloutView => r.canary !== undefined),
  );
}

/**
 * The findings `check` gives for each item, in order: `items.flatMap(check)` as a plain loop
 * (Array.prototype.flatMap's generic flattening was a visible share of a small lint run).
 */
export function findingsOf<T>(items: readonly T[], check: (item: T) => readonly RuleFinding[]): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const item of items) for (const finding of check(item)) out.push(finding);
  return out;
}
