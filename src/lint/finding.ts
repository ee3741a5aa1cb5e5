/** How bad a finding is: an `error` fails `cdk8s-canary lint` (exit 1) and `cdk8s synth` validation. */
export type Severity = 'error' | 'warning';

/** One problem found in the manifests (the JSON shape of `cdk8s-canary lint --format json`). */
export interface Finding {
  /** Rule id, e.g. `pod-surge`. */
  readonly rule: string;
  /** `error` or `warning`, the rule's severity. */
  readonly severity: Severity;
  /** The object the finding is about, as `Kind/name`. */
  readonly object: string;
  /** Field path inside that object, e.g. `spec.strategy.canary.steps[3]`. */
  readonly path: string;
  /** What is wrong, with the offending values. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A finding plus where its object came from in the input (not part of the JSON contract). */
export interface LocatedFinding extends Finding {
  /** Index of the object in the array given to `lintManifests`. */
  readonly objectIndex: number;
}

/** Options of {@link lintManifests}. */
export interface LintOptions {
  /**
   * A step that adds more than this share (percent of the replica count) as new pods is a surge.
   * @default CANARY_CONVENTIONS.surgeThresholdPercent (30)
   */
  readonly surgeThresholdPercent?: number;
  /**
   * Replica count used to plan the steps for the surge and PDB rules.
   * @default - the HPA's minReplicas and maxReplicas when an HPA targets the Rollout (both are checked),
   * otherwise spec.replicas, otherwise 1 (the Argo Rollouts default)
   */
  readonly replicas?: number;
  /**
   * Rule ids not to run.
   * @default - every rule runs
   */
  readonly disable?: string[];
  /**
   * Lowest severity to report. With `'error'` only error-level findings come back, and the
   * warning-level rules (e.g. `min-two-pods`, `no-settle-pause`) do not run at all, which saves
   * their time when warnings would be dropped anyway (the synth-time lint of `CanaryApp`).
   * @default 'warning' (every finding)
   * TypeScript only (a string-literal type); other languages filter the findings' `severity`.
   * @jsii ignore
   */
  readonly minimumSeverity?: Severity;
}
