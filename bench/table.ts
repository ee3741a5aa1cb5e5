import { Reported } from './harness';

function fmt(x: number): string {
  if (!Number.isFinite(x)) {
    return String(x);
  }
  const a = Math.abs(x);
  return a !== 0 && (a < 0.001 || a >= 1e6) ? x.toExponential(3) : String(x);
}

/** A plain-text table of the figures, their baselines, ratios, targets and methods. */
export function formatTable(rows: readonly Reported[]): string {
  const header = ['figure', 'n', 'value', 'baseline', 'baseline value', 'ratio', 'target', 'method'];
  const body = rows.map((r) => {
    const f = r.figure;
    const verdict = r.met === undefined ? '' : r.met ? ' MET' : ' MISSED';
    return [f.name, String(f.n), `${fmt(f.value)} ${f.unit}`, f.baseline, `${fmt(f.baselineValue)} ${f.unit}`, `${fmt(f.ratio)}x`, r.target + verdict, r.method];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
