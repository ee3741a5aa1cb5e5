import type { LintOptions } from './finding';
import { lintManifests } from './lint-manifests';

/**
 * The parts of cdk8s-cli's `ValidationContext` the plugin uses (structural, so this library does
 * not depend on cdk8s-cli at run time; the test checks it against the real class).
 * cdk8s-cli (Node.js) loads the plugin, never another language.
 * @jsii ignore
 */
export interface ValidationContextLike {
  /** Paths of the synthesized manifest files. */
  readonly manifests: readonly string[];
  /** Parses one manifest file into its documents. */
  parseManifest(manifestPath: string): unknown[];
  /** Where the plugin reports its violations and its final status. */
  readonly report: {
    /** Adds one violation (one finding) to the report. */
    addViolation(violation: {
      readonly ruleName: string;
      readonly recommendation: string;
      readonly fix: string;
      readonly violatingResources: readonly {
        readonly resourceName: string;
        readonly locations: readonly string[];
        readonly manifestPath: string;
      }[];
    }): void;
    /** Ends the report with its status and metadata (the error and warning counts). */
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
}

/**
 * `properties:` of the plugin entry in `cdk8s.yaml` (all optional).
 * cdk8s-cli (Node.js) loads the plugin, never another language.
 * @jsii ignore
 */
export interface CanaryLintValidationProps extends LintOptions {
  /**
   * Fail `cdk8s synth` on warnings too, not only on errors.
   * @default false
   */
  readonly failOnWarnings?: boolean;
}

/**
 * cdk8s-cli validation plugin running the `cdk8s-canary lint` rules on every `cdk8s synth`:
 *
 * ```yaml
 * validations:
 *   - package: cdk8s-canary       # or a local path, e.g. ./node_modules/cdk8s-canary
 *     version: 0.1.0
 *     class: CanaryLintValidation
 *     properties: { surgeThresholdPercent: 30 }
 * ```
 * Each finding becomes one violation (rule id, `[severity] message`, fix, object and field path).
 * The report fails when any error-level finding exists (or any finding with `failOnWarnings`).
 *
 * Node.js only: cdk8s-cli loads it by package name, whatever language the app is written in, so it
 * is not part of the Python, Java and Go packages.
 * @jsii ignore
 */
export class CanaryLintValidation {
  private readonly props: CanaryLintValidationProps;

  constructor(props: CanaryLintValidationProps = {}) {
    this.props = props;
  }

  /**
   * Called by cdk8s-cli after synthesis: lints every manifest of `context`, adds one violation per
   * finding and submits `failure` when an error (or, with `failOnWarnings`, a warning) was found.
   */
  async validate(context: ValidationContextLike): Promise<void> {
    const objects: unknown[] = [];
    const files: string[] = [];
    for (const manifest of context.manifests) {
      for (const doc of context.parseManifest(manifest)) {
        objects.push(doc);
        files.push(manifest);
      }
    }
    const { failOnWarnings, ...options } = this.props;
    const findings = lintManifests(objects, options);
    for (const f of findings) {
      context.report.addViolation({
        ruleName: f.rule,
        recommendation: `[${f.severity}] ${f.object}: ${f.message}`,
        fix: f.fix,
        violatingResources: [{ resourceName: f.object.split('/')[1] ?? f.object, locations: [f.path], manifestPath: files[f.objectIndex] ?? '' }],
      });
    }
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.length - errors;
    const failed = errors > 0 || (failOnWarnings === true && warnings > 0);
    context.report.submit(failed ? 'failure' : 'success', { errors: String(errors), warnings: String(warnings) });
  }
}
