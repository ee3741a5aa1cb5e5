/**
 * Peak memory (maxRSS of a child process that runs one task once) for the largest n, against the
 * plain-YAML writer of the same n in the same kind of child.
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

/** One child per task (maxRSS is stable to a few MiB between runs, unlike timings). */
export function* memorySuite(ctx: SuiteContext, tasks: readonly { task: string; label: string }[] = []): Generator<Reported> {
  const n = ctx.quick ? 500 : 2000;
  const all = [{ task: 'raw-fleet', label: 'fleet-synth/raw-api-objects' }, ...tasks];
  ctx.log(`memory: n=${n}, ${all.length + 1} child processes`);
  const base = runChild(ctx, 'plain-yaml', n);
  for (const t of all) {
    const r = runChild(ctx, t.task, n);
    yield report(
      figure(`peak-rss/${t.label}`, n, r.maxRssMiB, 'MiB', 'plain YAML (limit), same n', base.maxRssMiB),
      'maxRSS of one child process (process.resourceUsage)',
      { maxValue: 1024 },
    );
  }
}
