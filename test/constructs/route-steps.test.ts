/**
 * Header and mirror route steps: what CanaryApp renders (steps in CRD shape, managedRoutes derived
 * or given) and that the runtime, reading those manifests, builds the routes Argo builds.
 */
import { describe, expect, it } from 'vitest';
import { CanaryApp, CanaryStep, StepProfile, type CanaryAppProps } from '../../src/constructs';
import { myAppProps } from '../../src/main';
import { readManifests, simulate } from '../../src/runtime';
import { one, synth, type Manifest } from '../support/manifests';

const props = (extra: Partial<CanaryAppProps>): CanaryAppProps => ({
  ...myAppProps(StepProfile.automatic()),
  autoscaling: undefined,
  replicas: 2,
  lint: { disable: ['pod-surge', 'all-at-once'] },
  ...extra,
});
const header = CanaryStep.setHeaderRoute({ name: 'testers', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] });
const mirror = CanaryStep.setMirrorRoute({ name: 'shadow', match: [{ path: { prefix: '/api' }, headers: [{ headerName: 'x-env', headerValue: { regex: 'prod.*' } }] }], percentage: 25 });
const canaryOf = (objects: Manifest[]) => one(objects, 'Rollout').spec.strategy.canary;

describe('header and mirror route steps', () => {
  it('render in the CRD shape, with managedRoutes derived from the steps in the order of first use', () => {
    const objects = synth((c) => new CanaryApp(c, 'App', props({ steps: [mirror, header, CanaryStep.pause('10s'), CanaryStep.removeHeaderRoute('testers'), CanaryStep.setWeight(50), CanaryStep.removeMirrorRoute('shadow'), CanaryStep.setWeight(100)] })));
    const canary = canaryOf(objects);
    expect(canary.trafficRouting.managedRoutes).toEqual([{ name: 'shadow' }, { name: 'testers' }]);
    expect(canary.steps).toEqual([
      { setMirrorRoute: { name: 'shadow', match: [{ headers: { 'x-env': { regex: 'prod.*' } }, path: { prefix: '/api' } }], percentage: 25 } },
      { setHeaderRoute: { name: 'testers', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] } },
      { pause: { duration: '10s' } },
      { setHeaderRoute: { name: 'testers' } },
      { setWeight: 50 },
      { setMirrorRoute: { name: 'shadow' } },
      { setWeight: 100 },
    ]);
  });

  it('keeps an explicit managedRoutes order (priority) and renders none without route steps', () => {
    const given = synth((c) => new CanaryApp(c, 'App', props({ managedRoutes: ['testers', 'shadow', 'old-route'], steps: [mirror, header, CanaryStep.removeHeaderRoute('testers'), CanaryStep.removeMirrorRoute('shadow'), CanaryStep.setWeight(100)] })));
    expect(canaryOf(given).trafficRouting.managedRoutes).toEqual([{ name: 'testers' }, { name: 'shadow' }, { name: 'old-route' }]);
    const plain = synth((c) => new CanaryApp(c, 'App', props({ steps: [CanaryStep.setWeight(50), CanaryStep.setWeight(100)] })));
    expect('managedRoutes' in canaryOf(plain).trafficRouting).toBe(false);
  });

  it('the runtime reads the rendered Rollout and builds the header route Argo builds (canary 100 %, managed routes first)', () => {
    const objects = synth((c) => new CanaryApp(c, 'App', props({ steps: [CanaryStep.setCanaryScaleReplicas(2), header, CanaryStep.setWeight(20), CanaryStep.pauseIndefinitely(), CanaryStep.removeHeaderRoute('testers'), CanaryStep.setWeight(100)] })));
    const run = simulate(readManifests(objects as never), { replicas: 2, events: [{ at: 0, update: { image: 'my-image:2' } }] });
    const paused = run.ticks.find((t) => t.paused && t.stepIndex === 3);
    expect(paused?.routes).toEqual([
      { name: 'testers', kind: 'header', match: ['x-canary=exact:yes'], destinations: ['canary:80 100'] },
      { name: 'primary', destinations: ['stable:80 80', 'canary:80 20'] },
    ]);
    const model = readManifests(objects as never);
    const promoted = simulate(model, { replicas: 2, events: [{ at: 0, update: { image: 'my-image:2' } }, { at: (paused?.t ?? 0) + 1, promote: {} }] });
    const removed = promoted.ticks.find((t) => t.stepIndex === 5);
    expect(removed?.routes).toEqual([{ name: 'primary', destinations: ['stable:80 80', 'canary:80 20'] }]);
    expect(promoted.ticks.at(-1)?.routes).toEqual([{ name: 'primary', destinations: ['stable:80 100', 'canary:80 0'] }]);
  });

  it('a header route set while the canary has no available pod is removed again on the next reconcile (rollout/trafficrouting.go RemoveManagedRoutes)', () => {
    const objects = synth((c) => new CanaryApp(c, 'App', props({ steps: [header, CanaryStep.setWeight(20), CanaryStep.pauseIndefinitely(), CanaryStep.setWeight(100)] })));
    const run = simulate(readManifests(objects as never), { replicas: 2, events: [{ at: 0, update: { image: 'my-image:2' } }] });
    expect(run.ticks.some((t) => t.routes?.some((r) => r.name === 'testers'))).toBe(true);
    expect(run.ticks.find((t) => t.paused && t.stepIndex === 2)?.routes?.map((r) => r.name)).toEqual(['primary']);
  });

});
