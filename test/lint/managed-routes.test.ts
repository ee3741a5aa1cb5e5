import { describe, expect, it } from 'vitest';
import { lintManifests } from '../../src/lint/lint-manifests';
import { clone, fixture, objectOf } from './helpers';

type Doc = Record<string, any>;
const R = 'Rollout/my-app-rollout';
const header = (name: string, match = true) => ({ setHeaderRoute: match ? { name, match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] } : { name } });
const mirror = (name: string, percentage?: number, match = true) => ({
  setMirrorRoute: match ? { name, match: [{ path: { prefix: '/' } }], ...(percentage !== undefined ? { percentage } : {}) } : { name },
});

const W = (setWeight: number) => ({ setWeight });
/** clean.yaml's steps after setWeight 10: 20, 30, ... 100 and the settle pause. */
const REST = [20, 30, 40, 50, 60, 70, 80, 90, 100].map(W).concat([{ pause: { duration: '15s' } } as never]);

/** Lints clean.yaml with these steps (followed by REST) and managedRoutes; returns [rule, object, path] triples. */
function lintRoutes(steps: object[], managedRoutes?: string[]): [string, string, string][] {
  const docs = clone(fixture('clean')) as Doc[];
  const canary = objectOf(docs, 'Rollout').spec.strategy.canary;
  canary.steps = [...steps, ...REST];
  if (managedRoutes) canary.trafficRouting.managedRoutes = managedRoutes.map((name) => ({ name }));
  return lintManifests(docs).map((f) => [f.rule, f.object, f.path]);
}

describe('managed-route-not-listed', () => {
  it('flags each step whose route is missing from managedRoutes, naming the step', () => {
    expect(lintRoutes([W(1), header('testers'), mirror('shadow', 10), header('testers', false), mirror('shadow', undefined, false), W(10)], ['shadow'])).toEqual([
      ['managed-route-not-listed', R, 'spec.strategy.canary.steps[1].setHeaderRoute.name'],
      ['managed-route-not-listed', R, 'spec.strategy.canary.steps[3].setHeaderRoute.name'],
    ]);
  });
  it('accepts routes that are all listed', () => {
    expect(lintRoutes([W(1), header('testers'), mirror('shadow', 10), header('testers', false), mirror('shadow', undefined, false), W(10)], ['testers', 'shadow'])).toEqual([]);
  });
});

describe('managed-route-left-in-place', () => {
  it('flags the last setting step of a route never removed (header and mirror)', () => {
    expect(lintRoutes([W(1), header('testers'), mirror('shadow', 10), header('testers'), W(10)], ['testers', 'shadow'])).toEqual([
      ['managed-route-left-in-place', R, 'spec.strategy.canary.steps[3].setHeaderRoute'],
      ['managed-route-left-in-place', R, 'spec.strategy.canary.steps[2].setMirrorRoute'],
    ]);
  });
  it('accepts a route removed later, even if set again before the removal', () => {
    expect(lintRoutes([W(1), header('testers'), header('testers'), W(10), header('testers', false)], ['testers'])).toEqual([]);
  });
});

describe('mirror-without-percentage', () => {
  it('flags a mirror route with matches and no percentage (Argo mirrors 100 %), not a removal or a route with one', () => {
    expect(lintRoutes([W(1), mirror('shadow'), mirror('shadow', 0), mirror('shadow', undefined, false), W(10)], ['shadow'])).toEqual([
      ['mirror-without-percentage', R, 'spec.strategy.canary.steps[1].setMirrorRoute'],
    ]);
  });
});

describe('managed-route-before-canary-pods', () => {
  it('flags a route set before any step gives the canary pods (setWeight 0 does not)', () => {
    expect(lintRoutes([mirror('shadow', 10), W(0), header('testers'), W(1), header('testers', false), mirror('shadow', undefined, false), W(10)], ['testers', 'shadow'])).toEqual([
      ['managed-route-before-canary-pods', R, 'spec.strategy.canary.steps[0].setMirrorRoute'],
      ['managed-route-before-canary-pods', R, 'spec.strategy.canary.steps[2].setHeaderRoute'],
    ]);
  });
  it('accepts a route after setCanaryScale replicas or weight, or after a weight', () => {
    expect(lintRoutes([{ setCanaryScale: { replicas: 1 } }, header('testers'), { setCanaryScale: { matchTrafficWeight: true } }, W(1), header('testers', false), W(10)], ['testers']).filter(([r]) => r === 'managed-route-before-canary-pods')).toEqual([]);
    expect(lintRoutes([{ setCanaryScale: { weight: 10 } }, header('testers'), { setCanaryScale: { matchTrafficWeight: true } }, W(1), header('testers', false), W(10)], ['testers']).filter(([r]) => r === 'managed-route-before-canary-pods')).toEqual([]);
    expect(lintRoutes([W(1), header('testers'), header('testers', false), W(10)], ['testers'])).toEqual([]);
  });
});
