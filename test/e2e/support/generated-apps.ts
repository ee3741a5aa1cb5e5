import { App, Chart, Duration } from 'cdk8s';
import {
  AnalysisPlacement,
  CanaryAnalysis,
  CanaryMetric,
  CanaryStep,
  DisruptionBudget,
  HpaMetric,
  PrometheusSource,
  RolloutsRbac,
  StepProfile,
  TrafficSplit,
  CanaryApp,
  type CanaryAppProps,
} from '../../../src/constructs';
import { buildExampleApp, myAppProps } from '../../../src/main';
import type { KubeObject } from './kube-client';
import type { ManifestSet } from './manifests';

/**
 * Manifests synthesized in the test (no files): the example app of src/main.ts and a dozen
 * CanaryApps that between them use every option family of the construct, for the API acceptance
 * test. Each chart becomes one set; objects keep the namespace their chart gives them.
 */

const mimir = PrometheusSource.mimir('http://mimir-query-frontend.mimir.svc:8080/prometheus', 'my-team');
const base = (name: string): CanaryAppProps => ({ ...myAppProps(StepProfile.automatic()), name });

/** The varied apps: [set name, chart namespace (if any), props or a builder]. */
const VARIED: readonly [string, string | undefined, (chart: Chart) => void][] = [
  ['subset-split', undefined, (c) => new CanaryApp(c, 'App', { ...base('subset'), trafficSplit: TrafficSplit.subset({ stableSubset: 'stable', canarySubset: 'canary' }) })],
  ['inline-template', undefined, (c) => new CanaryApp(c, 'App', { ...base('inline'), inlineTemplate: true })],
  ['fixed-replicas', undefined, (c) => new CanaryApp(c, 'App', { ...base('fixed'), autoscaling: undefined, replicas: 5, minPodsPerReplicaSet: 1 })],
  ['root-service', undefined, (c) => new CanaryApp(c, 'App', { ...base('rooted'), rootService: true })],
  ['manual-profile', undefined, (c) => new CanaryApp(c, 'App', { ...myAppProps(StepProfile.manual()), name: 'manual' })],
  [
    'analysis-gate',
    undefined,
    (c) =>
      new CanaryApp(c, 'App', {
        ...base('gated'),
        analysis: new CanaryAnalysis({ source: mimir, metrics: [CanaryMetric.istioErrorRate({ count: 3 })], placement: AnalysisPlacement.steps({ after: [1, 5] }) }),
      }),
  ],
  ['background-analysis', undefined, (c) => new CanaryApp(c, 'App', { ...base('background'), analysis: CanaryAnalysis.errorRateGate(mimir, { startingStep: 2 }) })],
  ['namespaced', 'team-a', (c) => new CanaryApp(c, 'App', { ...base('scoped'), namespace: 'team-a' })],
  [
    'pdb-options',
    undefined,
    (c) => new CanaryApp(c, 'App', { ...base('pdb'), disruptionBudgets: { stable: DisruptionBudget.minAvailable('50%'), canary: DisruptionBudget.maxUnavailable(1) } }),
  ],
  ['no-pdb', undefined, (c) => new CanaryApp(c, 'App', { ...base('nopdb'), disruptionBudgets: false })],
  [
    'vs-extras',
    undefined,
    (c) =>
      new CanaryApp(c, 'App', {
        ...base('extras'),
        virtualService: {
          hosts: ['api.example.com'],
          gateways: ['istio-system/ingress-gateway', 'mesh'],
          routeName: 'primary',
          match: [{ uri: { prefix: '/api' } }],
          retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: '5xx,reset' },
          timeout: Duration.seconds(10),
        },
      }),
  ],
  [
    'hpa-metrics',
    undefined,
    (c) =>
      new CanaryApp(c, 'App', {
        ...base('metrics'),
        autoscaling: {
          minReplicas: 3,
          maxReplicas: 20,
          metrics: [HpaMetric.memoryUtilization(80), HpaMetric.cpuAverageValue('500m'), HpaMetric.pods('requests_per_second', '100'), HpaMetric.external('queue_depth', '30', { queue: 'jobs' })],
        },
      }),
  ],
  [
    'custom-steps-delays',
    undefined,
    (c) =>
      new CanaryApp(c, 'App', {
        ...base('custom'),
        steps: [CanaryStep.setCanaryScaleWeight(25), CanaryStep.setWeight(25), CanaryStep.pause(Duration.minutes(1)), CanaryStep.matchTrafficWeight(), CanaryStep.setWeight(40), CanaryStep.setWeight(50), CanaryStep.pauseIndefinitely()],
        minReady: Duration.seconds(10),
        scaleDownDelay: Duration.minutes(1),
        abortScaleDownDelay: Duration.seconds(0),
        // a deliberately coarse profile (pod-surge lint would refuse it): the API server must still accept it
        lint: false,
      }),
  ],
  ['rbac-companion', undefined, (c) => new RolloutsRbac(c, 'Rbac', { readers: { groups: ['sre-readers'] }, writers: { users: ['release-bot'] } })],
];

function setOf(name: string, chart: Chart): ManifestSet {
  return { name, dir: `(synthesized: ${name})`, objects: chart.toJson() as KubeObject[] };
}

/** The example app (one set per chart) and the varied apps, synthesized in memory. */
export function generatedManifestSets(): ManifestSet[] {
  const example = new App({ outdir: '/nonexistent-not-written' });
  buildExampleApp(example);
  const sets = example.charts.map((c) => setOf(`example-${c.node.id}`, c));
  for (const [name, namespace, build] of VARIED) {
    const chart = new Chart(new App({ outdir: '/nonexistent-not-written' }), name, namespace ? { namespace } : {});
    build(chart);
    sets.push(setOf(name, chart));
  }
  return sets;
}
