import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { FIXTURES_DIR, REPO_ROOT as REPO } from '../support/paths';

/**
 * Renders the SVG of the article's automatic profile to PNG with headless Chromium and checks the
 * picture. Needs the Debian package `chromium` (apt-get update && apt-get install -y chromium).
 */
const OUT_DIR = join(REPO, '.cache', 'plan-svg');
const BROWSERS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function findOnPath(names: readonly string[]): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const browser = findOnPath(BROWSERS);
if (!browser) {
  // Loud on purpose: this check must not vanish silently from CI.
  console.warn(
    `\n*** SKIPPED plan SVG rendering test: no Chromium binary (${BROWSERS.join(', ')}) on PATH. ` +
      'Install it with: apt-get update && apt-get install -y chromium ***\n',
  );
}

/** Share of pixels close to an RGB colour. */
function share(png: PNG, [r, g, b]: readonly [number, number, number], tolerance = 40): number {
  let hits = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (Math.abs(png.data[i] - r) + Math.abs(png.data[i + 1] - g) + Math.abs(png.data[i + 2] - b) <= tolerance) hits++;
  }
  return hits / (png.width * png.height);
}

/** Distinct colours in a horizontal band of rows (y0..y1). */
function darkPixelsInRows(png: PNG, y0: number, y1: number): number {
  let dark = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      if (png.data[i] + png.data[i + 1] + png.data[i + 2] < 300) dark++;
    }
  }
  return dark;
}

describe('plan SVG rendered by headless Chromium', () => {
  it.skipIf(!browser)(
    `the article's automatic profile renders to a legible PNG${browser ? '' : ' (SKIPPED: chromium binary not found; apt-get install -y chromium)'}`,
    async () => {
      const { code, out: svg } = await runCli(['plan', join(FIXTURES_DIR, 'article-automatic.yaml'), '--replicas', '10', '--format', 'svg']);
      expect(code).toBe(0);
      const width = Number(/ width="(\d+)"/.exec(svg)?.[1]);
      const height = Number(/ height="(\d+)"/.exec(svg)?.[1]);
      mkdirSync(OUT_DIR, { recursive: true });
      const svgPath = join(OUT_DIR, 'article-automatic.svg');
      const pngPath = join(OUT_DIR, 'article-automatic.png');
      writeFileSync(svgPath, svg);
      const result = spawnSync(
        browser as string,
        ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--force-device-scale-factor=1', `--window-size=${width},${height}`, `--screenshot=${pngPath}`, `file://${svgPath}`],
        { encoding: 'utf8', timeout: 90_000 },
      );
      expect(result.status, result.stderr).toBe(0);
      const png = PNG.sync.read(readFileSync(pngPath));
      console.info(`plan SVG rendered to ${pngPath} (${png.width}x${png.height})`);
      // Size: the window is the SVG's declared size.
      expect([png.width, png.height]).toEqual([width, height]);
      // Not blank: white background, but canary orange and stable blue bars fill a real share.
      expect(share(png, [255, 255, 255])).toBeLessThan(0.85);
      expect(share(png, [0xf2, 0x8e, 0x2b])).toBeGreaterThan(0.02);
      expect(share(png, [0x4e, 0x79, 0xa7])).toBeGreaterThan(0.02);
      // The pause band (grey) of step 11 is drawn.
      expect(share(png, [0xec, 0xec, 0xec], 6)).toBeGreaterThan(0.005);
      // Text was rendered (dark glyph pixels) in the title and in the step-axis rows.
      expect(darkPixelsInRows(png, 10, 34)).toBeGreaterThan(200);
      expect(darkPixelsInRows(png, height - 70, height - 10)).toBeGreaterThan(200);
    },
  );
});
