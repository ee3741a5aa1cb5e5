import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KubeClient, runNamespace } from './support/kube-client';
import { loadManifestSet, REPO_ROOT } from './support/manifests';
import type { ObservedState } from './support/rollout-observer';
import { indexWhere, operate, record, setUpCanary, updateImage } from './support/scenario';
import { completionErrors, readerKubeconfig, runStatus, sampleStatus, unmatchedSamples } from './support/status-reader';

// `cdk8s-canary status` against the real Argo Rollouts v1.9.1 controller, run as a ServiceAccount
// bound only to the rollouts-reader Role and the rollouts-status-reader ClusterRole: during the
// automatic and manual scenarios every `status --format json` read shows a step, VirtualService
// weights and pods per revision that the watch-based observer saw while the read ran; the forecast
// completion time is compared with the real one; a stall (the controller process stopped, SIGSTOP,
// while a promote waits) is reported; --until exits 0 / 1 / 3 / 4 as docs/status.md says.
const kube = KubeClient.fromKubeconfig();
afterAll(() => kube.close());
const fixtures = join(REPO_ROOT, 'test', 'e2e', 'fixtures');
const automatic = loadManifestSet(join(fixtures, 'article'));
const manual = loadManifestSet(join(fixtures, 'article-manual'));
const N = 2;
/** Largest |predicted - actual| completion time accepted, in seconds (measured: see docs/status.md#accuracy). */
const TOLERANCE_SECONDS = 5;
const ROLLOUT = 'my-app-rollout';

const rev = (s: ObservedState, r: number) => s.replicaSets.find((x) => x.revision === r);
const promoted = (s: ObservedState) => s.phase === 'Healthy' && rev(s, 2)?.role === 'stable' && s.services.stable === 2 && s.weights.canary === 0;
const completed = (s: ObservedState) => promoted(s) && rev(s, 1)?.replicas === 0;

/** Writes what the status e2e measured next to the traces (E2E_TRACE_DIR). */
function report(name: string, content: unknown): void {
  const dir = process.env.E2E_TRACE_DIR ?? join(REPO_ROOT, '.cache', 'e2e', 'traces');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `status-${name}.json`), `${JSON.stringify(content, null, 2)}\n`);
}

function summarize(errors: readonly { error: number }[]) {
  const abs = errors.map((e) => Math.abs(e.error));
  return { samples: errors.length, first: errors[0]?.error, maxAbs: Math.max(...abs), meanAbs: abs.reduce((a, b) => a + b, 0) / Math.max(1, abs.length) };
}

describe('status on the automatic profile', () => {
  it('matches the controller at every read, forecasts the completion, and --until completed exits 0 once it is done', async () => {
    const namespace = runNamespace('status-automatic');
    const fx = await setUpCanary(kube, automatic, namespace, N);
    const kc = await readerKubeconfig(kube, namespace, 'status-reader', { role: 'rollouts-reader', clusterRole: 'rollouts-status-reader' });
    const target = `${namespace}/${ROLLOUT}`;
    const start = Date.now();
    await updateImage(kube, fx, 'my-image:2');
    let done = false;
    const sampling = sampleStatus(kc, target, () => done);
    const until = runStatus([target, '--kubeconfig', kc, '--until', 'completed', '--timeout', '5m', '--interval', '1']).then((r) => ({ ...r, endMs: Date.now() }));
    const trace = await record(fx, { name: 'status-automatic', scenario: { replicas: N, events: [{ at: 0, update: { image: 'my-image:2' } }] } }, start, completed).finally(() => {
      done = true;
    });
    const samples = await sampling;
    const waited = await until;

    expect(samples.length, 'status reads during the rollout').toBeGreaterThanOrEqual(10);
    expect(unmatchedSamples(samples, trace.ticks, start)).toEqual([]);

    const promotedAt = start + trace.ticks[indexWhere(trace.ticks, promoted)].t * 1000;
    const errors = completionErrors(samples, promotedAt);
    const summary = summarize(errors);
    report('automatic', { promotedAt: new Date(promotedAt).toISOString(), ...summary, errors });
    console.info(`status automatic: completion forecast error ${JSON.stringify(summary)}`);
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(summary.maxAbs).toBeLessThanOrEqual(TOLERANCE_SECONDS);

    // --until completed: exit 0, and not before the old ReplicaSet was scaled down
    expect(waited.err).toBe(`cdk8s-canary: ${target} is completed\n`);
    expect(waited.code).toBe(0);
    const completedAt = start + trace.ticks[indexWhere(trace.ticks, completed)].t * 1000;
    expect(waited.endMs).toBeGreaterThanOrEqual(completedAt - 1000);
  });
});

describe('status on the manual profile', () => {
  it('names the promote at each indefinite pause, reports a stall while the controller is stopped, then --until exits 3 on abort and 4 on timeout', async () => {
    const namespace = runNamespace('status-manual');
    const fx = await setUpCanary(kube, manual, namespace, N);
    const kc = await readerKubeconfig(kube, namespace, 'status-reader', { role: 'rollouts-reader', clusterRole: 'rollouts-status-reader' });
    const target = `${namespace}/${ROLLOUT}`;
    const start = Date.now();
    await updateImage(kube, fx, 'my-image:2');
    let done = false;
    const sampling = sampleStatus(kc, target, () => done);
    const waits: { step: number; command: string | undefined }[] = [];
    let stall: { code: number; err: string; seconds: number; json: any } | undefined;
    const info = { name: 'status-manual', scenario: { replicas: N, events: [{ at: 0, update: { image: 'my-image:2' } }, { whenPausedAtSteps: [1, 4, 6, 9], promote: {} }] } };
    const trace = await record(fx, info, start, completed, async (s) => {
      if (!s.paused || s.stepIndex === null || ![1, 4, 6, 9].includes(s.stepIndex)) return undefined;
      await new Promise((r) => setTimeout(r, 3_000));
      const now = await runStatus([target, '--kubeconfig', kc, '--format', 'json']);
      waits.push({ step: s.stepIndex, command: JSON.parse(now.out).next.waitingFor?.command });
      if (s.stepIndex !== 4) {
        await operate(kube, fx, 'promote');
        return `promote at step ${s.stepIndex}`;
      }
      stall = await stalledPromote(fx, target, kc);
      return 'promote at step 4 with the controller stopped';
    });
    done = true;
    const samples = await sampling;

    expect(waits).toEqual([1, 4, 6, 9].map((step) => ({ step, command: `kubectl argo rollouts promote ${ROLLOUT} -n ${namespace}` })));
    expect(stall?.code, stall?.err).toBe(1);
    expect(stall?.err).toMatch(new RegExp(`^cdk8s-canary: ${target}: stall Rollout/${ROLLOUT}: STALL: no progress for \\d+ s; step 4 of 14 has every pod available and nothing to wait for, so it should be done`));
    expect(stall?.err).toContain(`(fix: Nudge the controller: kubectl annotate rollout ${ROLLOUT} -n ${namespace} cdk8s-canary.io/nudge="$(date +%s)" --overwrite`);
    expect(stall?.json.divergences.map((d: any) => d.rule)).toEqual(['stall']);
    // reported once nothing was written for the 10 s grace (the model expects step 4 to end at once
    // after the promote, whose own write leaves no time in managedFields)
    expect(Number(/no progress for (\d+) s/.exec(stall!.err)?.[1])).toBeGreaterThanOrEqual(10);
    expect(stall!.seconds).toBeLessThan(30);

    // reads while the controller was stopped show the promoted-but-unmoved state, which the observer saw too
    expect(samples.length).toBeGreaterThanOrEqual(10);
    expect(unmatchedSamples(samples, trace.ticks, start)).toEqual([]);
    const promotedAt = start + trace.ticks[indexWhere(trace.ticks, promoted)].t * 1000;
    const lastPromote = start + trace.actions.filter((a) => a.action.startsWith('promote at step 9'))[0].t * 1000;
    const errors = completionErrors(samples.filter((s) => s.startMs > lastPromote), promotedAt);
    const summary = summarize(errors);
    report('manual', { promotedAt: new Date(promotedAt).toISOString(), ...summary, errors, stallSeconds: stall!.seconds });
    console.info(`status manual: completion forecast error after the last promote ${JSON.stringify(summary)}; stall reported after ${stall!.seconds} s`);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(summary.maxAbs).toBeLessThanOrEqual(TOLERANCE_SECONDS);

    // another update: --until completed times out at the first indefinite pause (exit 4), then an abort ends a wait for healthy (exit 3)
    await updateImage(kube, fx, 'my-image:3');
    const timedOut = await runStatus([target, '--kubeconfig', kc, '--until', 'completed', '--timeout', '20s', '--interval', '1']);
    expect(timedOut.err).toBe('cdk8s-canary: timed out after 20 s waiting for completed (now Paused)\n');
    expect(timedOut.code).toBe(4);
    const waiting = runStatus([target, '--kubeconfig', kc, '--until', 'healthy', '--timeout', '2m', '--interval', '1']);
    await new Promise((r) => setTimeout(r, 3_000));
    await operate(kube, fx, 'abort');
    const aborted = await waiting;
    expect(aborted.err).toMatch(new RegExp(`^cdk8s-canary: ${target}: aborted`));
    expect(aborted.code).toBe(3);
  });
});

/**
 * Stops the controller process (SIGSTOP), promotes, and runs `status --until completed --grace 10`
 * until it reports the stall; then lets the controller go on (SIGCONT).
 */
async function stalledPromote(fx: Parameters<typeof operate>[1], target: string, kc: string) {
  const pid = Number(readFileSync(join(process.env.E2E_RUN_DIR ?? '/tmp/cdk8s-canary-e2e/run', 'pids', 'rollouts-controller.pid'), 'utf8').trim());
  process.kill(pid, 'SIGSTOP');
  try {
    await operate(kube, fx, 'promote');
    const from = Date.now();
    const waited = await runStatus([target, '--kubeconfig', kc, '--until', 'completed', '--grace', '10', '--interval', '1', '--timeout', '2m']);
    const seconds = (Date.now() - from) / 1000;
    const once = await runStatus([target, '--kubeconfig', kc, '--format', 'json', '--grace', '10']);
    return { code: waited.code, err: waited.err, seconds, json: JSON.parse(once.out) };
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}
