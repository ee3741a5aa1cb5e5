/**
 * The CanaryApp lint errors of a fleet: each failing app's FleetSynthError message must be exactly
 * the error of rendering that app on its own with cdk8s (`chart.toJson()`), lint lines, other
 * validations and their order included. A guard for any change to how the fleet runs the lint
 * (e.g. batching it, which was tried and measured: see docs/performance.md, "Lint inside a fleet").
 */
import { ApiObject, App, Chart, Duration } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { useTempDirs } from './temp-dirs';
import { thrownBy } from '../support/thrown-by';
import { CanaryApp, CanaryStep, StepProfile, type CanaryAppProps } from '../../src/constructs';
import { CanaryFleet, FleetAppBuilder, FleetSynthError, renderFleetApp } from '../../src/fleet';
import { myAppProps } from '../../src/main';

const tempDir = useTempDirs('fleet-lint-errors');

/** The article's app named `name`, with `extra` props (e.g. steps that break a lint rule). */
function canaryApp(name: string, extra: Partial<CanaryAppProps> = {}, id = 'App'): FleetAppBuilder {
  return (chart) => {
    const props = myAppProps(StepProfile.automatic());
    new CanaryApp(chart, id, { ...props, name, virtualService: { ...props.virtualService, hosts: [`${name}.example.com`] }, ...extra });
  };
}

/** Everything at once: the `all-at-once` rule (error). */
const ALL_AT_ONCE = { steps: [CanaryStep.setWeight(100), CanaryStep.pause(Duration.seconds(15))] };
/** Half the pods at once: the `pod-surge` rule (error). */
const SURGE = { steps: [CanaryStep.setWeight(50), CanaryStep.pauseIndefinitely(), CanaryStep.setWeight(100), CanaryStep.pause(Duration.seconds(15))] };
/** One pod: the `min-two-pods` rule (a warning, an error only with includeWarnings). */
const ONE_POD = (includeWarnings: boolean): Partial<CanaryAppProps> => ({
  autoscaling: { ...myAppProps(StepProfile.automatic()).autoscaling!, minReplicas: 1 },
  lint: { includeWarnings },
});

const userCheck =
  (msg: string): FleetAppBuilder =>
  (chart) => {
    new ApiObject(chart, 'extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${chart.node.id}-cm` } });
    chart.node.addValidation({ validate: () => [msg] });
  };

const both =
  (...builders: FleetAppBuilder[]): FleetAppBuilder =>
  (chart) => builders.forEach((b) => b(chart));

/** The failing apps, each built the same way in the fleet and in a plain cdk8s App. */
const FAILING: ReadonlyArray<[string, FleetAppBuilder]> = [
  ['lint-only', canaryApp('lint-only', ALL_AT_ONCE)],
  // a user validation on the chart comes before the CanaryApp's lint lines in cdk8s's findAll() order
  ['lint-and-user', both(userCheck('replicas (-1) must be >= 0'), canaryApp('lint-and-user', SURGE))],
  ['user-then-clean-lint', both(canaryApp('user-then-clean-lint'), userCheck('image is required'))],
  ['two-canary-apps', both(canaryApp('first', SURGE, 'First'), canaryApp('second', ALL_AT_ONCE, 'Second'))],
  ['warnings', canaryApp('warnings', ONE_POD(true))],
  // lintManifests throws on an unknown rule id: the error itself, not a "Validation failed" line
  ['bad-option', canaryApp('bad-option', { lint: { disable: ['no-such-rule'] } })],
];

/** The message `chart.toJson()` throws for the app in a plain cdk8s App (no fleet, no deferral). */
function plainCdk8sError(id: string, build: FleetAppBuilder): string {
  const app = new App({ outdir: tempDir(), recordConstructMetadata: false });
  const chart = new Chart(app, id);
  build(chart);
  try {
    chart.toJson();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`app '${id}' was expected to fail`);
}

describe('CanaryFleet reports lint errors exactly as cdk8s does', () => {
  test('each failing app has the message of rendering it alone with cdk8s and with renderFleetApp', () => {
    // GIVEN a fleet of clean apps with the failing ones spread through it (also next to each other: 63, 64)
    const fleet = new CanaryFleet({ outdir: tempDir() });
    const expected: Array<{ id: string; index: number; message: string }> = [];
    const at = new Map([5, 42, 63, 64, 100, 127].map((position, i) => [position, FAILING[i]] as const));
    for (let i = 0; i < 150; i++) {
      const failing = at.get(i);
      if (failing) {
        fleet.addApp(failing[0], failing[1]);
        expected.push({ id: failing[0], index: i, message: plainCdk8sError(failing[0], failing[1]) });
      } else {
        fleet.addApp(`ok-${i}`, canaryApp(`ok-${i}`));
      }
    }
    expect(expected).toHaveLength(FAILING.length);
    // WHEN
    const err = thrownBy(() => fleet.render(), FleetSynthError);
    // THEN
    expect(err.failures).toEqual(expected);
    for (const [id, build] of FAILING) {
      expect(() => renderFleetApp({ id, build })).toThrow(expected.find((e) => e.id === id)!.message);
    }
  });

  test('the expected messages carry the lint lines, in cdk8s order, next to the user validation', () => {
    const message = (id: string) => plainCdk8sError(id, FAILING.find((f) => f[0] === id)![1]);
    expect(message('lint-only')).toMatch(/^Validation failed with the following errors:\n {2}\[lint-only\/App\] \[all-at-once\] Rollout\/lint-only-rollout /);
    const mixed = message('lint-and-user').split('\n  ');
    expect(mixed[1]).toBe('[lint-and-user] replicas (-1) must be >= 0');
    expect(mixed[2]).toMatch(/^\[lint-and-user\/App\] \[pod-surge\] /);
    expect(message('user-then-clean-lint')).toBe('Validation failed with the following errors:\n  [user-then-clean-lint] image is required');
    const two = message('two-canary-apps').split('\n  ').slice(1);
    expect(two[0]).toMatch(/^\[two-canary-apps\/First\] \[pod-surge\] Rollout\/first-rollout/);
    expect(two[two.length - 1]).toMatch(/^\[two-canary-apps\/Second\] \[all-at-once\] Rollout\/second-rollout/);
    expect(message('warnings')).toContain('[warnings/App] [min-two-pods] HorizontalPodAutoscaler/warnings-hpa spec.minReplicas');
  });

  test('warnings pass when not asked for, as with cdk8s', () => {
    const fleet = new CanaryFleet({ outdir: tempDir() }).addApp('quiet', canaryApp('quiet', ONE_POD(false)));
    expect(fleet.render().map((r) => r.id)).toEqual(['quiet']);
  });
});

describe('the fleet leaves plain cdk8s synthesis as it was', () => {
  test('after a fleet failed midway, a plain cdk8s App still fails on lint errors', () => {
    const fleet = new CanaryFleet({ outdir: tempDir() })
      .addApp('user-fails', both(userCheck('boom'), canaryApp('user-fails', SURGE)))
      .addApp('builder-throws', () => {
        throw new Error('builder failed');
      });
    expect(() => fleet.render()).toThrow(FleetSynthError);
    const app = new App({ outdir: tempDir(), recordConstructMetadata: false });
    canaryApp('after', ALL_AT_ONCE)(new Chart(app, 'after'));
    expect(() => app.synthYaml()).toThrow(/\[after\/App\] \[all-at-once\] /);
  });
});
