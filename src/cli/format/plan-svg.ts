import type { PlanPresentation } from './present-plan';
import { addedLabel } from './plan-table';
import { routeCell } from '../../runtime/route-summary';

/** Colours (colour-blind-safe Tableau 10 hues) and sizes of the timeline. */
const STYLE = {
  canary: '#f28e2b',
  stable: '#4e79a7',
  canaryText: '#b35c00',
  stableText: '#2f5597',
  surgeBand: '#fde2e2',
  surgeInk: '#c0392b',
  pauseBand: '#ececec',
  pauseInk: '#555555',
  grid: '#d0d0d0',
  ink: '#222222',
  muted: '#666666',
  font: "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif",
  columnWidth: 64,
  left: 104,
  right: 20,
} as const;

/** Escapes text for XML content and attribute values. */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Rounds to one decimal so the output is stable and compact. */
function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** A "nice" axis maximum and tick step for pod counts (1, 2, 5 x 10^k). */
function podAxis(max: number): { top: number; step: number } {
  const target = Math.max(1, max);
  for (let scale = 1; ; scale *= 10) {
    for (const base of [1, 2, 5]) {
      const step = base * scale;
      if (Math.ceil(target / step) <= 5) return { top: Math.ceil(target / step) * step, step };
    }
  }
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${n(x)}" y="${n(y)}"${attrs ? ` ${attrs}` : ''}>${xmlEscape(content)}</text>`;
}

function rect(x: number, y: number, w: number, h: number, attrs: string): string {
  return `<rect x="${n(x)}" y="${n(y)}" width="${n(Math.max(0, w))}" height="${n(Math.max(0, h))}" ${attrs}/>`;
}

/** A pause symbol (two bars) centred on (cx, cy); drawn, so it needs no font glyph. */
function pauseIcon(cx: number, cy: number): string {
  return [rect(cx - 5, cy - 6, 3.5, 12, `fill="${STYLE.pauseInk}"`), rect(cx + 1.5, cy - 6, 3.5, 12, `fill="${STYLE.pauseInk}"`)].join('');
}

/** Plain-language summary for `<desc>` (screen readers, and GitHub's alt text). */
function describe(plan: PlanPresentation): string {
  const steps = plan.rows
    .map((r) => `step ${r.step} ${r.label}: canary ${r.canaryWeight}% / stable ${r.stableWeight}%, ${r.canaryReplicas} canary + ${r.stableReplicas} stable = ${r.totalPods} pods (${addedLabel(r.podsAdded, false)})${r.pause ? `, pause ${r.pauseText}` : ''}${r.surge ? ', SURGE' : ''}${r.managedRoutes ? `, routes: ${r.managedRoutes.map(routeCell).join(' ') || 'none'}` : ''}`)
    .join('; ');
  if (plan.rows.length === 0) return `Canary plan of Rollout ${plan.rollout} with ${plan.replicas} replicas: no steps, the controller goes to 100% at once.`;
  return `Canary plan of Rollout ${plan.rollout} with ${plan.replicas} replicas. ${steps}.`;
}

/** x of the title and subtitle (and their right margin). */
const TEXT_LEFT = 16;

/**
 * Width of a line of text in the SVG's sans-serif font, erring wide: the widest of the listed
 * fonts (DejaVu Sans, Verdana) averages about 0.6 em per character of English text, 0.66 em bold,
 * so 0.64 / 0.7 em per character keeps a line inside the image whichever font the viewer has.
 */
export function estimatedTextWidth(line: string, fontSize: number, bold: boolean): number {
  return line.length * fontSize * (bold ? 0.7 : 0.64);
}

/** Where everything of the timeline goes (y of panels and text rows, x of columns and bars). */
interface Layout {
  readonly cols: number;
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly subtitle: string;
  readonly weightTop: number;
  readonly weightHeight: number;
  readonly weightRows: readonly number[];
  readonly podsTop: number;
  readonly podsHeight: number;
  readonly podRows: readonly number[];
  readonly stepRows: readonly number[];
  /** Header and mirror route names (first-seen order), with the y of the first row; none without managed routes. */
  readonly routes?: { readonly names: readonly string[]; readonly top: number };
  readonly axis: { top: number; step: number };
  readonly barW: number;
  colX(i: number): number;
  barX(i: number): number;
  mid(i: number): number;
  podY(pods: number): number;
}

function layout(plan: PlanPresentation): Layout {
  const cols = Math.max(plan.rows.length, 1);
  const cw = STYLE.columnWidth;
  const title = `Canary plan: ${plan.rollout}`;
  const subtitle = `${plan.replicas} replicas, ${plan.rows.length} steps: traffic weight and pods after each step. Surge = more than ${plan.surgeThresholdPercent}% of the replicas added at once.`;
  // Wide enough for the columns, and for the title and subtitle (a short plan cut them off at 640 px).
  const textWidth = Math.max(estimatedTextWidth(title, 18, true), estimatedTextWidth(subtitle, 12, false));
  const width = Math.ceil(Math.max(640, STYLE.left + cols * cw + STYLE.right, TEXT_LEFT + textWidth + TEXT_LEFT));
  const weightTop = 126;
  const weightHeight = 120;
  const weightRows = [weightTop + weightHeight + 22, weightTop + weightHeight + 40];
  const podsTop = weightRows[1] + 56;
  const podsHeight = 150;
  const podRows = [podsTop + podsHeight + 22, podsTop + podsHeight + 40, podsTop + podsHeight + 58];
  const stepRows = [podRows[2] + 30, podRows[2] + 46, podRows[2] + 62];
  const axis = podAxis(Math.max(0, ...plan.rows.map((r) => r.totalPods)));
  const barW = cw * 0.56;
  const colX = (i: number) => STYLE.left + i * cw;
  const names = [...new Set(plan.rows.flatMap((r) => (r.managedRoutes ?? []).map((x) => x.name)))];
  const routes = plan.rows.some((r) => r.managedRoutes) ? { names, top: stepRows[2] + 46 } : undefined;
  const height = routes ? routes.top + 18 * Math.max(names.length, 1) + 12 : stepRows[2] + 24;
  return {
    cols, width, height, title, subtitle,
    weightTop, weightHeight, weightRows, podsTop, podsHeight, podRows, stepRows, routes, axis, barW,
    colX,
    barX: (i) => colX(i) + (cw - barW) / 2,
    mid: (i) => colX(i) + cw / 2,
    podY: (pods) => podsTop + podsHeight - (pods / axis.top) * podsHeight,
  };
}

/**
 * `plan --format svg`: a self-contained timeline (no script, no external font or image) with
 * traffic weights and pod counts per step, pauses marked grey with a pause symbol and surges
 * highlighted red. Explicit width/height/viewBox; `<title>`/`<desc>` for accessibility.
 */
export function formatPlanSvg(plan: PlanPresentation): string {
  const l = layout(plan);
  const { width, height } = l;
  const font = `font-family="${STYLE.font}"`;
  const out: string[] = [];

  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="plan-title plan-desc" ${font} font-size="12" fill="${STYLE.ink}">`,
    `<title id="plan-title">${xmlEscape(`Canary plan: ${plan.rollout} (${plan.replicas} replicas)`)}</title>`,
    `<desc id="plan-desc">${xmlEscape(describe(plan))}</desc>`,
    rect(0, 0, width, height, 'fill="#ffffff"'),
    text(TEXT_LEFT, 28, l.title, 'font-size="18" font-weight="bold"'),
    text(TEXT_LEFT, 48, l.subtitle, `fill="${STYLE.muted}"`),
  );
  legend(out);
  // Column bands: pauses grey, surges red (surge wins when both).
  plan.rows.forEach((r, i) => {
    const fill = r.surge ? STYLE.surgeBand : r.pause ? STYLE.pauseBand : undefined;
    if (fill) out.push(rect(l.colX(i) + 2, l.weightTop - 16, STYLE.columnWidth - 4, l.stepRows[2] + 8 - (l.weightTop - 16), `fill="${fill}" rx="4"`));
  });
  weightPanel(out, plan, l);
  podsPanel(out, plan, l);
  stepAxis(out, plan, l);
  if (l.routes) routesPanel(out, plan, l.routes.names, l.routes.top, l.mid);
  if (plan.rows.length === 0) {
    out.push(text(width / 2, l.weightTop + l.weightHeight / 2, 'No steps: the controller goes to 100% at once.', 'text-anchor="middle" font-size="14" font-weight="bold"'));
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function legend(out: string[]): void {
  const entries: [string, string][] = [
    ['Canary', `fill="${STYLE.canary}"`],
    ['Stable', `fill="${STYLE.stable}"`],
    ['Pause', `fill="${STYLE.pauseBand}" stroke="${STYLE.pauseInk}"`],
    ['Surge', `fill="${STYLE.surgeBand}" stroke="${STYLE.surgeInk}"`],
  ];
  entries.forEach(([label, attrs], i) => {
    const x = 16 + i * 96;
    out.push(rect(x, 62, 14, 14, attrs), text(x + 20, 74, label));
  });
}

/** A horizontal grid line with its value at the left of the panel. */
function gridLine(out: string[], l: Layout, y: number, label: string): void {
  out.push(`<line x1="${STYLE.left - 6}" y1="${n(y)}" x2="${n(l.colX(l.cols))}" y2="${n(y)}" stroke="${STYLE.grid}" stroke-width="1"/>`);
  out.push(text(STYLE.left - 10, y + 4, label, `text-anchor="end" fill="${STYLE.muted}"`));
}

/** Weight panel: 100% stacked bars, canary at the bottom, the weights below. */
function weightPanel(out: string[], plan: PlanPresentation, l: Layout): void {
  const { weightTop, weightHeight, weightRows, barW } = l;
  out.push(text(16, weightTop - 18, 'Traffic weight (%)', 'font-weight="bold"'));
  for (const tick of [0, 50, 100]) gridLine(out, l, weightTop + weightHeight - (tick / 100) * weightHeight, `${tick}%`);
  plan.rows.forEach((r, i) => {
    const canaryH = (r.canaryWeight / 100) * weightHeight;
    const stableH = (r.stableWeight / 100) * weightHeight;
    const bottom = weightTop + weightHeight;
    out.push(rect(l.barX(i), bottom - canaryH, barW, canaryH, `fill="${STYLE.canary}"`));
    out.push(rect(l.barX(i), bottom - canaryH - stableH, barW, stableH, `fill="${STYLE.stable}"`));
    if (r.pause) out.push(pauseIcon(l.mid(i), weightTop - 8));
  });
  rowLabels(out, ['canary %', 'stable %'], weightRows, [STYLE.canaryText, STYLE.stableText]);
  plan.rows.forEach((r, i) => {
    out.push(text(l.mid(i), weightRows[0], String(r.canaryWeight), 'text-anchor="middle" font-weight="bold"'));
    out.push(text(l.mid(i), weightRows[1], String(r.stableWeight), 'text-anchor="middle"'));
  });
}

/** Pods panel: stacked stable (bottom) + canary, total above, the counts below. */
function podsPanel(out: string[], plan: PlanPresentation, l: Layout): void {
  const { podsTop, podsHeight, podRows, axis, barW } = l;
  out.push(text(16, podsTop - 18, 'Pods (running after the step)', 'font-weight="bold"'));
  for (let tick = 0; tick <= axis.top; tick += axis.step) gridLine(out, l, l.podY(tick), String(tick));
  plan.rows.forEach((r, i) => {
    const stableTop = l.podY(r.stableReplicas);
    const canaryTop = l.podY(r.stableReplicas + r.canaryReplicas);
    out.push(rect(l.barX(i), stableTop, barW, podsTop + podsHeight - stableTop, `fill="${STYLE.stable}"`));
    out.push(
      rect(l.barX(i), canaryTop, barW, stableTop - canaryTop, `fill="${STYLE.canary}"${r.surge ? ` stroke="${STYLE.surgeInk}" stroke-width="2"` : ''}`),
    );
    out.push(text(l.mid(i), canaryTop - 5, String(r.totalPods), `text-anchor="middle" font-weight="bold"${r.surge ? ` fill="${STYLE.surgeInk}"` : ''}`));
  });
  rowLabels(out, ['canary pods', 'stable pods', 'added'], podRows, [STYLE.canaryText, STYLE.stableText, STYLE.ink]);
  plan.rows.forEach((r, i) => {
    out.push(text(l.mid(i), podRows[0], String(r.canaryReplicas), 'text-anchor="middle" font-weight="bold"'));
    out.push(text(l.mid(i), podRows[1], String(r.stableReplicas), 'text-anchor="middle"'));
    out.push(
      text(l.mid(i), podRows[2], addedLabel(r.podsAdded, false), `text-anchor="middle"${r.surge ? ` fill="${STYLE.surgeInk}" font-weight="bold"` : ''}`),
    );
  });
}

/** Step axis: number and a two-line label per column. */
function stepAxis(out: string[], plan: PlanPresentation, l: Layout): void {
  const { stepRows } = l;
  rowLabels(out, ['step'], [stepRows[0]], [STYLE.ink]);
  plan.rows.forEach((r, i) => {
    out.push(text(l.mid(i), stepRows[0], String(r.step), 'text-anchor="middle" font-weight="bold"'));
    out.push(text(l.mid(i), stepRows[1], r.shortLabel[0], `text-anchor="middle" font-size="11" fill="${r.pause ? STYLE.pauseInk : STYLE.muted}"`));
    if (r.shortLabel[1]) out.push(text(l.mid(i), stepRows[2], r.shortLabel[1], `text-anchor="middle" font-size="11" fill="${STYLE.muted}"`));
  });
}

/**
 * The header and mirror routes in place after each step: one row per route name, a cell per step
 * (`header`, or `mirror N%`), empty where the route is not in the VirtualService.
 */
function routesPanel(out: string[], plan: PlanPresentation, names: readonly string[], top: number, mid: (i: number) => number): void {
  out.push(text(16, top - 22, 'Header and mirror routes (in the VirtualService after the step)', 'font-weight="bold"'));
  if (names.length === 0) out.push(text(16, top, 'none at any step', `fill="${STYLE.muted}"`));
  names.forEach((name, k) => {
    const y = top + 18 * k;
    out.push(text(STYLE.left - 10, y, name.length > 14 ? `${name.slice(0, 13)}…` : name, `text-anchor="end" font-size="11" fill="${STYLE.ink}"`));
    plan.rows.forEach((r, i) => {
      const route = r.managedRoutes?.find((x) => x.name === name);
      if (!route) return;
      const label = route.kind === 'mirror' ? `mirror ${route.mirror?.split(' ')[1] ?? ''}`.trim() : 'header';
      out.push(text(mid(i), y, label, `text-anchor="middle" font-size="${route.kind === 'mirror' ? 10 : 11}" fill="${route.kind === 'mirror' ? STYLE.stableText : STYLE.canaryText}"`));
    });
  });
}

function rowLabels(out: string[], labels: readonly string[], ys: readonly number[], colors: readonly string[]): void {
  labels.forEach((label, i) => out.push(text(STYLE.left - 10, ys[i], label, `text-anchor="end" font-size="11" fill="${colors[i]}"`)));
}

