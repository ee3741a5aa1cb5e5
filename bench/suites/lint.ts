/**
 * Lint of N apps' YAML (parse every document, then `lintManifests` over all objects, as
 * `cdk8s-canary lint FILES...` does) against YAML parsing alone. Up to 1,000 apps both run
 * in-process, interleaved; the largest n runs in child processes (lint and parse alternately),
 * which also gives the peak memory of each. Then one large file (50 MB, 10 MB with --quick: many
 * apps in a single manifest) linted and parsed in child processes the same way.
 */
import { runChildTask, type ChildResult } from '../children/run-child';
import { fleetTexts, lintTexts, parseTexts } from '../fixtures/fleet-texts';
import { removeLargeManifest, writeLargeManifest } from '../fixtures/large-manifest';
import { Reported, figure, median, methodOf, report, timeInterleaved } from '../harness';
import { SuiteContext } from './suite';

export function* lintSuite(ctx: SuiteContext): Generator<Reported> {
  yield* lintLargeManifest(ctx);
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

/** One large manifest (issue 20 item 14: a 50 MB file took 29-35 s and 1.8 GB to lint). */
export function* lintLargeManifest(ctx: SuiteContext): Generator<Reported> {
  const megabytes = ctx.quick ? 10 : 50;
  const apps = writeLargeManifest(megabytes);
  try {
    const wanted = ctx.repeats ?? (ctx.quick ? 1 : 3);
    ctx.log(`lint: one ${megabytes} MB manifest (${apps} apps, ${apps * 8} objects) in child processes, up to ${wanted} lint/parse pairs`);
    const lint: ChildResult[] = [];
    const parse: ChildResult[] = [];
    const started = Date.now();
    while (lint.length < wanted) {
      parse.push(runChildTask(ctx.root, 'yaml-parse-large', megabytes));
      lint.push(runChildTask(ctx.root, 'lint-large', megabytes));
      const elapsed = (Date.now() - started) / 1000;
      if (elapsed + elapsed / lint.length > (ctx.quick ? 60 : 240)) break;
    }
    const method = `median of ${lint.length} child-process pairs (lint, parse alternately), task time only; baseline: yaml's parseAllDocuments + toJS of the same text`;
    yield report(
      figure('lint/large-manifest', megabytes, median(lint.map((r) => r.seconds)), 's', 'YAML parse alone', median(parse.map((r) => r.seconds))),
      `${method}; n = MB; ${apps} apps in one file`,
      { maxRatio: 1.5 },
    );
    yield report(
      figure('peak-rss/lint-large-manifest', megabytes, Math.max(...lint.map((r) => r.maxRssMiB)), 'MiB', 'YAML parse alone, same file', Math.max(...parse.map((r) => r.maxRssMiB))),
      'highest maxRSS of those child processes (process.resourceUsage)',
    );
  } finally {
    removeLargeManifest(megabytes);
  }
}
