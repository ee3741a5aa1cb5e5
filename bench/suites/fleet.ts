/**
 * Fleet synthesis, one output file per app, N = 1, 100, 1,000, 2,000 apps, against:
 * (a) the same objects written as plain YAML (the limit) and (b) raw cdk8s ApiObjects with one
 * chart per app in one App (cdk8s's quadratic path). All variants of one n are interleaved.
 */
import { synthCanaryFleet, synthRawChartPerApp, synthRawFleet, synthRawOneChart } from '../baselines/cdk8s-synth';
import { writePlainYamlFleet } from '../baselines/plain-yaml';
import { fleetAppName } from '../fixtures/article-app';
import { Reported, Schedule, Variant, figure, methodOf, report, timeInterleaved } from '../harness';
import { SuiteContext } from './suite';

const PLAIN = 'plain YAML (limit)';
const CHART_PER_APP = 'raw cdk8s, chart per app';
const ONE_CHART = 'raw cdk8s, one chart';
const RAW_FLEET = 'CanaryFleet of raw ApiObjects';
const CANARY_FLEET = 'CanaryFleet of CanaryApps';

/** Fewer, longer samples as n grows; the budget keeps a full run within a few minutes. */
function scheduleFor(n: number, ctx: SuiteContext): Schedule {
  const base: Schedule =
    n <= 1
      ? { warmup: 3, repeats: 15, budgetSeconds: 10 }
      : n <= 100
        ? { warmup: 2, repeats: 7, budgetSeconds: 20 }
        : n <= 1000
          ? { warmup: 1, repeats: 5, budgetSeconds: 30 }
          : { warmup: 1, repeats: 3, budgetSeconds: 45 };
  const quick = ctx.quick ? { warmup: Math.min(base.warmup, 1), repeats: 3 } : {};
  return { ...base, ...quick, ...(ctx.repeats !== undefined ? { repeats: ctx.repeats } : {}) };
}

export function* fleetSuite(ctx: SuiteContext): Generator<Reported> {
  const sizes = ctx.quick ? [1, 100, 500] : [1, 100, 1000, 2000];
  const perApp = { [CANARY_FLEET]: new Map<number, number>(), [RAW_FLEET]: new Map<number, number>() };
  for (const n of sizes) {
    const names = Array.from({ length: n }, (_, i) => fleetAppName(i));
    const schedule = scheduleFor(n, ctx);
    // the informative variants (raw fleet, one chart) are left out at the largest n to save time
    const informative = n <= 1000;
    const variants: Variant[] = [
      { label: PLAIN, run: (dir) => writePlainYamlFleet(dir, names) },
      { label: CANARY_FLEET, run: (dir) => synthCanaryFleet(dir, names) },
      { label: CHART_PER_APP, run: (dir) => synthRawChartPerApp(dir, names), skipWarmup: n > 100 },
      ...(informative
        ? [
            { label: RAW_FLEET, run: (dir: string) => synthRawFleet(dir, names) },
            { label: ONE_CHART, run: (dir: string) => synthRawOneChart(dir, names) },
          ]
        : []),
    ];
    ctx.log(`fleet: n=${n}, ${variants.length} variants, ${schedule.warmup} warm-up + up to ${schedule.repeats} rounds`);
    const t = timeInterleaved(variants, schedule);
    const m = t.medians;
    const method = methodOf(t, 'interleaved');
    const fleet = m.get(CANARY_FLEET)!;
    perApp[CANARY_FLEET].set(n, fleet / n);
    yield* [
      report(figure('fleet-synth/canary-app', n, fleet, 's', PLAIN, m.get(PLAIN)!), method, n === 2000 ? { maxRatio: 1.5 } : undefined),
      report(figure('fleet-synth/canary-app', n, fleet, 's', CHART_PER_APP, m.get(CHART_PER_APP)!), method),
      report(figure('baseline/raw-chart-per-app', n, m.get(CHART_PER_APP)!, 's', PLAIN, m.get(PLAIN)!), method),
    ];
    if (informative) {
      perApp[RAW_FLEET].set(n, m.get(RAW_FLEET)! / n);
      yield* [
        report(figure('fleet-synth/raw-api-objects', n, m.get(RAW_FLEET)!, 's', PLAIN, m.get(PLAIN)!), method),
        report(figure('baseline/raw-one-chart', n, m.get(ONE_CHART)!, 's', PLAIN, m.get(PLAIN)!), method),
      ];
    }
  }
  for (const [label, name] of [[CANARY_FLEET, 'canary-app'], [RAW_FLEET, 'raw-api-objects']] as const) {
    const base = perApp[label].get(100)!;
    for (const n of [...perApp[label].keys()].filter((x) => x > 100)) {
      yield report(
        figure(`fleet-synth/${name}/time-per-app`, n, perApp[label].get(n)! * 1e3, 'ms', 'time per app at n=100', base * 1e3),
        'from the medians above',
        n === 2000 && label === CANARY_FLEET ? { maxRatio: 1.3 } : undefined,
      );
    }
  }
}
