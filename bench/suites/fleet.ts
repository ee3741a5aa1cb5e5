/**
 * Fleet synthesis, one output file per app, N = 1, 100, 1,000, 2,000 apps, against:
 * (a) the same objects written as plain YAML (the limit) and (b) raw cdk8s ApiObjects with one
 * chart per app in one App (cdk8s's quadratic path).
 *
 * Variants compared with each other run in the same interleaved rounds, so they share the
 * machine's noise: group A = the fleet, the plain-YAML limit and "n/100 fleets of 100 apps" (the
 * same apps in chunks: fleet(n) / chunks is the time per app at n over the time per app at 100,
 * measured side by side); group B = the fleet and the slow quadratic baseline.
 */
import { synthCanaryFleet, synthRawChartPerApp, synthRawFleet, synthRawOneChart } from '../baselines/cdk8s-synth';
import { writePlainYamlFleet } from '../baselines/plain-yaml';
import { fleetAppName } from '../fixtures/article-app';
import { Reported, Schedule, Timings, Variant, figure, methodOf, report, round, timeInterleaved } from '../harness';
import { SuiteContext } from './suite';

const PLAIN = 'plain YAML (limit)';
const CHART_PER_APP = 'raw cdk8s, chart per app';
const ONE_CHART = 'raw cdk8s, one chart';
const RAW_FLEET = 'CanaryFleet of raw ApiObjects';
const CANARY_FLEET = 'CanaryFleet of CanaryApps';
const CHUNK = 100;
const CHUNKED = `same apps as fleets of ${CHUNK}`;

/** Fewer, longer samples as n grows; budgets keep a full run within a few minutes. */
function schedules(n: number, ctx: SuiteContext): { a: Schedule; b: Schedule } {
  const a: Schedule =
    n <= 1
      ? { warmup: 2, repeats: 9, budgetSeconds: 10, batch: 20 }
      : n <= 100
        ? { warmup: 2, repeats: 9, budgetSeconds: 15 }
        : n <= 1000
          ? { warmup: 1, repeats: 5, budgetSeconds: 20 }
          : // The 2,000-app target figures: 9 rounds (about 20 s each). On this shared machine one round's
            // fleet/chunked ratio ranged from 0.68 to 1.35 over 30 paired rounds (median 0.94), so a
            // median of 3 rounds could land anywhere from 0.9 to 1.33 from one run to the next, and
            // one round's fleet/plain ratio ranged from 1.19 to 1.80 within one run at load 1-2.
            // At load 13-16 a round took 75 s, and the budget alone left 4 rounds: 7 at least.
            { warmup: 1, repeats: 9, budgetSeconds: 300, minRepeats: 7 };
  const b: Schedule = n <= 1 ? { warmup: 1, repeats: 7, budgetSeconds: 5, batch: 20 } : n <= 100 ? { warmup: 1, repeats: 5, budgetSeconds: 10 } : { warmup: 0, repeats: 3, budgetSeconds: n <= 1000 ? 15 : 30 };
  const adjust = (s: Schedule): Schedule => ({
    ...s,
    ...(ctx.quick ? { warmup: Math.min(s.warmup, 1), repeats: Math.min(s.repeats, 3) } : {}),
    ...(ctx.repeats !== undefined ? { repeats: ctx.repeats } : {}),
  });
  return { a: adjust(a), b: adjust(b) };
}

function chunks(names: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < names.length; i += CHUNK) {
    out.push(names.slice(i, i + CHUNK));
  }
  return out;
}

/** Each round's `label` sample over its `baseline` sample (the rounds pair samples taken side by side). */
function roundRatios(t: Timings, label: string, baseline: string): number[] {
  const base = t.samples.get(baseline)!;
  return t.samples.get(label)!.map((x, i) => x / base[i]);
}

function spreadOf(xs: readonly number[]): { min: number; max: number } {
  return { min: round(Math.min(...xs)), max: round(Math.max(...xs)) };
}

export function* fleetSuite(ctx: SuiteContext): Generator<Reported> {
  const sizes = ctx.quick ? [1, 100, 500] : [1, 100, 1000, 2000];
  for (const n of sizes) {
    const names = Array.from({ length: n }, (_, i) => fleetAppName(i));
    const { a, b } = schedules(n, ctx);
    const groupA: Variant[] = [
      { label: PLAIN, run: (dir) => writePlainYamlFleet(dir, names) },
      { label: CANARY_FLEET, run: (dir) => synthCanaryFleet(dir, names) },
    ];
    if (n > CHUNK) {
      const parts = chunks(names);
      groupA.push({ label: CHUNKED, run: (dir) => parts.forEach((p) => synthCanaryFleet(dir, p)) });
    } else {
      // informative only (where the CanaryApp overhead comes from, and the one-file layout)
      groupA.push(
        { label: RAW_FLEET, run: (dir) => synthRawFleet(dir, names) },
        { label: ONE_CHART, run: (dir) => synthRawOneChart(dir, names) },
      );
    }
    ctx.log(`fleet: n=${n}, group A (${groupA.length} variants, ${a.warmup} warm-up + up to ${a.repeats} rounds)`);
    const ta = timeInterleaved(groupA, a);
    const ma = ta.medians;
    const methodA = methodOf(ta, 'interleaved');
    const ratios = roundRatios(ta, CANARY_FLEET, PLAIN);
    yield report(
      { ...figure('fleet-synth/canary-app', n, ma.get(CANARY_FLEET)!, 's', PLAIN, ma.get(PLAIN)!), spread: spreadOf(ta.samples.get(CANARY_FLEET)!) },
      `${methodA}; ratio per round ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`,
      n === 2000 ? { maxRatio: 1.5 } : undefined,
    );
    if (n > CHUNK) {
      yield report(
        figure('fleet-synth/canary-app/time-per-app', n, (ma.get(CANARY_FLEET)! / n) * 1e3, 'ms', `time per app at n=${CHUNK}`, (ma.get(CHUNKED)! / n) * 1e3),
        `${methodA}; baseline = the same ${n} apps as ${n / CHUNK} fleets of ${CHUNK}`,
        n === 2000 ? { maxRatio: 1.3 } : undefined,
      );
    } else {
      yield* [
        report(figure('fleet-synth/raw-api-objects', n, ma.get(RAW_FLEET)!, 's', PLAIN, ma.get(PLAIN)!), methodA),
        report(figure('baseline/raw-one-chart', n, ma.get(ONE_CHART)!, 's', PLAIN, ma.get(PLAIN)!), `${methodA}; one file for all apps`),
      ];
    }

    ctx.log(`fleet: n=${n}, group B (fleet vs raw chart per app, ${b.warmup} warm-up + up to ${b.repeats} rounds)`);
    const tb: Timings = timeInterleaved(
      [
        { label: CHART_PER_APP, run: (dir) => synthRawChartPerApp(dir, names) },
        { label: CANARY_FLEET, run: (dir) => synthCanaryFleet(dir, names) },
      ],
      b,
    );
    yield report(
      figure('fleet-synth/canary-app', n, tb.medians.get(CANARY_FLEET)!, 's', CHART_PER_APP, tb.medians.get(CHART_PER_APP)!),
      methodOf(tb, 'interleaved'),
    );
  }
}
