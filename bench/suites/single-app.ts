/**
 * One CanaryApp against the same 8 objects as raw cdk8s ApiObjects, both synthesized in-process
 * the way `cdk8s synth` runs a program (`new App()`, one Chart, `app.synth()` to a directory).
 */
import { App, Chart } from 'cdk8s';
import { addRawApp } from '../baselines/cdk8s-synth';
import { addCanaryApp } from '../fixtures/canary-app-fleet';
import { Reported, figure, report, timePerCallPair } from '../harness';
import { CanaryFleet } from '../../src/fleet';
import { RULE_CATALOGUE } from '../../src/lint/rule-catalogue';
import { SuiteContext } from './suite';

const NAME = 'my-app';

export function* singleAppSuite(ctx: SuiteContext): Generator<Reported> {
  const samples = ctx.repeats ?? (ctx.quick ? 7 : 15);
  const outdir = ctx.tempDir();
  const canary = () => {
    const app = new App({ outdir, recordConstructMetadata: false });
    addCanaryApp(new Chart(app, NAME), NAME);
    app.synth();
  };
  const canaryNoLint = () => {
    const app = new App({ outdir, recordConstructMetadata: false });
    addCanaryApp(new Chart(app, NAME), NAME, false);
    app.synth();
  };
  // The synth-time lint with every rule disabled: its validation, the kept renders and the check
  // at the write, the index and the Rollout view, but no rule (what the rules cost is the rest).
  const noRules = { disable: RULE_CATALOGUE.map((rule) => rule.id) };
  const canaryNoRules = () => {
    const app = new App({ outdir, recordConstructMetadata: false });
    addCanaryApp(new Chart(app, NAME), NAME, noRules);
    app.synth();
  };
  const raw = () => {
    const app = new App({ outdir, recordConstructMetadata: false });
    addRawApp(new Chart(app, NAME), NAME);
    app.synth();
  };
  const fleetOfOne = () => {
    new CanaryFleet({ outdir, recordConstructMetadata: false }).addApp(NAME, (chart) => addCanaryApp(chart, NAME)).synth();
  };
  ctx.log(`single-app: ${samples} interleaved samples per pair`);
  const method = `median of ${samples} interleaved batches (>= 20 ms each) after a warm-up of >= 200 calls; App + Chart + app.synth() to a directory`;
  const [tCanary, tRaw] = timePerCallPair(canary, raw, samples);
  yield report(figure('single-app/canary-app', 1, tCanary * 1e3, 'ms', 'raw cdk8s ApiObjects, same objects', tRaw * 1e3), method, {
    maxRatio: 1.2,
  });
  // The same app with its synth-time lint turned off: what construction and rendering cost alone.
  const [tNoLint, tRaw3] = timePerCallPair(canaryNoLint, raw, samples);
  yield report(figure('single-app/canary-app-lint-off', 1, tNoLint * 1e3, 'ms', 'raw cdk8s ApiObjects, same objects', tRaw3 * 1e3), method);
  const [tNoRules, tRaw4] = timePerCallPair(canaryNoRules, raw, samples);
  yield report(figure('single-app/canary-app-lint-no-rules', 1, tNoRules * 1e3, 'ms', 'raw cdk8s ApiObjects, same objects', tRaw4 * 1e3), method);
  const [tFleet, tRaw2] = timePerCallPair(fleetOfOne, raw, samples);
  yield report(
    figure('single-app/canary-fleet-of-one', 1, tFleet * 1e3, 'ms', 'raw cdk8s ApiObjects, same objects', tRaw2 * 1e3),
    method.replace('App + Chart + app.synth()', 'CanaryFleet.synth()'),
  );
}
