import { Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CanaryAppError, formatProblem } from '../../src/constructs/canary-app-error';
import {
  CanaryAnalysisTemplate,
  CanaryMetric,
  IstioReporter,
  NoDataPolicy,
  PrometheusSource,
} from '../../src/constructs/analysis';
import { promqlSyntaxErrors, resolveArgs } from './promql-check';
import { manifestValidator } from '../support/schema-validator';

/** Strict schema problems of one object (shared validator of test/support). */
const strictErrors = (obj: object): string[] => manifestValidator().validate(obj as Record<string, unknown>);

const MIMIR = 'http://mimir-query-frontend.mimir.svc:8080/prometheus';
const ARGS = { 'canary-service': 'my-app-canary-svc', 'stable-service': 'my-app-svc', namespace: 'default', 'canary-hash': 'abc123', 'stable-hash': 'def456' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Manifest = any;

function synthTemplate(props: Partial<ConstructorParameters<typeof CanaryAnalysisTemplate>[2]> = {}): Manifest {
  const chart = Testing.chart();
  new CanaryAnalysisTemplate(chart, 'Analysis', { name: 'my-app-analysis', source: PrometheusSource.mimir(MIMIR, 'team-a'), ...props });
  const out = Testing.synth(chart);
  expect(out).toHaveLength(1);
  return out[0];
}

describe('CanaryAnalysisTemplate', () => {
  test('the example template (error rate + p99 latency on Mimir) validates strictly against the AnalysisTemplate CRD', () => {
    // GIVEN
    const metrics = [CanaryMetric.istioErrorRate(), CanaryMetric.istioLatency({ maxLatency: Duration.millis(500) })];

    // WHEN
    const manifest = synthTemplate({ metrics, namespace: 'my-team', labels: { app: 'my-app' } });

    // THEN
    expect(strictErrors(manifest)).toEqual([]);
    expect(manifest.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(manifest.kind).toBe('AnalysisTemplate');
    expect(manifest.metadata).toEqual({ name: 'my-app-analysis', namespace: 'my-team', labels: { app: 'my-app' } });
    expect(manifest.spec.args).toEqual([{ name: 'canary-service' }, { name: 'namespace' }]);
    expect(manifest.spec.metrics.map((m: Manifest) => m.name)).toEqual(['error-rate', 'latency-p99']);
  });

  test('Mimir source: address and the X-Scope-OrgID tenant header on every metric', () => {
    const manifest = synthTemplate({ metrics: [CanaryMetric.istioErrorRate(), CanaryMetric.istioLatency({ maxLatency: Duration.seconds(1) })] });
    for (const metric of manifest.spec.metrics) {
      expect(metric.provider.prometheus.address).toBe(MIMIR);
      expect(metric.provider.prometheus.headers).toEqual([{ key: 'X-Scope-OrgID', value: 'team-a' }]);
      expect(Object.keys(metric.provider)).toEqual(['prometheus']);
    }
  });

  test('error-rate metric renders interval, limits and the conditions Argo evaluates', () => {
    const [metric] = synthTemplate().spec.metrics;
    expect(metric).toMatchObject({
      name: 'error-rate',
      interval: '30s',
      failureLimit: 1,
      inconclusiveLimit: 2,
      successCondition: 'len(result) > 0 && !isNaN(result[0]) && result[0] <= 0.01',
      failureCondition: 'len(result) > 0 && !isNaN(result[0]) && result[0] > 0.01',
    });
    expect(metric.count).toBeUndefined();
  });

  test('extra headers, timeout and insecure are rendered; headers sorted after the tenant', () => {
    const source = new PrometheusSource({
      address: 'https://prometheus.example.com',
      tenant: 't1',
      headers: { 'X-B': '2', Authorization: 'Bearer abc' },
      timeout: Duration.seconds(10),
      insecure: true,
    });
    const manifest = synthTemplate({ source });
    expect(strictErrors(manifest)).toEqual([]);
    expect(manifest.spec.metrics[0].provider.prometheus).toMatchObject({
      address: 'https://prometheus.example.com',
      headers: [{ key: 'X-Scope-OrgID', value: 't1' }, { key: 'Authorization', value: 'Bearer abc' }, { key: 'X-B', value: '2' }],
      timeout: 10,
      insecure: true,
    });
  });

  test('without an address the provider leaves it to the controller (ARGO_ROLLOUTS_PROMETHEUS_ADDRESS)', () => {
    const manifest = synthTemplate({ source: new PrometheusSource() });
    expect(strictErrors(manifest)).toEqual([]);
    expect(manifest.spec.metrics[0].provider.prometheus.address).toBeUndefined();
  });

  test('the strict validator rejects a field the CRD does not have (so the check above can fail)', () => {
    const manifest = synthTemplate();
    manifest.spec.metrics[0].provider.prometheus.tenant = 'team-a';
    manifest.spec.metrics[0].count = 1.5;
    expect(strictErrors(manifest)).toEqual(
      expect.arrayContaining([
        'AnalysisTemplate/my-app-analysis /spec/metrics/0/provider/prometheus: unknown field "tenant"',
        'AnalysisTemplate/my-app-analysis /spec/metrics/0/count: must be integer',
      ]),
    );
  });

  test('every rendered query parses as PromQL once the controller substitutes the arguments', () => {
    const manifest = synthTemplate({
      metrics: [
        CanaryMetric.istioErrorRate(),
        CanaryMetric.istioLatency({ maxLatency: Duration.millis(300), quantile: 0.95, reporter: IstioReporter.DESTINATION }),
        CanaryMetric.prometheus({
          name: 'stable-vs-canary',
          query: 'sum(rate(istio_requests_total{destination_service_name="{{args.canary-service}}"}[1m])) / sum(rate(istio_requests_total{destination_service_name="{{args.stable-service}}"}[1m]))',
          successCondition: 'result[0] < 2',
        }),
      ],
    });
    expect(manifest.spec.args).toEqual([{ name: 'canary-service' }, { name: 'namespace' }, { name: 'stable-service' }]);
    for (const metric of manifest.spec.metrics) {
      expect({ metric: metric.name, errors: promqlSyntaxErrors(resolveArgs(metric.provider.prometheus.query, ARGS)) }).toEqual({ metric: metric.name, errors: [] });
    }
  });

  test('the PromQL check catches a broken query (so the check above can fail)', () => {
    expect(promqlSyntaxErrors('sum(rate(istio_requests_total{reporter="source"}[2m])) /')).not.toEqual([]);
    expect(promqlSyntaxErrors('sum(rate(istio_requests_total{reporter="source"[2m]))')).not.toEqual([]);
  });

  test('property: any valid error-rate/latency settings synthesize a strictly valid template whose queries parse', () => {
    const durations = fc.integer({ min: 1, max: 3 * 3600 }).map((s) => Duration.seconds(s));
    fc.assert(
      fc.property(
        fc.record({
          maxErrorRate: fc.double({ min: 0.000001, max: 0.999, noNaN: true }),
          errorCodes: fc.constantFrom('5..', '5..|429', '50[0-4]', '5\\d\\d', '4..|5..'),
          reporter: fc.constantFrom(IstioReporter.SOURCE, IstioReporter.DESTINATION),
          noData: fc.constantFrom(NoDataPolicy.INCONCLUSIVE, NoDataPolicy.PASS, NoDataPolicy.FAIL),
          window: durations,
          interval: durations,
          failureLimit: fc.integer({ min: 0, max: 5 }),
          quantile: fc.double({ min: 0.5, max: 0.999, noNaN: true }),
          maxLatencyMs: fc.integer({ min: 1, max: 60_000 }),
          count: fc.option(fc.integer({ min: 6, max: 50 }), { nil: undefined }),
        }),
        (o) => {
          const metrics = [
            CanaryMetric.istioErrorRate({ ...o, inconclusiveLimit: 2 }),
            CanaryMetric.istioLatency({ ...o, name: 'latency', maxLatency: Duration.millis(o.maxLatencyMs), inconclusiveLimit: 2 }),
          ];
          const manifest = synthTemplate({ metrics });
          expect(strictErrors(manifest)).toEqual([]);
          for (const metric of manifest.spec.metrics) {
            expect(promqlSyntaxErrors(resolveArgs(metric.provider.prometheus.query, ARGS))).toEqual([]);
            expect(metric.successCondition).not.toMatch(/e[-+]?\d/); // plain decimals only
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  test('same input, byte-identical output', () => {
    const a = JSON.stringify(synthTemplate());
    const b = JSON.stringify(synthTemplate());
    expect(a).toBe(b);
  });

  test('bad settings fail at construction with one error listing every problem', () => {
    const chart = Testing.chart();
    const build = () =>
      new CanaryAnalysisTemplate(chart, 'Analysis', {
        name: 'My_App',
        source: new PrometheusSource({ address: 'mimir:8080', tenant: ' ', timeout: Duration.millis(100), headers: { 'x-scope-orgid': 'dup' } }),
        metrics: [
          CanaryMetric.istioErrorRate({ maxErrorRate: 1 }),
          CanaryMetric.istioErrorRate({ errorCodes: '5..|429' }),
          CanaryMetric.prometheus({ name: 'raw', query: 'sum(rate(http_requests_total[1m]))', successCondition: 'result[0] < 1' }),
        ],
      });
    expect(build).toThrow(CanaryAppError);
    let error: CanaryAppError | undefined;
    try {
      build();
    } catch (err) {
      error = err as CanaryAppError;
    }
    expect(error!.message.split('\n')[0]).toBe('Invalid CanaryAnalysisTemplate "My_App": 8 problems');
    expect(error!.lines).toEqual([
      'name ("My_App") must be a DNS subdomain: lowercase letters, digits, \'-\' and \'.\', at most 253 characters',
      'source.address ("mimir:8080") must be an absolute http:// or https:// URL, e.g. "http://mimir-query-frontend.mimir.svc:8080/prometheus"',
      'source.tenant (" ") must be a non-empty single-line tenant id',
      'source.headers ("x-scope-orgid") duplicates source.tenant (the tenant is sent as X-Scope-OrgID); set it once',
      'source.timeout (Duration(100ms)) must be a Duration of whole seconds, at least 1s',
      'metrics[0].maxErrorRate (1) must be a fraction between 0 and 1 (exclusive), e.g. 0.01 for 1 %',
      'metrics[1].name ("error-rate") duplicates metrics[0].name; metric names must be unique',
      'metrics[2].query ("sum(rate(http_requests_total[1m]))") references no service: select the version under test with {{args.canary-service}}, {{args.stable-service}}, {{args.canary-hash}}, {{args.stable-hash}} (e.g. destination_service_name="{{args.canary-service}}")',
    ]);
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('an address ending in /api/v1/query is rejected (the controller appends it)', () => {
    expect(new PrometheusSource({ address: `${MIMIR}/api/v1/query` }).problems('source').map(formatProblem)).toEqual([
      `source.address ("${MIMIR}/api/v1/query") must be the API base URL without "/api/v1/query" (the controller appends it)`,
    ]);
  });

  test('an empty metric list is rejected', () => {
    expect(() => new CanaryAnalysisTemplate(Testing.chart(), 'A', { name: 'x', source: new PrometheusSource(), metrics: [] })).toThrow(
      'metrics ([]) must list at least one metric, e.g. CanaryMetric.istioErrorRate() (Argo rejects a template without metrics)',
    );
  });

  test('rolloutArgs: Service names as values, namespace from the Rollout, hashes from the controller', () => {
    const chart = Testing.chart();
    const template = new CanaryAnalysisTemplate(chart, 'A', {
      name: 'x',
      source: new PrometheusSource(),
      metrics: [
        CanaryMetric.istioErrorRate(),
        CanaryMetric.prometheus({
          name: 'restarts',
          query: 'sum(kube_pod_container_status_restarts_total{namespace="{{args.namespace}}",pod=~".*-({{args.canary-hash}}|{{args.stable-hash}})-.*"})',
          failureCondition: 'result[0] > 0',
        }),
      ],
    });
    expect(template.argNames).toEqual(['canary-hash', 'canary-service', 'namespace', 'stable-hash']);
    expect(template.rolloutArgs({ canaryService: 'my-app-canary-svc', stableService: 'my-app-svc' })).toEqual([
      { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
      { name: 'canary-service', value: 'my-app-canary-svc' },
      { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
    ]);
  });
});
