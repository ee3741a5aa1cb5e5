/**
 * Peak memory of fleet synthesis for the largest n: maxRSS of a child process that runs it once,
 * next to the plain-YAML writer in the same kind of child (one child each: maxRSS is stable to a
 * few MiB between runs, unlike timings). Lint's peak memory is measured by the lint suite.
 */
import { runChildTask } from '../children/run-child';
import { Reported, figure, report } from '../harness';
import { SuiteContext } from './suite';

export function* memorySuite(ctx: SuiteContext): Generator<Reported> {
  const n = ctx.quick ? 500 : 2000;
  ctx.log(`memory: n=${n} apps, fleet and plain YAML in child processes`);
  const base = runChildTask(ctx.root, 'plain-yaml', n);
  const fleet = runChildTask(ctx.root, 'canary-fleet', n);
  yield report(
    figure('peak-rss/fleet-synth/canary-app', n, fleet.maxRssMiB, 'MiB', 'plain YAML writer (limit), same n', base.maxRssMiB),
    'maxRSS of one child process each (process.resourceUsage)',
    { maxValue: 1024 },
  );
}
