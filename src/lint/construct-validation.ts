import { ApiObject } from 'cdk8s';
import type { IConstruct, IValidation } from 'constructs';
import type { LintOptions } from './finding';
import { lintManifests } from './lint-manifests';
import { oncePerPass, openSynthPasses, renderForLint } from './synth-pass';

/** Options of {@link lintConstructValidation}. */
export interface LintConstructValidationOptions extends LintOptions {
  /**
   * Fail the synth on warning-level findings too.
   * @default false
   */
  readonly includeWarnings?: boolean;
}

/**
 * A construct validation (`node.addValidation(...)`) that runs the lint rules over every
 * ApiObject under `scope` at synth time, e.g. from `CanaryApp`:
 * `this.node.addValidation(lintConstructValidation(this))`. Each error-level finding becomes one
 * line of cdk8s' "Validation failed" message: `[rule] Kind/name path: message Fix: fix`.
 *
 * Render once: `App.synth()`, `App.synthYaml()` and the `toJson()` of `scope`'s chart open a synth
 * pass (see `synth-pass.ts`). In a pass each object is rendered once, the lint reads that render,
 * cdk8s writes that same JSON, and the second validation of `App.synth()` reuses the findings.
 */
export function lintConstructValidation(scope: IConstruct, options: LintConstructValidationOptions = {}): IValidation {
  const { includeWarnings, ...rest } = options;
  // Warnings are dropped below unless asked for, so the warning-only rules need not run.
  const lintOptions: LintOptions = includeWarnings === true ? rest : { ...rest, minimumSeverity: 'error' };
  openSynthPasses(scope);
  const validation: IValidation = {
    validate: () =>
      oncePerPass(validation, () => {
        // ApiObject.toJson() renders one object; Chart.toJson() would run the validations again.
        const objects = scope.node
          .findAll()
          .filter((c): c is ApiObject => ApiObject.isApiObject(c))
          .map((o) => renderForLint(o));
        return lintManifests(objects, lintOptions)
          .filter((f) => includeWarnings === true || f.severity === 'error')
          .map((f) => `[${f.rule}] ${f.object} ${f.path}: ${f.message} Fix: ${f.fix}`);
      }),
  };
  return validation;
}
