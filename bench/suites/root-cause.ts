/**
 * Root cause of cdk8s's quadratic cost with one chart per app (cdk8s 2.70, lib/app.js):
 *
 *   App.synth()                        for each chart (FILE_PER_CHART):
 *     chart.toJson()                     -> App._synthChart(chart)
 *       resolveDependencies(App.of(chart), new SynthRequestCache())   walks the WHOLE app
 *       validate(App.of(chart), cache)                                 node.validate() on EVERY construct
 *       chartToKube(chart)                                             this chart only
 *
 * The cache is created per call, so every one of the N charts re-walks all ~9N constructs:
 * O(N^2) construct visits. This suite proves it by counting `Node.validate()` calls (exact, not
 * noisy) and by timing one `chart.toJson()` in apps of growing size.
 */
import { App, Chart } from 'cdk8s';
import { Node } from 'constructs';
import { addRawApp } from '../baselines/cdk8s-synth';
import { fleetAppName } from '../fixtures/article-app';
import { Reported, figure, report, timePerCallPair } from '../harness';
import { SuiteContext } from './suite';

/** Calls of `Node.prototype.validate` while `fn` runs. */
function countValidateCalls(fn: () => void): number {
  const original = Node.prototype.validate;
  let calls = 0;
  Node.prototype.validate = function (this: Node) {
    calls++;
    return original.call(this);
  };
  try {
    fn();
  } finally {
    Node.prototype.validate = original;
  }
  return calls;
}

function chartPerAppApp(outdir: string, n: number): { app: App; charts: Chart[] } {
  const app = new App({ outdir, recordConstructMetadata: false });
  const charts: Chart[] = [];
  for (let i = 0; i < n; i++) {
    const chart = new Chart(app, fleetAppName(i));
    addRawApp(chart, fleetAppName(i));
    charts.push(chart);
  }
  return { app, charts };
}

export function* rootCauseSuite(ctx: SuiteContext): Generator<Reported> {
  for (const n of ctx.quick ? [100, 500] : [100, 1000]) {
    const dir = ctx.tempDir();
    const { app } = chartPerAppApp(dir, n);
    const constructs = app.node.findAll().length;
    const calls = countValidateCalls(() => app.synth());
    yield* [
      report(
        figure('cdk8s-root-cause/validate-calls-in-app.synth', n, calls, 'calls', 'constructs in the app', constructs),
        'exact count (Node.validate instrumented); ratio = visits per construct, grows with n',
      ),
    ];
  }
  const samples = ctx.quick ? 5 : 9;
  const alone = chartPerAppApp(ctx.tempDir(), 1).charts[0];
  for (const n of ctx.quick ? [100, 500] : [100, 1000, 2000]) {
    const { charts } = chartPerAppApp(ctx.tempDir(), n);
    const [inBig, inSmall] = timePerCallPair(() => charts[0].toJson(), () => alone.toJson(), samples);
    yield* [
      report(
        figure('cdk8s-root-cause/one-chart.toJson', n, inBig * 1e3, 'ms', 'same chart alone in its App', inSmall * 1e3),
        `median of ${samples} interleaved batches; app of n charts`,
      ),
    ];
  }
}
