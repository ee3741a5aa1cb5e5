/**
 * One-replica apps (`replicas: 1`, or an HPA with `minReplicas: 1`): the default
 * `minPodsPerReplicaSet` follows the replica count, so the project's own simulator ends an update
 * Healthy, and `convert` renders the same value for the same app.
 */
import { Chart, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CanaryApp, CanaryAppError, StepProfile, type CanaryAppProps } from '../../src/constructs';
import { convertExistingApp } from '../../src/migration/convert';
import { parseManifestTexts } from '../../src/migration/manifest-object';
import { readManifests } from '../../src/model/manifests';
import { simulate } from '../../src/runtime/simulate';
import { one, synth, type Manifest } from '../support/manifests';
import { thrownBy } from '../support/thrown-by';

const props = (extra: Partial<CanaryAppProps>): CanaryAppProps => ({
  name: 'web',
  containers: [{ image: 'web:1', resources: { cpu: { request: '100m' } } }], // the default HPA metric, CPU utilization, needs a CPU request (issue 22)
  virtualService: { hosts: ['web.example.com'] },
  steps: StepProfile.automatic(),
  // The warning-level lint (min-two-pods) has nothing to do with what is checked here.
  lint: false,
  ...extra,
});

/** Runs `simulate` over the objects: an image update, then the clock runs well past every pause. */
function lastTickOfUpdate(objects: readonly object[]): { phase: string; message: string; replicaSets: unknown } {
  const text = objects.map((o) => stringify(o)).join('---\n');
  const model = readManifests({ text, file: 'app.yaml' });
  const result = simulate(model, { podReadySeconds: 5, until: 3600, events: [{ at: 0, update: { image: 'web:2' } }] });
  return result.ticks[result.ticks.length - 1] as never;
}

describe('minPodsPerReplicaSet follows the replica count', () => {
  it('replicas: 1 renders minPodsPerReplicaSet 1 and an update ends Healthy with one pod', () => {
    const out = synth((chart) => new CanaryApp(chart, 'App', props({ replicas: 1 })));
    expect(one(out, 'Rollout').spec.strategy.canary.minPodsPerReplicaSet).toBe(1);
    const last = lastTickOfUpdate(out);
    expect(last.phase).toBe('Healthy');
    expect(last.replicaSets).toEqual([
      { revision: 1, role: 'old', replicas: 0, available: 0 },
      { revision: 2, role: 'stable', replicas: 1, available: 1 },
    ]);
  });

  it('an HPA with minReplicas 1 renders minPodsPerReplicaSet 1 and an update ends Healthy', () => {
    const out = synth((chart) => new CanaryApp(chart, 'App', props({ autoscaling: { minReplicas: 1, maxReplicas: 4 } })));
    expect(one(out, 'Rollout').spec.strategy.canary.minPodsPerReplicaSet).toBe(1);
    expect(lastTickOfUpdate(out).phase).toBe('Healthy');
  });

  it('two or more replicas keep the default of 2', () => {
    for (const extra of [{ replicas: 2 }, { replicas: 5 }, { autoscaling: { minReplicas: 3 } }]) {
      const out = synth((chart) => new CanaryApp(chart, 'App', props(extra)));
      expect(one(out, 'Rollout').spec.strategy.canary.minPodsPerReplicaSet, JSON.stringify(extra)).toBe(2);
    }
  });

  it('an explicit minPodsPerReplicaSet above the replicas is refused, naming both fields', () => {
    const err = thrownBy(() => new CanaryApp(new Chart(Testing.app(), 'test'), 'App', props({ replicas: 1, minPodsPerReplicaSet: 2 })), CanaryAppError);
    expect(err.lines).toEqual([
      "minPodsPerReplicaSet (2) must be at most replicas (1): more pods per ReplicaSet than the Rollout's replicas never count as healthy and every update ends Degraded (ProgressDeadlineExceeded); omit it (the default follows the replicas) or raise replicas",
    ]);
  });
});

describe('convert agrees with CanaryApp on a one-replica app', () => {
  const input = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'web:1', ports: [{ containerPort: 8080, name: 'http' }] }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }], selector: { app: 'web' } } },
    { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: { name: 'web' }, spec: { hosts: ['web.example.com'], http: [{ route: [{ destination: { host: 'web', port: { number: 80 } } }] }] } },
  ];
  const result = convertExistingApp(parseManifestTexts([{ text: input.map((o) => stringify(o)).join('---\n'), file: 'web.yaml' }]));
  const rollout = result.objects.find((o) => o.kind === 'Rollout') as Manifest;

  it('renders the minPodsPerReplicaSet CanaryApp renders by default for replicas: 1', () => {
    const direct = synth((chart) => new CanaryApp(chart, 'App', props({ replicas: 1 })));
    expect(rollout.spec.strategy.canary.minPodsPerReplicaSet).toBe(one(direct, 'Rollout').spec.strategy.canary.minPodsPerReplicaSet);
    expect(rollout.spec.replicas).toBe(1);
  });

  it('the converted set also ends an update Healthy', () => {
    expect(lastTickOfUpdate(result.objects).phase).toBe('Healthy');
  });
});
