/**
 * `CanaryRuntime` (issue 15): plan, lint and simulate for Python, Java and Go, as plain structs. Each
 * must give what the TypeScript functions of `cdk8s-canary/runtime` and `/lint` give for the same input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CanaryApp, CanaryRuntime, StepProfile } from '../../src';
import { lintManifests, type LocatedFinding } from '../../src/lint';
import { myAppProps } from '../../src/main';
import { parseScenario, plan, readManifests, simulate } from '../../src/runtime';
import { REPO_ROOT } from '../support/paths';

/** The example's automatic app, rendered as `cdk8s synth` writes it. */
function exampleYaml(): { chart: Chart; yaml: string } {
  const chart = new Chart(new App(), 'my-app');
  new CanaryApp(chart, 'MyApp', myAppProps(StepProfile.automatic()));
  return { chart, yaml: chart.toJson().map((o) => stringify(o)).join('---\n') };
}

const SCENARIO = readFileSync(join(REPO_ROOT, 'examples', 'scenario-abort.yaml'), 'utf8');

describe('CanaryRuntime.plan', () => {
  it('equals plan(readManifests(yaml)), with pause null left out', () => {
    const { yaml, chart } = exampleYaml();
    // The facade's CanaryPlan is the rollout, replicas and rows; the CLI's labelling aids of the
    // runtime plan (minPodsPerReplicaSet, steps) are not part of it.
    const { minPodsPerReplicaSet: _minPods, steps: _steps, ...ts } = plan(readManifests(yaml), { replicas: 10 });
    const expected = { ...ts, rows: ts.rows.map(({ pause, ...row }) => (pause === null ? row : { ...row, pause })) };
    expect(CanaryRuntime.plan(yaml, { replicas: 10 })).toEqual(expected);
    expect(CanaryRuntime.planChart(chart, { replicas: 10 })).toEqual(expected);
    expect(expected.rows.length).toBeGreaterThan(5);
    expect(expected.rows.some((r) => 'pause' in r)).toBe(true);
  });

  it('picks the Rollout named by options.rollout, and says which ones exist when it is missing', () => {
    const { yaml } = exampleYaml();
    expect(CanaryRuntime.plan(yaml, { rollout: 'my-app-rollout' }).rollout).toBe('my-app-rollout');
    expect(() => CanaryRuntime.plan(yaml, { rollout: 'nope' })).toThrow(/nope/);
  });
});

describe('CanaryRuntime.lint', () => {
  const asStruct = ({ objectIndex: _i, object, ...f }: LocatedFinding) => ({ ...f, resource: object });

  it('equals lintManifests (object named resource, no objectIndex), on YAML text and on a chart', () => {
    const text = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'lint', 'all-at-once.yaml'), 'utf8');
    const objects = parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o !== null);
    const expected = lintManifests(objects).map(asStruct);
    expect(expected.map((f) => f.rule)).toContain('all-at-once');
    expect(CanaryRuntime.lint(text)).toEqual(expected);
    const disabled = CanaryRuntime.lint(text, { disable: ['all-at-once'] });
    expect(disabled).toEqual(lintManifests(objects, { disable: ['all-at-once'] }).map(asStruct));
    expect(disabled.map((f) => f.rule)).not.toContain('all-at-once');
    const chart = Testing.chart();
    objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
    expect(CanaryRuntime.lintChart(chart)).toEqual(lintManifests(chart.toJson()).map(asStruct));
    expect(CanaryRuntime.lintChart(chart).map((f) => f.rule)).toContain('all-at-once');
  });
});

describe('CanaryRuntime.simulate', () => {
  it('equals simulate(readManifests(yaml), parseScenario(...)), weights and Service revisions flattened', () => {
    const { yaml } = exampleYaml();
    const ts = simulate(readManifests(yaml), parseScenario(parse(SCENARIO)));
    const run = CanaryRuntime.simulate(yaml, SCENARIO);
    expect(run.rollout).toBe(ts.rollout);
    expect(run.ticks).toHaveLength(ts.ticks.length);
    run.ticks.forEach((tick, i) => {
      const t = ts.ticks[i];
      expect(tick).toEqual({
        t: t.t,
        ...(t.stepIndex === null ? {} : { stepIndex: t.stepIndex }),
        phase: t.phase,
        message: t.message,
        canaryWeight: t.weights.canary,
        stableWeight: t.weights.stable,
        replicaSets: t.replicaSets,
        ...(t.services.stable === null ? {} : { stableServiceRevision: t.services.stable }),
        ...(t.services.canary === null ? {} : { canaryServiceRevision: t.services.canary }),
        paused: t.paused,
        aborted: t.aborted,
      });
    });
    expect(run.ticks.at(-1)?.aborted).toBe(true);
  });

  it('refuses a bad scenario with the runtime message naming the field', () => {
    const { yaml } = exampleYaml();
    expect(() => CanaryRuntime.simulate(yaml, 'replicas: -1\nevents: []\n')).toThrow(/scenario\.replicas \(-1\)/);
  });
});
