import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, Testing } from 'cdk8s';
import { expect, test } from 'vitest';
import { CanaryMetric } from '../../src/constructs/analysis';
import { buildExampleApp } from '../../src/main';
import { type Manifest, one } from '../support/manifests';
import { resolveArgs } from './promql-check';

/** The README's analysis section, between its marker and the next section marker. */
function analysisSection(): string {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf('<!-- section: analysis -->');
  const end = readme.indexOf('<!-- section:', start + 1);
  expect(start).toBeGreaterThanOrEqual(0);
  return readme.slice(start, end);
}

/** The example app's gated chart. */
function gated(): Manifest[] {
  const app = Testing.app();
  buildExampleApp(app);
  return app.charts.find((c) => c.node.id === 'my-app-gated')!.toJson() as Manifest[];
}

const ARGS = { 'canary-service': 'my-app-canary-svc', namespace: 'gated-demo' };

test('the README shows the PromQL the example app renders (and the latency metric), with arguments substituted', () => {
  // GIVEN the README's promql block, without its comment lines
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

test('the README shows the example\'s Rollout analysis fields and metric settings', () => {
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
