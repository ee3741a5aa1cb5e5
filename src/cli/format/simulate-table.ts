import type { SimulationResult, TickReplicaSet } from './plan-types';
import { renderTextTable, type TextColumn } from './text-table';

const COLUMNS: readonly TextColumn[] = [
  { header: 'T', align: 'right' },
  { header: 'STEP', align: 'right' },
  { header: 'PHASE', align: 'left' },
  { header: 'CANARY%', align: 'right' },
  { header: 'STABLE%', align: 'right' },
  { header: 'REPLICASETS rev:role ready/want', align: 'left' },
  { header: 'SVC S/C', align: 'left' },
  { header: 'STATE', align: 'left' },
  { header: 'MESSAGE', align: 'left' },
];

const ROLE_LETTER: Readonly<Record<TickReplicaSet['role'], string>> = { stable: 'S', canary: 'C', old: 'O' };

/** "t" seconds as "95s" or "2m05s" (whole seconds), so long runs stay readable. */
export function formatSeconds(t: number): string {
  const s = Math.round(t);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(s % 60).padStart(2, '0')}s`;
}

/** "r1:S 10/10" per ReplicaSet, revision order; the ones at 0/0 are left out. */
export function replicaSetsCell(sets: readonly TickReplicaSet[]): string {
  return [...sets]
    .filter((rs) => rs.replicas > 0 || rs.available > 0)
    .sort((a, b) => a.revision - b.revision)
    .map((rs) => `r${rs.revision}:${ROLE_LETTER[rs.role]} ${rs.available}/${rs.replicas}`)
    .join('  ');
}

/** `simulate --format table`: one line per tick, a legend, and the final state. */
export function formatSimulationTable(result: SimulationResult): string {
  const rows = result.ticks.map((tick) => [
    formatSeconds(tick.t),
    tick.stepIndex === null ? '-' : String(tick.stepIndex),
    tick.phase,
    String(tick.weights.canary),
    String(tick.weights.stable),
    replicaSetsCell(tick.replicaSets) || '-',
    `r${tick.services.stable ?? '-'}/r${tick.services.canary ?? '-'}`,
    [tick.paused ? 'paused' : '', tick.aborted ? 'aborted' : ''].filter(Boolean).join(',') || '-',
    tick.message,
  ]);
  const out = [`Rollout ${result.rollout}: ${result.ticks.length} ticks`, ''];
  out.push(renderTextTable(COLUMNS, rows).trimEnd(), '');
  out.push('ReplicaSets: r<revision>:<S stable | C canary | O old> <available>/<replicas>; SVC S/C: revision selected by the stable/canary Service.');
  const last = result.ticks[result.ticks.length - 1];
  if (last) out.push(`End at ${formatSeconds(last.t)}: ${last.phase}, weights canary ${last.weights.canary} / stable ${last.weights.stable}.`);
  return out.join('\n') + '\n';
}
