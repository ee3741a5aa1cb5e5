import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, Testing } from 'cdk8s';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { CanaryMetric } from '../../src/constructs/analysis';
import { buildExampleApp } from '../../src/main';
import { readManifests } from '../../src/model/manifests';
import { parseScenario } from '../../src/runtime/scenario';
import { simulate, type SimulationTick } from '../../src/runtime/simulate';
import { type Manifest, one } from '../support/manifests';
import { resolveArgs } from './promql-check';

/** The analysis page of the docs (it was the README's analysis section). */
function analysisSection(): string {
  return fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'analysis.md'), 'utf8');
}

/** The example app's gated chart. */
function gated(): Manifest[] {
  const app = Testing.app();
  buildExampleApp(app);
  return app.charts.find((c) => c.node.id === 'my-app-gated')!.toJson() as Manifest[];
}

const ARGS = { 'canary-service': 'my-app-canary-svc', namespace: 'gated-demo' };

test('docs/analysis.md shows the PromQL the example app renders (and the latency metric), with arguments substituted', () => {
  // GIVEN the page's promql block, without its comment lines
  const block = /```promql\n([\s\S]*?)```/.exec(analysisSection())?.[1];
  expect(block).toBeDefined();
  const shown = block!
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n')
    .split(/\n\n+/)
    .map((q) => q.trim());

  // WHEN
  const template = one(gated(), 'AnalysisTemplate');
  const rendered = [
    ...template.spec.metrics.map((m: Manifest) => m.provider.prometheus.query as string),
    CanaryMetric.istioLatency({ maxLatency: Duration.millis(500) }).query,
  ].map((q) => resolveArgs(q, ARGS));

  // THEN
  expect(shown).toEqual(rendered);
});

test('docs/analysis.md shows the example\'s Rollout analysis fields and metric settings', () => {
  const section = analysisSection();
  const objects = gated();
  const analysis = one(objects, 'Rollout').spec.strategy.canary.analysis;
  expect(section).toContain(`templates: [{ templateName: ${analysis.templates[0].templateName} }]`);
  expect(section).toContain(`startingStep: ${analysis.startingStep}`);
  const [metric] = one(objects, 'AnalysisTemplate').spec.metrics;
  for (const line of [`name: ${metric.name}`, `interval: ${metric.interval}`, `failureLimit: ${metric.failureLimit}`, `inconclusiveLimit: ${metric.inconclusiveLimit}`,
    `successCondition: ${metric.successCondition}`, `failureCondition: ${metric.failureCondition}`]) {
    expect(section).toContain(line);
  }
});

test('the failing-gate scenario of docs/analysis.md does what the page says', () => {
  const yaml = /## Simulating a failing gate[\s\S]*?```yaml\n([\s\S]*?)```/.exec(analysisSection())?.[1];
  expect(yaml).toBeDefined();
  const { ticks } = simulate(readManifests(gated()), parseScenario(parse(yaml!)));
  const canary = (t: SimulationTick) => t.replicaSets.find((rs) => rs.revision === 2)!;
  expect(ticks.find((t) => t.stepIndex === 5)!.t).toBe(45);
  const abort = ticks.find((t) => t.aborted)!;
  expect(abort).toMatchObject({ t: 45, phase: 'Degraded' });
  // the abort tick still shows the old weights (traffic routing runs before analysis in a tick); the next tick, same instant, switches
  expect(ticks.find((t) => t.aborted && t.weights.canary === 0)).toMatchObject({ t: 45, weights: { canary: 0, stable: 100 }, services: { stable: 1, canary: 1 } });
  expect(abort.message).toBe('RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: Metric "error-rate" assessed Failed due to failed (2) > failureLimit (1)');
  expect(ticks.filter((t) => t.aborted && t.t < 75).every((t) => canary(t).replicas === 4)).toBe(true);
  expect(ticks.filter((t) => t.t >= 75).every((t) => canary(t).replicas === 0)).toBe(true);
  expect(ticks[ticks.length - 1]).toMatchObject({ stepIndex: 0, phase: 'Degraded' });
});
