import { describe, expect, test } from 'vitest';
import { ARGO_KEYS } from '../../src/model/argo-defaults';
import { at, run, selectorRevision, vsWeights } from './sim-helpers';

/**
 * The upstream Istio e2e scenarios (field-notes.md §3, test/e2e/istio_test.go and the header/mirror
 * route tests), replayed by `simulate` with the checkpoints the e2e tests assert. Pods are ready
 * 2 s after creation; "Healthy", "Paused" and "Promote" are the e2e WaitForRolloutStatus points.
 */

const HOST_SPLIT_SCENARIO = { podReadySeconds: 2, events: [{ at: 10, update: {} }, { at: 20, promote: {} }] };

describe('#1 TestIstioHostSplit (http + tls routes)', () => {
  const s = run('e2e/istio-host-http-tls-split.yaml', HOST_SPLIT_SCENARIO);
  const stable = 'istio-host-split-stable';
  const canary = 'istio-host-split-canary';

  test('Healthy: http[0] and tls[0] 100/0, both selectors on revision 1', () => {
    const { cluster, tick } = at(s, 9);
    expect(tick.phase).toBe('Healthy');
    expect(vsWeights(cluster, 0, 'http')).toEqual({ [stable]: 100, [canary]: 0 });
    expect(vsWeights(cluster, 0, 'tls')).toEqual({ [stable]: 100, [canary]: 0 });
    expect([selectorRevision(cluster, stable), selectorRevision(cluster, canary)]).toEqual([1, 1]);
  });

  test('update -> Paused: 90/10 on http and tls; canary selector rev 2, stable rev 1', () => {
    const { cluster, tick } = at(s, 19);
    expect(tick.phase).toBe('Paused');
    expect(vsWeights(cluster, 0, 'http')).toEqual({ [stable]: 90, [canary]: 10 });
    expect(vsWeights(cluster, 0, 'tls')).toEqual({ [stable]: 90, [canary]: 10 });
    expect(tick.services).toEqual({ stable: 1, canary: 2 });
  });

  test('promote -> Healthy: 100/0, both selectors rev 2, rev 1 keeps its pod inside scaleDownDelay', () => {
    const { cluster, tick } = at(s, 21);
    expect(tick.phase).toBe('Healthy');
    expect(vsWeights(cluster, 0, 'http')).toEqual({ [stable]: 100, [canary]: 0 });
    expect(vsWeights(cluster, 0, 'tls')).toEqual({ [stable]: 100, [canary]: 0 });
    expect(tick.services).toEqual({ stable: 2, canary: 2 });
    expect(tick.replicaSets[0]).toEqual({ revision: 1, role: 'old', replicas: 1, available: 1 });
    expect(at(s, 50).tick.replicaSets[0].replicas).toBe(0);
  });
});

describe('#2 TestIstioHostSplitOnlyTls (the VS has only a tls route)', () => {
  const s = run('e2e/istio-host-only-tls-split.yaml', HOST_SPLIT_SCENARIO);
  const stable = 'istio-host-split-stable';
  const canary = 'istio-host-split-canary';

  test.each([
    ['Healthy', 9, 100, 0, { stable: 1, canary: 1 }],
    ['Paused', 19, 90, 10, { stable: 1, canary: 2 }],
    ['Healthy', 21, 100, 0, { stable: 2, canary: 2 }],
  ])('%s at t=%i: tls[0] %i/%i', (phase, t, stableWeight, canaryWeight, services) => {
    const { cluster, tick } = at(s, t);
    expect(tick.phase).toBe(phase);
    expect(cluster.virtualServices[0].object.spec.http).toBeUndefined();
    expect(vsWeights(cluster, 0, 'tls')).toEqual({ [stable]: stableWeight, [canary]: canaryWeight });
    expect(tick.services).toEqual(services);
  });

  test('rev 1 keeps 1 pod after the promotion', () => {
    expect(at(s, 21).tick.replicaSets[0]).toEqual({ revision: 1, role: 'old', replicas: 1, available: 1 });
  });
});

describe.each([
  ['#3 TestIstioSubsetSplit (named route)', 'e2e/istio-subset-split.yaml'],
  ['#4 TestIstioSubsetSplitSingleRoute (one unnamed route, routes inferred)', 'e2e/istio-subset-split-single-route.yaml'],
])('%s', (_name, file) => {
  const s = run(file, HOST_SPLIT_SCENARIO);
  const subsetRevision = (t: number, name: string): number | undefined => {
    const { cluster } = at(s, t);
    const hash = cluster.destinationRule?.spec.subsets?.find((x) => x.name === name)?.labels?.[ARGO_KEYS.podTemplateHashLabel];
    return cluster.replicaSets.find((rs) => rs.podTemplateHash === hash)?.revision;
  };

  test('Healthy: 100/0, subsets[0] (stable) and [1] (canary) labelled with rev 1', () => {
    expect(at(s, 9).tick.phase).toBe('Healthy');
    expect(vsWeights(at(s, 9).cluster)).toEqual({ stable: 100, canary: 0 });
    expect(at(s, 9).cluster.destinationRule?.spec.subsets?.map((x) => x.name)).toEqual(['stable', 'canary']);
    expect([subsetRevision(9, 'stable'), subsetRevision(9, 'canary')]).toEqual([1, 1]);
  });

  test('Paused: 90/10, stable subset rev 1, canary subset rev 2', () => {
    expect(at(s, 19).tick.phase).toBe('Paused');
    expect(vsWeights(at(s, 19).cluster)).toEqual({ stable: 90, canary: 10 });
    expect([subsetRevision(19, 'stable'), subsetRevision(19, 'canary')]).toEqual([1, 2]);
  });

  test('promoted: 100/0, both subsets rev 2, rev 1 keeps 1 pod; the DR is marked managed', () => {
    const { cluster, tick } = at(s, 21);
    expect(tick.phase).toBe('Healthy');
    expect(vsWeights(cluster)).toEqual({ stable: 100, canary: 0 });
    expect([subsetRevision(21, 'stable'), subsetRevision(21, 'canary')]).toEqual([2, 2]);
    expect(tick.replicaSets[0]).toEqual({ revision: 1, role: 'old', replicas: 1, available: 1 });
    expect(cluster.destinationRule?.metadata?.annotations?.[ARGO_KEYS.managedByAnnotation]).toBe('istio-subset-split');
  });
});

describe('#6 TestIstioUpdateInMiddleZeroCanaryReplicas (replicas 2; setWeight 0, setCanaryScale 1, pause)', () => {
  const s = run('e2e/istio-host-split-update-in-middle.yaml', {
    podReadySeconds: 2,
    events: [
      { at: 10, update: {} },
      { at: 20, update: {} },
    ],
  });

  test('update -> Paused with revision 2 at 1 pod and weight 0', () => {
    expect(at(s, 19).tick).toMatchObject({
      phase: 'Paused',
      stepIndex: 2,
      weights: { canary: 0, stable: 100 },
      replicaSets: [
        { revision: 1, role: 'stable', replicas: 2, available: 2 },
        { revision: 2, role: 'canary', replicas: 1, available: 1 },
      ],
    });
  });

  test('second update mid-rollout: revision 3 reaches 1 pod and Paused, the superseded canary is gone, weight stays 0', () => {
    expect(at(s, 30).tick).toMatchObject({
      phase: 'Paused',
      stepIndex: 2,
      weights: { canary: 0, stable: 100 },
      services: { stable: 1, canary: 3 },
      replicaSets: [
        { revision: 1, role: 'stable', replicas: 2, available: 2 },
        { revision: 2, role: 'old', replicas: 0, available: 0 },
        { revision: 3, role: 'canary', replicas: 1, available: 1 },
      ],
    });
    expect(s.every((x) => x.tick.weights.canary === 0)).toBe(true);
  });
});

describe('#10 TestIstioPingPongUpdate (pingPong ping/pong, setWeight 25, pause 5s)', () => {
  const s = run('e2e/istio-host-split-ping-pong.yaml', {
    podReadySeconds: 2,
    events: [
      { at: 10, update: {} },
      { at: 14, promote: {} },
      { at: 30, update: {} },
      { at: 34, promote: {} },
    ],
  });
  const pingPong = (t: number): [number, number] => {
    const w = vsWeights(at(s, t).cluster);
    return [w.ping, w.pong];
  };

  test('Healthy: ping 100 / pong 0', () => {
    expect(at(s, 9).tick.phase).toBe('Healthy');
    expect(pingPong(9)).toEqual([100, 0]);
  });
  test('update 1 at step 1: ping 75 / pong 25', () => {
    expect(at(s, 12).tick.stepIndex).toBe(1);
    expect(pingPong(12)).toEqual([75, 25]);
  });
  test('promote -> Healthy: ping 0 / pong 100 (pong is now stable, no selector swap)', () => {
    expect(at(s, 14).tick.phase).toBe('Healthy');
    expect(pingPong(14)).toEqual([0, 100]);
    expect(at(s, 14).cluster.rollout.status.canary?.stablePingPong).toBe('pong');
    expect(selectorRevision(at(s, 14).cluster, 'pong')).toBe(2);
  });
  test('update 2: ping 25 / pong 75, then promote: ping 100 / pong 0', () => {
    expect(pingPong(32)).toEqual([25, 75]);
    expect(selectorRevision(at(s, 32).cluster, 'ping')).toBe(3);
    expect(at(s, 34).tick.phase).toBe('Healthy');
    expect(pingPong(34)).toEqual([100, 0]);
  });
});

describe('#12 TestIstioHostHeaderRoute (managedRoutes set-header-1)', () => {
  const s = run('e2e/istio-hr-host.yaml', {
    podReadySeconds: 2,
    events: [
      { at: 10, update: {} },
      { at: 20, promote: {} },
      { at: 30, promote: {} },
      { at: 40, promoteFull: {} },
    ],
  });
  const http = (t: number) => at(s, t).cluster.virtualServices[0].object.spec.http ?? [];

  test('Healthy: http[0] is the primary route', () => {
    expect(at(s, 9).tick.phase).toBe('Healthy');
    expect(http(9).map((r) => r.name)).toEqual(['primary']);
  });
  test('Paused: http[0] is set-header-1 sending 100 to the canary; http[1] primary 80/20', () => {
    expect(at(s, 19).tick.phase).toBe('Paused');
    const [header, primary] = http(19);
    expect(header).toMatchObject({
      name: 'set-header-1',
      match: [{ headers: { agent: { regex: 'firefox(.*)' } } }],
      route: [{ destination: { host: 'canary-service', port: { number: 80 } }, weight: 100 }],
    });
    expect(primary.name).toBe('primary');
    expect(vsWeights(at(s, 19).cluster, 1)).toEqual({ 'stable-service': 80, 'canary-service': 20 });
  });
  test('after the second promote: the header route is removed, primary 60/40', () => {
    expect(at(s, 30).tick.phase).toBe('Paused');
    expect(http(30).map((r) => r.name)).toEqual(['primary']);
    expect(vsWeights(at(s, 30).cluster)).toEqual({ 'stable-service': 60, 'canary-service': 40 });
  });
  test('promote --full -> Healthy: 100/0', () => {
    expect(at(s, 40).tick.phase).toBe('Healthy');
    expect(vsWeights(at(s, 40).cluster)).toEqual({ 'stable-service': 100, 'canary-service': 0 });
  });
});

describe('#13 TestIstioHostMirrorRoute (managedRoutes mirror-route-1, mirror-route-2)', () => {
  const s = run('e2e/istio-mirror-host.yaml', {
    podReadySeconds: 2,
    events: [
      { at: 10, update: {} },
      { at: 20, promote: {} },
      { at: 30, promote: {} },
      { at: 40, promoteFull: {} },
    ],
  });
  const http = (t: number) => at(s, t).cluster.virtualServices[0].object.spec.http ?? [];

  test('Paused: mirror-route-1 (100 %) then mirror-route-2 (80 %), all three routes 80/20', () => {
    expect(at(s, 19).tick.phase).toBe('Paused');
    const routes = http(19);
    expect(routes.map((r) => [r.name, (r.mirrorPercentage as { value?: number } | undefined)?.value])).toEqual([
      ['mirror-route-1', 100],
      ['mirror-route-2', 80],
      ['primary', undefined],
    ]);
    expect(routes[1].match).toEqual([{ method: { exact: 'GET' }, uri: { prefix: '/' } }]);
    expect(routes[0].mirror).toEqual({ host: 'canary-service', port: { number: 80 } });
    for (const i of [0, 1, 2]) {
      expect(vsWeights(at(s, 19).cluster, i)).toEqual({ 'stable-service': 80, 'canary-service': 20 });
    }
  });
  test('after two promotes: mirror-route-2 then primary, both 60/40', () => {
    expect(http(30).map((r) => r.name)).toEqual(['mirror-route-2', 'primary']);
    expect(vsWeights(at(s, 30).cluster, 0)).toEqual({ 'stable-service': 60, 'canary-service': 40 });
    expect(vsWeights(at(s, 30).cluster, 1)).toEqual({ 'stable-service': 60, 'canary-service': 40 });
  });
  test('promote --full -> Healthy: exactly one http route, 100/0', () => {
    expect(at(s, 40).tick.phase).toBe('Healthy');
    expect(http(40)).toHaveLength(1);
    expect(vsWeights(at(s, 40).cluster)).toEqual({ 'stable-service': 100, 'canary-service': 0 });
  });
});
