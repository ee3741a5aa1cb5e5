import type { SimulationResult, TickReplicaSet } from './plan-types';
import { routesLines } from './route-lines';
import { routeCell } from '../../runtime/route-summary';
import { renderTextTable, type TextColumn, wrapWords } from './text-table';

const COLUMNS: readonly TextColumn[] = [
  { header: 'TICK', align: 'right' },
  { header: 'T', align: 'right' },
  { header: 'STEP', align: 'right' },
  { header: 'PHASE', align: 'left' },
  { header: 'CANARY%', align: 'right' },
  { header: 'STABLE%', align: 'right' },
  { header: 'REPLICASETS', align: 'left' },
  { header: 'SVC S/C', align: 'left' },
  { header: 'STATE', align: 'left' },
  { header: 'MSG', align: 'right' },
];

const ROUTES_COLUMN: TextColumn = { header: 'ROUTES', align: 'left' };

/** Width the legend and the message list keep to (the table itself is as wide as its cells). */
const TEXT_WIDTH = 100;

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

/**
 * `simulate --format table`: one line per tick (consecutive ticks that look the same are merged,
 * TICK then shows the range of JSON tick indexes), a legend, the Rollout's messages, and the
 * final state. The MSG column numbers the distinct `status.message` values in order of first
 * appearance; the full messages are listed under the table (wrapped at 100 columns), so a long
 * controller message does not widen every line.
 */
export function formatSimulationTable(result: SimulationResult): string {
  const messages: string[] = [];
  const messageKey = (message: string): string => {
    if (message === '') return '-';
    let at = messages.indexOf(message);
    if (at < 0) at = messages.push(message) - 1;
    return String(at + 1);
  };
  const withRoutes = result.ticks.some((tick) => tick.routes !== undefined);
  const cells = result.ticks.map((tick) => [
    formatSeconds(tick.t),
    tick.stepIndex === null ? '-' : String(tick.stepIndex),
    tick.phase,
    String(tick.weights.canary),
    String(tick.weights.stable),
    replicaSetsCell(tick.replicaSets) || '-',
    `r${tick.services.stable ?? '-'}/r${tick.services.canary ?? '-'}`,
    [tick.paused ? 'paused' : '', tick.aborted ? 'aborted' : ''].filter(Boolean).join(',') || '-',
    messageKey(tick.message),
    ...(withRoutes ? [(tick.routes ?? []).map(routeCell).join(' ') || '-'] : []),
  ]);
  const rows: string[][] = [];
  let first = 0;
  cells.forEach((row, i) => {
    const next = cells[i + 1];
    if (next && next.every((c, k) => c === row[k])) return;
    rows.push([first === i ? String(i) : `${first}-${i}`, ...row]);
    first = i + 1;
  });
  const out = [`Rollout ${result.rollout}: ${result.ticks.length} ticks`, ''];
  out.push(renderTextTable(withRoutes ? [...COLUMNS, ROUTES_COLUMN] : COLUMNS, rows).trimEnd(), '');
  out.push(
    ...wrapWords(
      'TICK: index in the JSON trace (a range when consecutive ticks look the same). ReplicaSets: ' +
        'r<revision>:<S stable | C canary | O old> <available>/<replicas>; SVC S/C: revision selected by the ' +
        'stable/canary Service; MSG: the Rollout\'s status.message, listed below (- none).' +
        (withRoutes ? ' ROUTES: the VirtualService\'s http routes in order, header and mirror routes marked, listed below.' : ''),
      TEXT_WIDTH,
    ),
  );
  if (withRoutes) out.push('', ...routesLines(result.ticks.flatMap((tick) => tick.routes ?? []), TEXT_WIDTH));
  if (messages.length > 0) {
    out.push('', 'Messages:');
    const width = String(messages.length).length;
    messages.forEach((message, i) => {
      const label = String(i + 1).padStart(width);
      wrapWords(message, TEXT_WIDTH - width - 4).forEach((part, k) => out.push(`  ${k === 0 ? label : ' '.repeat(width)}  ${part}`));
    });
  }
  const last = result.ticks[result.ticks.length - 1];
  if (last) out.push('', `End at ${formatSeconds(last.t)}: ${last.phase}, weights canary ${last.weights.canary} / stable ${last.weights.stable}.`);
  return out.join('\n') + '\n';
}
