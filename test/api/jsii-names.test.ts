/**
 * The names Python, Java and Go use (issue 15): jsii refuses `set...` methods (Java setters), a
 * member named `build`, function-typed parameters and subclasses of `Error`, so those have a
 * jsii-friendly twin. Each twin must do exactly what the TypeScript name does.
 */
import { App, Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { CanaryApp, CanaryAppError, CanaryFleet, CanaryStep, StepProfile, type CanaryAppProps } from '../../src';
import { myAppProps } from '../../src/main';
import { thrownBy } from '../support/thrown-by';

function rendered(steps: StepProfile): unknown {
  const chart = Testing.chart();
  return new CanaryApp(chart, 'app', myAppProps(steps)).steps;
}

describe('step names without set...', () => {
  it('CanaryStep.canaryWeight / canaryScale* render the same steps as setWeight / setCanaryScale*', () => {
    const ts = StepProfile.of(
      CanaryStep.setWeight(10), CanaryStep.setCanaryScale({ replicas: 1 }), CanaryStep.setCanaryScaleReplicas(2),
      CanaryStep.setCanaryScaleWeight(25), CanaryStep.pause('1m'),
    );
    const jsii = StepProfile.of(
      CanaryStep.canaryWeight(10), CanaryStep.canaryScale({ replicas: 1 }), CanaryStep.canaryScaleReplicas(2),
      CanaryStep.canaryScaleWeight(25), CanaryStep.pause('1m'),
    );
    expect(rendered(jsii)).toEqual(rendered(ts));
    expect(rendered(jsii)).toEqual([
      { setWeight: 10 }, { setCanaryScale: { replicas: 1 } }, { setCanaryScale: { replicas: 2 } },
      { setCanaryScale: { weight: 25 } }, { pause: { duration: '1m' } },
    ]);
  });

  it('CanaryStep.headerRoute / mirrorRoute render the same steps as setHeaderRoute / setMirrorRoute', () => {
    const header = { name: 'beta', match: [{ headerName: 'x-beta', headerValue: { exact: 'yes' } }] };
    const mirror = { name: 'shadow', match: [{ path: { prefix: '/api' } }], percentage: 10 };
    const steps = (h: CanaryStep, m: CanaryStep) =>
      StepProfile.of(CanaryStep.setWeight(10), h, m, CanaryStep.pause('1m'), CanaryStep.removeHeaderRoute('beta'), CanaryStep.removeMirrorRoute('shadow'));
    const jsii = rendered(steps(CanaryStep.headerRoute(header), CanaryStep.mirrorRoute(mirror)));
    expect(jsii).toEqual(rendered(steps(CanaryStep.setHeaderRoute(header), CanaryStep.setMirrorRoute(mirror))));
    expect(JSON.stringify(jsii)).toContain('"setHeaderRoute":{"name":"beta"');
    expect(JSON.stringify(jsii)).toContain('"setMirrorRoute":{"name":"shadow"');
  });

  it('StepProfileBuilder.canaryWeight(...).toProfile() equals setWeight(...).build()', () => {
    const ts = StepProfile.builder().setWeight(20).pause('30s').setWeight(50).pauseIndefinitely().build();
    const jsii = StepProfile.builder().canaryWeight(20).pause('30s').canaryWeight(50).pauseIndefinitely().toProfile();
    expect(rendered(jsii)).toEqual(rendered(ts));
    expect(rendered(jsii)).toEqual([{ setWeight: 20 }, { pause: { duration: '30s' } }, { setWeight: 50 }, { pause: {} }]);
  });
});

describe('CanaryApp.problemsOf', () => {
  const bad: CanaryAppProps = { ...myAppProps(StepProfile.automatic()), name: 'Bad_Name', replicas: -1, steps: [CanaryStep.setWeight(120)] };

  it('returns the problems the thrown CanaryAppError lists, in the same order', () => {
    const thrown = thrownBy(() => new CanaryApp(Testing.chart(), 'app', bad), CanaryAppError);
    const problems = CanaryApp.problemsOf(bad);
    expect(problems).toEqual(thrown.problems);
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['name', 'steps[0].setWeight']));
  });

  it('is empty for valid props, and creates nothing in any app of the caller', () => {
    const app = new App();
    const chart = new Chart(app, 'mine');
    expect(CanaryApp.problemsOf(myAppProps(StepProfile.automatic()))).toEqual([]);
    expect(chart.node.children).toEqual([]);
  });

  it('checks in a chart with the chart props given: a Deployment input in another namespace than the chart', () => {
    const props: CanaryAppProps = {
      name: 'web',
      deployment: {
        metadata: { namespace: 'a' },
        spec: { template: { spec: { containers: [{ name: 'c', image: 'i:1', ports: [{ containerPort: 80, name: 'http' }] }] } } },
      },
      virtualService: { hosts: ['web'] },
    };
    expect(CanaryApp.problemsOf(props)).toEqual([]);
    const thrown = thrownBy(() => new CanaryApp(new Chart(new App(), 'c', { namespace: 'b' }), 'app', props), CanaryAppError);
    expect(CanaryApp.problemsOf(props, { namespace: 'b' })).toEqual(thrown.problems);
    expect(thrown.problems.map((p) => p.path)).toEqual(['deployment.metadata.namespace']);
  });
});

describe('CanaryFleet.addCanaryApp', () => {
  it('renders what addApp with a CanaryApp builder renders (construct id "app" by default)', () => {
    const props = myAppProps(StepProfile.manual());
    const viaSpec = new CanaryFleet({ recordConstructMetadata: true })
      .addCanaryApp({ id: 'web', props, chartProps: { namespace: 'shop' } })
      .render();
    const viaBuilder = new CanaryFleet({ recordConstructMetadata: true })
      .addApp('web', (chart) => new CanaryApp(chart, 'app', props), { namespace: 'shop' })
      .render();
    expect(viaSpec).toEqual(viaBuilder);
    expect(viaSpec[0].resources).toContainEqual({ name: 'my-app-rollout', path: 'web/app/Rollout' });
  });
});
