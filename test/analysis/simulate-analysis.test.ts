/**
 * Analysis in the simulator: scenario verdicts end AnalysisRuns, and the Rollout reacts as the
 * Argo Rollouts v1.9.1 controller does (spec §2 h, §7, §11): a failed run aborts, an inconclusive
 * one pauses with reason InconclusiveAnalysisRun.
 */
import { Duration, Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { AnalysisPlacement, CanaryAnalysis, CanaryApp, CanaryMetric, PrometheusSource, StepProfile } from '../../src/constructs';
import { buildExampleApp, myAppProps } from '../../src/main';
import { readManifests, type RolloutModel } from '../../src/model/manifests';
import { parseScenario, ScenarioError, type ScenarioEvent } from '../../src/runtime/scenario';
import { runSimulation, simulate, type SimulationTick } from '../../src/runtime/simulate';
import { synth } from '../support/manifests';

const MIMIR = PrometheusSource.mimir('http://mimir-query-frontend.mimir.svc:8080/prometheus', 'my-team');
const FAILED = 'Metric "error-rate" assessed Failed due to failed (2) > failureLimit (1)';
const UPDATE: ScenarioEvent = { at: 0, update: { image: 'my-image:2' } };
/** 10 replicas; a pod is available 10 s after creation (+ minReadySeconds 5). */
const BASE = { replicas: 10, podReadySeconds: 10 };

/** The example app's my-app-gated Rollout (automatic profile, error-rate gate from step 1). */
function gatedModel(): RolloutModel {
  const app = Testing.app();
  buildExampleApp(app);
  return readManifests(app.charts.find((c) => c.node.id === 'my-app-gated')!.toJson());
}

const canaryRS = (tick: SimulationTick) => tick.replicaSets.find((rs) => rs.revision === 2)!;
const firstAt = (ticks: readonly SimulationTick[], stepIndex: number) => ticks.find((t) => t.stepIndex === stepIndex)!.t;

describe('simulate with analysis', () => {
  test('a failing analysis at step 5 of the automatic profile ends Degraded, weight 0, canary scaled down after abortScaleDownDelaySeconds', () => {
    // GIVEN the gated example and the time the rollout reaches step 5 when nothing fails
    const model = gatedModel();
    expect(model.spec.strategy.canary?.abortScaleDownDelaySeconds).toBe(30);
    const t5 = firstAt(simulate(model, { ...BASE, events: [UPDATE] }).ticks, 5);

    // WHEN the background analysis fails at that moment
    const { ticks } = simulate(model, { ...BASE, events: [UPDATE, { at: t5, analysis: { phase: 'Failed', message: FAILED } }] });

    // THEN the rollout aborts at once
    const abortTick = ticks.find((t) => t.aborted)!;
    expect(abortTick.t).toBe(t5);
    expect(abortTick.phase).toBe('Degraded');
    expect(abortTick.message).toBe(`RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: ${FAILED}`);
    expect(ticks.filter((t) => t.t >= t5).every((t) => (t.stepIndex ?? 0) <= 5)).toBe(true);

    // traffic goes back to stable and the canary Service to the stable pods
    const afterAbort = ticks.filter((t) => t.t >= t5 && t.aborted);
    const weightZero = afterAbort.find((t) => t.weights.canary === 0)!;
    expect(weightZero.t).toBe(t5);
    expect(weightZero.services).toEqual({ stable: 1, canary: 1 });

    // the canary keeps its pods for abortScaleDownDelaySeconds (30 s), then is scaled to 0
    const stillUp = afterAbort.filter((t) => canaryRS(t).replicas > 0);
    const scaledDown = afterAbort.find((t) => canaryRS(t).replicas === 0)!;
    expect(Math.max(...stillUp.map((t) => t.t))).toBe(t5);
    expect(scaledDown.t).toBe(t5 + 30);

    // and it ends Degraded with weight 0. The RolloutAborted condition keeps the message it got on the
    // abort tick (SetRolloutCondition leaves an unchanged status+reason alone), so the run's reason stays.
    const last = ticks[ticks.length - 1]!;
    expect(last).toMatchObject({
      phase: 'Degraded',
      message: 'RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: Metric "error-rate" assessed Failed due to failed (2) > failureLimit (1)',
      aborted: true,
      stepIndex: 0,
      weights: { canary: 0, stable: 100 },
      services: { stable: 1, canary: 1 },
    });
    expect(canaryRS(last)).toMatchObject({ replicas: 0, available: 0 });
    expect(last.replicaSets.find((rs) => rs.revision === 1)).toMatchObject({ role: 'stable', replicas: 10, available: 10 });
  });

  test('without a verdict the background analysis keeps running and the rollout completes Healthy', () => {
    const { ticks } = simulate(gatedModel(), { ...BASE, events: [UPDATE] });
    const last = ticks[ticks.length - 1]!;
    expect(last).toMatchObject({ phase: 'Healthy', aborted: false, weights: { canary: 0, stable: 100 } });
  });

  test('an inconclusive analysis pauses with InconclusiveAnalysisRun and halts scaling; promote starts a new run and the rollout completes', () => {
    const model = gatedModel();
    const t5 = firstAt(simulate(model, { ...BASE, events: [UPDATE] }).ticks, 5);
    const resumeAt = t5 + 300;
    const snapshots = runSimulation(model, {
      ...BASE,
      events: [UPDATE, { at: t5, analysis: { phase: 'Inconclusive' } }, { at: resumeAt, promote: {} }],
    });
    const ticks = snapshots.map((s) => s.tick);

    const paused = ticks.filter((t) => t.t >= t5 && t.t < resumeAt && t.paused);
    expect(paused.length).toBeGreaterThan(0);
    expect(paused[0]!.t).toBe(t5);
    const lastPaused = paused[paused.length - 1]!;
    expect(lastPaused).toMatchObject({ phase: 'Paused', message: 'InconclusiveAnalysisRun', aborted: false, stepIndex: 5 });
    // scaling halts: the canary stays at the size it had when the pause began
    const sizes = new Set(paused.map((t) => canaryRS(t).replicas));
    expect(sizes.size).toBe(1);
    expect(ticks.filter((t) => t.t > t5 && t.t < resumeAt).every((t) => t.stepIndex === 5)).toBe(true);
    // the run that paused it is recorded in the Rollout status
    const pausedState = snapshots.filter((s) => s.tick.t >= t5 && s.tick.t < resumeAt).pop()!.cluster;
    expect(pausedState.rollout.status.canary?.currentBackgroundAnalysisRunStatus?.status).toBe('Inconclusive');

    // promote: a new background run starts and the rollout goes on to Healthy
    const afterResume = snapshots.filter((s) => s.tick.t >= resumeAt);
    const newRun = afterResume.map((s) => s.cluster.analysisRuns?.background).find((r) => r && r.phase === 'Running');
    expect(newRun?.createdAt).toBe(resumeAt);
    expect(ticks[ticks.length - 1]).toMatchObject({ phase: 'Healthy', aborted: false, paused: false });
  });

  test('background analysis starts at startingStep: a verdict due earlier waits for the run', () => {
    const model = gatedModel();
    const t1 = firstAt(simulate(model, { ...BASE, events: [UPDATE] }).ticks, 1);
    expect(t1).toBeGreaterThan(0);
    const { ticks } = simulate(model, { ...BASE, events: [UPDATE, { at: 0, analysis: { phase: 'Failed' } }] });
    const abortTick = ticks.find((t) => t.aborted)!;
    expect(abortTick.t).toBe(t1);
    expect(abortTick.message).toBe('RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: Metric assessed Failed (scenario)');
  });

  test('retry after a failed analysis starts a new run; without another verdict the rollout completes', () => {
    const model = gatedModel();
    const t5 = firstAt(simulate(model, { ...BASE, events: [UPDATE] }).ticks, 5);
    const { ticks } = simulate(model, {
      ...BASE,
      events: [UPDATE, { at: t5, analysis: { phase: 'Failed' } }, { at: t5 + 60, retry: {} }],
    });
    expect(ticks.some((t) => t.aborted)).toBe(true);
    const last = ticks[ticks.length - 1]!;
    expect(last).toMatchObject({ phase: 'Healthy', aborted: false, weights: { canary: 0, stable: 100 } });
  });

  describe('analysis steps', () => {
    function steppedModel(): RolloutModel {
      const objects = synth((chart) => new CanaryApp(chart, 'App', {
        ...myAppProps(StepProfile.automatic()),
        analysis: new CanaryAnalysis({
          source: MIMIR,
          metrics: [CanaryMetric.istioErrorRate({ count: 6 }), CanaryMetric.istioLatency({ maxLatency: Duration.millis(300), count: 6 })],
          placement: AnalysisPlacement.steps({ after: [1] }), // analysis step at index 2, after setWeight 10
        }),
      }));
      return readManifests(objects);
    }

    test('an analysis step without a verdict succeeds and the rollout completes', () => {
      const { ticks } = simulate(steppedModel(), { ...BASE, events: [UPDATE] });
      expect(ticks.some((t) => t.stepIndex === 2)).toBe(true);
      expect(ticks[ticks.length - 1]).toMatchObject({ phase: 'Healthy', stepIndex: 13 });
    });

    test('a failed analysis step aborts at that step', () => {
      const { ticks } = simulate(steppedModel(), { ...BASE, events: [UPDATE, { at: 0, analysis: { phase: 'Failed', run: 'step' } }] });
      const abortTick = ticks.find((t) => t.aborted)!;
      expect(ticks.filter((t) => t.t <= abortTick.t && !t.aborted).pop()!.stepIndex).toBe(2);
      expect(ticks[ticks.length - 1]).toMatchObject({ phase: 'Degraded', weights: { canary: 0, stable: 100 } });
    });

    test('an inconclusive analysis step pauses; promote skips the step', () => {
      const model = steppedModel();
      const { ticks } = simulate(model, { ...BASE, events: [UPDATE, { at: 0, analysis: { phase: 'Inconclusive', run: 'step' } }, { at: 600, promote: {} }] });
      const paused = ticks.filter((t) => t.message === 'InconclusiveAnalysisRun');
      expect(paused.length).toBeGreaterThan(0);
      expect(paused.every((t) => t.stepIndex === 2)).toBe(true);
      // promote on an inconclusive step run sends currentStepIndex: i+1, so step 2 is not run again
      const resumed = ticks.filter((t) => t.t >= 600);
      expect(resumed.length).toBeGreaterThan(0);
      expect(resumed.every((t) => (t.stepIndex ?? 0) >= 3)).toBe(true);
      expect(ticks[ticks.length - 1]).toMatchObject({ phase: 'Healthy' });
    });
  });

  test('scenario: analysis events are checked with the field and the value', () => {
    expect(parseScenario({ events: [{ at: 5, analysis: { phase: 'Failed', message: 'boom', run: 'background' } }] }).events).toEqual([
      { at: 5, analysis: { phase: 'Failed', message: 'boom', run: 'background' } },
    ]);
    expect(() => parseScenario({ events: [{ at: 5, analysis: { phase: 'Fail' } }] })).toThrow(
      new ScenarioError('scenario.events[0].analysis.phase ("Fail") must be one of Successful, Failed, Error, Inconclusive'),
    );
    expect(() => parseScenario({ events: [{ at: 5, analysis: { phase: 'Failed', run: 'all' } }] })).toThrow(
      'scenario.events[0].analysis.run ("all") must be "background" or "step"',
    );
    expect(() => parseScenario({ events: [{ at: 5, analysis: { phase: 'Failed', metric: 'x' } }] })).toThrow(
      'scenario.events[0].analysis.metric is not an analysis field (valid: phase, message, run)',
    );
  });
});
