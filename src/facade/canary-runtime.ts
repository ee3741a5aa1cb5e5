import type { Chart } from 'cdk8s';
import { parse } from 'yaml';
import { lintManifests } from '../lint/lint-manifests';
import type { LintOptions } from '../lint/finding';
import { parseManifests, readManifests, type KubeObject, type ManifestInput } from '../model/manifests';
import { plan, type PlanResult } from '../runtime/plan';
import { parseScenario } from '../runtime/scenario';
import { simulate, type SimulationTick } from '../runtime/simulate';

/** Options of `CanaryRuntime.plan` and `CanaryRuntime.simulate`. */
export interface CanaryRuntimeOptions {
  /**
   * The Rollout to use when the manifests hold several: `NAME`, or `NAMESPACE/NAME`.
   * @default - the only Rollout
   */
  readonly rollout?: string;
}

/** Options of `CanaryRuntime.plan`. */
export interface CanaryPlanOptions extends CanaryRuntimeOptions {
  /**
   * `spec.replicas` to plan for.
   * @default - the Rollout's spec.replicas, else the HPA's minReplicas, else 1
   */
  readonly replicas?: number;
}

/** One step of a plan: what the cluster looks like while the step holds (`plan` of `cdk8s-canary/runtime`). */
export interface CanaryPlanRow {
  /** Index of the step in `spec.strategy.canary.steps` (0-based). */
  readonly step: number;
  /** The step as the Argo CLI prints it (`setWeight: 20`, `pause: 15s`). */
  readonly action: string;
  /** Traffic weight of the canary, in percent. */
  readonly canaryWeight: number;
  /** Traffic weight of the stable pods, in percent. */
  readonly stableWeight: number;
  /** `spec.replicas` of the canary ReplicaSet. */
  readonly canaryReplicas: number;
  /** `spec.replicas` of the stable ReplicaSet. */
  readonly stableReplicas: number;
  /** Pods of every ReplicaSet of the Rollout at that moment. */
  readonly totalPods: number;
  /** Pods created while the step ran. */
  readonly podsAdded: number;
  /**
   * Pause of a pause step: "indefinite" or its duration as written ("15s").
   * @default - not a pause step
   */
  readonly pause?: string;
}

/** The plan of a Rollout: one row per step. */
export interface CanaryPlan {
  /** Name of the Rollout planned. */
  readonly rollout: string;
  /** `spec.replicas` the plan is for. */
  readonly replicas: number;
  /** One row per step, in order. */
  readonly rows: CanaryPlanRow[];
}

/** One lint finding (as in `cdk8s-canary lint --format json`, without the file; `object` is `resource`). */
export interface CanaryLintFinding {
  /** Rule id, e.g. `pod-surge`. */
  readonly rule: string;
  /** `error` or `warning`. */
  readonly severity: string;
  /** The object the finding is about, as `Kind/name` (`object` in the CLI's JSON). */
  readonly resource: string;
  /** Field path inside that object, e.g. `spec.strategy.canary.steps[3]`. */
  readonly path: string;
  /** What is wrong, with the offending values. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** One ReplicaSet in a simulation tick. */
export interface CanarySimulationReplicaSet {
  /** 1, 2, 3... in creation order. */
  readonly revision: number;
  /** `stable`, `canary` or `old`. */
  readonly role: string;
  /** `spec.replicas`. */
  readonly replicas: number;
  /** Available pods. */
  readonly available: number;
}

/** The observable state after one controller tick (one row of `cdk8s-canary simulate`). */
export interface CanarySimulationTick {
  /** Seconds since the start. */
  readonly t: number;
  /**
   * `status.currentStepIndex`.
   * @default - the Rollout has no steps
   */
  readonly stepIndex?: number;
  /** The Rollout's phase (`Progressing`, `Paused`, `Healthy`, `Degraded`). */
  readonly phase: string;
  /** The Rollout's status message. */
  readonly message: string;
  /** Canary weight of the weighted route, in percent. */
  readonly canaryWeight: number;
  /** Stable weight of the weighted route, in percent. */
  readonly stableWeight: number;
  /** Every ReplicaSet of the Rollout, by revision. */
  readonly replicaSets: CanarySimulationReplicaSet[];
  /**
   * Revision the stable Service selects.
   * @default - none
   */
  readonly stableServiceRevision?: number;
  /**
   * Revision the canary Service selects.
   * @default - none
   */
  readonly canaryServiceRevision?: number;
  /** `spec.paused` or a pause condition. */
  readonly paused: boolean;
  /** `status.abort`. */
  readonly aborted: boolean;
}

/** A simulation run (the JSON of `cdk8s-canary simulate --format json`, flattened). */
export interface CanarySimulation {
  /** Name of the Rollout simulated. */
  readonly rollout: string;
  /** One entry per controller tick; the first is the start state. */
  readonly ticks: CanarySimulationTick[];
}

/**
 * The runtime (plan, lint, simulate) for every language: the functions of `cdk8s-canary/runtime`
 * and `cdk8s-canary/lint` over YAML text or a synthesized chart, returning plain structs. The
 * results are those of the TypeScript functions (and of `cdk8s-canary plan|lint|simulate --format json`).
 */
export class CanaryRuntime {
  /** Plans the Rollout in `manifests` (multi-document YAML or JSON text): `plan(readManifests(...))`. */
  public static plan(manifests: string, options: CanaryPlanOptions = {}): CanaryPlan {
    return planOf(manifests, options);
  }

  /** Plans the Rollout a chart renders (`chart.toJson()`, which runs the chart's validations). */
  public static planChart(chart: Chart, options: CanaryPlanOptions = {}): CanaryPlan {
    return planOf(chart.toJson() as KubeObject[], options);
  }

  /** Lints the objects in `manifests` (YAML or JSON text): `lintManifests`, every finding. */
  public static lint(manifests: string, options: LintOptions = {}): CanaryLintFinding[] {
    return lintOf(parseManifests(manifests).map((s) => s.object), options);
  }

  /** Lints the objects a chart renders (`chart.toJson()`). */
  public static lintChart(chart: Chart, options: LintOptions = {}): CanaryLintFinding[] {
    return lintOf(chart.toJson(), options);
  }

  /**
   * Runs the controller over a scenario: `simulate(readManifests(manifests), parseScenario(scenario))`.
   * `scenario` is the YAML or JSON text of a `cdk8s-canary simulate --scenario` file.
   */
  public static simulate(manifests: string, scenario: string, options: CanaryRuntimeOptions = {}): CanarySimulation {
    const result = simulate(readManifests(manifests, options), parseScenario(parse(scenario)));
    return { rollout: result.rollout, ticks: result.ticks.map(tickOf) };
  }

  private constructor() {}
}

function planOf(input: ManifestInput, options: CanaryPlanOptions): CanaryPlan {
  const result: PlanResult = plan(readManifests(input, { rollout: options.rollout }), { replicas: options.replicas });
  return {
    rollout: result.rollout,
    replicas: result.replicas,
    rows: result.rows.map(({ pause, ...row }) => (pause === null ? row : { ...row, pause })),
  };
}

function lintOf(objects: unknown[], options: LintOptions): CanaryLintFinding[] {
  return lintManifests(objects, options).map(({ rule, severity, object, path, message, fix }) => ({ rule, severity, resource: object, path, message, fix }));
}

function tickOf(tick: SimulationTick): CanarySimulationTick {
  return {
    t: tick.t,
    ...(tick.stepIndex === null ? {} : { stepIndex: tick.stepIndex }),
    phase: tick.phase,
    message: tick.message,
    canaryWeight: tick.weights.canary,
    stableWeight: tick.weights.stable,
    replicaSets: tick.replicaSets.map((rs) => ({ ...rs })),
    ...(tick.services.stable === null ? {} : { stableServiceRevision: tick.services.stable }),
    ...(tick.services.canary === null ? {} : { canaryServiceRevision: tick.services.canary }),
    paused: tick.paused,
    aborted: tick.aborted,
  };
}
