/**
 * Header and mirror routes in `plan` (table, JSON, SVG) and `simulate` (table): the routes in the
 * VirtualService after each step, from a CanaryApp with header and mirror route steps.
 */
import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { CanaryApp, CanaryStep, StepProfile } from '../../src/constructs';
import { myAppProps } from '../../src/main';
import { MemoryIo, runCli } from '../support/cli';

function routesYaml(): string {
  const app = new App({ outdir: '/nonexistent' });
  const chart = new Chart(app, 'routes');
  new CanaryApp(chart, 'App', {
    ...myAppProps(StepProfile.automatic()),
    name: 'routes',
    autoscaling: undefined,
    replicas: 4,
    lint: false,
    steps: [
      CanaryStep.setCanaryScaleReplicas(1),
      CanaryStep.setHeaderRoute({ name: 'testers', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] }),
      CanaryStep.pauseIndefinitely(),
      CanaryStep.removeHeaderRoute('testers'),
      CanaryStep.matchTrafficWeight(),
      CanaryStep.setWeight(25),
      CanaryStep.setMirrorRoute({ name: 'shadow', match: [{ method: { exact: 'GET' }, path: { prefix: '/' } }], percentage: 50 }),
      CanaryStep.pause('30s'),
      CanaryStep.removeMirrorRoute('shadow'),
      CanaryStep.setWeight(50),
      CanaryStep.setWeight(100),
      CanaryStep.pause('15s'),
    ],
  });
  return app.synthYaml();
}

const files = (): Record<string, string> => ({
  'routes.yaml': routesYaml(),
  'scenario.json': JSON.stringify({ events: [{ at: 0, update: { image: 'my-image:2' } }, { at: 20, promote: {} }] }),
});
/** The ROUTES cell (last column) of the table line whose first cell is `first`. */
const routesCell = (out: string, first: string): string | undefined => {
  const line = out.split('\n').find((l) => l.trim().split(/\s{2,}/)[0] === first);
  return line?.trim().split(/\s{2,}/).at(-1);
};

describe('plan and simulate show header and mirror routes', () => {
  it('plan --format table: a ROUTES column per step and the route details below', async () => {
    const { code, out } = await runCli(['plan', 'routes.yaml'], new MemoryIo(files(), false));
    expect(code).toBe(0);
    expect(out).toMatch(/ PAUSE +ROUTES\n/);
    expect(['0', '1', '2', '3', '6', '7', '8'].map((step) => routesCell(out, step))).toEqual(['-', 'testers(header)', 'testers(header)', '-', 'shadow(mirror 50%)', 'shadow(mirror 50%)', '-']);
    expect(out).toContain('   3  remove header route testers ');
    expect(out).toContain(
      ['Routes:', '  testers(header) [x-canary=exact:yes] -> canary:80 100', '  shadow(mirror 50%) [method=exact:GET uri=prefix:/] -> stable:80 75, canary:80 25 (mirror', '    canary:80 50%)'].join('\n'),
    );
  });

  it('plan --format json: managedRoutes on every row of a Rollout with managed routes', async () => {
    const { out } = await runCli(['plan', 'routes.yaml', '--format', 'json'], new MemoryIo(files(), false));
    const rows = JSON.parse(out).rows as { step: number; managedRoutes: { name: string; kind: string }[] }[];
    expect(rows.every((r) => Array.isArray(r.managedRoutes))).toBe(true);
    expect(rows.map((r) => r.managedRoutes.map((x) => `${x.name}:${x.kind}`).join(','))).toEqual(['', 'testers:header', 'testers:header', '', '', '', 'shadow:mirror', 'shadow:mirror', '', '', '', '']);
  });

  it('plan --format svg: a routes panel with one row per route, and the routes in the description', async () => {
    const { out } = await runCli(['plan', 'routes.yaml', '--format', 'svg'], new MemoryIo(files(), false));
    expect(out).toContain('>Header and mirror routes (in the VirtualService after the step)</text>');
    // route cells (the step axis also says "header" under step 1, in the muted colour)
    expect(out.match(/fill="#b35c00">header<\/text>/g)).toHaveLength(2);
    expect(out.match(/fill="#2f5597">mirror 50%<\/text>/g)).toHaveLength(2);
    expect(out).toContain('step 1 header route testers: canary 0% / stable 100%, 1 canary + 4 stable = 5 pods (0), routes: testers(header)');
    expect(out).toContain('>no header</text>');
    const height = Number(/ height="(\d+)"/.exec(out)?.[1]);
    const lowest = Math.max(...[...out.matchAll(/<text x="[\d.]+" y="([\d.]+)"/g)].map((m) => Number(m[1])));
    expect(lowest).toBeLessThan(height);
  });

  it('simulate --format table: the VirtualService routes in order, managed ones marked', async () => {
    const { code, out } = await runCli(['simulate', 'routes.yaml', '--scenario', 'scenario.json'], new MemoryIo(files(), false));
    expect(code).toBe(0);
    expect(out).toMatch(/ MSG +ROUTES\n/);
    const cells = out.split('\n').filter((l) => /^\s*\d+(-\d+)? +\d/.test(l)).map((l) => l.trim().split(/\s{2,}/).at(-1));
    expect([...new Set(cells)]).toEqual(['primary', 'testers(header) primary', 'shadow(mirror 50%) primary']);
    expect(out.replace(/\s+/g, ' ')).toContain('ROUTES: the VirtualService\'s http routes in order, header and mirror routes marked, listed below.');
    expect(out).toContain('  testers(header) [x-canary=exact:yes] -> canary:80 100\n');
  });

  it('a Rollout without managed routes keeps its tables as before (no ROUTES column)', async () => {
    const { out } = await runCli(['plan', 'test/fixtures/article-automatic.yaml']);
    expect(out).not.toContain('ROUTES');
    expect(out).not.toContain('Routes:');
  });
});
