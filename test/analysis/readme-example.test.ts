import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration } from 'cdk8s';
import { expect, test } from 'vitest';
import { CanaryMetric } from '../../src/constructs/analysis';
import { resolveArgs } from './promql-check';

/** The README's analysis section, between its marker and the next section marker. */
function analysisSection(): string {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf('<!-- section: analysis -->');
  const end = readme.indexOf('<!-- section:', start + 1);
  expect(start).toBeGreaterThanOrEqual(0);
  return readme.slice(start, end);
}

test('the PromQL shown in the README is what the example app renders, with arguments substituted', () => {
  // GIVEN the README's promql block, without its comment lines
  const block = /```promql\n([\s\S]*?)```/.exec(analysisSection())?.[1];
  expect(block).toBeDefined();
  const shown = block!
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n')
    .split(/\n\n+/)
    .map((q) => q.trim());

  // WHEN the example's metrics are rendered for my-app in namespace default
  const args = { 'canary-service': 'my-app-canary-svc', namespace: 'default' };
  const rendered = [CanaryMetric.istioErrorRate(), CanaryMetric.istioLatency({ maxLatency: Duration.millis(500) })].map((m) => resolveArgs(m.query, args));

  // THEN
  expect(shown).toEqual(rendered);
});

test('the conditions shown in the README are the rendered ones', () => {
  const section = analysisSection();
  const errorRate = CanaryMetric.istioErrorRate();
  const latency = CanaryMetric.istioLatency({ maxLatency: Duration.millis(500) });
  for (const cond of [errorRate.successCondition, errorRate.failureCondition, latency.successCondition, latency.failureCondition]) {
    expect(section).toContain(cond);
  }
});
