import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { ManifestSet } from './manifests';
import type { RecordedTrace } from './rollout-observer';
import { compareTraces, describe, KNOWN_DIFFERENCES, simulateRecorded, type ComparableTick, type RecordedScenario } from './trace-vs-simulate';

/**
 * Runs `simulate` on the scenario's manifests and recorded scenario (read back from the trace file)
 * and asserts that the real controller went through the same distinct states, up to the explained
 * differences (docs/e2e-vs-simulate.md). Writes `<trace>.vs-simulate.txt` beside the trace.
 */
export function expectSameAsSimulate(set: ManifestSet, trace: RecordedTrace & { file: string }): void {
  const recorded = JSON.parse(readFileSync(trace.file, 'utf8')) as { scenario: RecordedScenario };
  const sim = simulateRecorded(set.objects, recorded.scenario);
  const c = compareTraces(trace.ticks, sim.ticks, KNOWN_DIFFERENCES);
  const report = [
    `simulate events: ${JSON.stringify(sim.events)}`,
    `real distinct states (normalized): ${c.real.length}, simulated: ${c.simulated.length}, real intermediate (one reconcile seen write by write): ${c.intermediate}`,
    `normalizations applied: ${c.applied.map((a) => `${a.name} (${a.changed} ticks)`).join('; ') || 'none'}`,
    `simulated states after the end of the recording: ${c.notReached.length ? c.notReached.join(' | ') : 'none'}`,
    `mismatches: ${c.mismatches.length}`,
    ...c.mismatches,
    '--- simulated',
    ...c.simulated,
    '--- real (normalized)',
    ...c.real,
  ].join('\n');
  writeFileSync(trace.file.replace(/\.json$/, '.vs-simulate.txt'), `${report}\n`);
  console.info(`${trace.file}: ${c.real.length} real / ${c.simulated.length} simulated distinct states, ${c.intermediate} intermediate, ${c.mismatches.length} mismatches; ${c.applied.map((a) => `${a.name}: ${a.changed}`).join(', ')}`);
  expect(c.mismatches, report).toEqual([]);
  // The recording stops at the scenario's done condition (old ReplicaSet scaled to 0), possibly
  // before its terminating pods stop counting as available: then simulate's last state (available
  // 0 too) is the only one not reached, and it differs from the last real state only there.
  if (c.notReached.length > 0) {
    const last = trace.ticks.at(-1) as ComparableTick;
    const drained = { ...last, replicaSets: last.replicaSets.map((r) => (r.role === 'old' && r.replicas === 0 ? { ...r, available: 0 } : r)) };
    expect(c.notReached, report).toEqual([describe(drained)]);
  }
}
