import { describe, expect, test, vi } from 'vitest';
import type { ClusterState } from '../../src/runtime/cluster-state';
import type { Scenario } from '../../src/runtime/scenario';
import { runSimulation } from '../../src/runtime/simulate';
import { fixture } from './sim-helpers';

/**
 * Ticks share the objects they did not write with earlier ticks (copy on write). This checks that
 * sharing never lets a later tick change an earlier snapshot: every state the controller read or
 * returned is recorded (as JSON) at that moment, and must read the same once the run is over.
 */

const recorded = vi.hoisted(() => new Map<object, string>());

vi.mock('../../src/runtime/reconcile', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/runtime/reconcile')>();
  return {
    ...original,
    reconcile: (state: ClusterState, now: number) => {
      if (!recorded.has(state)) recorded.set(state, JSON.stringify(state));
      const result = original.reconcile(state, now);
      recorded.set(result.state, JSON.stringify(result.state));
      return result;
    },
  };
});

const CASES: readonly [string, string, Scenario][] = [
  ['article, automatic', 'article-automatic.yaml', { replicas: 10, podReadySeconds: 5, events: [{ at: 0, update: { image: 'my-image:2' } }] }],
  [
    'worked example: pause, promote, failing pods, interrupted update, scale',
    'worked-example.yaml',
    {
      podReadySeconds: 5,
      events: [
        { at: 1, update: { image: 'demo:2' } },
        { at: 3, pause: {} },
        { at: 12, promote: {} },
        { at: 20, failPods: { revision: 2, count: 1 } },
        { at: 30, update: { image: 'demo:3' } },
        { at: 45, scale: { replicas: 6 } },
      ],
    },
  ],
  ['worked example: abort, retry', 'worked-example.yaml', { podReadySeconds: 5, events: [{ at: 1, update: { image: 'demo:2' } }, { at: 20, abort: {} }, { at: 40, retry: {} }] }],
  ['DestinationRule subsets', 'e2e/istio-subset-split.yaml', { podReadySeconds: 5, events: [{ at: 1, update: {} }, { at: 30, promoteFull: {} }] }],
  ['ping-pong Services', 'e2e/istio-host-split-ping-pong.yaml', { podReadySeconds: 5, events: [{ at: 1, update: {} }, { at: 30, promoteFull: {} }] }],
  ['basic canary (no traffic routing), restart', 'basic-canary.yaml', { podReadySeconds: 5, events: [{ at: 1, update: {} }, { at: 100, promote: {} }, { at: 200, restart: {} }] }],
];

describe('snapshots stay as they were produced (copy on write across ticks)', () => {
  test.each(CASES)('%s', (_name, file, scenario) => {
    recorded.clear();
    const snapshots = runSimulation(fixture(file), scenario);
    expect(snapshots.length).toBeGreaterThan(5);
    // Writes happened: later ticks differ from the first one, so sharing was exercised.
    expect(JSON.stringify(snapshots[snapshots.length - 1].cluster)).not.toBe(JSON.stringify(snapshots[1].read));
    for (const [i, snapshot] of snapshots.entries()) {
      if (i === 0) continue; // ticks[0] is the start state, not a reconcile
      const read = recorded.get(snapshot.read);
      expect(read, `tick ${i}: the state it read was passed to reconcile`).toBeDefined();
      expect(JSON.stringify(snapshot.read), `tick ${i} read`).toBe(read);
    }
    for (const [state, json] of recorded) expect(JSON.stringify(state)).toBe(json);
  });
});
