/**
 * CanaryApp runs the lint rules (src/lint) as a construct validation, so `cdk8s synth` fails on the
 * article's pitfalls even when they come in through props.
 */
import { Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { CanaryApp, CanaryStep, StepProfile, TrafficSplit, type CanaryAppProps } from '../../src/constructs';
import { myAppProps } from '../../src/main';
import { synth } from '../support/manifests';

const withSteps = (steps: CanaryStep[], extra: Partial<CanaryAppProps> = {}) => () =>
  synth((chart) => new CanaryApp(chart, 'App', { ...myAppProps(StepProfile.automatic()), steps, ...extra } as CanaryAppProps));

describe('CanaryApp lint validation at synth', () => {
  it('the article\'s profiles synthesize without findings', () => {
    expect(() => synth((chart) => new CanaryApp(chart, 'App', myAppProps(StepProfile.automatic())))).not.toThrow();
    expect(() => synth((chart) => new CanaryApp(chart, 'App', myAppProps(StepProfile.manual())))).not.toThrow();
  });

  it('a single setWeight: 100 step (everything at once) fails synth with the rule, object and fix', () => {
    const run = withSteps([CanaryStep.setWeight(100), CanaryStep.pause(Duration.seconds(15))]);
    expect(run).toThrow(/Validation failed[\s\S]*\[all-at-once\] Rollout\/my-app-rollout spec\.strategy\.canary\.steps/);
    expect(run).toThrow(/Fix: /);
  });

  it('a profile that adds half the pods at once fails synth with pod-surge; disabling the rule lets it through', () => {
    const steps = [CanaryStep.setWeight(50), CanaryStep.pauseIndefinitely(), CanaryStep.setWeight(100), CanaryStep.pause(Duration.seconds(15))];
    expect(withSteps(steps)).toThrow(/\[pod-surge\] Rollout\/my-app-rollout/);
    expect(withSteps(steps, { lint: { disable: ['pod-surge'] } })).not.toThrow();
  });

  it('a subset-level split (one Service + DestinationRule) synthesizes without lint findings', () => {
    const props = { ...myAppProps(StepProfile.automatic()), trafficSplit: TrafficSplit.subset({ stableSubset: 'stable', canarySubset: 'canary' }) };
    expect(() => synth((chart) => new CanaryApp(chart, 'App', props))).not.toThrow();
  });

  it('lint: false turns the validation off', () => {
    expect(withSteps([CanaryStep.setWeight(100), CanaryStep.pauseIndefinitely()], { lint: false })).not.toThrow();
  });
});
