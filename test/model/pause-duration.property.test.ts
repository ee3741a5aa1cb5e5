/**
 * One pause-duration grammar (src/model/pause-duration.ts): CanaryApp, the runtime reader and the
 * lint judge every duration string the same. The controller's judgement is the reference: a string
 * it refuses is refused by all three; a string it reads is read by the runtime and passed by the
 * lint, and CanaryApp either takes it or refuses it with a message that says it is a CanaryApp rule.
 */
import { Testing } from 'cdk8s';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CanaryApp, CanaryAppError, CanaryStep, StepProfile } from '../../src/constructs';
import { lintManifests } from '../../src/lint/lint-manifests';
import { myAppProps } from '../../src/main';
import { argoPauseSeconds } from '../../src/model/pause-duration';
import { readManifests } from '../../src/model/manifests';
import { clone, fixture, objectOf } from '../lint/helpers';

type Verdict = { readonly accepted: true; readonly seconds?: number } | { readonly accepted: false; readonly message: string };

const steps = (duration: string) => [{ setWeight: 50 }, { pause: { duration } }, { setWeight: 100 }, { pause: { duration: '30s' } }];

/** The lint fixture's clean app with the pause `duration` in its steps. */
function manifestsWith(duration: string): Record<string, unknown>[] {
  const objects = clone(fixture('clean'));
  objectOf(objects, 'Rollout').spec.strategy.canary.steps = steps(duration);
  return objects;
}

function runtimeVerdict(duration: string): Verdict {
  try {
    const model = readManifests(manifestsWith(duration));
    const pause = model.spec.strategy.canary?.steps?.[1].pause;
    return { accepted: true, seconds: argoPauseSeconds(pause?.duration) };
  } catch (err) {
    return { accepted: false, message: (err as Error).message };
  }
}

function lintVerdict(duration: string): Verdict {
  const about = lintManifests(manifestsWith(duration)).filter((f) => f.message.includes('steps[1].pause.duration'));
  return about.length === 0 ? { accepted: true } : { accepted: false, message: about.map((f) => `[${f.rule}] ${f.message}`).join('\n') };
}

/** CanaryApp's verdict: `accepted` also when it refuses the string with a CanaryApp rule only. */
function canaryAppVerdict(duration: string): Verdict & { readonly canaryAppRule?: boolean } {
  const props = { ...myAppProps(StepProfile.automatic()), steps: [CanaryStep.setWeight(50), CanaryStep.pause(duration), CanaryStep.setWeight(100), CanaryStep.pause('30s')] };
  try {
    new CanaryApp(Testing.chart(), 'app', props);
    return { accepted: true };
  } catch (err) {
    if (!(err instanceof CanaryAppError)) throw err;
    const lines = err.message.split('\n').filter((l) => l.includes('steps[1].pause.duration'));
    expect(lines, err.message).toHaveLength(1);
    if (lines[0].includes('(a CanaryApp rule')) return { accepted: true, canaryAppRule: true };
    return { accepted: false, message: lines[0] };
  }
}

const examples = ['1.5s', '15s', '1h30m', '90', '0', '', '-5s', '-0.5s', '+5', '1500ms', '.5s', '5.s', '1h1.5m', '2562048h', '2147483647', '2147483648', '15x', '1 m', 'm5', '5µs', '1e3s'];

/** Strings near the grammar: digits, signs, dots, units and some noise. */
const durationString = fc.oneof(
  fc.constantFrom(...examples),
  fc.array(fc.constantFrom('0', '1', '5', '9', '.', '+', '-', 'h', 'm', 's', 'ms', 'us', 'µs', 'ns', ' ', 'x'), { maxLength: 8 }).map((parts) => parts.join('')),
  fc.tuple(fc.nat(5000), fc.constantFrom('', 's', 'm', 'h', 'ms', '.5s', 'm30s')).map(([n, unit]) => `${n}${unit}`),
);

describe('one pause-duration grammar', () => {
  it('CanaryApp, the runtime reader and the lint judge each duration string the same', () => {
    fc.assert(
      fc.property(durationString, (duration) => {
        const argo = argoPauseSeconds(duration);
        const runtime = runtimeVerdict(duration);
        const lint = lintVerdict(duration);
        const app = canaryAppVerdict(duration);
        expect(runtime.accepted, `runtime on ${JSON.stringify(duration)}: ${JSON.stringify(runtime)}`).toBe(argo !== undefined);
        expect(lint.accepted, `lint on ${JSON.stringify(duration)}: ${JSON.stringify(lint)}`).toBe(argo !== undefined);
        expect(app.accepted, `CanaryApp on ${JSON.stringify(duration)}: ${JSON.stringify(app)}`).toBe(argo !== undefined);
        if (runtime.accepted) expect(runtime.seconds).toBe(argo);
        if (!runtime.accepted) expect(runtime.message).toContain(`steps[1].pause.duration (${JSON.stringify(duration)})`);
        if (!lint.accepted) expect(lint.message).toContain(`steps[1].pause.duration (${JSON.stringify(duration)})`);
      }),
      { numRuns: 150, examples: examples.map((e) => [e]) },
    );
  });

  it('reads the controller\'s grammar: ints and Go durations, truncated, never negative', () => {
    expect(argoPauseSeconds('1.5s')).toBe(1);
    expect(argoPauseSeconds('1500ms')).toBe(1);
    expect(argoPauseSeconds('1h30m')).toBe(5400);
    expect(argoPauseSeconds('+5')).toBe(5);
    expect(argoPauseSeconds('-0.5s')).toBe(0);
    expect(argoPauseSeconds(30)).toBe(30);
    for (const refused of ['-5s', '-1', '', '15x', '1 m', '2147483648', '2562048h', 1.5, -3, null]) expect(argoPauseSeconds(refused), String(refused)).toBeUndefined();
  });

  it('CanaryApp says which of its refusals are its own rule', () => {
    expect(canaryAppVerdict('1.5s')).toEqual({ accepted: true, canaryAppRule: true });
    expect(canaryAppVerdict('1h30m')).toEqual({ accepted: true });
    expect(canaryAppVerdict('-5s')).toMatchObject({ accepted: false });
  });
});
