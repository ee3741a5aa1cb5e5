/**
 * The lint rules: the pitfalls of an Argo Rollouts + Istio canary, checked on manifests.
 * `lintManifests` checks parsed objects, `lintConstructValidation` checks a construct tree at synth,
 * `CanaryLintValidation` is the cdk8s validation plugin (cdk8s.yaml `validations:`).
 *
 * @module cdk8s-canary/lint
 */
export { lintManifests } from './lint-manifests';
export type { Finding, LintOptions, LocatedFinding, Severity } from './finding';
export { lintConstructValidation, type LintConstructValidationOptions } from './construct-validation';
export { CanaryLintValidation, type CanaryLintValidationProps, type ValidationContextLike } from './canary-lint-validation';
