import { App, Chart, type ApiObject, type ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
// Imported first, as before the split: the order in which TypeScript meets the files decides the
// order of string-literal unions in docs/api/subpaths.typescript.md (TypeDoc), which stays unchanged.
import {
  renderDeployment,
  renderDestinationRule,
  renderHpa,
  renderPdb,
  renderRollout,
  renderService,
  renderVirtualService,
} from './_app-render';
import { lintConstructValidation } from '../lint/construct-validation';
import { CANARY_CONVENTIONS } from '../lint/conventions';
import type { CanaryStep as CanaryStepSpec } from '../runtime/types';
import { analysisContext } from './_app-analysis';
import { isCanaryApp, markCanaryApp } from './_app-brand';
import type { Resolved } from './_app-resolved';
import { resolveProps } from './_app-resolve';
import type { CanaryAppObjectNames, CanaryAppProps } from './canary-app-props';
import { CanaryAppError, ProblemList, formatValue, type Problem } from './canary-app-error';

export { WorkloadScaleDown, type CanaryAppNames, type CanaryAppObjectNames, type CanaryAppProps } from './canary-app-props';

/**
 * An Argo Rollouts + Istio canary for one app, as the production write-up this project grew from sets it up (see the README): the
 * Deployment (pod template, `replicas: 0`), the Rollout referencing it, stable and canary
 * Services, a VirtualService with a named weighted route, split PodDisruptionBudgets and an
 * optional HPA aimed at the Rollout. Every problem in the props is reported at once in a
 * `CanaryAppError`.
 */
export class CanaryApp extends Construct {
  /** True for any `CanaryApp`, even from another copy of this package. */
  public static isCanaryApp(x: unknown): x is CanaryApp {
    return isCanaryApp(x);
  }

  /**
   * Every problem with `props` (empty when valid), the ones `new CanaryApp` would throw in one
   * `CanaryAppError`: checked by creating the app in a chart of its own (with `chartProps`), which
   * is then dropped. For Python, Java and Go, where the thrown error arrives as a plain message.
   */
  public static problemsOf(props: CanaryAppProps, chartProps?: ChartProps): Problem[] {
    try {
      new CanaryApp(new Chart(new App({ outdir: '.' }), 'check', chartProps), 'app', props);
      return [];
    } catch (e) {
      if (e instanceof CanaryAppError) return e.problems;
      throw e;
    }
  }

  /** The app name. */
  public readonly appName: string;
  /**
   * The namespace rendered into every object, if any.
   * @jsii suppress JSII5018
   */
  public readonly namespace?: string;
  /** Every object name (also of objects that are not rendered with these props). */
  public readonly names: CanaryAppObjectNames;
  /** Labels selecting the app's pods (Services, PDBs, Rollout selector). */
  public readonly selectorLabels: { [key: string]: string };
  /**
   * The canary steps as rendered.
   * TypeScript only (a union of step shapes); other languages read `CanaryRuntime.plan`.
   * @jsii ignore
   */
  public readonly steps: readonly CanaryStepSpec[];
  /** Fixed `spec.replicas` of the Rollout; undefined when the HPA owns the count. */
  public readonly replicas?: number;
  /** The Deployment referenced by `workloadRef` (undefined with `inlineTemplate`). */
  public readonly deployment?: ApiObject;
  /** The Rollout. */
  public readonly rollout: ApiObject;
  /** The stable Service (the only Service in subset mode). */
  public readonly stableService: ApiObject;
  /** The canary Service (host split only). */
  public readonly canaryService?: ApiObject;
  /** The root Service selecting every pod (with `rootService: true`). */
  public readonly rootService?: ApiObject;
  /** The VirtualService. */
  public readonly virtualService: ApiObject;
  /** The DestinationRule (subset split only). */
  public readonly destinationRule?: ApiObject;
  /** The HPA (with `autoscaling`). */
  public readonly hpa?: ApiObject;
  /** The PodDisruptionBudget of the stable pods. */
  public readonly stablePdb?: ApiObject;
  /** The PodDisruptionBudget of the canary pods. */
  public readonly canaryPdb?: ApiObject;
  /** The AnalysisTemplate (with `analysis`). */
  public readonly analysisTemplate?: ApiObject;

  public constructor(scope: Construct, id: string, props: CanaryAppProps) {
    super(scope, id);
    markCanaryApp(this);
    const problems = new ProblemList();
    const r = resolveProps(this, props, problems);
    // The heading (node path, formatted name) is built only when there is something to report.
    if (problems.size > 0) problems.throwIfAny(`Invalid CanaryApp ${formatValue(props?.name)} at "${this.node.path}"`);
    const ok = r as Resolved;

    this.appName = ok.name;
    this.namespace = ok.namespace;
    this.names = ok.names;
    this.selectorLabels = ok.workload.selectorLabels;
    this.replicas = ok.replicas;

    const meta = (name: string): { name: string; namespace?: string } =>
      ok.namespace === undefined ? { name } : { name, namespace: ok.namespace };

    if (!ok.inlineTemplate) this.deployment = renderDeployment(this, ok, meta);
    const svc = (id2: string, name: string): ApiObject => renderService(this, id2, meta(name), ok);
    this.stableService = svc('StableService', ok.names.stableService);
    if (ok.split.mode === 'host') this.canaryService = svc('CanaryService', ok.names.canaryService);
    if (ok.rootService) this.rootService = svc('RootService', ok.names.rootService);
    if (ok.split.mode === 'subset') this.destinationRule = renderDestinationRule(this, ok, meta);
    this.virtualService = renderVirtualService(this, ok, meta);
    // Analysis (opt-in): the AnalysisTemplate, then the Rollout fields that run it.
    const analysis = props.analysis?._bind(this, 'AnalysisTemplate', analysisContext(ok));
    this.analysisTemplate = analysis?.template.apiObject;
    this.steps = (analysis?.steps ?? ok.steps) as CanaryStepSpec[];
    this.rollout = renderRollout(this, ok, meta, analysis);
    if (ok.autoscaling) this.hpa = renderHpa(this, ok, meta);
    if (ok.pdbs) {
      this.stablePdb = renderPdb(this, 'StablePdb', meta(ok.names.stablePdb), ok, CANARY_CONVENTIONS.stableRole, ok.pdbs.stable);
      this.canaryPdb = renderPdb(this, 'CanaryPdb', meta(ok.names.canaryPdb), ok, CANARY_CONVENTIONS.canaryRole, ok.pdbs.canary);
    }
    if (props.lint !== false) {
      this.node.addValidation(lintConstructValidation(this, typeof props.lint === 'object' ? props.lint : {}));
    }
  }
}
