import type { LiveStatus } from '../../runtime/live-status';
import type { CanaryStep } from '../../runtime/types';
import { stepLabel } from './step-label';
import { renderTextTable } from './text-table';

/**
 * `status` output: the JSON document (docs/status.md#json), the table, and the one-line summary
 * `--watch` prints per change when stdout is not a terminal.
 */

/** RFC 3339 (UTC, whole seconds) of epoch seconds. */
function iso(seconds: number): string {
  return new Date(Math.round(seconds) * 1000).toISOString().replace('.000Z', 'Z');
}
const isoOrNull = (seconds: number | null | undefined) => (seconds === null || seconds === undefined ? null : iso(seconds));

/** The `--format json` document: the judged state with times as RFC 3339 and steps with a label. */
export function statusJson(s: LiveStatus): unknown {
  const { now, next } = s;
  const label = (index: number | null, step: CanaryStep | undefined) => (index === null ? '' : stepLabel(step, index >= now.step.count ? 'done' : `step ${index}`));
  return {
    rollout: s.rollout,
    at: iso(s.at),
    now: {
      phase: now.phase,
      message: now.message,
      step: { index: now.step.index, count: now.step.count, label: label(now.step.index, now.step.step) },
      weights: now.weights,
      routes: now.routes,
      revisions: now.revisions.map(({ scaleDownAt, ...r }) => ({ ...r, ...(scaleDownAt !== undefined ? { scaleDownAt: iso(scaleDownAt) } : {}) })),
      paused: now.paused,
      pauseReasons: now.pauseReasons,
      aborted: now.aborted,
      observed: now.observed,
      completed: now.completed,
      analysisRuns: now.analysisRuns.map((run) => ({
        ...run,
        metrics: run.metrics.map(({ last, ...m }) => ({
          ...m,
          ...(last ? { last: { ...last, ...(last.finishedAt !== undefined ? { finishedAt: iso(last.finishedAt) } : {}) } } : {}),
        })),
      })),
    },
    next: {
      steps: next.steps.map((x) => ({ index: x.index, label: label(x.index, x.step), at: isoOrNull(x.at), ...(x.afterPromotion ? { afterPromotion: x.afterPromotion } : {}) })),
      ...(next.pauseEndsAt !== undefined ? { pauseEndsAt: iso(next.pauseEndsAt) } : {}),
      ...(next.currentStepDueAt !== undefined ? { currentStepDueAt: iso(next.currentStepDueAt) } : {}),
      completionAt: isoOrNull(next.completionAt),
      ...(next.completionAfterPromotion ? { completionAfterPromotion: next.completionAfterPromotion } : {}),
      ...(next.waitingFor ? { waitingFor: next.waitingFor } : {}),
      ...(next.note ? { note: next.note } : {}),
    },
    divergences: s.divergences,
  };
}

/** "in 12 s" / "12 s ago" / "now" relative to `at`. */
function relative(t: number, at: number): string {
  const d = Math.round(t - at);
  if (d === 0) return 'now';
  return d > 0 ? `in ${d} s` : `${-d} s ago`;
}

function clock(t: number): string {
  return iso(t).slice(11, 19);
}

/** The table `status` prints (at most 100 columns for the fixed parts). */
export function formatStatusTable(s: LiveStatus): string {
  const { now } = s;
  const lines: string[] = [];
  const current = now.step.index === null ? 'no step yet' : now.step.index >= now.step.count ? `all ${now.step.count} steps done` : `step ${now.step.index} of ${now.step.count}: ${stepLabel(now.step.step, `step ${now.step.index}`)}`;
  lines.push(`Rollout ${s.rollout}  ${now.phase || '(no phase yet)'}${now.aborted ? '  ABORTED' : ''}${now.completed ? '  completed' : ''}   at ${clock(s.at)} UTC`);
  if (now.message) lines.push(`  message: ${now.message}`);
  lines.push(`Now:  ${current}`);
  const weights = now.weights ? `canary ${now.weights.canary} / stable ${now.weights.stable} (status)` : 'no traffic routing';
  const routes = now.routes.map((r) => `; ${r.virtualService} route ${r.route}: ${r.canary ?? '-'} / ${r.stable ?? '-'}`).join('');
  lines.push(`  weights: ${weights}${routes}`);
  if (now.pauseReasons.length > 0) lines.push(`  paused: ${now.pauseReasons.join('; ')}`);
  lines.push('');
  lines.push(
    renderTextTable(
      [
        { header: 'REVISION', align: 'right' },
        { header: 'HASH', align: 'left' },
        { header: 'ROLE', align: 'left' },
        { header: 'DESIRED', align: 'right' },
        { header: 'READY', align: 'right' },
        { header: 'AVAILABLE', align: 'right' },
        { header: 'NOTE', align: 'left' },
      ],
      now.revisions.map((r) => [String(r.revision ?? '?'), r.podTemplateHash, r.role, String(r.desired), String(r.ready), String(r.available), r.scaleDownAt !== undefined ? `scale-down ${relative(r.scaleDownAt, s.at)}` : '']),
    ).trimEnd(),
  );
  for (const run of now.analysisRuns) {
    lines.push(`  analysis ${run.kind} ${run.name}: ${run.phase}${run.message ? ` (${run.message})` : ''}`);
    for (const m of run.metrics) {
      lines.push(`    ${m.name}: ${m.phase}, ${m.successful}/${m.count} successful${m.last ? `, last ${m.last.value ?? '(no value)'} ${m.last.phase ?? ''}`.trimEnd() : ''}`);
    }
  }
  lines.push('', ...nextLines(s), '', ...divergenceLines(s));
  return `${lines.join('\n')}\n`;
}

function nextLines(s: LiveStatus): string[] {
  const { next } = s;
  const lines = ['Next:'];
  if (next.waitingFor) lines.push(`  WAITING: ${next.waitingFor.reason}; ${next.waitingFor.who} runs: ${next.waitingFor.command}`);
  if (next.pauseEndsAt !== undefined) lines.push(`  pause ends ${clock(next.pauseEndsAt)} (${relative(next.pauseEndsAt, s.at)})`);
  for (const x of next.steps) {
    const when = x.at !== null ? `${clock(x.at)} (${relative(x.at, s.at)})` : x.afterPromotion ? `${x.afterPromotion.seconds} s after step ${x.afterPromotion.step} is promoted` : 'unknown';
    lines.push(`  step ${String(x.index).padStart(2)}  ${stepLabel(x.step, `step ${x.index}`).padEnd(24)} ${when}`);
  }
  if (next.completionAt !== null) lines.push(`  completion ${clock(next.completionAt)} (${relative(next.completionAt, s.at)})`);
  else if (next.completionAfterPromotion) lines.push(`  completion ${next.completionAfterPromotion.seconds} s after step ${next.completionAfterPromotion.step} is promoted`);
  else if (next.note) lines.push(`  no forecast: ${next.note}`);
  else if (lines.length === 1) lines.push('  nothing: no update in flight');
  return lines;
}

function divergenceLines(s: LiveStatus): string[] {
  if (s.divergences.length === 0) return ['Divergences: none'];
  return ['Divergences:', ...s.divergences.flatMap((d) => [`  ${d.rule} ${d.object}: ${d.message}`, `    fix: ${d.fix}`])];
}

/** One line per change for `--watch` when stdout is not a terminal (CI logs). */
export function formatStatusLine(s: LiveStatus): string {
  const { now, next } = s;
  const step = now.step.index === null ? '-' : `${now.step.index}/${now.step.count}`;
  const weights = now.weights ? `${now.weights.canary}/${now.weights.stable}` : '-';
  const pods = now.revisions.map((r) => `r${r.revision ?? '?'}:${r.role[0].toUpperCase()} ${r.ready}/${r.available}/${r.desired}`).join(' ');
  const parts = [clock(s.at), now.phase || '-', `step ${step}`, `weights ${weights}`, pods];
  if (now.paused) parts.push('paused');
  if (now.aborted) parts.push('aborted');
  if (next.completionAt !== null) parts.push(`done ~${clock(next.completionAt)}`);
  if (next.waitingFor) parts.push(`waits: ${next.waitingFor.command}`);
  for (const d of s.divergences) parts.push(`${d.rule}: ${d.message}`);
  return `${parts.join('  ')}\n`;
}
