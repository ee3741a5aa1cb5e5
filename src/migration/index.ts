/**
 * Migration of a running Deployment to the canary setup without downtime, for GitOps:
 * `CanaryMigration` renders one stage of the procedure as its own synthesized state (the
 * `cdk8s-canary convert` and `migrate` commands cover the rest). The types describe the plan a
 * `CanaryMigration` exposes (`step`, `plan`).
 *
 * @module cdk8s-canary/migration
 */
export { CanaryMigration, type CanaryMigrationProps } from './canary-migration';
export { MigrationError } from './migration-error';
export { FORWARD_STAGE_IDS, REVERSE_STEP_IDS } from './migration-plan';
export type {
  ForwardStageId,
  MigrationCheck,
  MigrationHpa,
  MigrationPlan,
  MigrationStep,
  ReverseStepId,
  WayBack,
} from './migration-plan';
export type { CanarySet } from './canary-set';
// The HPA's fields a CanarySet and an ExistingApp carry, as the model's reader reads them.
export type { HpaFields, ScaleTargetRef } from '../model/manifests';
export type { ExistingApp } from './existing-app';
export type { ManifestObject, ObjectMeta, SourcedManifest } from './manifest-object';
export type { CheckCommand, OutputCount, OutputTest, ProgramCall, RunbookCommand, ShellWord, WordPart } from './shell-command';
