import { Chart, Testing } from 'cdk8s';
import { afterAll, describe, expect, it } from 'vitest';
import { CanaryApp, CanaryStep, StepProfile, type CanaryAppProps } from '../../src/constructs';
import { myAppProps } from '../../src/main';
import type { RouteSummary } from '../../src/runtime/route-summary';
import { expectSameAsSimulate } from './support/compare-with-simulate';
import { KubeClient, runNamespace, type KubeObject } from './support/kube-client';
import type { ManifestSet } from './support/manifests';
import type { ObservedState, TraceTick } from './support/rollout-observer';
import { indexWhere, operate, record, setUpCanary, updateImage } from './support/scenario';

// Header and mirror routes (CanaryStep.setHeaderRoute / setMirrorRoute) on the real Argo Rollouts
// v1.9.1 controller: the VirtualService http routes it adds, replaces and removes at each step
// (names, matches, order relative to the weighted route, mirror percentage, destinations), recorded
// from a watch and compared state by state with `simulate` on the same manifests.
const kube = KubeClient.fromKubeconfig();
afterAll(() => kube.close());
const N = 2;

function appSet(name: string, steps: CanaryStep[]): ManifestSet {
  const chart = new Chart(Testing.app(), name);
  const props: CanaryAppProps = { ...myAppProps(StepProfile.automatic()), name, autoscaling: undefined, replicas: N, steps, lint: false };
  new CanaryApp(chart, 'App', props);
  return { name, dir: `(CanaryApp ${name} synthesized in ${__filename})`, objects: Testing.synth(chart) as KubeObject[] };
}

const rev = (s: ObservedState, r: number) => s.replicaSets.find((x) => x.revision === r);
const names = (s: ObservedState) => (s.routes ?? []).map((r) => r.name);
const at = (ticks: readonly TraceTick[], pred: (s: TraceTick) => boolean, what: string): TraceTick => {
  const i = indexWhere(ticks, pred);
  expect(i, `no state where ${what}`).toBeGreaterThanOrEqual(0);
  return ticks[i];
};
const weighted = (canary: number): RouteSummary => ({ name: 'primary', destinations: [`stable:80 ${100 - canary}`, `canary:80 ${canary}`] });

describe('header and mirror routes', () => {
  const steps = [
    CanaryStep.setWeight(20),
    CanaryStep.setHeaderRoute({ name: 'testers', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }, { headerName: 'user-agent', headerValue: { regex: '.*Firefox.*' } }] }),
    CanaryStep.setMirrorRoute({ name: 'shadow', match: [{ method: { exact: 'GET' }, path: { prefix: '/' } }], percentage: 50 }),
    CanaryStep.pauseIndefinitely(),
    CanaryStep.setHeaderRoute({ name: 'testers', match: [{ headerName: 'x-canary', headerValue: { prefix: 'beta' } }] }),
    CanaryStep.setWeight(40),
    CanaryStep.removeHeaderRoute('testers'),
    CanaryStep.pauseIndefinitely(),
    CanaryStep.removeMirrorRoute('shadow'),
    CanaryStep.setWeight(100),
  ];
  const set = appSet('routes', steps);

  it('adds, replaces and removes the managed routes at each step, managed routes first in managedRoutes order, as simulate predicts', async () => {
    const rollout = set.objects.find((o) => o.kind === 'Rollout') as any;
    expect(rollout.spec.strategy.canary.trafficRouting.managedRoutes).toEqual([{ name: 'testers' }, { name: 'shadow' }]);
    const fx = await setUpCanary(kube, set, runNamespace('routes'), N);
    const start = Date.now();
    await updateImage(kube, fx, 'my-image:2');
    const promoted = new Set<number>();
    const info = { name: 'header-mirror-routes', scenario: { replicas: N, events: [{ at: 0, update: { image: 'my-image:2' } }, { whenPausedAtSteps: [3, 7], promote: {} }] } };
    const done = (s: ObservedState) => s.phase === 'Healthy' && rev(s, 2)?.role === 'stable' && rev(s, 1)?.replicas === 0;
    const trace = await record(fx, info, start, done, async (s) => {
      if (!s.paused || s.stepIndex === null || ![3, 7].includes(s.stepIndex) || promoted.has(s.stepIndex)) return undefined;
      promoted.add(s.stepIndex);
      // held at the indefinite pause: the routes stay as they are until the promote (3 s later, which
      // also keeps the promote clear of the reconcile that paused, e2e/findings.md 7)
      await new Promise((r) => setTimeout(r, 3_000));
      expect(fx.observer.current()).toMatchObject({ stepIndex: s.stepIndex, paused: true, routes: s.routes });
      await operate(kube, fx, 'promote');
      return `promote at step ${s.stepIndex}`;
    });
    const ticks = trace.ticks;
    // revision 1 (no route step ran): the weighted route alone
    expect(ticks[0].routes).toEqual([weighted(0)]);
    // paused at step 3: the header route (canary 100 %, one match per header condition) and the
    // mirror route (a copy of the weighted route's destinations, mirroring 50 % to the canary)
    // come first, in managedRoutes order, then the weighted route
    expect(at(ticks, (s) => s.paused && s.stepIndex === 3, 'paused at step 3').routes).toEqual([
      { name: 'testers', kind: 'header', match: ['x-canary=exact:yes', 'user-agent=regex:.*Firefox.*'], destinations: ['canary:80 100'] },
      { name: 'shadow', kind: 'mirror', match: ['method=exact:GET uri=prefix:/'], destinations: ['stable:80 80', 'canary:80 20'], mirror: 'canary:80 50%' },
      weighted(20),
    ]);
    // step 4 replaced the header route's match in place (still first)
    expect(at(ticks, (s) => s.routes?.[0]?.match?.[0] === 'x-canary=prefix:beta', 'the replaced header match').routes?.[0]).toEqual({
      name: 'testers',
      kind: 'header',
      match: ['x-canary=prefix:beta'],
      destinations: ['canary:80 100'],
    });
    // paused at step 7: the header route removed; the mirror route follows the new weights
    expect(at(ticks, (s) => s.paused && s.stepIndex === 7, 'paused at step 7').routes).toEqual([
      { name: 'shadow', kind: 'mirror', match: ['method=exact:GET uri=prefix:/'], destinations: ['stable:80 60', 'canary:80 40'], mirror: 'canary:80 50%' },
      weighted(40),
    ]);
    // step 8 removed the mirror route before the last weight; promotion leaves the weighted route alone
    const afterMirror = at(ticks, (s) => (s.stepIndex ?? 0) >= 9 && !names(s).includes('shadow'), 'the mirror route removed');
    expect(names(afterMirror)).toEqual(['primary']);
    expect(ticks.at(-1)?.routes).toEqual([weighted(0)]);
    expect(promoted).toEqual(new Set([3, 7]));
    expectSameAsSimulate(set, trace);
  });
});

describe('a header route set before any canary pod is available', () => {
  const set = appSet('early-header', [
    CanaryStep.setHeaderRoute({ name: 'testers', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] }),
    CanaryStep.setWeight(20),
    CanaryStep.pauseIndefinitely(),
    CanaryStep.setWeight(100),
  ]);

  it('is removed again while the canary has no available pod (RemoveManagedRoutes), as simulate predicts', async () => {
    const fx = await setUpCanary(kube, set, runNamespace('early-header'), N);
    const start = Date.now();
    await updateImage(kube, fx, 'my-image:2');
    const info = { name: 'early-header-route', scenario: { replicas: N, events: [{ at: 0, update: { image: 'my-image:2' } }] } };
    const trace = await record(fx, info, start, (s) => s.paused && s.stepIndex === 2 && rev(s, 2)?.available === N);
    const last = trace.ticks.at(-1)!;
    expect(last.routes).toEqual([weighted(20)]);
    expectSameAsSimulate(set, trace);
  });
});
