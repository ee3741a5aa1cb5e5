import { CANARY_CONVENTIONS } from './conventions';
import type { LintOptions, LocatedFinding, Severity } from './finding';
import { ManifestIndex, type ManifestObject } from './manifest-index';
import { planRollout } from './plan-rollout';
import type { LintContext, LintRule, PlanOutcome } from './rule';
import { RULE_CATALOGUE } from './rule-catalogue';
import { readRollouts, type RolloutView } from './rollout-view';

const KNOWN_RULES: ReadonlySet<string> = new Set(RULE_CATALOGUE.map((r) => r.id));

/**
 * Runs every lint rule over parsed Kubernetes objects (e.g. the documents of `cdk8s synth`
 * output). Pure: no I/O. Findings come in catalogue order, then input order.
 * Throws an Error naming the option when an option is invalid (an unknown rule id in `disable`,
 * a threshold or replica count out of range).
 */
export function lintManifests(objects: readonly unknown[], options: LintOptions = {}): LocatedFinding[] {
  const surgeThresholdPercent = options.surgeThresholdPercent ?? CANARY_CONVENTIONS.surgeThresholdPercent;
  if (!Number.isFinite(surgeThresholdPercent) || surgeThresholdPercent <= 0 || surgeThresholdPercent > 100) {
    throw new Error(`surgeThresholdPercent (${surgeThresholdPercent}) must be a number above 0 and at most 100`);
  }
  if (options.replicas !== undefined && (!Number.isInteger(options.replicas) || options.replicas < 1)) {
    throw new Error(`replicas (${options.replicas}) must be a whole number of at least 1`);
  }
  for (const id of options.disable ?? []) {
    if (!KNOWN_RULES.has(id)) throw new Error(`disable: unknown rule ${JSON.stringify(id)}; valid rules: ${[...KNOWN_RULES].join(', ')}`);
  }
  const minimumSeverity = options.minimumSeverity ?? 'warning';
  if (minimumSeverity !== 'warning' && minimumSeverity !== 'error') {
    throw new Error(`minimumSeverity (${JSON.stringify(minimumSeverity)}) must be "error" or "warning"`);
  }
  const index = new ManifestIndex(objects);
  const plans = new Map<RolloutView, Map<number, PlanOutcome>>();
  const rules = rulesToRun(options.disable, minimumSeverity);
  const objectsWithErrors = new Set<ManifestObject>();
  const context: LintContext = {
    index,
    rollouts: readRollouts(index),
    surgeThresholdPercent,
    replicas: options.replicas,
    plan(rollout, replicas) {
      let byCount = plans.get(rollout);
      if (!byCount) plans.set(rollout, (byCount = new Map()));
      let outcome = byCount.get(replicas);
      if (!outcome) byCount.set(replicas, (outcome = planRollout(index, rollout, replicas)));
      return outcome;
    },
    objectsWithErrors,
    runs: (ruleId) => rules.some((rule) => rule.id === ruleId),
  };
  // Plain loops: flatMap/map over sixteen mostly empty arrays were a visible share of a small run.
  const findings: LocatedFinding[] = [];
  for (const rule of rules) {
    for (const f of rule.check(context)) {
      if (rule.severity === 'error') objectsWithErrors.add(f.object);
      findings.push({
        rule: rule.id,
        severity: rule.severity,
        object: f.object.ref,
        path: f.path,
        message: f.message,
        fix: f.fix ?? rule.fix,
        objectIndex: f.object.index,
      });
    }
  }
  return findings;
}

const ERROR_RULES = RULE_CATALOGUE.filter((rule) => rule.severity === 'error');

/**
 * The catalogue minus the disabled rules and, when only errors are kept, minus the rules that
 * can only report warnings (a rule's findings all carry its severity).
 */
function rulesToRun(disabled: readonly string[] | undefined, minimumSeverity: Severity): readonly LintRule[] {
  const rules = minimumSeverity === 'error' ? ERROR_RULES : RULE_CATALOGUE;
  return disabled === undefined || disabled.length === 0 ? rules : rules.filter((rule) => !disabled.includes(rule.id));
}
