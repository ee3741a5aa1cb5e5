import { Construct } from 'constructs';
import { CANARY_ANALYSIS_DEFAULTS } from '../defaults';
import { CanaryAppError, type Problem } from '../canary-app-error';
import { CanaryAnalysisTemplate, RolloutAnalysisArg } from './canary-analysis-template';
import { CanaryMetric, IstioErrorRateOptions } from './canary-metric';
import { IstioCanarySelector } from './istio-promql';
import { PrometheusSource } from './prometheus-source';

/** Options of `AnalysisPlacement.background`. */
export interface BackgroundAnalysisOptions {
  /**
   * Index of the step from which the analysis runs (`strategy.canary.analysis.startingStep`):
   * it starts once `currentStepIndex` reaches it and runs until the rollout completes.
   * @default 1 - once the first step (normally the first setWeight) is done, so the canary has traffic
   */
  readonly startingStep?: number;
}

/** Options of `AnalysisPlacement.steps`. */
export interface AnalysisStepsOptions {
  /**
   * Indices (in the profile as given) of the steps after which an analysis step is inserted. The
   * rollout waits at each inserted step until every metric has taken `count` measurements.
   */
  readonly after: number[];
}

/** Where the analysis runs in the Rollout: in the background, or as steps of the profile. */
export class AnalysisPlacement {
  /** Background analysis (`strategy.canary.analysis`), running alongside the steps. */
  public static background(options: BackgroundAnalysisOptions = {}): AnalysisPlacement {
    return new AnalysisPlacement('background', options.startingStep ?? CANARY_ANALYSIS_DEFAULTS.startingStep, []);
  }

  /** Analysis steps (`steps[].analysis`) inserted after the given steps; metrics need a `count`. */
  public static steps(options: AnalysisStepsOptions): AnalysisPlacement {
    return new AnalysisPlacement('steps', undefined, [...options.after]);
  }

  /**
   * `background` or `steps`.
   * TypeScript only (a string-literal type).
   * @jsii ignore
   */
  public readonly kind: 'background' | 'steps';
  /** startingStep of a background analysis (undefined for `steps`). */
  public readonly startingStep?: number;
  /** Step indices followed by an analysis step. */
  public readonly after: number[];

  private constructor(kind: 'background' | 'steps', startingStep: number | undefined, after: number[]) {
    this.kind = kind;
    this.startingStep = startingStep;
    this.after = after;
  }
}

/** Options of `CanaryAnalysis.errorRateGate`: the error-rate metric and when the analysis starts. */
export interface ErrorRateGateOptions extends IstioErrorRateOptions, BackgroundAnalysisOptions {}

/** Properties for `CanaryAnalysis`. */
export interface CanaryAnalysisProps {
  /** Where the metrics are queried. */
  readonly source: PrometheusSource;

  /**
   * The metrics measured.
   * @default - [CanaryMetric.istioErrorRate()]
   */
  readonly metrics?: CanaryMetric[];

  /**
   * Where the analysis runs.
   * @default AnalysisPlacement.background() - from step 1 until the rollout completes
   */
  readonly placement?: AnalysisPlacement;

  /**
   * Name of the AnalysisTemplate.
   * @default - `<app name>-analysis`
   */
  readonly templateName?: string;
}

/** What the Rollout needs to know to render the analysis. */
export interface AnalysisBindContext<Step> {
  /** Name of the AnalysisTemplate when `templateName` is not set. */
  readonly defaultTemplateName: string;
  /** Namespace of the Rollout (the template must share it). */
  readonly namespace?: string;
  /** The canary Service, if the Rollout has one. */
  readonly canaryService?: string;
  /** The stable Service, if the Rollout has one. */
  readonly stableService?: string;
  /**
   * How traffic is split: `host` (stable and canary Services) or `subset` (one Service,
   * DestinationRule subsets). Subset-level splitting cannot select the canary by Service.
   * @default 'host'
   */
  readonly trafficSplit?: 'host' | 'subset';
  /** The profile's steps, in order. */
  readonly steps: readonly Step[];
}

/** `strategy.canary.analysis` or `steps[].analysis` (same shape minus startingStep). */
export interface RolloutAnalysisRef {
  readonly templates: readonly { readonly templateName: string }[];
  readonly args?: readonly RolloutAnalysisArg[];
  readonly startingStep?: number;
}

/** Result of binding: the template plus the Rollout fields to render. */
export interface AnalysisBinding<Step> {
  readonly template: CanaryAnalysisTemplate;
  /** `strategy.canary.analysis`, for background placement. */
  readonly background?: RolloutAnalysisRef;
  /** The steps with analysis steps inserted (unchanged for background placement). */
  readonly steps: readonly (Step | { readonly analysis: RolloutAnalysisRef })[];
}

/**
 * Opt-in automated analysis for a canary: an AnalysisTemplate plus where the Rollout runs it.
 * A failed analysis aborts the rollout (traffic back to stable, canary scaled down after
 * `abortScaleDownDelaySeconds`); an inconclusive one pauses it (`InconclusiveAnalysisRun`).
 */
export class CanaryAnalysis {
  /**
   * The preset "automatic with an error-rate gate": Istio 5xx share of the canary Service at most
   * `maxErrorRate` (1 %), measured every 30 s in the background from step 1.
   */
  public static errorRateGate(source: PrometheusSource, options: ErrorRateGateOptions = {}): CanaryAnalysis {
    const { startingStep, ...metric } = options;
    return new CanaryAnalysis({
      source,
      metrics: [CanaryMetric.istioErrorRate(metric)],
      placement: AnalysisPlacement.background({ startingStep }),
    });
  }

  /** Settings as given. */
  public readonly props: CanaryAnalysisProps;

  constructor(props: CanaryAnalysisProps) {
    this.props = props;
  }

  /**
   * Every problem with this analysis for a Rollout described by `ctx` (template, placement,
   * traffic split), paths prefixed with `prefix` (e.g. `analysis.`). Creates nothing.
   * Internal, used by CanaryApp.
   * @jsii ignore
   */
  public problems<Step>(ctx: AnalysisBindContext<Step>, prefix = ''): Problem[] {
    const placement = this.props.placement ?? AnalysisPlacement.background();
    const metrics = this.props.metrics ?? [CanaryMetric.istioErrorRate()];
    const templateProps = this.templateProps(ctx);
    const problems = [...CanaryAnalysisTemplate.problems(templateProps, prefix)];
    if (!(placement instanceof AnalysisPlacement)) {
      problems.push({ path: `${prefix}placement`, value: placement, expected: 'must be AnalysisPlacement.background(...) or AnalysisPlacement.steps(...)' });
    } else {
      problems.push(...placementProblems(placement, metrics, ctx.steps.length, prefix));
    }
    if (ctx.trafficSplit === 'subset' && Array.isArray(metrics)) {
      metrics.forEach((m, i) => {
        if (m instanceof CanaryMetric && m.istioSelector === IstioCanarySelector.SERVICE) {
          problems.push({
            path: `${prefix}metrics[${i}].selector`,
            value: m.istioSelector,
            expected: 'cannot tell the canary from stable with subset-level traffic splitting (both versions sit behind one Service); use IstioCanarySelector.POD_HASH',
          });
        }
      });
    }
    if (problems.length === 0) {
      problems.push(...CanaryAnalysisTemplate.missingArgValues(templateProps, ctx).map((p) => ({ ...p, path: `${prefix}${p.path}` })));
    }
    return problems;
  }

  /**
   * Creates the AnalysisTemplate in `scope` and returns the Rollout fields that run it.
   * Throws `CanaryAppError` listing every problem (template and placement) before creating anything.
   * @internal
   */
  public _bind<Step>(scope: Construct, id: string, ctx: AnalysisBindContext<Step>): AnalysisBinding<Step> {
    const problems = this.problems(ctx);
    if (problems.length > 0) {
      throw new CanaryAppError('Invalid CanaryAnalysis', problems);
    }
    const placement = this.props.placement ?? AnalysisPlacement.background();
    const template = new CanaryAnalysisTemplate(scope, id, this.templateProps(ctx));
    const args = template.rolloutArgs({ canaryService: ctx.canaryService, stableService: ctx.stableService });
    const ref: RolloutAnalysisRef = {
      templates: [{ templateName: template.templateName }],
      args: args.length > 0 ? args : undefined,
    };
    if (placement.kind === 'background') {
      return { template, background: { ...ref, startingStep: placement.startingStep }, steps: [...ctx.steps] };
    }
    const after = new Set(placement.after);
    const steps: (Step | { analysis: RolloutAnalysisRef })[] = [];
    ctx.steps.forEach((step, i) => {
      steps.push(step);
      if (after.has(i)) {
        steps.push({ analysis: ref });
      }
    });
    return { template, steps };
  }

  private templateProps<Step>(ctx: AnalysisBindContext<Step>) {
    return {
      name: this.props.templateName ?? ctx.defaultTemplateName,
      namespace: ctx.namespace,
      source: this.props.source,
      metrics: this.props.metrics ?? [CanaryMetric.istioErrorRate()],
    };
  }
}

function placementProblems(placement: AnalysisPlacement, metrics: readonly CanaryMetric[], stepCount: number, prefix: string): Problem[] {
  const problems: Problem[] = [];
  const valid = stepCount === 0 ? 'the profile has no steps' : `must be a step index from 0 to ${stepCount - 1} (the profile has ${stepCount} steps)`;
  if (placement.kind === 'background') {
    const s = placement.startingStep;
    if (!Number.isInteger(s) || s! < 0 || s! >= Math.max(stepCount, 1)) {
      problems.push({ path: `${prefix}placement.startingStep`, value: s, expected: valid });
    }
    return problems;
  }
  if (placement.after.length === 0) {
    problems.push({ path: `${prefix}placement.after`, value: [], expected: 'must list the step indices after which the analysis runs' });
  }
  const seen = new Set<number>();
  placement.after.forEach((idx, i) => {
    if (!Number.isInteger(idx) || idx < 0 || idx >= stepCount) {
      problems.push({ path: `${prefix}placement.after[${i}]`, value: idx, expected: valid });
    } else if (seen.has(idx)) {
      problems.push({ path: `${prefix}placement.after[${i}]`, value: idx, expected: 'is listed twice' });
    }
    seen.add(idx);
  });
  if (Array.isArray(metrics)) {
    metrics.forEach((m, i) => {
      if (m instanceof CanaryMetric && m.measurement.count === undefined) {
        problems.push({
          path: `${prefix}metrics[${i}].count`,
          value: undefined,
          expected: 'must be set for analysis steps: the step waits until every metric has taken all its measurements (e.g. count 6 at a 30s interval holds it about 3 minutes)',
        });
      }
    });
  }
  return problems;
}
