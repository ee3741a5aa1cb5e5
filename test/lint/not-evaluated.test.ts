import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { lintManifests } from '../../src/lint/lint-manifests';
import { MAX_SIMULATED_REPLICAS } from '../../src/runtime/simulate';
import { MemoryIo, runCli } from '../support/cli';
import { clone, fixture, objectOf } from './helpers';

/** A container securityContext that meets the restricted Pod Security profile (pod-security-restricted is not what these tests are about). */
const RESTRICTED = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };

/** A basic canary (no traffic routing) at `replicas`, maxSurge 0 / maxUnavailable 1: one pod at a time. */
function basicCanary(replicas: number, strategy: Record<string, unknown> = {}): Record<string, unknown>[] {
  return [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'basic' },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'basic' } },
        template: { metadata: { labels: { app: 'basic' } }, spec: { containers: [{ name: 'app', image: 'basic:1', readinessProbe: { exec: { command: ['true'] } }, securityContext: RESTRICTED }] } },
        strategy: { canary: { maxSurge: 0, maxUnavailable: 1, steps: [{ setWeight: 1 }, { pause: {} }], ...strategy } },
      },
    },
  ];
}

const rulesOf = (findings: readonly { rule: string }[]) => findings.map((f) => f.rule);

describe('not-evaluated: a Rollout the lint cannot plan is a finding, never a silent pass (issue 20 #8, #11)', () => {
  it('a valid 100-replica basic canary with maxSurge 0 / maxUnavailable 1 is planned: its 99-pod promotion is reported', () => {
    const findings = lintManifests(basicCanary(100));
    expect(findings.map(({ rule, path, message }) => ({ rule, path, message }))).toEqual([
      {
        rule: 'pod-surge',
        path: 'spec.strategy.canary.steps',
        message: 'after the last step (pause) the promotion scales the canary from 1 to 100 pods (+99, 99% of 100 replicas, above the 30% threshold).',
      },
    ]);
  });

  it('a Rollout above the simulator bound is reported with the bound and what to do', () => {
    const replicas = MAX_SIMULATED_REPLICAS + 1;
    const findings = lintManifests(basicCanary(replicas));
    expect(findings.map(({ rule, severity, object, path, message }) => ({ rule, severity, object, path, message }))).toEqual([
      {
        rule: 'not-evaluated',
        severity: 'error',
        object: 'Rollout/basic',
        path: 'spec',
        message:
          `not evaluated at ${replicas} replicas: Rollout/basic: replicas (${replicas}) is above the 2000 replicas the simulator models ` +
          '(it keeps every pod, so time and memory grow with the square of the replicas); plan or simulate at 2000 or fewer ' +
          '(--replicas, scenario replicas): the step proportions are the same. The plan-based checks (pod-surge, pdb-blocks-eviction) did not run on Rollout/basic.',
      },
    ]);
  });

  it('an NGINX-routed Rollout (the fixture): one error naming the unsupported router; --disable not-evaluated is the explicit opt-out', () => {
    const findings = lintManifests(fixture('not-evaluated'));
    expect(findings.map(({ rule, message }) => ({ rule, message }))).toEqual([
      {
        rule: 'not-evaluated',
        message:
          'not evaluated at 2 replicas: Rollout/my-app-rollout: spec.strategy.canary.trafficRouting.nginx is not supported: the runtime models ' +
          'Istio traffic routing only. The plan-based checks (pod-surge, pdb-blocks-eviction) did not run on Rollout/my-app-rollout.',
      },
    ]);
    expect(lintManifests(fixture('not-evaluated'), { disable: ['not-evaluated'] })).toEqual([]);
  });

  it('a blue-green Rollout is not evaluated either (the rules model canary only)', () => {
    const objects = clone(fixture('clean'));
    const rollout = objectOf(objects, 'Rollout');
    rollout.spec.strategy = { blueGreen: { activeService: 'my-app-svc' } };
    const findings = lintManifests(objects);
    expect(rulesOf(findings)).toEqual(['not-evaluated']);
    expect(findings[0].message).toBe(
      'not evaluated at 2 replicas: Rollout/my-app-rollout: spec.strategy.blueGreen is not supported: the runtime models spec.strategy.canary only. ' +
        'The plan-based checks (pod-surge, pdb-blocks-eviction) did not run on Rollout/my-app-rollout.',
    );
  });

  it('a Rollout another rule already fails (the cause named there) gets no second finding', () => {
    expect(rulesOf(lintManifests(fixture('dynamic-stable-scale-delay')))).toEqual(['dynamic-stable-scale-delay']);
    expect(rulesOf(lintManifests(fixture('virtual-service-routes')))).toEqual(['virtual-service-routes']);
    // Without that rule, the Rollout is still not passed silently.
    expect(rulesOf(lintManifests(fixture('dynamic-stable-scale-delay'), { disable: ['dynamic-stable-scale-delay'] }))).toEqual(['not-evaluated']);
  });

  it('cli: exit 1 and the finding in the text output', async () => {
    const io = new MemoryIo({ 'nginx.yaml': fixture('not-evaluated').map((o) => stringify(o)).join('---\n') }, false);
    const { code, out } = await runCli(['lint', 'nginx.yaml'], io);
    expect(code).toBe(1);
    expect(out).toContain('nginx.yaml: Rollout/my-app-rollout spec\n  error [not-evaluated] not evaluated at 2 replicas: Rollout/my-app-rollout: spec.strategy.canary.trafficRouting.nginx is not supported');
    expect(out).toContain('1 error, 0 warnings in 1 file.');
  });
});
