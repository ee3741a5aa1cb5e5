import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimatedTextWidth, formatPlanSvg } from '../../src/cli/format/plan-svg';
import { presentPlan } from '../../src/cli/format/present-plan';
import { LINT_FIXTURES } from '../lint/helpers';
import { runCli } from '../support/cli';
import { FIXTURES_DIR } from '../support/paths';

const AUTOMATIC = join(FIXTURES_DIR, 'article-automatic.yaml');

async function svgOf(file: string, replicas = 10): Promise<string> {
  const { code, out } = await runCli(['plan', file, '--replicas', String(replicas), '--format', 'svg']);
  expect(code).toBe(0);
  return out;
}

/** Every `<text>` element: its x, y and content, in document order. */
function texts(svg: string): { x: number; y: number; text: string }[] {
  return [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), text: m[3] }));
}

/** The values drawn on the same baseline as a row label, left to right. */
function rowOf(svg: string, label: string): string[] {
  const all = texts(svg);
  const head = all.find((t) => t.text === label);
  if (!head) throw new Error(`no row ${label}`);
  return all.filter((t) => t.y === head.y && t.x > head.x).sort((a, b) => a.x - b.x).map((t) => t.text);
}

describe('plan --format svg', () => {
  it('is a self-contained SVG: explicit size and viewBox, title and desc, no script, link, image or external font', async () => {
    const svg = await svgOf(AUTOMATIC);
    const root = /^<svg ([^>]*)>/.exec(svg)?.[1] ?? '';
    const width = Number(/ width="(\d+)"/.exec(` ${root}`)?.[1]);
    const height = Number(/ height="(\d+)"/.exec(` ${root}`)?.[1]);
    expect(width).toBeGreaterThan(600);
    expect(height).toBeGreaterThan(400);
    expect(root).toContain(`viewBox="0 0 ${width} ${height}"`);
    expect(root).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(root).toContain('role="img"');
    expect(svg).toContain('<title id="plan-title">Canary plan: my-app-rollout (10 replicas)</title>');
    expect(svg).toMatch(/<desc id="plan-desc">Canary plan of Rollout my-app-rollout with 10 replicas\. step 0 setWeight 1%: canary 1% \/ stable 99%, 2 canary \+ 10 stable = 12 pods \(\+2\);/);
    for (const forbidden of ['<script', 'href', 'url(', '@import', '@font-face', '<image', '<foreignObject', 'on' + 'load=']) {
      expect(svg).not.toContain(forbidden);
    }
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('shows every step with both weights and the pod counts, and marks the one pause', async () => {
    const svg = await svgOf(AUTOMATIC);
    const after = (label: string) => rowOf(svg, label);
    expect(after('step')).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
    expect(after('canary %')).toEqual(['1', '10', '20', '30', '40', '50', '60', '70', '80', '90', '100', '100']);
    expect(after('stable %')).toEqual(['99', '90', '80', '70', '60', '50', '40', '30', '20', '10', '0', '0']);
    expect(after('canary pods')).toEqual(['2', '2', '2', '3', '4', '5', '6', '7', '8', '9', '10', '10']);
    expect(after('stable pods')).toEqual(Array(12).fill('10'));
    expect(after('added')).toEqual(['+2', '0', '0', '+1', '+1', '+1', '+1', '+1', '+1', '+1', '+1', '0']);
    const labels = texts(svg).map((t) => t.text);
    expect(labels.filter((l) => l === 'weight')).toHaveLength(11);
    expect(labels.filter((l) => l === 'pause')).toHaveLength(1);
    expect(labels).toContain('15s');
    expect(svg.match(/fill="#ececec" rx="4"/g)).toHaveLength(1); // one pause band
    expect(svg).not.toContain('fill="#fde2e2" rx="4"'); // no surge band
  });

  it('highlights the surge steps (band, outlined bar, red added count) and only those', async () => {
    const svg = await svgOf(join(LINT_FIXTURES, 'pod-surge.yaml'));
    expect(svg.match(/fill="#fde2e2" rx="4"/g)).toHaveLength(2);
    expect(svg.match(/stroke="#c0392b" stroke-width="2"/g)).toHaveLength(2);
    expect(svg).toMatch(/fill="#c0392b" font-weight="bold">\+4<\/text>[\s\S]*fill="#c0392b" font-weight="bold">\+4<\/text>/);
  });

  it('is deterministic and escapes names', async () => {
    expect(await svgOf(AUTOMATIC)).toBe(await svgOf(AUTOMATIC));
    const svg = formatPlanSvg(presentPlan({ rollout: 'a<b&"c"', replicas: 1, minPodsPerReplicaSet: 1, rows: [], steps: [] }, { surgeThresholdPercent: 30 }));
    expect(svg).toContain('Canary plan: a&lt;b&amp;&quot;c&quot;');
    expect(svg).not.toContain('a<b');
  });
});

describe('plan --format svg: the width fits the title and subtitle (issue 20 #17)', () => {
  const widthOf = (svg: string) => Number(/^<svg [^>]* width="(\d+)"/.exec(svg)?.[1]);

  it('a 4-step plan is wide enough for its subtitle (it was 640 px and cut the subtitle off)', async () => {
    const svg = await svgOf(join(FIXTURES_DIR, 'basic-canary.yaml'));
    const subtitle = texts(svg).find((t) => t.y === 48);
    expect(subtitle?.text).toBe('10 replicas, 4 steps: traffic weight and pods after each step. Surge = more than 30% of the replicas added at once.');
    const right = (subtitle?.x ?? 0) + estimatedTextWidth(subtitle?.text ?? '', 12, false);
    expect(right).toBeGreaterThan(640);
    expect(widthOf(svg)).toBeGreaterThanOrEqual(Math.ceil(right + 16));
  });

  it('a long Rollout name widens the image to its title', () => {
    const name = 'a'.repeat(120);
    const svg = formatPlanSvg(presentPlan({ rollout: name, replicas: 2, minPodsPerReplicaSet: 1, rows: [], steps: [] }, { surgeThresholdPercent: 30 }));
    expect(widthOf(svg)).toBe(Math.ceil(16 + estimatedTextWidth(`Canary plan: ${name}`, 18, true) + 16));
  });

  it('the estimate errs wide: at least 0.6 em per character (the listed fonts average about that)', () => {
    expect(estimatedTextWidth('x'.repeat(100), 12, false)).toBeGreaterThanOrEqual(100 * 12 * 0.6);
    expect(estimatedTextWidth('x'.repeat(100), 18, true)).toBeGreaterThanOrEqual(100 * 18 * 0.66);
  });
});
