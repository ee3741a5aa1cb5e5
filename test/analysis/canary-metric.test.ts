import { Duration } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { CanaryMetric, IstioCanarySelector, IstioReporter, NoDataPolicy, formatNumber } from '../../src/constructs/analysis';
import { formatProblem } from '../../src/constructs/canary-app-error';
import { measurementPhase } from './argo-conditions';
import { functionCalls, promqlSyntaxErrors, resolveArgs, vectorSelectors } from './promql-check';

/** Problem lines as CanaryAppError prints them. */
const lines = (problems: readonly Parameters<typeof formatProblem>[0][]): string[] => problems.map(formatProblem);

const ARGS = { 'canary-service': 'my-app-canary-svc', 'stable-service': 'my-app-svc', namespace: 'default', 'canary-hash': 'abc123', 'stable-hash': 'def456' };

function matchersOf(sel: { matchers: readonly { label: string; op: string; value: string }[] }): Record<string, string> {
  return Object.fromEntries(sel.matchers.map((m) => [m.label, `${m.op}${m.value}`]));
}

describe('CanaryMetric.istioErrorRate', () => {
  test('selects the canary Service in istio_requests_total: 5xx requests over all requests, one reporter, 2m window', () => {
    // GIVEN / WHEN
    const metric = CanaryMetric.istioErrorRate();
    const query = resolveArgs(metric.query, ARGS);

    // THEN
    expect(promqlSyntaxErrors(query)).toEqual([]);
    const [errors, all] = vectorSelectors(query);
    expect(vectorSelectors(query)).toHaveLength(2);
    expect(errors!.metric).toBe('istio_requests_total');
    expect(all!.metric).toBe('istio_requests_total');
    const base = {
      reporter: '=source',
      destination_service_name: '=my-app-canary-svc',
      destination_service_namespace: '=default',
    };
    expect(matchersOf(errors!)).toEqual({ ...base, response_code: '=~5..' });
    expect(matchersOf(all!)).toEqual(base);
    expect([errors!.range, all!.range]).toEqual(['2m', '2m']);
    expect(functionCalls(query)).toEqual(['rate', 'vector', 'rate']);
  });

  test('the error numerator falls back to 0 so a service without any 5xx series yields a ratio, not an empty result', () => {
    const metric = CanaryMetric.istioErrorRate();
    expect(metric.query).toMatch(/\)\)\n {2}or on\(\) vector\(0\)\n\)\n\/\n/);
  });

  test('conditions: at or below maxErrorRate succeeds, above fails, no traffic is inconclusive (never an evaluation error)', () => {
    const metric = CanaryMetric.istioErrorRate({ maxErrorRate: 0.02 });
    expect(measurementPhase(metric, [0])).toBe('Successful');
    expect(measurementPhase(metric, [0.02])).toBe('Successful');
    expect(measurementPhase(metric, [0.0201])).toBe('Failed');
    expect(measurementPhase(metric, [1])).toBe('Failed');
    expect(measurementPhase(metric, [])).toBe('Inconclusive');
    expect(measurementPhase(metric, [NaN])).toBe('Inconclusive');
  });

  test.each([
    [NoDataPolicy.PASS, 'Successful'],
    [NoDataPolicy.FAIL, 'Failed'],
    [NoDataPolicy.INCONCLUSIVE, 'Inconclusive'],
  ] as const)('noData %s makes an empty result and NaN %s, and keeps the threshold', (noData, phase) => {
    const metric = CanaryMetric.istioErrorRate({ noData });
    expect(measurementPhase(metric, [])).toBe(phase);
    expect(measurementPhase(metric, [NaN])).toBe(phase);
    expect(measurementPhase(metric, [0.005])).toBe('Successful');
    expect(measurementPhase(metric, [0.5])).toBe('Failed');
  });

  test('renders the measurement defaults explicitly: 30s interval, failureLimit 1, inconclusiveLimit 2, no count', () => {
    const m = CanaryMetric.istioErrorRate().measurement;
    expect(m).toEqual({ intervalSeconds: 30, failureLimit: 1, inconclusiveLimit: 2, count: undefined, initialDelaySeconds: undefined, consecutiveErrorLimit: undefined });
  });

  test('reporter, window and error codes are configurable', () => {
    const metric = CanaryMetric.istioErrorRate({ reporter: IstioReporter.DESTINATION, window: Duration.minutes(5), errorCodes: '5..|429' });
    const query = resolveArgs(metric.query, ARGS);
    expect(promqlSyntaxErrors(query)).toEqual([]);
    const [errors, all] = vectorSelectors(query);
    expect(matchersOf(errors!)).toMatchObject({ reporter: '=destination', response_code: '=~5..|429' });
    expect(all!.range).toBe('5m');
  });

  test('POD_HASH selector (subset-level splitting): canary pods by hash, as their own proxies report them', () => {
    const metric = CanaryMetric.istioErrorRate({ selector: IstioCanarySelector.POD_HASH });
    const query = resolveArgs(metric.query, ARGS);
    expect(promqlSyntaxErrors(query)).toEqual([]);
    expect(metric.referencedArgs()).toEqual(['canary-hash', 'namespace']);
    const [errors, all] = vectorSelectors(query);
    const base = { reporter: '=destination', destination_workload_namespace: '=default', pod: '=~.+-abc123-[a-z0-9]+' };
    expect(matchersOf(errors!)).toEqual({ ...base, response_code: '=~5..' });
    expect(matchersOf(all!)).toEqual(base);
    expect(new RegExp(`^(?:${matchersOf(all!).pod!.slice(2)})$`).test('my-app-rollout-abc123-x7k2p')).toBe(true);
    expect(new RegExp(`^(?:${matchersOf(all!).pod!.slice(2)})$`).test('my-app-rollout-def456-x7k2p')).toBe(false);
    expect(lines(CanaryMetric.istioErrorRate({ selector: IstioCanarySelector.POD_HASH, reporter: IstioReporter.SOURCE }).problems('metrics[0]'))).toEqual([
      'metrics[0].reporter ("source") must be "destination" with selector "podHash": only the canary pods\' own proxies carry their pod name',
    ]);
  });

  test('an error-code regex with a backslash or quote is escaped as a PromQL string', () => {
    const metric = CanaryMetric.istioErrorRate({ errorCodes: '5\\d\\d' });
    const query = resolveArgs(metric.query, ARGS);
    expect(promqlSyntaxErrors(query)).toEqual([]);
    expect(matchersOf(vectorSelectors(query)[0]!).response_code).toBe('=~5\\d\\d');
  });

  test.each([
    [{ maxErrorRate: 5 }, 'maxErrorRate (5) must be a fraction between 0 and 1 (exclusive), e.g. 0.01 for 1 %'],
    [{ maxErrorRate: 0 }, 'maxErrorRate (0) must be a fraction between 0 and 1 (exclusive), e.g. 0.01 for 1 %'],
    [{ errorCodes: '5xx' }, 'errorCodes ("5xx") matches no HTTP status code (100-599); Prometheus anchors the regex, so write "5.." rather than "5xx"'],
    [{ errorCodes: '[5' }, 'errorCodes ("[5") must be a regular expression of status codes, e.g. "5.." or "5..|429"'],
    [{ errorCodes: '...' }, 'errorCodes ("...") matches successful codes (200...); use e.g. "5.."'],
    [{ window: Duration.millis(1500) }, 'window (Duration(1500ms)) must be a Duration of whole seconds, at least 1s'],
    [{ interval: Duration.millis(500) }, 'interval (Duration(500ms)) must be a Duration of whole seconds, at least 1s'],
    [{ failureLimit: -1 }, 'failureLimit (-1) must be a whole number >= 0'],
    [{ inconclusiveLimit: 1.5 }, 'inconclusiveLimit (1.5) must be a whole number >= 0'],
    [{ count: 0 }, 'count (0) must be a whole number >= 1'],
    [{ count: 1, failureLimit: 1, inconclusiveLimit: 0 }, 'count (1) must be greater than failureLimit (1), otherwise the metric can never fail'],
    [{ count: 3, failureLimit: 0, inconclusiveLimit: 4 }, 'count (3) must be at least inconclusiveLimit (4)'],
    [{ consecutiveErrorLimit: -2 }, 'consecutiveErrorLimit (-2) must be a whole number >= 0'],
    [{ name: 'Error_Rate' }, 'name ("Error_Rate") must be a DNS label: lowercase letters, digits and \'-\', at most 63 characters'],
  ])('bad setting is reported with its path, value and what is valid: %s', (options, problem) => {
    expect(lines(CanaryMetric.istioErrorRate(options).problems('metrics[0]'))).toEqual([`metrics[0].${problem}`]);
  });

  test('valid settings report no problem', () => {
    expect(lines(CanaryMetric.istioErrorRate().problems('metrics[0]'))).toEqual([]);
    expect(lines(CanaryMetric.istioErrorRate({ count: 5, failureLimit: 1, inconclusiveLimit: 5, initialDelay: Duration.minutes(1) }).problems('m'))).toEqual([]);
  });
});

describe('CanaryMetric.istioLatency', () => {
  test('p99 of istio_request_duration_milliseconds_bucket for the canary Service, summed by le', () => {
    const metric = CanaryMetric.istioLatency({ maxLatency: Duration.millis(500) });
    const query = resolveArgs(metric.query, ARGS);
    expect(promqlSyntaxErrors(query)).toEqual([]);
    expect(metric.name).toBe('latency-p99');
    expect(functionCalls(query)).toEqual(['histogram_quantile', 'rate']);
    expect(query).toMatch(/^histogram_quantile\(0\.99,\n {2}sum by \(le\) \(rate\(/);
    const [sel] = vectorSelectors(query);
    expect(sel!.metric).toBe('istio_request_duration_milliseconds_bucket');
    expect(matchersOf(sel!)).toEqual({ reporter: '=source', destination_service_name: '=my-app-canary-svc', destination_service_namespace: '=default' });
    expect(sel!.range).toBe('2m');
  });

  test('the threshold is in milliseconds: maxLatency 1s passes 1000 ms and fails 1001 ms', () => {
    const metric = CanaryMetric.istioLatency({ maxLatency: Duration.seconds(1), quantile: 0.95 });
    expect(metric.name).toBe('latency-p95');
    expect(measurementPhase(metric, [1000])).toBe('Successful');
    expect(measurementPhase(metric, [1001])).toBe('Failed');
    expect(measurementPhase(metric, [NaN])).toBe('Inconclusive');
  });

  test.each([
    [{ maxLatency: Duration.millis(0) }, 'maxLatency (Duration(0s)) must be a Duration of whole milliseconds longer than 0, e.g. Duration.millis(500)'],
    [{ maxLatency: Duration.millis(300), quantile: 99 }, 'quantile (99) must be between 0 and 1 (exclusive), e.g. 0.99'],
  ])('bad setting is reported: %s', (options, problem) => {
    expect(lines(CanaryMetric.istioLatency(options).problems('metrics[1]'))).toEqual([`metrics[1].${problem}`]);
  });
});

describe('CanaryMetric.prometheus (custom query)', () => {
  const ok = {
    name: 'cpu',
    query: 'sum(rate(container_cpu_usage_seconds_total{namespace="{{args.namespace}}",pod=~".*-{{args.canary-hash}}-.*"}[5m]))',
    successCondition: 'result[0] < 2',
  };

  test('a query using the canary hash and namespace is accepted and reports its arguments', () => {
    const metric = CanaryMetric.prometheus(ok);
    expect(lines(metric.problems('metrics[0]'))).toEqual([]);
    expect(metric.referencedArgs()).toEqual(['canary-hash', 'namespace']);
  });

  test('a query that references no service is rejected with the arguments that would select one', () => {
    const metric = CanaryMetric.prometheus({ ...ok, query: 'sum(rate(istio_requests_total{response_code=~"5.."}[2m]))' });
    expect(lines(metric.problems('metrics[2]'))).toEqual([
      'metrics[2].query ("sum(rate(istio_requests_total{response_code=~\\"5..\\"}[2m]))") references no service: select the version under test with ' +
        '{{args.canary-service}}, {{args.stable-service}}, {{args.canary-hash}}, {{args.stable-hash}} (e.g. destination_service_name="{{args.canary-service}}")',
    ]);
  });

  test('a hard-coded service name does not count as a reference: the template must stay reusable', () => {
    const metric = CanaryMetric.prometheus({ ...ok, query: 'sum(rate(istio_requests_total{destination_service_name="my-app-canary-svc"}[2m]))' });
    expect(lines(metric.problems('m'))).toHaveLength(1);
    expect(lines(metric.problems('m'))[0]).toMatch(/^m\.query .* references no service/);
  });

  test('an unknown argument is rejected, since the controller would fail to resolve it', () => {
    const metric = CanaryMetric.prometheus({ ...ok, query: 'sum(rate(x{svc="{{args.canary-service}}",env="{{args.env}}"}[1m]))' });
    expect(lines(metric.problems('metrics[0]'))).toEqual([
      'metrics[0].query ("{{args.env}}") cannot be resolved by the controller; available: {{args.canary-service}}, {{args.stable-service}}, {{args.namespace}}, {{args.canary-hash}}, {{args.stable-hash}}',
    ]);
  });

  test('an empty query is rejected', () => {
    expect(lines(CanaryMetric.prometheus({ ...ok, query: '  ' }).problems('metrics[0]'))).toEqual(['metrics[0].query ("  ") must be a non-empty PromQL query']);
  });

  test('a metric without any condition, or whose condition ignores result, is rejected', () => {
    expect(lines(CanaryMetric.prometheus({ name: 'x', query: ok.query }).problems('metrics[0]'))).toEqual([
      'metrics[0].successCondition (undefined) must be set (or failureCondition): without either every measurement succeeds; e.g. "result[0] <= 0.01"',
    ]);
    expect(lines(CanaryMetric.prometheus({ ...ok, successCondition: 'true' }).problems('metrics[0]'))).toEqual([
      'metrics[0].successCondition ("true") must test the query\'s value through `result`, e.g. "result[0] <= 0.01"',
    ]);
  });
});

describe('formatNumber', () => {
  test.each([
    [0.01, '0.01'],
    [0.000001, '0.000001'],
    [250, '250'],
    [0.1 + 0.2, '0.3'],
  ])('%d renders as the plain decimal %s (no exponent, no float noise)', (n, s) => {
    expect(formatNumber(n)).toBe(s);
  });
});
