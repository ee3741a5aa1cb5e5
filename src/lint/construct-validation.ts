import { ApiObject, type JsonPatch } from 'cdk8s';
import { isDeepStrictEqual } from 'node:util';
import type { IConstruct, IValidation } from 'constructs';
import type { LintOptions } from './finding';
import { lintManifests } from './lint-manifests';

/** Options of {@link lintConstructValidation}. */
export interface LintConstructValidationOptions extends LintOptions {
  /**
   * Fail the synth on warning-level findings too.
   * @default false
   */
  readonly includeWarnings?: boolean;
}

const LINTED = Symbol.for('cdk8s-canary.LintedApiObject');

/**
 * An `ApiObject` whose render is shared by the synth-time lint and the synthesis, so each object
 * is rendered once per synthesis (CanaryApp creates its objects as this class). It is a plain
 * subclass, as cdk8s's generated classes are: `toJson()` and `addJsonPatch()` are overridden, no
 * method of any object is replaced at run time.
 *
 * The lint's validation calls {@link renderForLint}: the object renders (`ApiObject.toJson`) and
 * keeps the render, which later validations of the same synthesis read again (cdk8s validates
 * twice per `App.synth()`); a JSON patch drops it. The next `toJson()` (cdk8s writing the object,
 * right after validating) takes the render and returns it when the object's metadata is still the
 * metadata in the render, else renders again: what cdk8s writes is always the object as it is then.
 *
 * Only a change made through `metadata` (labels, annotations, finalizers, owner references) after
 * a validation that no write followed (a manual `node.validate()`, a failed synthesis) is not seen
 * by the lint's next reading of a kept render; the lint reads no such field of these objects (name
 * and namespace cannot change; `test/lint/synth-pass.test.ts` pins that the findings do not depend
 * on the others), and the write renders the object again.
 */
export class LintedApiObject extends ApiObject {
  /**
   * True for a LintedApiObject (`instanceof` cannot tell: cdk8s's `ApiObject[Symbol.hasInstance]`,
   * which subclasses inherit, answers true for every ApiObject).
   */
  public static isLintedApiObject(x: unknown): x is LintedApiObject {
    return typeof x === 'object' && x !== null && LINTED in x;
  }

  /** The render the lint made, until cdk8s's next `toJson()` takes it or a JSON patch drops it. */
  private kept?: { readonly metadata: unknown };

  constructor(...args: ConstructorParameters<typeof ApiObject>) {
    super(...args);
    Object.defineProperty(this, LINTED, { value: true });
  }

  /** The object as cdk8s renders it, rendered once until cdk8s's next `toJson()` takes it. */
  public renderForLint(): unknown {
    return (this.kept ??= super.toJson());
  }

  /** `ApiObject.toJson()`, or the render the lint made for this synthesis (see the class). */
  public override toJson(): any {
    const kept = this.kept;
    this.kept = undefined;
    // The render's metadata is `metadata.toJson()` as ApiObject.toJson resolved and key-sorted it;
    // it differs (and the object renders again) after a metadata change, a patch of the metadata,
    // or an app resolver that changes an already resolved value again.
    if (kept !== undefined && isDeepStrictEqual(kept.metadata, this.metadata.toJson())) return kept;
    return super.toJson();
  }

  /** `ApiObject.addJsonPatch()`; a render kept from before the patch is dropped. */
  public override addJsonPatch(...ops: JsonPatch[]): void {
    this.kept = undefined;
    super.addJsonPatch(...ops);
  }
}

/**
 * A construct validation (`node.addValidation(...)`) that runs the lint rules over every
 * ApiObject under `scope` at synth time, e.g. from `CanaryApp`:
 * `this.node.addValidation(lintConstructValidation(this))`. Each error-level finding becomes one
 * line of cdk8s' "Validation failed" message: `[rule] Kind/name path: message Fix: fix`.
 *
 * A {@link LintedApiObject} (every object CanaryApp creates) is rendered once per synthesis: the
 * lint reads its render and cdk8s writes that same render. Any other ApiObject is rendered for the
 * lint with its own `toJson()`. `App.synth()` validates twice (before writing, and again in each
 * `Chart.toJson()`); the second run sees the same renders and reuses the findings.
 */
export function lintConstructValidation(scope: IConstruct, options: LintConstructValidationOptions = {}): IValidation {
  const { includeWarnings, ...rest } = options;
  // Warnings are dropped below unless asked for, so the warning-only rules need not run.
  const lintOptions: LintOptions = includeWarnings === true ? rest : { ...rest, minimumSeverity: 'error' };
  let last: { readonly renders: readonly unknown[]; readonly lines: readonly string[] } | undefined;
  return {
    validate: () => {
      const renders = scope.node
        .findAll()
        .filter((c): c is ApiObject => ApiObject.isApiObject(c))
        .map((o) => (LintedApiObject.isLintedApiObject(o) ? o.renderForLint() : o.toJson()));
      if (last === undefined || last.renders.length !== renders.length || last.renders.some((r, i) => r !== renders[i])) {
        const lines = lintManifests(renders, lintOptions)
          .filter((f) => includeWarnings === true || f.severity === 'error')
          .map((f) => `[${f.rule}] ${f.object} ${f.path}: ${f.message} Fix: ${f.fix}`);
        last = { renders, lines };
      }
      return [...last.lines];
    },
  };
}
