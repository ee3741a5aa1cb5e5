import { Duration } from 'cdk8s';
import {
  AnalysisTemplateSpecMetrics,
  AnalysisTemplateSpecMetricsConsecutiveErrorLimit,
  AnalysisTemplateSpecMetricsCount,
  AnalysisTemplateSpecMetricsFailureLimit,
  AnalysisTemplateSpecMetricsInconclusiveLimit,
} from '../../../imports/argo-analysis-template-argoproj.io';
import { ANALYSIS_ARGS, CANARY_ANALYSIS_DEFAULTS } from '../defaults';
import type { Problem } from '../canary-app-error';
import { formatGoDuration, positiveWholeSeconds } from './go-duration';
import { IstioCanarySelector, IstioReporter, istioErrorRateQuery, istioLatencyQuery } from './istio-promql';
import { PrometheusSource } from './prometheus-source';

/** What a measurement that returned no data (empty vector or NaN, i.e. no traffic) counts as. */
export enum NoDataPolicy {
  /**
   * Neither success nor failure. More than `inconclusiveLimit` of them pause the rollout with
   * reason `InconclusiveAnalysisRun` until someone promotes it: a gate that cannot see traffic
   * (wrong labels, metrics not scraped) stops instead of silently passing.
   */
  INCONCLUSIVE = 'inconclusive',
  /** Success: no requests means no errors. Quiet services keep moving, but a blind gate passes too. */
  PASS = 'pass',
  /** Failure: counts toward `failureLimit`, so a canary without traffic is rolled back. */
  FAIL = 'fail',
}

/** How often and how long a metric is measured, and how many bad measurements it tolerates. */
export interface MeasurementOptions {
  /**
   * Time between two measurements (whole seconds).
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;

  /**
   * Number of measurements. Leave unset for background analysis (it then measures until the
   * rollout completes); analysis steps need it, or the step never completes.
   * @default - unlimited
   */
  readonly count?: number;

  /**
   * Failed measurements tolerated; one more fails the metric, which aborts the rollout.
   * @default 1
   */
  readonly failureLimit?: number;

  /**
   * Inconclusive measurements tolerated; one more pauses the rollout (`InconclusiveAnalysisRun`).
   * @default 2
   */
  readonly inconclusiveLimit?: number;

  /**
   * Wait before the first measurement (whole seconds).
   * @default - none: the first measurement is taken when the run starts
   */
  readonly initialDelay?: Duration;

  /**
   * Consecutive query errors (metrics backend unreachable, bad query) tolerated; one more errors
   * the run, which aborts the rollout like a failure.
   * @default - the controller's default, 4
   */
  readonly consecutiveErrorLimit?: number;
}

/** Options shared by the ready-made Istio metrics. */
export interface IstioMetricOptions extends MeasurementOptions {
  /**
   * How the canary's requests are told from the stable's: by the canary Service (host-level
   * splitting) or by the canary pods' hash (subset-level splitting, one Service for both).
   * @default IstioCanarySelector.SERVICE
   */
  readonly selector?: IstioCanarySelector;

  /**
   * Which proxy's report to count. `IstioCanarySelector.POD_HASH` needs `DESTINATION`.
   * @default - IstioReporter.SOURCE with the SERVICE selector, IstioReporter.DESTINATION with POD_HASH
   */
  readonly reporter?: IstioReporter;

  /**
   * Range of `rate()` in the query (whole seconds). Keep it at least twice the scrape interval.
   * @default Duration.minutes(2)
   */
  readonly window?: Duration;

  /**
   * What a measurement without traffic counts as.
   * @default NoDataPolicy.INCONCLUSIVE
   */
  readonly noData?: NoDataPolicy;
}

/** Options of `CanaryMetric.istioErrorRate`. */
export interface IstioErrorRateOptions extends IstioMetricOptions {
  /**
   * Metric name (DNS label).
   * @default 'error-rate'
   */
  readonly name?: string;

  /**
   * Largest acceptable share of error responses, as a fraction: 0.01 = 1 %.
   * @default 0.01
   */
  readonly maxErrorRate?: number;

  /**
   * Regex (RE2, fully anchored by Prometheus) of `response_code` values that count as errors.
   * @default '5..'
   */
  readonly errorCodes?: string;
}

/** Options of `CanaryMetric.istioLatency`. */
export interface IstioLatencyOptions extends IstioMetricOptions {
  /**
   * Metric name (DNS label).
   * @default - `latency-p<quantile*100>`, e.g. 'latency-p99'
   */
  readonly name?: string;

  /** Largest acceptable request duration at `quantile` (whole milliseconds). */
  readonly maxLatency: Duration;

  /**
   * Quantile of the request duration distribution, between 0 and 1 (exclusive).
   * @default 0.99
   */
  readonly quantile?: number;
}

/** Options of `CanaryMetric.prometheus` (a custom query). */
export interface PrometheusMetricOptions extends MeasurementOptions {
  /** Metric name (DNS label). */
  readonly name: string;

  /**
   * PromQL query. It must reference the version under test through an argument:
   * `{{args.canary-service}}`, `{{args.stable-service}}`, `{{args.canary-hash}}` or
   * `{{args.stable-hash}}`; `{{args.namespace}}` is also available.
   */
  readonly query: string;

  /**
   * Argo expression over `result` (a list of floats for a vector) that marks a measurement successful.
   * @default - unset: success whenever `failureCondition` is false
   */
  readonly successCondition?: string;

  /**
   * Argo expression over `result` that marks a measurement failed.
   * @default - unset: failure whenever `successCondition` is false
   */
  readonly failureCondition?: string;
}

/** Measurement settings after defaults, in the units rendered. */
export interface ResolvedMeasurement {
  /** Seconds between measurements (`interval`). */
  readonly intervalSeconds: number;
  /**
   * Number of measurements (`count`).
   * @default - unset: measure until the analysis run is stopped (background analysis only)
   */
  readonly count?: number;
  /** Failed measurements tolerated before the run fails (`failureLimit`). */
  readonly failureLimit: number;
  /** Inconclusive measurements tolerated before the run is inconclusive (`inconclusiveLimit`). */
  readonly inconclusiveLimit: number;
  /**
   * Seconds before the first measurement (`initialDelay`).
   * @default - unset: the first measurement is taken when the run starts
   */
  readonly initialDelaySeconds?: number;
  /**
   * Consecutive query errors tolerated (`consecutiveErrorLimit`).
   * @default - unset: Argo Rollouts' default (4)
   */
  readonly consecutiveErrorLimit?: number;
}

const METRIC_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const KNOWN_ARGS: ReadonlySet<string> = new Set(Object.values(ANALYSIS_ARGS));
/** Arguments that identify the version under test: a query must use one of them. */
const WORKLOAD_ARGS: readonly string[] = [
  ANALYSIS_ARGS.canaryService,
  ANALYSIS_ARGS.stableService,
  ANALYSIS_ARGS.canaryHash,
  ANALYSIS_ARGS.stableHash,
];
const ARG_LIST = [...KNOWN_ARGS].map((a) => `{{args.${a}}}`).join(', ');

/**
 * One metric of a canary analysis: a PromQL query, when a measurement succeeds or fails, and how
 * often it is measured. Build it with `CanaryMetric.istioErrorRate()`, `istioLatency()` or
 * `prometheus()`. Problems are collected, not thrown, so the template reports all of them at once.
 */
export class CanaryMetric {
  /**
   * Share of the canary Service's requests answered with an error code (Istio
   * `istio_requests_total`). Fails when the share is above `maxErrorRate`.
   */
  public static istioErrorRate(options: IstioErrorRateOptions = {}): CanaryMetric {
    const problems: Problem[] = [];
    const maxErrorRate = options.maxErrorRate ?? CANARY_ANALYSIS_DEFAULTS.maxErrorRate;
    if (!(typeof maxErrorRate === 'number' && maxErrorRate > 0 && maxErrorRate < 1)) {
      problems.push({ path: 'maxErrorRate', value: maxErrorRate, expected: 'must be a fraction between 0 and 1 (exclusive), e.g. 0.01 for 1 %' });
    }
    const errorCodes = options.errorCodes ?? CANARY_ANALYSIS_DEFAULTS.errorCodes;
    checkErrorCodes(errorCodes, problems);
    const common = resolveIstio(options, problems);
    const query = common.windowSeconds === undefined
      ? ''
      : istioErrorRateQuery({ reporter: common.reporter, selector: common.selector, windowSeconds: common.windowSeconds, errorCodes });
    const conditions = thresholdConditions(formatNumber(maxErrorRate), common.noData);
    return new CanaryMetric({
      name: options.name ?? 'error-rate',
      query,
      istioSelector: common.selector,
      ...conditions,
      measurement: resolveMeasurement(options, problems),
      problems,
    });
  }

  /**
   * The `quantile` of the canary Service's request duration (Istio
   * `istio_request_duration_milliseconds_bucket`), in milliseconds. Fails above `maxLatency`.
   */
  public static istioLatency(options: IstioLatencyOptions): CanaryMetric {
    const problems: Problem[] = [];
    const quantile = options.quantile ?? CANARY_ANALYSIS_DEFAULTS.latencyQuantile;
    const quantileOk = typeof quantile === 'number' && quantile > 0 && quantile < 1;
    if (!quantileOk) {
      problems.push({ path: 'quantile', value: quantile, expected: 'must be between 0 and 1 (exclusive), e.g. 0.99' });
    }
    const maxMs = options.maxLatency instanceof Duration ? options.maxLatency.toMilliseconds({ integral: false }) : undefined;
    if (maxMs === undefined || !Number.isInteger(maxMs) || maxMs <= 0) {
      problems.push({ path: 'maxLatency', value: options.maxLatency, expected: 'must be a Duration of whole milliseconds longer than 0, e.g. Duration.millis(500)' });
    }
    const common = resolveIstio(options, problems);
    const query = common.windowSeconds === undefined || !quantileOk
      ? ''
      : istioLatencyQuery({ reporter: common.reporter, selector: common.selector, windowSeconds: common.windowSeconds, quantile });
    const defaultName = quantileOk ? `latency-p${formatNumber(quantile * 100).replace('.', '-')}` : 'latency';
    return new CanaryMetric({
      name: options.name ?? defaultName,
      query,
      istioSelector: common.selector,
      ...thresholdConditions(formatNumber(maxMs ?? 0), common.noData),
      measurement: resolveMeasurement(options, problems),
      problems,
    });
  }

  /** A custom PromQL query with your own conditions. */
  public static prometheus(options: PrometheusMetricOptions): CanaryMetric {
    const problems: Problem[] = [];
    if (options.successCondition === undefined && options.failureCondition === undefined) {
      problems.push({ path: 'successCondition', value: undefined, expected: 'must be set (or failureCondition): without either every measurement succeeds; e.g. "result[0] <= 0.01"' });
    }
    for (const key of ['successCondition', 'failureCondition'] as const) {
      const cond = options[key];
      if (cond !== undefined && !/\bresult\b/.test(cond)) {
        problems.push({ path: key, value: cond, expected: 'must test the query\'s value through `result`, e.g. "result[0] <= 0.01"' });
      }
    }
    return new CanaryMetric({
      name: options.name,
      query: options.query,
      successCondition: options.successCondition,
      failureCondition: options.failureCondition,
      measurement: resolveMeasurement(options, problems),
      problems,
    });
  }

  /** Metric name, unique within a template. */
  public readonly name: string;
  /** PromQL query, with `{{args.NAME}}` placeholders. */
  public readonly query: string;
  /** Argo expression for a successful measurement. */
  public readonly successCondition?: string;
  /** Argo expression for a failed measurement. */
  public readonly failureCondition?: string;
  /** Measurement settings after defaults. */
  public readonly measurement: ResolvedMeasurement;
  /** How a ready-made Istio metric selects the canary; undefined for custom queries. */
  public readonly istioSelector?: IstioCanarySelector;
  private readonly ownProblems: readonly Problem[];

  private constructor(p: {
    name: string;
    query: string;
    successCondition?: string;
    failureCondition?: string;
    measurement: ResolvedMeasurement;
    istioSelector?: IstioCanarySelector;
    problems: readonly Problem[];
  }) {
    this.istioSelector = p.istioSelector;
    this.name = p.name;
    this.query = p.query;
    this.successCondition = p.successCondition;
    this.failureCondition = p.failureCondition;
    this.measurement = p.measurement;
    this.ownProblems = p.problems;
  }

  /** Argument names referenced by the query and conditions (`{{args.NAME}}`), sorted. */
  public referencedArgs(): string[] {
    const names = new Set<string>();
    for (const text of [this.query, this.successCondition ?? '', this.failureCondition ?? '']) {
      for (const tag of templateTags(text)) {
        if (tag.startsWith('args.')) {
          names.add(tag.slice('args.'.length));
        }
      }
    }
    return [...names].sort();
  }

  /** Every problem with this metric, each prefixed with `path` (e.g. `metrics[0]`). Empty when valid. */
  public problems(path: string): Problem[] {
    const out = this.ownProblems.map((p) => ({ ...p, path: `${path}.${p.path}` }));
    if (typeof this.name !== 'string' || !METRIC_NAME.test(this.name) || this.name.length > 63) {
      out.push({ path: `${path}.name`, value: this.name, expected: "must be a DNS label: lowercase letters, digits and '-', at most 63 characters" });
    }
    if (this.query === '' && this.ownProblems.length > 0) {
      return out; // the query could not be built; its inputs are already reported
    }
    out.push(...queryProblems(`${path}.query`, this.query));
    for (const key of ['successCondition', 'failureCondition'] as const) {
      const cond = this[key];
      if (cond !== undefined) {
        out.push(...unknownTagProblems(`${path}.${key}`, cond));
      }
    }
    return out;
  }

  /**
   * The AnalysisTemplate `spec.metrics[]` entry. Call only when `problems()` returned nothing.
   * @internal
   */
  public _toKube(source: PrometheusSource): AnalysisTemplateSpecMetrics {
    const m = this.measurement;
    return {
      name: this.name,
      interval: formatGoDuration(m.intervalSeconds),
      initialDelay: m.initialDelaySeconds === undefined ? undefined : formatGoDuration(m.initialDelaySeconds),
      count: m.count === undefined ? undefined : AnalysisTemplateSpecMetricsCount.fromNumber(m.count),
      failureLimit: AnalysisTemplateSpecMetricsFailureLimit.fromNumber(m.failureLimit),
      inconclusiveLimit: AnalysisTemplateSpecMetricsInconclusiveLimit.fromNumber(m.inconclusiveLimit),
      consecutiveErrorLimit: m.consecutiveErrorLimit === undefined
        ? undefined
        : AnalysisTemplateSpecMetricsConsecutiveErrorLimit.fromNumber(m.consecutiveErrorLimit),
      successCondition: this.successCondition,
      failureCondition: this.failureCondition,
      provider: { prometheus: source._toKube(this.query) },
    };
  }
}

/** Every `{{...}}` tag in `text`, trimmed (the controller trims them too, then resolves or fails). */
export function templateTags(text: string): string[] {
  return [...text.matchAll(/\{\{(.*?)\}\}/gs)].map((m) => m[1]!.trim());
}

/** Problems of `{{...}}` tags in `text` that the controller cannot resolve. */
export function unknownTagProblems(path: string, text: string): Problem[] {
  const out: Problem[] = [];
  for (const tag of templateTags(text)) {
    const arg = tag.startsWith('args.') ? tag.slice('args.'.length) : undefined;
    if (arg === undefined || !KNOWN_ARGS.has(arg)) {
      out.push({ path, value: `{{${tag}}}`, expected: `cannot be resolved by the controller; available: ${ARG_LIST}` });
    }
  }
  return out;
}

function queryProblems(path: string, query: string): Problem[] {
  if (typeof query !== 'string' || query.trim() === '') {
    return [{ path, value: query, expected: 'must be a non-empty PromQL query' }];
  }
  const out = unknownTagProblems(path, query);
  const used = new Set(templateTags(query).map((t) => t.replace(/^args\./, '')));
  if (!WORKLOAD_ARGS.some((a) => used.has(a))) {
    out.push({
      path,
      value: query,
      expected:
        `references no service: select the version under test with ${WORKLOAD_ARGS.map((a) => `{{args.${a}}}`).join(', ')} ` +
        '(e.g. destination_service_name="{{args.canary-service}}")',
    });
  }
  return out;
}

function resolveIstio(options: IstioMetricOptions, problems: Problem[]) {
  const selector = options.selector ?? IstioCanarySelector.SERVICE;
  if (!Object.values(IstioCanarySelector).includes(selector)) {
    problems.push({ path: 'selector', value: selector, expected: `must be one of ${Object.values(IstioCanarySelector).map((r) => JSON.stringify(r)).join(', ')}` });
  }
  const reporter = options.reporter
    ?? (selector === IstioCanarySelector.POD_HASH ? IstioReporter.DESTINATION : (CANARY_ANALYSIS_DEFAULTS.istioReporter as IstioReporter));
  if (!Object.values(IstioReporter).includes(reporter)) {
    problems.push({ path: 'reporter', value: reporter, expected: `must be one of ${Object.values(IstioReporter).map((r) => JSON.stringify(r)).join(', ')}` });
  } else if (selector === IstioCanarySelector.POD_HASH && reporter !== IstioReporter.DESTINATION) {
    problems.push({ path: 'reporter', value: reporter, expected: 'must be "destination" with selector "podHash": only the canary pods\' own proxies carry their pod name' });
  }
  const noData = options.noData ?? NoDataPolicy.INCONCLUSIVE;
  if (!Object.values(NoDataPolicy).includes(noData)) {
    problems.push({ path: 'noData', value: noData, expected: `must be one of ${Object.values(NoDataPolicy).map((r) => JSON.stringify(r)).join(', ')}` });
  }
  const windowSeconds = options.window === undefined
    ? CANARY_ANALYSIS_DEFAULTS.windowSeconds
    : positiveWholeSeconds('window', options.window, problems);
  return { selector, reporter, noData, windowSeconds };
}

function resolveMeasurement(o: MeasurementOptions, problems: Problem[]): ResolvedMeasurement {
  const intervalSeconds = o.interval === undefined
    ? CANARY_ANALYSIS_DEFAULTS.intervalSeconds
    : positiveWholeSeconds('interval', o.interval, problems) ?? CANARY_ANALYSIS_DEFAULTS.intervalSeconds;
  const initialDelaySeconds = o.initialDelay === undefined ? undefined : positiveWholeSeconds('initialDelay', o.initialDelay, problems);
  const failureLimit = o.failureLimit ?? CANARY_ANALYSIS_DEFAULTS.failureLimit;
  const inconclusiveLimit = o.inconclusiveLimit ?? CANARY_ANALYSIS_DEFAULTS.inconclusiveLimit;
  checkInt('failureLimit', failureLimit, 0, problems);
  checkInt('inconclusiveLimit', inconclusiveLimit, 0, problems);
  if (o.consecutiveErrorLimit !== undefined) {
    checkInt('consecutiveErrorLimit', o.consecutiveErrorLimit, 0, problems);
  }
  if (o.count !== undefined && checkInt('count', o.count, 1, problems)) {
    // Argo requires count >= the limits; count == failureLimit passes Argo's check but can never fail.
    if (Number.isInteger(failureLimit) && o.count <= failureLimit) {
      problems.push({ path: 'count', value: o.count, expected: `must be greater than failureLimit (${failureLimit}), otherwise the metric can never fail` });
    }
    if (Number.isInteger(inconclusiveLimit) && o.count < inconclusiveLimit) {
      problems.push({ path: 'count', value: o.count, expected: `must be at least inconclusiveLimit (${inconclusiveLimit})` });
    }
  }
  return {
    intervalSeconds,
    count: o.count,
    failureLimit,
    inconclusiveLimit,
    initialDelaySeconds,
    consecutiveErrorLimit: o.consecutiveErrorLimit,
  };
}

function checkInt(path: string, value: number, min: number, problems: Problem[]): boolean {
  if (!Number.isInteger(value) || value < min || value > 2_147_483_647) {
    problems.push({ path, value, expected: `must be a whole number >= ${min}` });
    return false;
  }
  return true;
}

/** HTTP status codes the error regex is checked against. */
const STATUS_CODES = Array.from({ length: 500 }, (_, i) => String(100 + i));

function checkErrorCodes(errorCodes: string, problems: Problem[]): void {
  let re: RegExp;
  try {
    if (typeof errorCodes !== 'string' || errorCodes === '') {
      throw new Error('empty');
    }
    re = new RegExp(`^(?:${errorCodes})$`);
  } catch {
    problems.push({ path: 'errorCodes', value: errorCodes, expected: 'must be a regular expression of status codes, e.g. "5.." or "5..|429"' });
    return;
  }
  const matched = STATUS_CODES.filter((c) => re.test(c));
  if (matched.length === 0) {
    problems.push({ path: 'errorCodes', value: errorCodes, expected: 'matches no HTTP status code (100-599); Prometheus anchors the regex, so write "5.." rather than "5xx"' });
  } else if (matched.some((c) => c.startsWith('2'))) {
    problems.push({ path: 'errorCodes', value: errorCodes, expected: `matches successful codes (${matched.filter((c) => c.startsWith('2'))[0]}...); use e.g. "5.."` });
  }
}

/** A plain decimal literal (no exponent) that Argo's expression language reads back exactly. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) {
    return String(n);
  }
  return n.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * Success/failure conditions for "value must stay at or below `threshold`", with the no-data case
 * (empty vector or NaN) handled by `noData`. Argo evaluates both: success only -> Successful,
 * failure only -> Failed, neither -> Inconclusive.
 */
function thresholdConditions(threshold: string, noData: NoDataPolicy): { successCondition: string; failureCondition: string } {
  const hasData = 'len(result) > 0 && !isNaN(result[0])';
  const noDataExpr = 'len(result) == 0 || isNaN(result[0])';
  const ok = `result[0] <= ${threshold}`;
  const bad = `result[0] > ${threshold}`;
  switch (noData) {
    case NoDataPolicy.PASS:
      return { successCondition: `${noDataExpr} || ${ok}`, failureCondition: `${hasData} && ${bad}` };
    case NoDataPolicy.FAIL:
      return { successCondition: `${hasData} && ${ok}`, failureCondition: `${noDataExpr} || ${bad}` };
    default:
      return { successCondition: `${hasData} && ${ok}`, failureCondition: `${hasData} && ${bad}` };
  }
}
