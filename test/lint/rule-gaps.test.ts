import { describe, expect, it } from 'vitest';
import { lintManifests } from '../../src/lint/lint-manifests';
import { clone, fixture, objectOf } from './helpers';

const brief = (findings: ReturnType<typeof lintManifests>) => findings.map(({ rule, object, path, message }) => ({ rule, object, path, message }));

describe('pod-surge judges step 0 itself when all-at-once is disabled (issue 20 #9)', () => {
  const jump = () => {
    const objects = clone(fixture('clean'));
    objectOf(objects, 'Rollout').spec.strategy.canary.steps = [{ setWeight: 100 }, { pause: { duration: '15s' } }];
    return objects;
  };

  it('all-at-once reports the jump; pod-surge does not repeat it', () => {
    expect(brief(lintManifests(jump())).map((f) => f.rule)).toEqual(['all-at-once']);
  });

  it('with --disable all-at-once, pod-surge reports the surge at step 0 that plan prints', () => {
    expect(brief(lintManifests(jump(), { disable: ['all-at-once'] }))).toEqual([
      {
        rule: 'pod-surge',
        object: 'Rollout/my-app-rollout',
        path: 'spec.strategy.canary.steps[0]',
        message: 'step 0 (setWeight: 100) adds 10 pods at once with 10 replicas (100%, above the 30% threshold): canary 10, stable 10.',
      },
    ]);
  });
});

describe('hpa-targets-deployment: an HPA left on a Deployment the Rollout replaced (issue 20 #10)', () => {
  /** clean.yaml with the Deployment replaced by the Rollout of the same name (inline template), the HPA left on the Deployment. */
  const replaced = (keepDeployment: boolean) => {
    const objects = clone(fixture('clean'));
    const deployment = objectOf(objects, 'Deployment');
    const rollout = objectOf(objects, 'Rollout');
    rollout.metadata.name = 'my-app';
    delete rollout.spec.workloadRef;
    rollout.spec.template = deployment.spec.template;
    objectOf(objects, 'HorizontalPodAutoscaler').spec.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'my-app' };
    if (keepDeployment) deployment.metadata.name = 'my-app';
    else objects.splice(objects.indexOf(deployment), 1);
    return objects;
  };

  it('is reported on the HPA, naming the Deployment that is gone and the Rollout', () => {
    const findings = brief(lintManifests(replaced(false))).filter((f) => f.rule === 'hpa-targets-deployment');
    expect(findings).toEqual([
      {
        rule: 'hpa-targets-deployment',
        object: 'HorizontalPodAutoscaler/my-app-hpa',
        path: 'spec.scaleTargetRef',
        message:
          'scaleTargetRef is Deployment/my-app, which is not in the manifests, while Rollout/my-app of that name is: ' +
          'the Deployment was replaced by the Rollout, and the HPA scales nothing.',
      },
    ]);
    expect(lintManifests(replaced(false)).find((f) => f.rule === 'hpa-targets-deployment')?.fix).toBe(
      'Set scaleTargetRef to {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: my-app}.',
    );
  });

  it('an HPA on a Deployment that is in the manifests is not this case', () => {
    expect(lintManifests(replaced(true)).filter((f) => f.rule === 'hpa-targets-deployment')).toEqual([]);
  });
});

describe('workload-scaled-up says what the manifests are and what to do (issue 20 #18)', () => {
  it('the message explains the migration window and both ways through it', () => {
    const [finding] = lintManifests(fixture('workload-scaled-up'));
    expect(finding.message).toBe(
      "spec.replicas is unset (Kubernetes defaults it to 1) while Rollout/my-app-rollout (not paused) runs the pods from this Deployment's template; " +
        'both sets of pods would run. If these manifests are the middle of a migration (the Deployment still serving next to the new Rollout), ' +
        'keep the Rollout paused (spec.paused: true, as `cdk8s-canary migrate` does) or let workloadRef.scaleDown (progressively or onsuccess) ' +
        'scale the Deployment down; after it, the Deployment asks for no pods.',
    );
  });
});
