import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KubeReadError, readLive, toReadError, type KubeConnector, type RawApi } from '../../src/cli/kube-live';
import type { LiveObjects } from '../../src/runtime/live-objects';
import type { KubeObject } from '../../src/model/manifests';
import { MemoryIo, runCli } from '../support/cli';
import { RecordedCluster } from '../support/recorded-cluster';

// `status` on live states recorded from the real controller (test/fixtures/status, see
// test/runtime/live-status.test.ts), served by a fake cluster; the clock is the fake's too.
const FIXTURES = join(__dirname, '..', 'fixtures', 'status');
interface Recorded {
  readonly at: number;
  readonly objects: LiveObjects;
}
function recorded(name: string, edit?: (o: any) => void): Recorded {
  const r = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Recorded;
  edit?.(r.objects);
  return r;
}

/** An io whose cluster serves `states` one read after another (the last one again and again). */
class FakeClusterIo extends MemoryIo {
  private readonly cluster: RecordedCluster;
  constructor(
    states: readonly Recorded[],
    readonly stdoutIsTty = false,
  ) {
    super();
    this.cluster = new RecordedCluster(states, 'rec2');
    this.clock = this.cluster.clock;
    this.kube = this.cluster.kube;
  }
  readonly clock: RecordedCluster['clock'];
  kube: KubeConnector;
  get reads(): number {
    return this.cluster.reads;
  }
  get sleeps(): number[] {
    return this.cluster.sleeps;
  }
  get asked(): string[] {
    return this.cluster.asked;
  }
}

async function status(io: FakeClusterIo, ...args: string[]) {
  return runCli(['status', ...args], io);
}

describe('status, one read', () => {
  it('prints where the Rollout is, what comes next and no divergence: exit 0', async () => {
    const io = new FakeClusterIo([recorded('manual-indefinite-pause-step4')]);
    const { code, out, err } = await status(io, 'my-app-rollout');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(io.asked).toEqual(['rec2/my-app-rollout']);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^Rollout rec2\/my-app-rollout {2}Paused {3}at \d\d:\d\d:\d\d UTC$/);
    expect(lines).toContain('Now:  step 4 of 14: pause until promoted');
    expect(lines).toContain('  weights: canary 1 / stable 99 (status); my-app-vs route 0: 1 / 99');
    expect(out).toMatch(/ {7}2 {2}\w+ {2}canary {8}2 {6}2 {10}2/);
    expect(lines).toContain(
      '  WAITING: indefinite pause at step 4; someone allowed to patch rollouts/status (the rollouts-writer role) runs: kubectl argo rollouts promote my-app-rollout -n rec2',
    );
    expect(lines).toContain('  completion 15 s after step 9 is promoted');
    expect(lines.at(-2)).toBe('Divergences: none');
  });

  it('--format json: the documented shape, times as RFC 3339', async () => {
    const io = new FakeClusterIo([recorded('automatic-pause15s')]);
    const { code, out } = await status(io, 'rec1/my-app-rollout', '--format', 'json');
    expect(code).toBe(0);
    const doc = JSON.parse(out);
    expect(Object.keys(doc)).toEqual(['rollout', 'at', 'now', 'next', 'divergences']);
    expect(doc.now.step).toEqual({ index: 11, count: 12, label: 'pause 15s' });
    expect(doc.now.revisions.map((r: any) => [r.revision, r.role, r.desired, r.ready, r.available])).toEqual([
      [2, 'canary', 2, 2, 2],
      [1, 'stable', 2, 2, 2],
    ]);
    expect(doc.next.pauseEndsAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(doc.next.completionAt).toBe(doc.next.pauseEndsAt);
    expect(doc.next.steps).toEqual([]);
    expect(doc.divergences).toEqual([]);
  });

  it('a divergence still there 2 s later is reported with its fix: exit 1', async () => {
    const hpaOnDeployment = (o: any) => {
      o.hpas[0].spec.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'my-app-dep' };
    };
    const io = new FakeClusterIo([recorded('manual-completed', hpaOnDeployment)]);
    const { code, out } = await status(io, 'rec2/my-app-rollout');
    expect(code).toBe(1);
    expect(io.sleeps).toEqual([2000]);
    expect(io.reads).toBe(2);
    expect(out).toContain('  hpa-target HorizontalPodAutoscaler/my-app-hpa: scales Deployment/my-app-dep (apps/v1), not Rollout/my-app-rollout');
    expect(out).toContain('    fix: Set spec.scaleTargetRef to {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: my-app-rollout}');
  });

  it('a divergence gone at the second read (the controller between two writes) is not reported', async () => {
    const io = new FakeClusterIo([recorded('automatic-step5-vs-ahead-of-status'), recorded('automatic-pause15s')]);
    const { code, out } = await status(io, 'rec1/my-app-rollout');
    expect(code).toBe(0);
    expect(out).toContain('Divergences: none');
  });
});

describe('status --until', () => {
  it('completed: reads until the update is done, prints the last state, exit 0', async () => {
    const io = new FakeClusterIo(
      ['automatic-step0-pods-ready', 'automatic-step5-vs-ahead-of-status', 'automatic-pause15s', 'manual-promoted-old-rs-scaling-down', 'manual-completed'].map((n) => recorded(n)),
    );
    const { code, out, err } = await status(io, 'my-app-rollout', '--until', 'completed', '--format', 'json');
    expect(err).toBe('cdk8s-canary: rec2/my-app-rollout is completed\n');
    expect(code).toBe(0);
    expect(io.reads).toBe(5);
    expect(JSON.parse(out).now.completed).toBe(true);
  });

  it('an abort ends the wait: exit 3', async () => {
    const aborted = recorded('manual-indefinite-pause-step4', (o) => {
      Object.assign(o.rollout.status, { abort: true, phase: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 2' });
    });
    const io = new FakeClusterIo([recorded('manual-indefinite-pause-step4'), aborted]);
    const { code, err } = await status(io, 'my-app-rollout', '--until', 'healthy');
    expect(code).toBe(3);
    expect(err).toBe('cdk8s-canary: rec2/my-app-rollout: aborted: RolloutAborted: Rollout aborted update to revision 2\n');
  });

  it('a stall ends the wait with its nudge: exit 1', async () => {
    const io = new FakeClusterIo([recorded('manual-promoted-controller-stopped')]);
    const { code, err } = await status(io, 'my-app-rollout', '--until', 'completed', '--interval', '5');
    expect(code).toBe(1);
    expect(err).toMatch(/^cdk8s-canary: rec2\/my-app-rollout: stall Rollout\/my-app-rollout: STALL: no progress for \d+ s; .* \(fix: Nudge the controller: kubectl annotate rollout my-app-rollout -n rec2 /);
    // read every 5 s until 30 s past the model's expectation (the recorded state is a few seconds old)
    expect(io.sleeps.every((ms) => ms === 5000)).toBe(true);
    expect(io.sleeps.length).toBeGreaterThanOrEqual(5);
    expect(io.sleeps.length).toBeLessThanOrEqual(7);
  });

  it('a divergence fails the wait only once it lasted --grace', async () => {
    const selectorOff = recorded('manual-indefinite-pause-step4', (o) => {
      o.services.find((s: any) => s.metadata.name === 'my-app-svc').spec.selector['rollouts-pod-template-hash'] = 'deadbeef';
    });
    const io = new FakeClusterIo([selectorOff]);
    const { code, err } = await status(io, 'my-app-rollout', '--until', 'completed', '--interval', '4', '--grace', '10');
    expect(code).toBe(1);
    expect(io.sleeps).toEqual([4000, 4000, 4000]);
    expect(err).toContain('service-selector Service/my-app-svc: the stable Service selects rollouts-pod-template-hash=deadbeef');
  });

  it('--timeout: exit 4 when the state is not reached in time', async () => {
    const io = new FakeClusterIo([recorded('manual-indefinite-pause-step4')]);
    const { code, err } = await status(io, 'my-app-rollout', '--until', 'completed', '--timeout', '1m', '--interval', '10');
    expect(code).toBe(4);
    expect(io.sleeps.length).toBe(6);
    expect(err).toBe('cdk8s-canary: timed out after 60 s waiting for completed (now Paused)\n');
  });
});

describe('status --watch', () => {
  const states = () => ['automatic-step0-pods-ready', 'automatic-step0-pods-ready', 'automatic-pause15s', 'manual-completed'].map((n) => recorded(n));

  it('not a terminal: one line per change', async () => {
    const io = new FakeClusterIo(states());
    const { code, out } = await status(io, 'my-app-rollout', '--watch', '--until', 'completed');
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d {2}Progressing {2}step 0\/12 {2}weights 0\/100 {2}r2:C 2\/2\/2 r1:S 2\/2\/2 {2}done ~\d\d:\d\d:\d\d$/);
    expect(lines[1]).toMatch(/Paused {2}step 11\/12 {2}weights 100\/0 {2}r2:C 2\/2\/2 r1:S 2\/2\/2 {2}paused/);
    expect(lines[2]).toMatch(/Healthy {2}step 14\/14 {2}weights 0\/100 {2}r2:S 2\/2\/2 r1:O 0\/0\/0$/);
  });

  it('a terminal: the table redrawn in place at every read', async () => {
    const io = new FakeClusterIo(states(), true);
    const { code, out } = await status(io, 'my-app-rollout', '--watch', '--until', 'completed');
    expect(code).toBe(0);
    const frames = out.split('\x1b[H\x1b[2J');
    expect(frames[0]).toBe('');
    expect(frames).toHaveLength(5);
    expect(frames[4]).toMatch(/^Rollout rec2\/my-app-rollout {2}Healthy {2}completed/);
  });

  it('--format json: one JSON document per change', async () => {
    const io = new FakeClusterIo(states());
    const { out } = await status(io, 'my-app-rollout', '--watch', '--until', 'completed', '--format', 'json');
    expect(out.trimEnd().split('\n').map((l) => JSON.parse(l).now.step.index)).toEqual([0, 11, 14]);
  });
});

describe('status errors (one line, exit 2)', () => {
  it('a cluster error from the connector or a read', async () => {
    const io = new FakeClusterIo([recorded('manual-completed')]);
    const failing: KubeConnector = async () => {
      throw new KubeReadError('kubeconfig', 'kubeconfig /nope: ENOENT: no such file or directory');
    };
    io.kube = failing;
    expect(await status(io, 'x')).toEqual({ code: 2, out: '', err: 'cdk8s-canary: kubeconfig /nope: ENOENT: no such file or directory\n' });
  });

  it.each([
    [['a/b/c'], 'cdk8s-canary: rollout ("a/b/c") must be NAME or NAMESPACE/NAME\n'],
    [['x', '--until', 'done'], expect.stringContaining("error: option '--until <state>' argument 'done' is invalid. Allowed choices are healthy, paused, degraded, completed.")],
    [['x', '--until', 'healthy', '--timeout', 'soon'], 'cdk8s-canary: --timeout ("soon") must be whole seconds or a duration such as "90s", "10m" or "1h"\n'],
    [['x', '--interval', '0'], 'cdk8s-canary: --interval ("0") must be a number of seconds >= 0.1\n'],
  ])('%j', async (args, message) => {
    const { code, err } = await status(new FakeClusterIo([recorded('manual-completed')]), ...args);
    expect(code).toBe(2);
    expect(err).toEqual(message);
  });

  const server = 'https://10.0.0.1:6443';
  const apiError = (code: number, body: unknown) => Object.assign(new Error(`HTTP-Code: ${code}`), { code, body: JSON.stringify(body) });
  it.each([
    [
      apiError(403, { message: 'replicasets.apps is forbidden: User "bob" cannot list resource "replicasets" in API group "apps" in the namespace "shop"', reason: 'Forbidden' }),
      'list',
      'replicasets.apps',
      'forbidden',
      'forbidden: cannot list replicasets.apps in namespace shop (replicasets.apps is forbidden: User "bob" cannot list resource "replicasets" in API group "apps" in the namespace "shop"); grant list on replicasets.apps (status reads with the rollouts-reader Role plus the rollouts-status-reader ClusterRole, docs/status.md#rbac)',
    ],
    [apiError(404, { message: 'rollouts.argoproj.io "web" not found', reason: 'NotFound', details: { name: 'web', kind: 'rollouts' } }), 'get', 'rollouts.argoproj.io', 'not-found', 'Rollout web not found in namespace shop'],
    [
      apiError(404, { message: 'the server could not find the requested resource', reason: 'NotFound', details: {} }),
      'get',
      'rollouts.argoproj.io',
      'no-crd',
      `the Argo Rollouts CRDs are not installed at ${server}: rollouts.argoproj.io is not served (the server could not find the requested resource)`,
    ],
    [Object.assign(new Error('request to https://10.0.0.1:6443 failed, reason: connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'get', 'rollouts.argoproj.io', 'unreachable', `no cluster reachable at ${server}: ECONNREFUSED`],
  ] as const)('%s', (err, verb, resource, kind, message) => {
    const e = toReadError(err, verb, resource, 'Rollout web', 'shop', server);
    expect([e.kind, e.message]).toEqual([kind, message]);
  });
});

describe('readLive', () => {
  it('gets the Rollout, then lists or gets only what it names (no write, no watch)', async () => {
    const { objects } = recorded('manual-completed');
    const calls: string[] = [];
    const api: RawApi = {
      get: async (r, ns, name) => {
        calls.push(`get ${r.plural}.${r.group} ${ns}/${name}`);
        if (r.plural === 'rollouts') return objects.rollout;
        if (r.plural === 'deployments') return objects.workload!;
        return objects.virtualServices.find((v) => v.metadata?.name === name)!;
      },
      list: async (r, ns) => {
        calls.push(`list ${r.plural}.${r.group} ${ns}`);
        return [...(({ replicasets: objects.replicaSets, horizontalpodautoscalers: objects.hpas } as Record<string, readonly KubeObject[]>)[r.plural] ?? [])];
      },
      getService: async (ns, name) => {
        calls.push(`get services ${ns}/${name}`);
        return objects.services.find((s) => s.metadata?.name === name)!;
      },
    };
    const live = await readLive(api, server(), 'rec2', 'my-app-rollout');
    expect(calls.sort()).toEqual([
      'get deployments.apps rec2/my-app-dep',
      'get rollouts.argoproj.io rec2/my-app-rollout',
      'get services rec2/my-app-canary-svc',
      'get services rec2/my-app-svc',
      'get virtualservices.networking.istio.io rec2/my-app-vs',
      'list analysisruns.argoproj.io rec2',
      'list horizontalpodautoscalers.autoscaling rec2',
      'list poddisruptionbudgets.policy rec2',
      'list replicasets.apps rec2',
    ]);
    expect(live.replicaSets).toHaveLength(objects.replicaSets.length);
  });
});

function server(): string {
  return 'https://fake:6443';
}
