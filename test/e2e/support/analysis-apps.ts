import { App, Chart, Duration } from 'cdk8s';
import { AnalysisPlacement, CanaryAnalysis, CanaryApp, CanaryMetric, CanaryStep, PrometheusSource, StepProfile } from '../../../src/constructs';
import { buildExampleApp, myAppProps } from '../../../src/main';
import type { KubeObject } from './kube-client';
import type { ManifestSet } from './manifests';

/**
 * The apps of the analysis scenarios (test/e2e/analysis-scenarios.test.ts), synthesized in memory:
 * the example app's gated chart exactly as `src/main.ts` builds it, and two small apps with short
 * intervals (one with an analysis step, one with background analysis) so the failing and no-traffic
 * cases finish in about a minute.
 */

/** The Mimir address and tenant of the example app (src/main.ts `exampleAnalysis`). */
export const EXAMPLE_MIMIR = { address: 'http://mimir-query-frontend.mimir.svc:8080/prometheus', tenant: 'my-team' } as const;
/** Tenant of the small apps (also Mimir-style, so every scenario goes through the header check). */
export const TEST_TENANT = 'e2e-team';
/** Placeholder address of the small apps; {@link withPrometheusAddress} replaces it. */
const PLACEHOLDER = 'http://metrics.invalid:9090/prometheus';

/** Replicas of the small apps (fixed, no HPA). */
export const ANALYSIS_REPLICAS = 2;
/** Seconds between measurements of the small apps' metric. */
export const SHORT_INTERVAL = 5;
/** abortScaleDownDelay of the small apps, seconds. */
export const SHORT_ABORT_DELAY = 10;

/** The example app's `my-app-gated` chart (automatic profile, background error-rate gate from step 1). */
export function exampleGatedSet(): ManifestSet {
  const app = new App({ outdir: '/nonexistent-not-written' });
  buildExampleApp(app);
  const chart = app.charts.find((c) => c.node.id === 'my-app-gated');
  if (!chart) throw new Error(`src/main.ts buildExampleApp no longer has a 'my-app-gated' chart (charts: ${app.charts.map((c) => c.node.id).join(', ')})`);
  return { name: 'example-my-app-gated', dir: '(synthesized: src/main.ts my-app-gated)', objects: chart.toJson() as KubeObject[] };
}

const smallBase = () => ({
  ...myAppProps(StepProfile.automatic()),
  autoscaling: undefined,
  replicas: ANALYSIS_REPLICAS,
  abortScaleDownDelay: Duration.seconds(SHORT_ABORT_DELAY),
});
const shortMetric = (count?: number) =>
  CanaryMetric.istioErrorRate({ interval: Duration.seconds(SHORT_INTERVAL), ...(count !== undefined ? { count } : {}) });

/**
 * `step-gate`: setWeight 20, an analysis step (3 measurements 5 s apart), setWeight 60. The
 * rollout holds at 20 % until the run ends: Successful moves on, Failed aborts, Inconclusive pauses.
 */
export function stepGateSet(): ManifestSet {
  const chart = new Chart(new App({ outdir: '/nonexistent-not-written' }), 'step-gate');
  new CanaryApp(chart, 'App', {
    ...smallBase(),
    name: 'step-gate',
    steps: [CanaryStep.setWeight(20), CanaryStep.setWeight(60)],
    analysis: new CanaryAnalysis({
      source: PrometheusSource.mimir(PLACEHOLDER, TEST_TENANT),
      metrics: [shortMetric(3)],
      placement: AnalysisPlacement.steps({ after: [0] }),
    }),
  });
  return { name: 'step-gate', dir: '(synthesized: step-gate)', objects: chart.toJson() as KubeObject[] };
}

/**
 * `background-gate`: setWeight 20, pause 60 s, setWeight 60, with background analysis from step 1
 * (measured every 5 s): a failing canary is aborted during the pause.
 */
export function backgroundGateSet(): ManifestSet {
  const chart = new Chart(new App({ outdir: '/nonexistent-not-written' }), 'background-gate');
  new CanaryApp(chart, 'App', {
    ...smallBase(),
    name: 'background-gate',
    steps: [CanaryStep.setWeight(20), CanaryStep.pause(Duration.seconds(60)), CanaryStep.setWeight(60)],
    analysis: new CanaryAnalysis({ source: PrometheusSource.mimir(PLACEHOLDER, TEST_TENANT), metrics: [shortMetric()], placement: AnalysisPlacement.background({ startingStep: 1 }) }),
  });
  return { name: 'background-gate', dir: '(synthesized: background-gate)', objects: chart.toJson() as KubeObject[] };
}

/**
 * The set with every AnalysisTemplate's Prometheus address replaced by `address` (the e2e
 * Prometheus, behind the tenant-checking proxy); nothing else changes. Throws when a template had
 * an address other than `expected`, so a change of the example is noticed.
 */
export function withPrometheusAddress(set: ManifestSet, address: string, expected: readonly string[] = [EXAMPLE_MIMIR.address, PLACEHOLDER]): ManifestSet {
  let replaced = 0;
  const objects = set.objects.map((obj) => {
    if (obj.kind !== 'AnalysisTemplate') return obj;
    const copy = structuredClone(obj) as any;
    for (const metric of copy.spec.metrics) {
      const prom = metric.provider?.prometheus;
      if (!prom) continue;
      if (!expected.includes(prom.address)) throw new Error(`${set.name}: AnalysisTemplate ${obj.metadata.name} metric ${metric.name} queries ${prom.address}, expected one of ${expected.join(', ')}`);
      prom.address = address;
      replaced++;
    }
    return copy as KubeObject;
  });
  if (replaced === 0) throw new Error(`${set.name}: no AnalysisTemplate with a Prometheus metric to point at the e2e Prometheus`);
  return { ...set, objects };
}
