/**
 * Lint of N apps' YAML (parse every document, then `lintManifests` over all objects, as
 * `cdk8s-canary lint FILES...` does) against YAML parsing alone, interleaved.
 */
import { fleetTexts, lintTexts, parseTexts } from '../fixtures/fleet-texts';
import { Reported, figure, methodOf, report, timeInterleaved } from '../harness';
import { SuiteContext } from './suite';

export function* lintSuite(ctx: SuiteContext): Generator<Reported> {
  for (const n of ctx.quick ? [100, 500] : [100, 1000, 2000]) {
    const texts = fleetTexts(n);
    const findings = lintTexts(texts);
    const schedule = { warmup: n <= 100 ? 2 : 0, repeats: ctx.repeats ?? (n <= 100 ? 9 : 5), budgetSeconds: n <= 100 ? 10 : 25 };
    ctx.log(`lint: n=${n} apps (${n * 8} objects, ${findings} findings), up to ${schedule.repeats} rounds`);
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
      n === 2000 ? { maxRatio: 2 } : undefined,
    );
  }
}
