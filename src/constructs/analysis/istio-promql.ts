import { ANALYSIS_ARGS } from '../defaults';
import { formatGoDuration } from './go-duration';

/**
 * Which Istio proxy's report to count. Every request is reported twice (by the client's proxy,
 * `source`, and by the server's, `destination`), so a query must pick one or it counts double.
 */
export enum IstioReporter {
  /**
   * The calling proxy or ingress gateway. Also sees the 503s it generates itself when the canary
   * cannot be reached (no healthy upstream, connection reset), which the canary never reports.
   */
  SOURCE = 'source',
  /** The canary pod's own sidecar. Counts requests from clients outside the mesh too. */
  DESTINATION = 'destination',
}

/** Placeholder the controller replaces with the value of argument `name`. */
export function argRef(name: string): string {
  return `{{args.${name}}}`;
}

/** A PromQL double-quoted string literal of `value` (Go escaping: backslash and double quote). */
export function promqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** How a ready-made Istio metric tells the canary's requests from the stable's. */
export enum IstioCanarySelector {
  /**
   * By the canary Service: `destination_service_name` and `destination_service_namespace`. Right for
   * host-level splitting (the write-up's stable and canary Services), where Argo routes the canary's
   * share of the traffic to the canary Service.
   */
  SERVICE = 'service',
  /**
   * By the canary pods: `pod` matching the canary ReplicaSet's pod-template hash, as reported by the
   * canary pods' own proxies (`reporter="destination"`). For subset-level splitting, where both
   * versions sit behind one Service. Needs the scrape config to add the `pod` target label (the
   * usual Kubernetes pod relabelling of kube-prometheus-stack and Grafana Alloy does).
   */
  POD_HASH = 'podHash',
}

/**
 * Label matchers that select the canary's traffic in Istio's standard metrics. Values are template
 * arguments the Rollout fills in. Service names are only unique within a namespace, so both
 * selectors also match the namespace.
 */
export function istioCanaryMatchers(reporter: IstioReporter, selector: IstioCanarySelector = IstioCanarySelector.SERVICE): string {
  if (selector === IstioCanarySelector.POD_HASH) {
    return [
      `reporter=${promqlString(reporter)}`,
      `destination_workload_namespace=${promqlString(argRef(ANALYSIS_ARGS.namespace))}`,
      `pod=~${promqlString(`.+-${argRef(ANALYSIS_ARGS.canaryHash)}-[a-z0-9]+`)}`,
    ].join(',');
  }
  return [
    `reporter=${promqlString(reporter)}`,
    `destination_service_name=${promqlString(argRef(ANALYSIS_ARGS.canaryService))}`,
    `destination_service_namespace=${promqlString(argRef(ANALYSIS_ARGS.namespace))}`,
  ].join(',');
}

/** Inputs of `istioErrorRateQuery`. */
export interface IstioErrorRateQueryOptions {
  readonly reporter: IstioReporter;
  /** How the canary's requests are selected. @default IstioCanarySelector.SERVICE */
  readonly selector?: IstioCanarySelector;
  /** Range of `rate()`, whole seconds. */
  readonly windowSeconds: number;
  /** RE2 regex of `response_code` values counted as errors (Prometheus anchors it). */
  readonly errorCodes: string;
}

/**
 * Share of the canary's requests that ended with an error code, over the window (0..1).
 *
 * The numerator falls back to `vector(0)` so a service that never returned an error yields 0, not
 * an empty result. No traffic at all still yields NaN (0/0) or an empty vector, which the metric's
 * conditions treat as "no data".
 */
export function istioErrorRateQuery(o: IstioErrorRateQueryOptions): string {
  const range = `[${formatGoDuration(o.windowSeconds)}]`;
  const all = istioCanaryMatchers(o.reporter, o.selector);
  return [
    '(',
    `  sum(rate(istio_requests_total{${all},response_code=~${promqlString(o.errorCodes)}}${range}))`,
    '  or on() vector(0)',
    ')',
    '/',
    `sum(rate(istio_requests_total{${all}}${range}))`,
  ].join('\n');
}

/** Inputs of `istioLatencyQuery`. */
export interface IstioLatencyQueryOptions {
  readonly reporter: IstioReporter;
  /** How the canary's requests are selected. @default IstioCanarySelector.SERVICE */
  readonly selector?: IstioCanarySelector;
  /** Range of `rate()`, whole seconds. */
  readonly windowSeconds: number;
  /** 0 < quantile < 1, e.g. 0.99. */
  readonly quantile: number;
}

/**
 * The `quantile` of the canary's request duration in milliseconds over the window, from
 * Istio's `istio_request_duration_milliseconds` histogram. No traffic yields NaN or an empty vector.
 */
export function istioLatencyQuery(o: IstioLatencyQueryOptions): string {
  const range = `[${formatGoDuration(o.windowSeconds)}]`;
  return [
    `histogram_quantile(${o.quantile},`,
    `  sum by (le) (rate(istio_request_duration_milliseconds_bucket{${istioCanaryMatchers(o.reporter, o.selector)}}${range}))`,
    ')',
  ].join('\n');
}
