/**
 * The opt-in `analysis` prop of CanaryApp: what it adds to the app's manifests, that everything
 * still validates strictly, and that its problems join the app's CanaryAppError.
 */
import { Duration, Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import {
  AnalysisPlacement,
  CanaryAnalysis,
  CanaryApp,
  CanaryAppError,
  CanaryMetric,
  IstioCanarySelector,
  PrometheusSource,
  StepProfile,
  TrafficSplit,
  type CanaryAppProps,
} from '../../src/constructs';
import { buildExampleApp, exampleAnalysis, myAppProps } from '../../src/main';
import { type Manifest, ids, one, synth } from '../support/manifests';
import { manifestValidator } from '../support/schema-validator';
import { promqlSyntaxErrors, resolveArgs } from './promql-check';

const MIMIR = PrometheusSource.mimir('http://mimir-query-frontend.mimir.svc:8080/prometheus', 'my-team');
const AUTOMATIC_STEPS = [1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((w) => ({ setWeight: w })).concat([{ pause: { duration: '15s' } } as never]);

/** The example app's gated chart (automatic profile + error-rate gate, namespace gated-demo). */
function gatedChart(): Manifest[] {
  const app = Testing.app();
  buildExampleApp(app);
  const chart = app.charts.find((c) => c.node.id === 'my-app-gated');
  expect(chart).toBeDefined();
  return chart!.toJson() as Manifest[];
}

/** Values the controller gives the template's arguments for this Rollout in `namespace`. */
function argValues(rollout: Manifest, namespace: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of rollout.spec.strategy.canary.analysis.args as { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[]) {
    if (a.value !== undefined) out[a.name] = a.value;
    else if (a.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace') out[a.name] = namespace;
  }
  return out;
}

describe('CanaryApp analysis', () => {
  test('the example with the error-rate gate adds an AnalysisTemplate and background analysis; every object validates strictly', () => {
    // GIVEN / WHEN
    const objects = gatedChart();

    // THEN
    expect(ids(objects)).toEqual([
      'Deployment/my-app-dep',
      'Service/my-app-svc',
      'Service/my-app-canary-svc',
      'VirtualService/my-app-vs',
      'AnalysisTemplate/my-app-analysis',
      'Rollout/my-app-rollout',
      'HorizontalPodAutoscaler/my-app-hpa',
      'PodDisruptionBudget/my-app-stable-pdb',
      'PodDisruptionBudget/my-app-canary-pdb',
    ]);
    for (const o of objects) {
      expect(manifestValidator().validate(o)).toEqual([]);
      expect(o.metadata.namespace).toBe('gated-demo');
    }
    const canary = one(objects, 'Rollout').spec.strategy.canary;
    expect(canary.analysis).toEqual({
      templates: [{ templateName: 'my-app-analysis' }],
      args: [
        { name: 'canary-service', value: 'my-app-canary-svc' },
        { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      ],
      startingStep: 1,
    });
    expect(canary.steps).toEqual(AUTOMATIC_STEPS);
  });

  test('the template queries the Rollout\'s canary Service in the app namespace, and the PromQL parses', () => {
    const objects = gatedChart();
    const template = one(objects, 'AnalysisTemplate');
    const args = argValues(one(objects, 'Rollout'), 'gated-demo');
    expect(args).toEqual({ 'canary-service': 'my-app-canary-svc', namespace: 'gated-demo' });
    // every argument the template declares gets a value from the Rollout
    expect(template.spec.args.map((a: { name: string }) => a.name).sort()).toEqual(Object.keys(args).sort());
    for (const metric of template.spec.metrics) {
      const query = resolveArgs(metric.provider.prometheus.query, args);
      expect(promqlSyntaxErrors(query)).toEqual([]);
      expect(query).toContain('destination_service_name="my-app-canary-svc",destination_service_namespace="gated-demo"');
    }
  });

  test('the article\'s charts are unchanged: no analysis unless asked for (manual and automatic)', () => {
    const app = Testing.app();
    buildExampleApp(app);
    for (const id of ['my-app', 'my-app-manual']) {
      const objects = app.charts.find((c) => c.node.id === id)!.toJson() as Manifest[];
      expect(objects.map((o) => o.kind)).not.toContain('AnalysisTemplate');
      expect(one(objects, 'Rollout').spec.strategy.canary.analysis).toBeUndefined();
    }
  });

  test('analysis steps are rendered into the Rollout and reported in app.steps', () => {
    let app: CanaryApp | undefined;
    const objects = synth((chart) => {
      app = new CanaryApp(chart, 'App', {
        ...myAppProps(StepProfile.manual()),
        analysis: new CanaryAnalysis({
          source: MIMIR,
          metrics: [CanaryMetric.istioErrorRate({ count: 6 }), CanaryMetric.istioLatency({ maxLatency: Duration.millis(300), count: 6 })],
          placement: AnalysisPlacement.steps({ after: [3, 5] }),
        }),
      });
    });
    const steps = one(objects, 'Rollout').spec.strategy.canary.steps;
    expect(steps.map((s: object) => Object.keys(s)[0])).toEqual([
      'setCanaryScale', 'pause', 'setCanaryScale', 'setWeight', 'analysis', 'pause', 'setWeight', 'analysis', 'pause',
      'setWeight', 'setWeight', 'pause', 'setWeight', 'setWeight', 'setWeight', 'pause',
    ]);
    expect(steps[4]).toEqual({ analysis: { templates: [{ templateName: 'my-app-analysis' }], args: expect.any(Array) } });
    expect(app!.steps).toEqual(steps);
    expect(one(objects, 'Rollout').spec.strategy.canary.analysis).toBeUndefined();
    for (const o of objects) expect(manifestValidator().validate(o)).toEqual([]);
  });

  test('subset-level splitting: the gate must select the canary by pod hash', () => {
    const props = (analysis: CanaryAnalysis): CanaryAppProps => ({ ...myAppProps(StepProfile.automatic()), trafficSplit: TrafficSplit.subset(), analysis });
    expect(() => synth((chart) => new CanaryApp(chart, 'App', props(CanaryAnalysis.errorRateGate(MIMIR))))).toThrow(
      'analysis.metrics[0].selector ("service") cannot tell the canary from stable with subset-level traffic splitting (both versions sit behind one Service); use IstioCanarySelector.POD_HASH',
    );
    const objects = synth((chart) => new CanaryApp(chart, 'App', props(CanaryAnalysis.errorRateGate(MIMIR, { selector: IstioCanarySelector.POD_HASH }))));
    expect(one(objects, 'Rollout').spec.strategy.canary.analysis.args).toEqual([
      { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
      { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ]);
    for (const o of objects) expect(manifestValidator().validate(o)).toEqual([]);
  });

  test('analysis problems join the app\'s own in one CanaryAppError, and nothing is added to the chart', () => {
    const chart = Testing.chart();
    let error: unknown;
    try {
      new CanaryApp(chart, 'App', {
        ...myAppProps(StepProfile.automatic()),
        minPodsPerReplicaSet: 0,
        analysis: new CanaryAnalysis({
          source: PrometheusSource.mimir('mimir:8080', 'my-team'),
          metrics: [
            CanaryMetric.istioErrorRate({ maxErrorRate: 1, errorCodes: '5xx' }),
            CanaryMetric.prometheus({ name: 'raw', query: 'sum(rate(http_requests_total[1m]))', successCondition: 'result[0] < 1' }),
          ],
          placement: AnalysisPlacement.background({ startingStep: 12 }),
        }),
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CanaryAppError);
    expect((error as CanaryAppError).lines).toEqual([
      'minPodsPerReplicaSet (0) must be a whole number >= 1',
      'analysis.source.address ("mimir:8080") must be an absolute http:// or https:// URL, e.g. "http://mimir-query-frontend.mimir.svc:8080/prometheus"',
      'analysis.metrics[0].maxErrorRate (1) must be a fraction between 0 and 1 (exclusive), e.g. 0.01 for 1 %',
      'analysis.metrics[0].errorCodes ("5xx") matches no HTTP status code (100-599); Prometheus anchors the regex, so write "5.." rather than "5xx"',
      'analysis.metrics[1].query ("sum(rate(http_requests_total[1m]))") references no service: select the version under test with {{args.canary-service}}, {{args.stable-service}}, {{args.canary-hash}}, {{args.stable-hash}} (e.g. destination_service_name="{{args.canary-service}}")',
      'analysis.placement.startingStep (12) must be a step index from 0 to 11 (the profile has 12 steps)',
    ]);
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('exampleAnalysis is the error-rate gate preset on Mimir', () => {
    const objects = synth((chart) => new CanaryApp(chart, 'App', { ...myAppProps(StepProfile.automatic()), analysis: exampleAnalysis() }));
    const [metric] = one(objects, 'AnalysisTemplate').spec.metrics;
    expect(metric.name).toBe('error-rate');
    expect(metric.provider.prometheus.headers).toEqual([{ key: 'X-Scope-OrgID', value: 'my-team' }]);
  });
});
