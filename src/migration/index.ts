/**
 * Migration of a running Deployment to the canary setup without downtime: `convertExistingApp`
 * turns today's manifests into the canary set, `planMigration` / `renderRunbook` give the kubectl
 * runbook (forward and back), `CanaryMigration` renders one GitOps stage, `argoCdIgnoreDifferences`
 * what Argo CD must ignore.
 *
 * @module cdk8s-canary/migration
 */
export { CanaryMigration, type CanaryMigrationProps } from './canary-migration';
export {
  convertExistingApp,
  type ConvertOptions,
  type ConvertProfile,
  type ConvertResult,
  type PatchedObject,
  type PreservedFields,
} from './convert';
export { readExistingApp, type ExistingApp, type ReadExistingAppOptions } from './existing-app';
export { readCanarySet, type CanarySet } from './canary-set';
export {
  FORWARD_STAGE_IDS,
  REVERSE_STEP_IDS,
  planMigration,
  type ForwardStageId,
  type MigrationCheck,
  type MigrationHpa,
  type MigrationPlan,
  type MigrationStep,
  type PlanMigrationInput,
  type ReverseStepId,
  type WayBack,
} from './migration-plan';
export { renderRunbook, runbookJson, type RunbookDirection } from './render-runbook';
export { gitopsStages, type GitopsStage } from './gitops-stages';
export {
  argoCdApplicationSnippet,
  argoCdIgnoreDifferences,
  type ArgoCdIgnoreOptions,
  type IgnoreDifference,
} from './argocd-ignore';
export { MigrationError, type MigrationProblems } from './migration-error';
export type { JsonPatchOp } from './json-patch-diff';
export type { ManifestObject, ObjectMeta, SourcedManifest } from './manifest-object';
export type { CheckCommand, OutputCount, OutputTest, ProgramCall, RunbookCommand, ShellWord, WordPart } from './shell-command';
