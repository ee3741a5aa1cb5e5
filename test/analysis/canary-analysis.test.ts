import { Duration, Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { CanaryAppError } from '../../src/constructs/canary-app-error';
import { AnalysisPlacement, CanaryAnalysis, CanaryMetric, IstioCanarySelector, PrometheusSource } from '../../src/constructs/analysis';
import { manifestValidator } from '../support/schema-validator';

/** Strict schema problems of one object (shared validator of test/support). */
const strictErrors = (obj: object): string[] => manifestValidator().validate(obj as Record<string, unknown>);

const MIMIR = PrometheusSource.mimir('http://mimir-query-frontend.mimir.svc:8080/prometheus', 'team-a');

/** The article's automatic profile. */
const AUTOMATIC = [1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((w) => ({ setWeight: w } as object)).concat([{ pause: { duration: '15s' } }]);

const CTX = {
  defaultTemplateName: 'my-app-analysis',
  canaryService: 'my-app-canary-svc',
  stableService: 'my-app-svc',
  steps: AUTOMATIC,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
/** The article's Rollout (workloadRef, Istio) with the given canary analysis fields. */
function articleRollout(canaryExtra: Record<string, unknown>): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'my-app-rollout' },
    spec: {
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'my-app-dep', scaleDown: 'never' },
      selector: { matchLabels: { app: 'my-app' } },
      minReadySeconds: 5,
      strategy: {
        canary: {
          minPodsPerReplicaSet: 2,
          scaleDownDelaySeconds: 30,
          abortScaleDownDelaySeconds: 30,
          stableService: 'my-app-svc',
          canaryService: 'my-app-canary-svc',
          trafficRouting: { istio: { virtualService: { name: 'my-app-vs', routes: ['primary'] } } },
          ...canaryExtra,
        },
      },
    },
  };
}

describe('CanaryAnalysis', () => {
  test('error-rate gate preset: background analysis from step 1 with the template name and arguments', () => {
    // GIVEN
    const chart = Testing.chart();

    // WHEN
    const binding = CanaryAnalysis.errorRateGate(MIMIR)._bind(chart, 'Analysis', CTX);

    // THEN
    expect(binding.background).toEqual({
      templates: [{ templateName: 'my-app-analysis' }],
      args: [
        { name: 'canary-service', value: 'my-app-canary-svc' },
        { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      ],
      startingStep: 1,
    });
    expect(binding.steps).toEqual(AUTOMATIC);
    const [template] = Testing.synth(chart);
    expect(template.kind).toBe('AnalysisTemplate');
    expect(template.metadata.name).toBe('my-app-analysis');
    expect(template.spec.metrics.map((m: { name: string }) => m.name)).toEqual(['error-rate']);
  });

  test('the Rollout with background analysis validates strictly against the Rollout CRD', () => {
    const binding = CanaryAnalysis.errorRateGate(MIMIR, { maxErrorRate: 0.05, startingStep: 3 })._bind(Testing.chart(), 'A', CTX);
    const rollout = articleRollout({ analysis: binding.background, steps: binding.steps });
    expect(strictErrors(rollout)).toEqual([]);
    expect(rollout.spec.strategy.canary.analysis?.startingStep).toBe(3);
  });

  test('analysis steps are inserted after the chosen steps and validate strictly', () => {
    const analysis = new CanaryAnalysis({
      source: MIMIR,
      metrics: [CanaryMetric.istioErrorRate({ count: 4 }), CanaryMetric.istioLatency({ maxLatency: Duration.millis(400), count: 4 })],
      placement: AnalysisPlacement.steps({ after: [1, 5] }),
    });
    const binding = analysis._bind(Testing.chart(), 'A', CTX);
    expect(binding.background).toBeUndefined();
    expect(binding.steps).toHaveLength(AUTOMATIC.length + 2);
    const ref = {
      templates: [{ templateName: 'my-app-analysis' }],
      args: [
        { name: 'canary-service', value: 'my-app-canary-svc' },
        { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      ],
    };
    expect(binding.steps.slice(0, 4)).toEqual([{ setWeight: 1 }, { setWeight: 10 }, { analysis: ref }, { setWeight: 20 }]);
    expect(binding.steps.slice(6, 9)).toEqual([{ setWeight: 50 }, { analysis: ref }, { setWeight: 60 }]);
    expect(strictErrors(articleRollout({ steps: binding.steps }))).toEqual([]);
    // startingStep exists only on background analysis: the strict schema would catch it on a step.
    const wrong = [...binding.steps, { analysis: { ...ref, startingStep: 1 } }];
    expect(strictErrors(articleRollout({ steps: wrong }))).toEqual([
      'Rollout/my-app-rollout /spec/strategy/canary/steps/14/analysis: unknown field "startingStep"',
    ]);
  });

  test('placement and metric problems are reported together in one error', () => {
    const analysis = new CanaryAnalysis({
      source: MIMIR,
      metrics: [CanaryMetric.istioErrorRate({ maxErrorRate: 2 })],
      placement: AnalysisPlacement.steps({ after: [3, 12, 3] }),
    });
    const chart = Testing.chart();
    let error: unknown;
    try {
      analysis._bind(chart, 'A', CTX);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CanaryAppError);
    expect((error as CanaryAppError).lines).toEqual([
      'metrics[0].maxErrorRate (2) must be a fraction between 0 and 1 (exclusive), e.g. 0.01 for 1 %',
      'placement.after[1] (12) must be a step index from 0 to 11 (the profile has 12 steps)',
      'placement.after[2] (3) is listed twice',
      'metrics[0].count (undefined) must be set for analysis steps: the step waits until every metric has taken all its measurements (e.g. count 6 at a 30s interval holds it about 3 minutes)',
    ]);
    expect(chart.node.children).toHaveLength(0);
  });

  test.each([[12], [-1], [1.5]])('background startingStep %d outside the profile is rejected', (startingStep) => {
    expect(() => CanaryAnalysis.errorRateGate(MIMIR, { startingStep })._bind(Testing.chart(), 'A', CTX)).toThrow(
      `placement.startingStep (${startingStep}) must be a step index from 0 to 11 (the profile has 12 steps)`,
    );
  });

  test('a valid template with a bad placement still leaves the construct tree untouched', () => {
    const chart = Testing.chart();
    expect(() => CanaryAnalysis.errorRateGate(MIMIR, { startingStep: 40 })._bind(chart, 'A', CTX)).toThrow(CanaryAppError);
    expect(chart.node.children).toHaveLength(0);
  });

  test('subset-level splitting: selecting the canary by Service is rejected, by pod hash accepted', () => {
    const subset = { ...CTX, trafficSplit: 'subset' as const, canaryService: undefined, stableService: undefined };
    expect(() => CanaryAnalysis.errorRateGate(MIMIR)._bind(Testing.chart(), 'A', subset)).toThrow(
      'metrics[0].selector ("service") cannot tell the canary from stable with subset-level traffic splitting (both versions sit behind one Service); use IstioCanarySelector.POD_HASH',
    );
    const binding = CanaryAnalysis.errorRateGate(MIMIR, { selector: IstioCanarySelector.POD_HASH })._bind(Testing.chart(), 'A', subset);
    expect(binding.background?.args).toEqual([
      { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
      { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    ]);
  });

  test('a custom metric using {{args.stable-service}} needs a stable Service', () => {
    const analysis = new CanaryAnalysis({
      source: MIMIR,
      metrics: [CanaryMetric.prometheus({ name: 'ratio', query: 'sum(rate(x{svc="{{args.stable-service}}"}[1m]))', successCondition: 'result[0] < 1' })],
    });
    expect(() => analysis._bind(Testing.chart(), 'A', { ...CTX, stableService: undefined })).toThrow(
      'metrics[0].query ("{{args.stable-service}}") needs a stable Service, which this Rollout does not have',
    );
  });

  test('templateName overrides the default <app>-analysis name', () => {
    const binding = new CanaryAnalysis({ source: MIMIR, templateName: 'checkout-gate' })._bind(Testing.chart(), 'A', CTX);
    expect(binding.template.templateName).toBe('checkout-gate');
    expect(binding.background?.templates).toEqual([{ templateName: 'checkout-gate' }]);
  });
});
