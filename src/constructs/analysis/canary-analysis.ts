import { Construct } from 'constructs';
import { CANARY_ANALYSIS_DEFAULTS } from '../../runtime/defaults';
import { AnalysisConfigError, showValue } from './analysis-config-error';
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
  readonly after: readonly number[];
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

  private constructor(
    /** `background` or `steps`. */
    public readonly kind: 'background' | 'steps',
    /** startingStep of a background analysis. */
    public readonly startingStep: number | undefined,
    /** Step indices followed by an analysis step. */
    public readonly after: readonly number[],
  ) {}
}

/** Properties for `CanaryAnalysis`. */
export interface CanaryAnalysisProps {
  /** Where the metrics are queried. */
  readonly source: PrometheusSource;

  /**
   * The metrics measured.
   * @default - [CanaryMetric.istioErrorRate()]
   */
  readonly metrics?: readonly CanaryMetric[];

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
  public static errorRateGate(source: PrometheusSource, options: IstioErrorRateOptions & BackgroundAnalysisOptions = {}): CanaryAnalysis {
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
   * Creates the AnalysisTemplate in `scope` and returns the Rollout fields that run it.
   * Throws `AnalysisConfigError` listing every problem (template and placement).
   * @internal
   */
  public _bind<Step>(scope: Construct, id: string, ctx: AnalysisBindContext<Step>): AnalysisBinding<Step> {
    const placement = this.props.placement ?? AnalysisPlacement.background();
    const metrics = this.props.metrics ?? [CanaryMetric.istioErrorRate()];
    const templateProps = {
      name: this.props.templateName ?? ctx.defaultTemplateName,
      namespace: ctx.namespace,
      source: this.props.source,
      metrics,
    };
    // Gather every problem before creating anything, so a failure leaves the tree untouched.
    const problems = [...CanaryAnalysisTemplate.problems(templateProps), ...placementProblems(placement, metrics, ctx.steps.length)];
    const wrongSelector = ctx.trafficSplit === 'subset' ? metrics.flatMap((m, i) => (m.istioSelector === IstioCanarySelector.SERVICE ? [i] : [])) : [];
    for (const i of wrongSelector) {
      problems.push(`metrics[${i}].selector ("service") cannot tell the canary from stable with subset-level traffic splitting (both versions sit behind one Service); use selector: IstioCanarySelector.POD_HASH`);
    }
    if (problems.length === 0) {
      problems.push(...CanaryAnalysisTemplate.missingArgValues(templateProps, ctx));
    }
    if (problems.length > 0) {
      throw new AnalysisConfigError(problems);
    }
    const template = new CanaryAnalysisTemplate(scope, id, templateProps);
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
}

function placementProblems(placement: AnalysisPlacement, metrics: readonly CanaryMetric[], stepCount: number): string[] {
  const problems: string[] = [];
  const valid = stepCount === 0 ? 'the profile has no steps' : `valid: 0..${stepCount - 1} (the profile has ${stepCount} steps)`;
  if (placement.kind === 'background') {
    const s = placement.startingStep;
    if (!Number.isInteger(s) || s! < 0 || (stepCount > 0 && s! >= stepCount) || (stepCount === 0 && s !== 0)) {
      problems.push(`placement.startingStep (${showValue(s)}) must be a step index; ${valid}`);
    }
    return problems;
  }
  if (placement.after.length === 0) {
    problems.push('placement.after is empty: list the step indices after which the analysis runs');
  }
  const seen = new Set<number>();
  placement.after.forEach((idx, i) => {
    if (!Number.isInteger(idx) || idx < 0 || idx >= stepCount) {
      problems.push(`placement.after[${i}] (${showValue(idx)}) must be a step index; ${valid}`);
    } else if (seen.has(idx)) {
      problems.push(`placement.after[${i}] (${idx}) is listed twice`);
    }
    seen.add(idx);
  });
  metrics.forEach((m, i) => {
    if (m.measurement.count === undefined) {
      problems.push(`metrics[${i}].count is unset: an analysis step waits until every metric has finished, so it needs a count (e.g. count: 5 with a 30s interval holds the step for about 2.5 minutes)`);
    }
  });
  return problems;
}
