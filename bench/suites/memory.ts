/**
 * Peak memory for the largest n: maxRSS of a child process that runs one task once, next to its
 * baseline task in the same kind of child (one child each: maxRSS is stable to a few MiB between
 * runs, unlike timings).
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { Reported, figure, report } from '../harness';
import { SuiteContext } from './suite';

interface ChildResult {
  readonly maxRssMiB: number;
  readonly seconds: number;
}

function runChild(ctx: SuiteContext, task: string, n: number): ChildResult {
  const script = path.join(ctx.root, 'bench', 'children', 'peak-rss.ts');
  const stdout = execFileSync(process.execPath, ['-r', 'tsx/cjs', script, task, String(n)], {
    cwd: ctx.root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
}

const PAIRS = [
  { task: 'canary-fleet', name: 'peak-rss/fleet-synth/canary-app', baseline: 'plain-yaml', baselineLabel: 'plain YAML writer (limit)' },
  { task: 'lint', name: 'peak-rss/lint', baseline: 'yaml-parse', baselineLabel: 'YAML parse alone' },
] as const;

export function* memorySuite(ctx: SuiteContext): Generator<Reported> {
  const n = ctx.quick ? 500 : 2000;
  ctx.log(`memory: n=${n} apps, one child process per task`);
  const baselines = new Map<string, ChildResult>();
  for (const p of PAIRS) {
    if (!baselines.has(p.baseline)) {
      baselines.set(p.baseline, runChild(ctx, p.baseline, n));
    }
    const r = runChild(ctx, p.task, n);
    yield report(
      figure(p.name, n, r.maxRssMiB, 'MiB', `${p.baselineLabel}, same n`, baselines.get(p.baseline)!.maxRssMiB),
      'maxRSS of one child process (process.resourceUsage)',
      { maxValue: 1024 },
    );
  }
}
