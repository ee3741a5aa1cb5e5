import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { readExistingApp } from './existing-app';
import { gitopsStages } from './gitops-stages';
import type { ManifestObject } from './manifest-object';
import { MigrationError } from './migration-error';
import { type ForwardStageId, type MigrationPlan, type MigrationStep, planMigration } from './migration-plan';

/**
 * Properties for `CanaryMigration`.
 *
 * TypeScript only: `finalApp` is a function, which jsii cannot pass between languages.
 * @jsii ignore
 */
export interface CanaryMigrationProps {
  /**
   * The manifests running today, as parsed from their YAML: the Deployment, the Service, the HPA
   * and the VirtualService (other objects are kept as they are until the last stage).
   */
  readonly existing: readonly Record<string, unknown>[];
  /** Pods the Deployment runs now (`kubectl get deployment NAME -o jsonpath={.spec.replicas}`). */
  readonly currentReplicas: number;
  /** The stage to render: its id (`'unpause-rollout'`) or its 1-based number. */
  readonly stage: ForwardStageId | number;
  /**
   * Adds the app as it must end up to a chart: a `CanaryApp`, e.g. the `add<App>(chart)` function
   * that `cdk8s-canary convert` writes.
   */
  readonly finalApp: (chart: Chart) => void;
}

/**
 * Renders one stage of the zero-downtime migration from a Deployment to `CanaryApp` as plain
 * objects, so a GitOps team commits the stages one after the other (checking each stage's
 * `checks` before the next). The last stage renders exactly what `finalApp` renders.
 *
 * TypeScript only (its `finalApp` prop is a function); not in the Python, Java and Go packages.
 * @jsii ignore
 */
export class CanaryMigration extends Construct {
  /** The stage rendered, with its checks and way back. */
  public readonly step: MigrationStep<ForwardStageId>;
  /** The whole procedure (all stages, the runbook commands, the reverse procedure). */
  public readonly plan: MigrationPlan;

  public constructor(scope: Construct, id: string, props: CanaryMigrationProps) {
    super(scope, id);
    const chart = Chart.of(scope);
    const scratch = new Chart(new App({ outdir: 'unused' }), 'final', {
      disableResourceNameHashes: true,
      namespace: chart.namespace,
      labels: chart.labels,
    });
    props.finalApp(scratch);
    const after = scratch.toJson() as ManifestObject[];
    const existing = readExistingApp(
      props.existing.map((object, i) => ({ object: object as unknown as ManifestObject, document: i + 1, file: 'existing' })),
    );
    this.plan = planMigration({ after, existing });
    const stages = gitopsStages(this.plan, props.currentReplicas);
    const index = typeof props.stage === 'number' ? props.stage - 1 : stages.findIndex((s) => s.step.id === props.stage);
    if (index < 0 || index >= stages.length) {
      const valid = stages.map((s) => `${s.step.number} (${s.step.id})`).join(', ');
      throw new MigrationError('invalid CanaryMigration', [`stage (${JSON.stringify(props.stage)}) must be one of ${valid}`]);
    }
    const stage = stages[index];
    this.step = stage.step;
    for (const o of stage.objects) {
      new ApiObject(this, `${o.kind}-${o.metadata.name}`, o as unknown as ConstructorParameters<typeof ApiObject>[2]);
    }
  }
}
