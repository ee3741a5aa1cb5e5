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

function scheduleFor(n: number, ctx: SuiteContext): Schedule {
  const repeats = ctx.repeats ?? (n <= 1 ? 21 : n <= 100 ? 9 : n <= 1000 ? 5 : 3);
  return { warmup: n <= 100 ? 3 : 1, repeats };
}

export function* fleetSuite(ctx: SuiteContext): Generator<Reported> {
  const sizes = ctx.quick ? [1, 100, 500] : [1, 100, 1000, 2000];
  const perApp = { [CANARY_FLEET]: new Map<number, number>(), [RAW_FLEET]: new Map<number, number>() };
  for (const n of sizes) {
    const names = Array.from({ length: n }, (_, i) => fleetAppName(i));
    const schedule = scheduleFor(n, ctx);
    ctx.log(`fleet: n=${n} (${schedule.warmup} warm-up + ${schedule.repeats} repeats per variant)`);
    const variants: Variant[] = [
      { label: PLAIN, run: (dir) => writePlainYamlFleet(dir, names) },
      { label: CANARY_FLEET, run: (dir) => synthCanaryFleet(dir, names) },
      { label: RAW_FLEET, run: (dir) => synthRawFleet(dir, names) },
      { label: CHART_PER_APP, run: (dir) => synthRawChartPerApp(dir, names), skipWarmup: n > 100 },
      { label: ONE_CHART, run: (dir) => synthRawOneChart(dir, names) },
    ];
    const t = timeInterleaved(variants, schedule);
    const method = methodOf(schedule, 'interleaved');
    const fleet = t.get(CANARY_FLEET)!;
    const raw = t.get(RAW_FLEET)!;
    perApp[CANARY_FLEET].set(n, fleet / n);
    perApp[RAW_FLEET].set(n, raw / n);
    yield* [
      report(figure('fleet-synth/canary-app', n, fleet, 's', PLAIN, t.get(PLAIN)!), method, n === 2000 ? { maxRatio: 1.5 } : undefined),
      report(figure('fleet-synth/canary-app', n, fleet, 's', CHART_PER_APP, t.get(CHART_PER_APP)!), method),
      report(figure('fleet-synth/raw-api-objects', n, raw, 's', PLAIN, t.get(PLAIN)!), method),
      report(figure('baseline/raw-chart-per-app', n, t.get(CHART_PER_APP)!, 's', PLAIN, t.get(PLAIN)!), method),
      report(figure('baseline/raw-one-chart', n, t.get(ONE_CHART)!, 's', PLAIN, t.get(PLAIN)!), method),
    ];
  }
  for (const [label, name] of [[CANARY_FLEET, 'canary-app'], [RAW_FLEET, 'raw-api-objects']] as const) {
    const base = perApp[label].get(100)!;
    for (const n of sizes.filter((x) => x > 100)) {
      yield report(
        figure(`fleet-synth/${name}/time-per-app`, n, perApp[label].get(n)! * 1e3, 'ms', 'time per app at n=100', base * 1e3),
        'from the medians above',
        n === 2000 && label === CANARY_FLEET ? { maxRatio: 1.3 } : undefined,
      );
    }
  }
}
