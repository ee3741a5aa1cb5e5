import type { PlanPresentation } from './present-plan';
import { routeCell } from '../../runtime/route-summary';
import { routesLines } from './route-lines';
import { renderTextTable, type TextColumn } from './text-table';

const COLUMNS: readonly TextColumn[] = [
  { header: 'STEP', align: 'right' },
  { header: 'ACTION', align: 'left', maxWidth: 28 },
  { header: 'CANARY%', align: 'right' },
  { header: 'STABLE%', align: 'right' },
  { header: 'CANARY', align: 'right' },
  { header: 'STABLE', align: 'right' },
  { header: 'TOTAL', align: 'right' },
  { header: 'ADDED', align: 'right' },
  { header: 'PAUSE', align: 'left', maxWidth: 14 },
];

/** Signed pod delta: "+2", "0", "-3"; a surge gets a trailing "!". */
export function addedLabel(podsAdded: number, surge: boolean): string {
  const text = podsAdded > 0 ? `+${podsAdded}` : String(podsAdded);
  return surge ? `${text}!` : text;
}

/**
 * `plan --format table`: a heading, one line per step, and a summary. At most 100 columns for
 * any profile (the ACTION and PAUSE columns are capped); a Rollout with header or mirror routes
 * gets a ROUTES column on the right (the routes after each step) and the routes' details below.
 */
export function formatPlanTable(plan: PlanPresentation): string {
  const withRoutes = plan.rows.some((r) => r.managedRoutes !== undefined);
  const rows = plan.rows.map((r) => [
    String(r.step),
    r.label,
    String(r.canaryWeight),
    String(r.stableWeight),
    String(r.canaryReplicas),
    String(r.stableReplicas),
    String(r.totalPods),
    addedLabel(r.podsAdded, r.surge),
    r.pauseText,
    ...(withRoutes ? [(r.managedRoutes ?? []).map(routeCell).join(' ') || '-'] : []),
  ]);
  const out = [`Rollout ${plan.rollout}: ${plan.rows.length} steps with ${plan.replicas} replicas (pods after each step)`, ''];
  if (rows.length > 0) out.push(renderTextTable(withRoutes ? [...COLUMNS, { header: 'ROUTES', align: 'left' }] : COLUMNS, rows).trimEnd(), '');
  out.push(...summaryLines(plan));
  if (withRoutes) out.push('', ...routesLines(plan.rows.flatMap((r) => r.managedRoutes ?? []), 100));
  return out.join('\n') + '\n';
}

/** Peak pods, largest step and surges, shared by the text formats. */
export function summaryLines(plan: PlanPresentation): string[] {
  if (plan.rows.length === 0) return ['No steps: the controller goes to 100% at once.'];
  const peak = plan.rows.reduce((a, b) => (b.totalPods > a.totalPods ? b : a));
  const biggest = plan.rows.reduce((a, b) => (b.podsAdded > a.podsAdded ? b : a));
  const lines = [
    `Peak: ${peak.totalPods} pods at step ${peak.step}; largest step: ${addedLabel(biggest.podsAdded, false)} pods at step ${biggest.step}.`,
  ];
  const surges = plan.rows.filter((r) => r.surge);
  lines.push(
    surges.length === 0
      ? `No surge: no step adds more than ${plan.surgeThresholdPercent}% of ${plan.replicas} replicas at once.`
      : `! Surge at step ${surges.map((r) => r.step).join(', ')}: more than ${plan.surgeThresholdPercent}% of ${plan.replicas} replicas added at once.`,
  );
  return lines;
}
