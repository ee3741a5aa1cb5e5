import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DYNAMIC_SCENARIO, dynamicStableScaleSet } from '../e2e/support/dynamic-stable-scale';
import { loadManifestSet, REPO_ROOT } from '../e2e/support/manifests';
import { stepGateSet } from '../e2e/support/analysis-apps';
import { type ComparableTick, compareTraces, describe as key, KNOWN_DIFFERENCES, simulateRecorded } from '../e2e/support/trace-vs-simulate';

/**
 * The comparison of a real-controller trace with `simulate` (test/e2e/support/trace-vs-simulate.ts),
 * on traces made here from the simulated one of the e2e dynamicStableScale scenario: the
 * differences the real controller shows (write-by-write states, an available count lagging a
 * scale-down) must be accepted, real differences reported once each, and the comparison must pick
 * up again after a state it cannot place.
 */
const manual = loadManifestSet(join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'article-manual'));
const set = dynamicStableScaleSet(manual);
const sim = simulateRecorded(set.objects, DYNAMIC_SCENARIO).ticks as readonly ComparableTick[];
/** The distinct simulated states, with time. */
const states = sim.filter((s, i) => i === 0 || key(s) !== key(sim[i - 1]));
const LAG = 'available count lagging a scale-down';
const withoutLag = KNOWN_DIFFERENCES.filter((n) => n.name !== LAG);

/** Real-like ticks: each state seen at 0.1 s steps (the observer's resolution). */
function timed(ticks: readonly ComparableTick[]): ComparableTick[] {
  return ticks.map((s, i) => ({ ...s, t: Math.round(i) / 10 }));
}

/**
 * The real controller's lag: where a state lowers a ReplicaSet's replicas, that ReplicaSet's
 * available count keeps its old value through that state and the next one (the controller's
 * next reconcile, e.g. the pause, lands before the ReplicaSet status write), and has caught up
 * from the state after (so the lowered state itself is never seen with its final count).
 */
function withScaleDownLag(ticks: readonly ComparableTick[]): { ticks: ComparableTick[]; lagged: string[]; replaced: string[] } {
  const states = ticks.filter((s, i) => i === 0 || key(s) !== key(ticks[i - 1]));
  const out: ComparableTick[] = [];
  const lagged: string[] = [];
  const replaced: string[] = [];
  const lagging = (s: ComparableTick, revisions: Map<number, number>): ComparableTick => ({
    ...s,
    replicaSets: s.replicaSets.map((r) => (revisions.has(r.revision) && r.replicas < revisions.get(r.revision)! ? { ...r, available: revisions.get(r.revision)! } : r)),
  });
  states.forEach((s, i) => {
    const before = states[i - 1];
    const lowered = new Map<number, number>();
    for (const r of s.replicaSets) {
      const b = before?.replicaSets.find((x) => x.revision === r.revision);
      if (b && b.replicas > r.replicas) lowered.set(r.revision, b.available);
    }
    if (lowered.size === 0) {
      if (!out.length || key(s) !== key(out.at(-1)!) || !lagged.includes(key(out.at(-1)!))) out.push(s);
      return;
    }
    replaced.push(key(s));
    for (const lag of [lagging(s, lowered), ...(states[i + 1] ? [lagging(states[i + 1], lowered)] : [])]) {
      out.push(lag);
      lagged.push(key(lag));
    }
  });
  return { ticks: out, lagged, replaced };
}

const stable = (s: ComparableTick) => s.replicaSets.find((r) => r.role === 'stable')!;

describe('the simulated dynamicStableScale scenario (what the e2e scenario is compared with)', () => {
  it('scales the stable ReplicaSet down as the canary takes traffic: 5 -> 4 at 25 %, -> 2 at 75 %', () => {
    const paused = states.filter((s) => s.paused).map((s) => [s.stepIndex, s.weights.canary, stable(s).replicas, s.replicaSets.find((r) => r.role === 'canary')?.replicas]);
    expect(paused).toEqual([
      [1, 0, 5, 2],
      [4, 25, 4, 2],
      [6, 75, 2, 4],
    ]);
  });
});

describe('compareTraces', () => {
  it('accepts the simulated trace itself', () => {
    const c = compareTraces(timed(sim), sim, KNOWN_DIFFERENCES);
    expect(c.mismatches).toEqual([]);
    expect(c.notReached).toEqual([]);
    expect(c.intermediate).toBe(0);
  });

  it('accepts an available count lagging each scale-down (dynamicStableScale) as a known difference', () => {
    const { ticks, lagged } = withScaleDownLag(sim);
    // the stable ReplicaSet 5 -> 4 and 4 -> 2, the old one at the end, the canary at matchTrafficWeight 0
    expect(lagged.some((k) => / r1:stable:4\/5 /.test(k))).toBe(true);
    expect(lagged.some((k) => / r1:stable:2\/4 /.test(k))).toBe(true);
    expect(lagged.length).toBeGreaterThanOrEqual(3);
    const c = compareTraces(timed(ticks), sim, KNOWN_DIFFERENCES);
    expect(c.mismatches).toEqual([]);
    expect(c.notReached).toEqual([]);
    expect(c.applied).toEqual([{ name: LAG, changed: lagged.length }]);
  });

  it('without that normalization, reports only the lagging states and the states they hid, once each (it resynchronises)', () => {
    const { ticks, lagged, replaced } = withScaleDownLag(sim);
    const c = compareTraces(timed(ticks), sim, withoutLag);
    expect(c.mismatches.length).toBeGreaterThan(0);
    expect(c.mismatches.length).toBeLessThanOrEqual(lagged.length + replaced.length);
    for (const m of c.mismatches) expect([...lagged, ...replaced].some((k) => m.split('\n')[0].includes(`) ${k}:`)), m).toBe(true);
    // the last state (old ReplicaSet at 0/0) was hidden by the lag, with no later state: not reached
    expect(replaced).toContain(key(states.at(-1)!));
    expect(c.notReached).toEqual([key(states.at(-1)!)]);
  });

  it('the shape seen on the real controller: stable still 4/5 when the controller pauses at 25 %, then 4/4', () => {
    const i = states.findIndex((s) => stable(s).replicas === 4);
    expect(states[i + 1].paused).toBe(true);
    const lag = (s: ComparableTick) => ({ ...s, replicaSets: s.replicaSets.map((r) => (r.role === 'stable' ? { ...r, available: 5 } : r)) });
    const real = timed([...states.slice(0, i), lag(states[i]), lag(states[i + 1]), ...states.slice(i + 1)]);
    expect(compareTraces(real, sim, KNOWN_DIFFERENCES).mismatches).toEqual([]);
    // unnormalized: the paused 4/5 state mixes no two consecutive simulated states, and the 4/4
    // state before the pause is never seen; each is reported once, and the comparison goes on
    // matching after them (the 75 % step and the promotion)
    const raw = compareTraces(real, sim, withoutLag);
    expect(raw.mismatches).toEqual([
      expect.stringMatching(/^real state #\d+ .*Paused step=4 .* r1:stable:4\/5 .*paused: neither/),
      expect.stringMatching(/^simulated state #\d+ .*Progressing step=4 w=25\/75 .* r1:stable:4\/4 r2:canary:2\/2: never shown/),
    ]);
  });

  it('reports a wrong state (weight 50 instead of 25 while paused) and the simulated state never shown, and nothing else', () => {
    const i = states.findIndex((s) => s.paused && s.weights.canary === 25);
    const wrong = { ...states[i], weights: { canary: 50, stable: 50 } };
    const real = timed([...states.slice(0, i), wrong, ...states.slice(i + 1)]);
    const c = compareTraces(real, sim, KNOWN_DIFFERENCES);
    expect(c.mismatches).toHaveLength(2);
    expect(c.mismatches[0]).toMatch(/^real state #\d+ .* w=50\/50 .*paused: neither a simulated state nor a mix/);
    expect(c.mismatches[1]).toMatch(/^simulated state #\d+ .* w=25\/75 .*paused: never shown by the real controller$/);
    expect(c.notReached).toEqual([]);
  });

  it('reports one state out of nowhere once; every later state still matches', () => {
    const i = 3;
    const bogus = { ...states[i], weights: { canary: 60, stable: 40 } };
    const real = timed([...states.slice(0, i), bogus, ...states.slice(i)]);
    const c = compareTraces(real, sim, KNOWN_DIFFERENCES);
    expect(c.mismatches).toHaveLength(1);
    expect(c.mismatches[0]).toContain('w=60/40');
    expect(c.notReached).toEqual([]);
  });

  it('reports a simulated state the real trace skipped', () => {
    const i = states.findIndex((s) => s.paused && s.weights.canary === 75);
    const real = timed([...states.slice(0, i), ...states.slice(i + 1)]);
    const c = compareTraces(real, sim, KNOWN_DIFFERENCES);
    expect(c.mismatches).toEqual([expect.stringMatching(/^simulated state #\d+ .* w=75\/25 .*paused: never shown/)]);
  });

  it('accepts one reconcile seen write by write (weight before step index) as intermediate, not as a mismatch', () => {
    const i = states.findIndex((s) => s.weights.canary === 75);
    // the VirtualService is written (75 %) before the Rollout status (step index still the one before)
    const half = { ...states[i], stepIndex: states[i - 1].stepIndex };
    expect(key(half)).not.toBe(key(states[i - 1]));
    const real = timed([...states.slice(0, i), half, ...states.slice(i)]);
    const c = compareTraces(real, sim, KNOWN_DIFFERENCES);
    expect(c.mismatches).toEqual([]);
    expect(c.intermediate).toBe(1);
  });

  it('accepts a mix across the two ticks of one instant (the scale of the second seen before the status write of the first)', () => {
    // paused at step 1 (t=5); the promote at t=6 advances the step, and the next reconcile of the
    // same instant scales the canary to 0 (setCanaryScale matchTrafficWeight at weight 0)
    const i = states.findIndex((s) => s.paused && s.stepIndex === 1);
    expect([states[i + 1].t, states[i + 2].t]).toEqual([states[i].t + 1, states[i].t + 1]);
    const early = { ...states[i], replicaSets: states[i + 2].replicaSets };
    expect(key(early)).toMatch(/^Paused step=1 .* r2:canary:0\/0 paused$/);
    const real = timed([...states.slice(0, i + 1), early, ...states.slice(i + 2)]);
    const c = compareTraces(real, sim, KNOWN_DIFFERENCES);
    expect(c.mismatches).toEqual([]);
    expect(c.intermediate).toBe(1);
  });

  it('still reports a mix across two ticks that are seconds apart, and the state it skipped', () => {
    // the VirtualService at 75 % (t=17) while the canary still has the 2 pods of step 5 (t=12)
    const i = states.findIndex((s) => s.stepIndex === 5 && s.replicaSets.some((r) => r.role === 'canary' && r.replicas === 2));
    expect(states[i + 1].t).toBeLessThan(states[i + 2].t);
    const wrong = { ...states[i], weights: states[i + 2].weights };
    const real = timed([...states.slice(0, i + 1), wrong, ...states.slice(i + 2)]);
    const c = compareTraces(real, sim, KNOWN_DIFFERENCES);
    expect(c.mismatches).toEqual([
      expect.stringMatching(/^real state #\d+ .*step=5 w=75\/25 .* r2:canary:2\/2: neither/),
      expect.stringMatching(/^simulated state #\d+ .*step=5 w=25\/75 .* r2:canary:4\/2: never shown/),
    ]);
  });

  it('reports the end of the recording as not reached, not as a mismatch', () => {
    const real = timed(states.slice(0, -2));
    const c = compareTraces(real, sim, KNOWN_DIFFERENCES);
    expect(c.mismatches).toEqual([]);
    expect(c.notReached).toEqual(states.slice(-2).map(key));
  });
});

describe('compareTraces on a trace recorded on the real v1.9.1 controller', () => {
  // `npm run e2e -- canary-scenarios -t dynamicStableScale` on 2026-12-07: five ticks show a
  // ReplicaSet with more available pods than replicas; the former single-cursor comparison
  // reported 11 mismatches on this trace
  const recorded = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'e2e', 'traces', 'dynamic-stable-scale.json'), 'utf8')) as {
    scenario: typeof DYNAMIC_SCENARIO;
    ticks: ComparableTick[];
  };
  const replayed = simulateRecorded(set.objects, recorded.scenario).ticks as readonly ComparableTick[];

  it('matches simulate once the lagging available counts are capped', () => {
    expect(recorded.ticks.filter((s) => s.replicaSets.some((r) => r.available > r.replicas))).toHaveLength(5);
    const c = compareTraces(recorded.ticks, replayed, KNOWN_DIFFERENCES);
    expect(c.mismatches).toEqual([]);
    expect(c.notReached).toEqual([]);
    expect(c.applied).toContainEqual({ name: LAG, changed: 5 });
  });

  it('without that normalization, reports only states with a lagging count or hidden by one', () => {
    const c = compareTraces(recorded.ticks, replayed, withoutLag);
    expect(c.mismatches.length).toBeGreaterThan(0);
    for (const m of c.mismatches) {
      const first = m.split('\n')[0];
      if (first.startsWith('real state')) expect(first, m).toMatch(/r\d+:\w+:(\d+)\/(?!\1\b)\d+/);
    }
    expect(c.mismatches.filter((m) => m.startsWith('real state')).length).toBeLessThanOrEqual(5);
  });
});

describe('compareTraces on traces recorded on the real v1.9.1 controller under load (two e2e runs beside others)', () => {
  const load = (name: string) =>
    JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'e2e', 'traces', name), 'utf8')) as { scenario: typeof DYNAMIC_SCENARIO; ticks: ComparableTick[] };
  const NEW_RS = 'new ReplicaSet seen before the Rollout status names it';

  it('HPA rescale: the canary scaled to 0 before the status reaches step 2 is a mix across one instant', () => {
    const recorded = load('hpa-rescale.json');
    const replayed = simulateRecorded(manual.objects, recorded.scenario).ticks as readonly ComparableTick[];
    expect(recorded.ticks.map(key)).toContain('Progressing step=1 w=0/100 svc=1/2 r1:stable:2/2 r2:canary:0/0');
    const c = compareTraces(recorded.ticks, replayed, KNOWN_DIFFERENCES);
    expect(c.mismatches).toEqual([]);
    expect(c.notReached).toEqual([]);
  });

  it('abort + retry (start): the new ReplicaSet seen at 2 replicas with role old is the canary the status names next', () => {
    const recorded = load('abort-retry-start.json');
    const replayed = simulateRecorded(manual.objects, recorded.scenario).ticks as readonly ComparableTick[];
    expect(recorded.ticks.map(key)).toContain('Healthy step=14 w=0/100 svc=1/1 r1:stable:2/2 r2:old:2/0');
    const c = compareTraces(recorded.ticks, replayed, KNOWN_DIFFERENCES);
    expect(c.mismatches).toEqual([]);
    expect(c.applied).toContainEqual({ name: NEW_RS, changed: 2 });
    // without that normalization the role-old sightings place nowhere
    const raw = compareTraces(recorded.ticks, replayed, KNOWN_DIFFERENCES.filter((n) => n.name !== NEW_RS));
    expect(raw.mismatches.filter((m) => m.startsWith('real state')).every((m) => / r2:old:/.test(m.split('\n')[0]))).toBe(true);
    expect(raw.mismatches.length).toBeGreaterThan(0);
  });
});

describe('compareTraces after `promote` of an inconclusive analysis step (the e2e no-data scenario)', () => {
  const message = 'Metric "error-rate" assessed Inconclusive due to inconclusive (3) > inconclusiveLimit (2)';
  const scenario = {
    replicas: 2,
    events: [{ at: 0, update: { image: 'my-image:2' } }, { at: 0, analysis: { phase: 'Inconclusive', run: 'step', message } }, { whenPausedAtStep: 1, promote: {} }],
  };
  const stepSim = simulateRecorded(stepGateSet().objects, scenario).ticks as readonly ComparableTick[];
  const distinctStates = stepSim.filter((s, i) => i === 0 || key(s) !== key(stepSim[i - 1]));
  const p = distinctStates.findIndex((s) => s.paused);
  const NAME = 'promote of an inconclusive analysis step seen before the reconcile';
  /** The real order: the CLI's status write (index 2), the controller's status and VirtualService writes, then index 3. */
  const real = (pausedMessage: string) => {
    const paused = { ...distinctStates[p], message: pausedMessage };
    const cli = { ...paused, stepIndex: 2, paused: false };
    const status = { ...cli, phase: 'Progressing', message: 'waiting for all steps to complete' };
    const weight = { ...status, weights: distinctStates[p + 1].weights };
    return timed([...distinctStates.slice(0, p), paused, cli, status, weight, ...distinctStates.slice(p + 1)]);
  };

  it('simulate skips the analysis step in the promote tick: paused at 1, then at 3 with 60 %', () => {
    expect(distinctStates[p]).toMatchObject({ stepIndex: 1, message: 'InconclusiveAnalysisRun', weights: { canary: 20, stable: 80 } });
    expect(distinctStates[p + 1]).toMatchObject({ stepIndex: 3, paused: false, weights: { canary: 60, stable: 40 } });
  });

  it('accepts the CLI\'s index write and the reconcile seen write by write; without the normalization they are 3 mismatches', () => {
    expect(compareTraces(real('InconclusiveAnalysisRun'), stepSim, KNOWN_DIFFERENCES).mismatches).toEqual([]);
    expect(compareTraces(real('InconclusiveAnalysisRun'), stepSim, KNOWN_DIFFERENCES.filter((n) => n.name !== NAME)).mismatches).toHaveLength(3);
  });

  it('leaves the same shape after an ordinary pause alone (the controller moves the index itself there)', () => {
    expect(compareTraces(real('CanaryPauseStep'), stepSim, KNOWN_DIFFERENCES).mismatches).toHaveLength(3);
  });
});
