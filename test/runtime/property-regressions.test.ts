import { describe, expect, test } from 'vitest';
import { readManifests } from '../../src/model/manifests';
import type { Scenario } from '../../src/runtime/scenario';
import { runSimulation, type SimulationSnapshot } from '../../src/runtime/simulate';
import { at } from './sim-helpers';

/**
 * Counterexamples found by the property tests (properties.test.ts), kept as named scenarios with
 * the concrete Rollout and scenario fast-check printed, and targeted asserts on the behaviour
 * that was wrong.
 */

function sim(text: string, scenario: Scenario): SimulationSnapshot[] {
  return runSimulation(readManifests({ text, file: 'regression.yaml' }), scenario);
}

/** Every `promote` the property appends after the last event (withTrailingPromotes: steps + 2). */
function trailingPromotes(lastAt: number, steps: number): Scenario['events'] {
  return Array.from({ length: steps + 2 }, (_, k) => ({ at: lastAt + 100 * (k + 1), promote: {} }));
}

describe('seed 1318684082: a template change writes a future restartAt as done, then `restart` moves restartAt back before it', () => {
  // Basic canary, 3 replicas, maxSurge/maxUnavailable 25 % (1 / 0), six steps. At t=1
  // `restart --in 15` (restartAt 16), then an update: the reset of the template change writes
  // status.restartedAt = 16 (resetRolloutStatus -> SetRestartedAt). At t=2 `restart` sets
  // restartAt = 2, before restartedAt. NeedsRestart is `!RestartAt.Equal(RestartedAt)`, so the
  // pods created before t=2 must be restarted and restartedAt become 2; the runtime used
  // `restartedAt < restartAt`, never restarted, and the phase stayed "rollout is restarting".
  const text = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: prop
spec:
  replicas: 3
  selector:
    matchLabels:
      app: prop
  template:
    metadata:
      labels:
        app: prop
    spec:
      containers:
        - name: app
          image: app:1
  strategy:
    canary:
      maxSurge: 25%
      maxUnavailable: 25%
      steps:
        - pause: {duration: 17}
        - setWeight: 23
        - pause: {}
        - pause: {}
        - pause: {duration: 12}
        - pause: {}
`;
  const s = sim(text, {
    podReadySeconds: 0,
    events: [
      { at: 0, update: {} },
      { at: 1, restart: { in: 15 } },
      { at: 1, update: { image: 'app:1' } },
      { at: 2, restart: {} },
      ...(trailingPromotes(2, 6) ?? []),
    ],
  });

  test('§4.1 the template change at t=1 writes the pending (future) restartAt as restartedAt', () => {
    expect(at(s, 1).cluster.rollout.spec.restartAt).toBe('1970-01-01T00:00:16Z');
    expect(at(s, 1).cluster.rollout.status.restartedAt).toBe('1970-01-01T00:00:16Z');
  });

  test('§12 restartAt moved back to t=2 differs from restartedAt: the 3 stable pods (created before t=2) are evicted, then restartedAt = restartAt', () => {
    const evicted = s.filter((x) => x.tick.t === 2).flatMap((x) => x.actions.filter((a) => a.kind === 'evictPod'));
    expect(evicted.map((a) => (a.kind === 'evictPod' ? a.pod : ''))).toEqual(['prop-769c7dc8cc-1', 'prop-769c7dc8cc-2', 'prop-769c7dc8cc-3']);
    expect(at(s, 2).cluster.rollout.status.restartedAt).toBe('1970-01-01T00:00:02Z');
    expect(at(s, 2).cluster.pods?.every((p) => p.createdAt >= 2)).toBe(true);
  });

  test('§13 the phase is no longer "rollout is restarting" once the restart is done (the steps go on)', () => {
    expect(s.filter((x) => x.tick.t > 2).some((x) => x.tick.message === 'rollout is restarting')).toBe(false);
  });

  test('the property: it ends Healthy with revision 3 stable at 3 replicas and every other ReplicaSet at 0', () => {
    const last = s[s.length - 1].tick;
    expect([last.phase, last.message, last.aborted]).toEqual(['Healthy', '', false]);
    expect(last.replicaSets.map((rs) => [rs.revision, rs.role, rs.replicas])).toEqual([
      [1, 'old', 0],
      [2, 'old', 0],
      [3, 'stable', 3],
    ]);
  });
});
