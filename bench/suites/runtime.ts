/**
 * `plan` and `simulate` per rollout (the article's automatic and manual profiles, 10 replicas),
 * against parsing the same app's YAML (what the CLI must do before either).
 */
import { parseAllDocuments } from 'yaml';
import { ProfileName, articleAppModel, articleAppYaml } from '../fixtures/rendered-apps';
import { Reported, figure, report, timePerCallPair } from '../harness';
import { Scenario, plan, simulate } from '../../src/runtime';
import { SuiteContext } from './suite';

const REPLICAS = 10;

/** Promote events every `every` seconds, enough for each indefinite pause of the profile. */
function scenarioFor(profile: ProfileName, pauses: number): Scenario {
  const every = 120;
  return {
    replicas: REPLICAS,
    podReadySeconds: 5,
    events: [
      { at: 0, update: { image: 'my-image:2' } },
      ...Array.from({ length: profile === 'manual' ? pauses : 0 }, (_, i) => ({ at: every * (i + 1), promote: {} })),
    ],
  };
}

export function* runtimeSuite(ctx: SuiteContext): Generator<Reported> {
  const samples = ctx.repeats ?? (ctx.quick ? 5 : 11);
  for (const profile of ['automatic', 'manual'] as const) {
    const yaml = articleAppYaml(profile);
    const model = articleAppModel(profile);
    const steps = model.spec.strategy.canary?.steps ?? [];
    const parse = () => parseAllDocuments(yaml).map((d) => d.toJS());
    const method = `median of ${samples} interleaved batches (>= 20 ms each) after a warm-up of >= 200 calls`;

    const rows = plan(model, { replicas: REPLICAS }).rows;
    if (rows.length !== steps.length) {
      throw new Error(`runtime bench: plan of ${profile} has ${rows.length} rows for ${steps.length} steps`);
    }
    ctx.log(`runtime: plan and simulate, ${profile} profile (${steps.length} steps, ${REPLICAS} replicas)`);
    // Every call gets its own copy of the model (made outside the timing), as a CLI run would:
    // memos keyed by the model's objects cannot carry over from one call to the next.
    const freshPlan = { make: () => structuredClone(model), run: (m: typeof model) => plan(m, { replicas: REPLICAS }) };
    const [tPlan, tParse] = timePerCallPair(freshPlan, parse, samples);
    yield report(
      figure(`plan/${profile}`, steps.length, tPlan * 1e3, 'ms', 'YAML parse of the same app', tParse * 1e3),
      `${method}; n = steps; a fresh copy of the model per call`,
      { maxValue: 0.1 },
    );

    const pauses = steps.filter((s) => s.pause && s.pause.duration === undefined).length;
    const scenario = scenarioFor(profile, pauses);
    const last = simulate(model, scenario).ticks.at(-1);
    if (last === undefined || last.stepIndex !== steps.length || last.phase !== 'Healthy' || last.weights.canary !== 0) {
      throw new Error(`runtime bench: the ${profile} scenario does not complete the rollout (last tick ${JSON.stringify(last)})`);
    }
    const fresh = { make: () => structuredClone(model), run: (m: typeof model) => simulate(m, scenario) };
    const [tSim, tParse2] = timePerCallPair(fresh, parse, samples);
    yield report(
      figure(`simulate/${profile}-full-rollout`, steps.length, tSim * 1e3, 'ms', 'YAML parse of the same app', tParse2 * 1e3),
      `${method}; n = steps; update to Healthy${pauses ? `, ${pauses} promotes` : ''}; a fresh copy of the model per call`,
      { maxValue: 1 },
    );
  }
}
