import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promotePatches } from '../../src/runtime/cli-patches';
import { backgroundGateSet, EXAMPLE_MIMIR, exampleGatedSet, SHORT_ABORT_DELAY, stepGateSet, TEST_TENANT, withPrometheusAddress } from './support/analysis-apps';
import { expectSameAsSimulate } from './support/compare-with-simulate';
import { expectOk, KubeClient, runNamespace } from './support/kube-client';
import { findObject, type ManifestSet } from './support/manifests';
import { type IstioSeries, IstioTraffic, loggedQueries, prometheusEnv, TenantProxy } from './support/prometheus';
import type { ObservedState } from './support/rollout-observer';
import { indexWhere, record, setUpCanary, updateImage, type CanaryFixture } from './support/scenario';
import type { RecordedEvent } from './support/trace-vs-simulate';

// Error-rate gates on the real Argo Rollouts v1.9.1 controller, measured against a real
// Prometheus 3.16 holding synthetic Istio request series (written through its remote-write
// receiver every second, so the series are current), reached through a Mimir-like proxy that
// checks the X-Scope-OrgID tenant header. Each scenario records a trace and compares it with
// `simulate`, which is given the AnalysisRun verdicts this test expects from the error rate it
// writes; the real AnalysisRuns must end exactly so, with exactly the measured values expected.
const kube = KubeClient.fromKubeconfig();
const env = prometheusEnv();
let proxy: TenantProxy;
let traffic: IstioTraffic;
beforeAll(async () => {
  proxy = await TenantProxy.start(env.url);
  traffic = IstioTraffic.start(env);
});
afterAll(async () => {
  await traffic?.stop();
  await proxy?.close();
  kube.close();
});

const N = 2;
const rev = (s: ObservedState, r: number) => s.replicaSets.find((x) => x.revision === r);
/** Revision 2 promoted: stable, all traffic back on the stable route, old revision scaled to 0. */
const completed = (s: ObservedState) =>
  s.phase === 'Healthy' && rev(s, 2)?.role === 'stable' && rev(s, 2)?.available === N && rev(s, 1)?.replicas === 0 && s.services.stable === 2 && s.weights.canary === 0;
/** Aborted and settled: canary scaled to 0 with no pod left, both Services on revision 1. */
const abortedAndScaledDown = (s: ObservedState) =>
  s.aborted && rev(s, 2)?.replicas === 0 && rev(s, 2)?.available === 0 && s.services.canary === 1 && s.services.stable === 1;

/** The error-rate metric of a set's AnalysisTemplate, as rendered. */
function metricOf(set: ManifestSet): { name: string; query: string; failureLimit: number; inconclusiveLimit: number; interval: string } {
  const metric = (findObject(set, 'AnalysisTemplate') as any).spec.metrics[0];
  return { name: metric.name, query: metric.provider.prometheus.query, failureLimit: metric.failureLimit, inconclusiveLimit: metric.inconclusiveLimit, interval: metric.interval };
}

/** The run message Argo writes (analysis/analysis.go assessRunStatus) when a limit is exceeded. */
function limitMessage(set: ManifestSet, phase: 'Failed' | 'Inconclusive'): string {
  const m = metricOf(set);
  return phase === 'Failed'
    ? `Metric "${m.name}" assessed Failed due to failed (${m.failureLimit + 1}) > failureLimit (${m.failureLimit})`
    : `Metric "${m.name}" assessed Inconclusive due to inconclusive (${m.inconclusiveLimit + 1}) > inconclusiveLimit (${m.inconclusiveLimit})`;
}

/** Istio traffic to one Service: `codes` maps response codes to requests per second, per reporter. */
function serviceTraffic(namespace: string, service: string, reporter: IstioSeries['reporter'], codes: Record<string, number>): IstioSeries[] {
  return Object.entries(codes).map(([responseCode, perSecond]) => ({ reporter, service, namespace, responseCode, perSecond }));
}

/** What the test reads back from one AnalysisRun. */
interface RunView {
  readonly name: string;
  readonly type: string;
  readonly phase: string;
  readonly message: string;
  readonly measurements: { readonly phase: string; readonly value: string | undefined }[];
}

async function analysisRuns(namespace: string): Promise<RunView[]> {
  const items = await kube.list('argoproj.io/v1alpha1', 'AnalysisRun', namespace);
  return items
    .sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) || a.metadata.name.localeCompare(b.metadata.name))
    .map((ar) => ({
      name: ar.metadata.name,
      type: ar.metadata.labels?.['rollout-type'] ?? '',
      phase: ar.status?.phase ?? '',
      message: ar.status?.message ?? '',
      measurements: (ar.status?.metricResults?.[0]?.measurements ?? []).map((m: any) => ({ phase: m.phase, value: m.value })),
    }));
}

/** Waits (bounded) until `pred` holds for the namespace's AnalysisRuns (they settle after the Rollout acts on them). */
async function settledRuns(namespace: string, pred: (runs: RunView[]) => boolean, timeoutMs = 60_000): Promise<RunView[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runs = await analysisRuns(namespace);
    if (pred(runs) || Date.now() > deadline) return runs;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/**
 * Every query of the namespace went through the tenant proxy with the tenant header and was
 * answered 200, and Prometheus received exactly the template's PromQL with the Rollout's
 * arguments substituted. Returns how many queries were sent.
 */
function expectQueries(set: ManifestSet, namespace: string, canaryService: string, tenant: string): number {
  const expected = metricOf(set).query.replaceAll('{{args.canary-service}}', canaryService).replaceAll('{{args.namespace}}', namespace);
  const sent = proxy.requests.filter((r) => r.query?.includes(`"${namespace}"`));
  expect(sent.length, `queries for ${namespace} through the tenant proxy`).toBeGreaterThan(0);
  for (const r of sent) expect({ path: r.path, tenant: r.tenant, status: r.status, query: r.query }).toEqual({ path: '/prometheus/api/v1/query', tenant, status: 200, query: expected });
  const logged = loggedQueries(env, `"${namespace}"`);
  expect(logged.map((q) => q.query)).toEqual(sent.map(() => expected));
  return sent.length;
}

/** Sets up the app in a fresh namespace, with its AnalysisTemplate pointed at the tenant proxy. */
async function setUp(set: ManifestSet, base: string): Promise<{ fx: CanaryFixture; set: ManifestSet }> {
  const proxied = withPrometheusAddress(set, proxy.url);
  // watch events applied in resourceVersion order (e2e/findings.md 8: the gated scenario's
  // VirtualService weight arrived before the status of the step before it)
  const fx = await setUpCanary(kube, proxied, runNamespace(base), N, { settleMs: 400 });
  return { fx, set: proxied };
}

/** The promote `kubectl argo rollouts promote` sends for the Rollout as it is now (cli-patches.ts). */
async function promoteLikeCli(fx: CanaryFixture): Promise<void> {
  const live = await kube.get('argoproj.io/v1alpha1', 'Rollout', fx.namespace, fx.rollout.metadata.name);
  const { statusPatch, specPatch } = promotePatches(live);
  if (specPatch) expectOk(await kube.mergePatch('argoproj.io/v1alpha1', 'Rollout', fx.namespace, fx.rollout.metadata.name, specPatch), 'promote (spec)');
  if (statusPatch) expectOk(await kube.mergePatch('argoproj.io/v1alpha1', 'Rollout', fx.namespace, fx.rollout.metadata.name, statusPatch, { subresource: 'status' }), 'promote (status)');
}

function report(name: string, startMs: number, runs: RunView[]): void {
  const values = runs.map((r) => `${r.type} ${r.phase} [${r.measurements.map((m) => m.value).join(' ')}]`).join('; ');
  console.info(`analysis ${name}: ${((Date.now() - startMs) / 1000).toFixed(1)} s from the update; runs: ${values}`);
}

describe('the example app\'s gated chart (my-app-gated: automatic profile, background error-rate gate from step 1, Mimir tenant my-team)', () => {
  it('healthy canary (0 % 5xx, some 404s; the stable Service failing does not count): the background run measures [0] and the rollout is promoted', async () => {
    const { fx, set } = await setUp(exampleGatedSet(), 'analysis-gated');
    const ns = fx.namespace;
    traffic.set([
      ...serviceTraffic(ns, 'my-app-canary-svc', 'source', { '200': 20, '404': 2 }),
      ...serviceTraffic(ns, 'my-app-canary-svc', 'destination', { '200': 20, '404': 2 }),
      ...serviceTraffic(ns, 'my-app-svc', 'source', { '200': 10, '503': 10 }),
    ]);
    await new Promise((r) => setTimeout(r, 3_000)); // a few samples before the first measurement
    const start = Date.now();
    await updateImage(kube, fx, 'my-image:2');
    const trace = await record(fx, { name: 'analysis-gated-healthy', scenario: { replicas: N, events: [{ at: 0, update: { image: 'my-image:2' } }] } }, start, completed);
    traffic.check();
    expectSameAsSimulate(set, trace);

    // the background run ends when the rollout completes: terminated, Successful, every measurement [0]
    const runs = await settledRuns(ns, (rs) => rs.length === 1 && rs[0].phase === 'Successful');
    report('gated-healthy', start, runs);
    expect(runs.map((r) => ({ type: r.type, phase: r.phase, message: r.message }))).toEqual([{ type: 'Background', phase: 'Successful', message: 'Run Terminated' }]);
    expect(runs[0].measurements.length).toBeGreaterThanOrEqual(1);
    for (const m of runs[0].measurements) expect(m).toEqual({ phase: 'Successful', value: '[0]' });
    const sent = expectQueries(set, ns, 'my-app-canary-svc', EXAMPLE_MIMIR.tenant);
    expect(sent).toBe(runs[0].measurements.length);
    // no step was ever held by the analysis: it started at step 1 (after setWeight 1) and never paused the rollout
    expect(trace.ticks.filter((s) => s.paused).every((s) => s.stepIndex === 11)).toBe(true);
  });
});

describe('analysis step (step-gate: setWeight 20, analysis 3 x 5 s, setWeight 60)', () => {
  it('healthy canary: 3 measurements [0], the step run is Successful and the rollout moves on and is promoted', async () => {
    const { fx, set } = await setUp(stepGateSet(), 'analysis-step-ok');
    const ns = fx.namespace;
    traffic.set([...serviceTraffic(ns, 'step-gate-canary-svc', 'source', { '200': 20, '404': 2 }), ...serviceTraffic(ns, 'step-gate-svc', 'source', { '200': 20 })]);
    await new Promise((r) => setTimeout(r, 3_000));
    const start = Date.now();
    await updateImage(kube, fx, 'my-image:2');
    const events: RecordedEvent[] = [{ at: 0, update: { image: 'my-image:2' } }, { at: 0, analysis: { phase: 'Successful', run: 'step' } }];
    const trace = await record(fx, { name: 'analysis-step-healthy', scenario: { replicas: N, events } }, start, completed);
    traffic.check();
    expectSameAsSimulate(set, trace);
    const runs = await analysisRuns(ns);
    report('step-healthy', start, runs);
    expect(runs.map((r) => ({ type: r.type, phase: r.phase, message: r.message }))).toEqual([{ type: 'Step', phase: 'Successful', message: '' }]);
    expect(runs[0].measurements).toEqual([0, 1, 2].map(() => ({ phase: 'Successful', value: '[0]' })));
    expect(expectQueries(set, ns, 'step-gate-canary-svc', TEST_TENANT)).toBe(3);
    // the rollout held 20 % while the run measured (about 2 intervals), then went on to 60 %
    const atStep = indexWhere(trace.ticks, (s) => s.stepIndex === 1);
    const next = indexWhere(trace.ticks, (s) => s.stepIndex === 2, atStep);
    expect(trace.ticks[atStep].weights).toEqual({ canary: 20, stable: 80 });
    expect(trace.ticks[next].t - trace.ticks[atStep].t).toBeGreaterThanOrEqual(9);
  });

  it('error rate 0.5 (over the 0.01 threshold): 2 measurements [0.5], the step run Fails, the rollout aborts and the canary is scaled down after abortScaleDownDelaySeconds', async () => {
    const { trace } = await failingCanary(stepGateSet(), 'step', { at: 0 });
    // it failed at the analysis step, holding 20 %
    const aborted = indexWhere(trace.ticks, (s) => s.aborted);
    expect(trace.ticks[aborted - 1]).toMatchObject({ stepIndex: 1, weights: { canary: 20, stable: 80 }, paused: false });
  });

  it('no traffic at all, then series without requests: measurements [] and [NaN] are inconclusive, the rollout pauses (InconclusiveAnalysisRun) until promoted', async () => {
    const { fx, set } = await setUp(stepGateSet(), 'analysis-step-nodata');
    const ns = fx.namespace;
    // only the stable Service has traffic; the canary has no series at all
    traffic.set(serviceTraffic(ns, 'step-gate-svc', 'source', { '200': 20 }));
    const start = Date.now();
    await updateImage(kube, fx, 'my-image:2');
    const message = limitMessage(set, 'Inconclusive');
    // once the first measurement ([]) is in, the canary's counters appear but stay flat: 0/0 = NaN
    let flat = false;
    const poll = setInterval(() => {
      void analysisRuns(ns).then((runs) => {
        if (!flat && (runs[0]?.measurements.length ?? 0) >= 1) {
          flat = true;
          traffic.set(serviceTraffic(ns, 'step-gate-canary-svc', 'source', { '200': 0 }));
        }
      });
    }, 500);
    let pausedRollout: any;
    let promotedAt = -1;
    const events: RecordedEvent[] = [
      { at: 0, update: { image: 'my-image:2' } },
      { at: 0, analysis: { phase: 'Inconclusive', run: 'step', message } },
      { whenPausedAtStep: 1, promote: {} },
    ];
    const trace = await record(fx, { name: 'analysis-step-no-data', scenario: { replicas: N, events } }, start, completed, async (s, t) => {
      if (promotedAt >= 0 || s.stepIndex !== 1 || !s.paused) return undefined;
      // paused by the inconclusive run: still there 3 s later, untouched
      await new Promise((r) => setTimeout(r, 3_000));
      pausedRollout = await kube.get('argoproj.io/v1alpha1', 'Rollout', ns, fx.rollout.metadata.name);
      promotedAt = t;
      await promoteLikeCli(fx);
      return 'promote (kubectl argo rollouts promote: an inconclusive analysis step is skipped)';
    }).finally(() => clearInterval(poll));
    traffic.check();
    expectSameAsSimulate(set, trace);
    expect(pausedRollout.status).toMatchObject({
      phase: 'Paused',
      message: 'InconclusiveAnalysisRun',
      currentStepIndex: 1,
      controllerPause: true,
      pauseConditions: [expect.objectContaining({ reason: 'InconclusiveAnalysisRun' })],
      canary: { currentStepAnalysisRunStatus: expect.objectContaining({ status: 'Inconclusive', message }) },
    });
    const runs = await analysisRuns(ns);
    report('step-no-data', start, runs);
    expect(runs.map((r) => ({ type: r.type, phase: r.phase, message: r.message }))).toEqual([{ type: 'Step', phase: 'Inconclusive', message }]);
    expect(runs[0].measurements).toEqual([
      { phase: 'Inconclusive', value: '[]' },
      { phase: 'Inconclusive', value: '[NaN]' },
      { phase: 'Inconclusive', value: '[NaN]' },
    ]);
    expect(expectQueries(set, ns, 'step-gate-canary-svc', TEST_TENANT)).toBe(3);
    // the weight stayed at 20 % while paused; after the promote the step was skipped (no new run)
    for (const s of trace.ticks.filter((x) => x.paused)) expect(s).toMatchObject({ stepIndex: 1, weights: { canary: 20, stable: 80 } });
  });
});

describe('background analysis (background-gate: setWeight 20, pause 60 s, setWeight 60; measured every 5 s from step 1)', () => {
  it('error rate 0.5: the background run Fails during the pause, the rollout aborts and the canary is scaled down after abortScaleDownDelaySeconds', async () => {
    const { trace } = await failingCanary(backgroundGateSet(), 'background', { whenPausedAtStep: 1 });
    // it failed during the 60 s pause (about one interval after it started), not after it
    const paused = indexWhere(trace.ticks, (s) => s.stepIndex === 1 && s.paused);
    const aborted = indexWhere(trace.ticks, (s) => s.aborted);
    expect(paused).toBeGreaterThan(0);
    expect(aborted).toBeGreaterThan(paused);
    expect(trace.ticks[aborted].t - trace.ticks[paused].t).toBeLessThan(60);
  });
});

/**
 * A canary answering half its requests with 503 (reported by the calling proxy; the canary's own
 * proxy saw only the 200s, so a query without the reporter matcher would measure 1/3): the run of
 * `runType` measures [0.5] twice and Fails (failureLimit 1), which aborts the rollout. `when` places
 * that verdict in the simulation. Checks the run, the queries and the abort; returns the trace.
 */
async function failingCanary(app: ManifestSet, runType: 'step' | 'background', when: Pick<RecordedEvent, 'at' | 'whenPausedAtStep'>) {
  const { fx, set } = await setUp(app, `analysis-${runType}-fail`);
  const ns = fx.namespace;
  const canarySvc = (fx.rollout as any).spec.strategy.canary.canaryService as string;
  const stableSvc = (fx.rollout as any).spec.strategy.canary.stableService as string;
  traffic.set([
    ...serviceTraffic(ns, canarySvc, 'source', { '200': 10, '503': 10 }),
    ...serviceTraffic(ns, canarySvc, 'destination', { '200': 10 }),
    ...serviceTraffic(ns, stableSvc, 'source', { '200': 20 }),
  ]);
  await new Promise((r) => setTimeout(r, 3_000)); // a few samples before the first measurement
  const start = Date.now();
  await updateImage(kube, fx, 'my-image:2');
  const message = limitMessage(set, 'Failed');
  const events: RecordedEvent[] = [{ at: 0, update: { image: 'my-image:2' } }, { ...when, analysis: { phase: 'Failed', run: runType, message } }];
  const trace = await record(fx, { name: `analysis-${runType}-failed`, scenario: { replicas: N, events } }, start, abortedAndScaledDown);
  traffic.check();
  expectSameAsSimulate(set, trace);
  const runs = await analysisRuns(ns);
  report(`${runType}-failed`, start, runs);
  expect(runs.map((r) => ({ type: r.type, phase: r.phase, message: r.message }))).toEqual([{ type: runType === 'step' ? 'Step' : 'Background', phase: 'Failed', message }]);
  expect(runs[0].measurements).toEqual([0, 1].map(() => ({ phase: 'Failed', value: '[0.5]' })));
  expect(expectQueries(set, ns, canarySvc, TEST_TENANT)).toBe(2);
  // the Rollout's message names the run's type before the run's message (rollout/analysis.go)
  expectAbort(trace.ticks, `${runType === 'step' ? 'Step-based' : 'Background'} analysis phase error/failed: ${message}`);
  return { trace };
}

/**
 * After an abort by a failed run: the Rollout message is `abortMessage`, all traffic is back on
 * stable, and the canary keeps its pods for abortScaleDownDelaySeconds, then goes to 0.
 */
function expectAbort(ticks: readonly (ObservedState & { t: number })[], abortMessage: string): void {
  const aborted = indexWhere(ticks, (s) => s.aborted);
  expect(ticks[aborted]).toMatchObject({ phase: 'Degraded', message: `RolloutAborted: Rollout aborted update to revision 2: ${abortMessage}` });
  const back = indexWhere(ticks, (s) => s.weights.canary === 0, aborted);
  expect(ticks[back].weights).toEqual({ canary: 0, stable: 100 });
  for (const s of ticks.slice(back)) expect(s.weights, `t=${s.t}`).toEqual({ canary: 0, stable: 100 });
  const gone = indexWhere(ticks, (s) => rev(s, 2)?.replicas === 0, aborted);
  expect(rev(ticks[gone - 1], 2)?.replicas).toBe(N);
  // (the abort time is stored with 1 s resolution, so the controller may act up to 1 s early)
  expect(ticks[gone].t - ticks[aborted].t).toBeGreaterThanOrEqual(SHORT_ABORT_DELAY - 1);
  expect(ticks.at(-1)).toMatchObject({ phase: 'Degraded', stepIndex: 0, aborted: true, services: { stable: 1, canary: 1 } });
}
