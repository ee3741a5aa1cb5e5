/**
 * Lint of N apps' YAML (parse every document, then `lintManifests` over all objects, as
 * `cdk8s-canary lint FILES...` does) against YAML parsing alone. Up to 1,000 apps both run
 * in-process, interleaved; the largest n runs in child processes (lint and parse alternately),
 * which also gives the peak memory of each.
 */
import { runChildTask, type ChildResult } from '../children/run-child';
import { fleetTexts, lintTexts, parseTexts } from '../fixtures/fleet-texts';
import { Reported, figure, median, methodOf, report, timeInterleaved } from '../harness';
import { SuiteContext } from './suite';

export function* lintSuite(ctx: SuiteContext): Generator<Reported> {
  const largest = ctx.quick ? 500 : 2000;
  for (const n of ctx.quick ? [100] : [100, 1000]) {
    const texts = fleetTexts(n);
    const schedule = { warmup: n <= 100 ? 2 : 0, repeats: ctx.repeats ?? (n <= 100 ? 9 : 3), budgetSeconds: n <= 100 ? 10 : 20 };
    ctx.log(`lint: n=${n} apps (${n * 8} objects, ${lintTexts(texts)} findings), up to ${schedule.repeats} rounds`);
    const t = timeInterleaved(
      [
        { label: 'lint', run: () => lintTexts(texts) },
        { label: 'parse', run: () => parseTexts(texts) },
      ],
      schedule,
    );
    yield report(
      figure('lint/apps', n, t.medians.get('lint')!, 's', 'YAML parse alone', t.medians.get('parse')!),
      methodOf(t, 'interleaved; parse + lintManifests over all objects'),
    );
  }

  const wanted = ctx.repeats ?? 3;
  const budgetSeconds = ctx.quick ? 20 : 60;
  ctx.log(`lint: n=${largest} apps in child processes, up to ${wanted} lint/parse pairs`);
  const lint: ChildResult[] = [];
  const parse: ChildResult[] = [];
  const started = Date.now();
  while (lint.length < wanted) {
    parse.push(runChildTask(ctx.root, 'yaml-parse', largest));
    lint.push(runChildTask(ctx.root, 'lint', largest));
    const elapsed = (Date.now() - started) / 1000;
    if (elapsed + elapsed / lint.length > budgetSeconds) {
      break;
    }
  }
  const method = `median of ${lint.length} child-process pairs (lint, parse alternately), task time only`;
  yield report(
    figure('lint/apps', largest, median(lint.map((r) => r.seconds)), 's', 'YAML parse alone', median(parse.map((r) => r.seconds))),
    `${method}; parse + lintManifests over all objects`,
    largest === 2000 ? { maxRatio: 2 } : undefined,
  );
  yield report(
    figure('peak-rss/lint', largest, Math.max(...lint.map((r) => r.maxRssMiB)), 'MiB', 'YAML parse alone, same n', Math.max(...parse.map((r) => r.maxRssMiB))),
    'highest maxRSS of those child processes (process.resourceUsage)',
    { maxValue: 1024 },
  );
}
