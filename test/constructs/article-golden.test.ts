/**
 * The production article is the golden case: every object it shows must come out of the example
 * app field for field. Documented differences: the Deployment gets `replicas: 0` (the Rollout runs
 * the pods) and its container gains requests, a readiness probe and a securityContext (additions
 * only, every article field stays), the weighted http route is named `primary` and the Rollout
 * lists it in `routes` (argo-rollouts#3884: an unlisted named route is not patched).
 */
import { App, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ArgoRolloutsControllerValues } from '../../src/constructs';
import { buildExampleApp } from '../../src/main';
import { ARTICLE_PATH, applyDiff, articleAvailable, articleBlocks, blockMatching, parseBlock } from '../support/article';
import { type Manifest, one } from '../support/manifests';

function exampleCharts(): Map<string, Manifest[]> {
  const app: App = Testing.app();
  buildExampleApp(app);
  return new Map(app.charts.map((c) => [c.node.id, c.toJson() as Manifest[]]));
}

describe.skipIf(!articleAvailable())(`example app matches the article (${ARTICLE_PATH})`, () => {
  const blocks = articleBlocks();
  const charts = exampleCharts();
  const automatic = charts.get('my-app')!;
  const manual = charts.get('my-app-manual')!;
  const initial = parseBlock(blockMatching(blocks, /^apiVersion: apps\/v1\nkind: Deployment/));
  const article = (kind: string, name?: string) => one(initial, kind, name);

  it('renders exactly the article objects plus the split PDBs', () => {
    expect(automatic.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Deployment/my-app-dep',
      'Service/my-app-svc',
      'Service/my-app-canary-svc',
      'VirtualService/my-app-vs',
      'Rollout/my-app-rollout',
      'HorizontalPodAutoscaler/my-app-hpa',
      'PodDisruptionBudget/my-app-stable-pdb',
      'PodDisruptionBudget/my-app-canary-pdb',
    ]);
  });

  it('Deployment is the article\'s, with replicas 0 and the container\'s requests, readiness probe and securityContext added', () => {
    const expected = article('Deployment');
    const [container] = expected.spec.template.spec.containers;
    // Issue 22: the example requests CPU and memory (the HPA's 70 % is a share of the CPU request),
    // is Ready once its port accepts connections, and gets the restricted-profile defaults. These
    // are additions only: none of them replaces a field the article sets.
    const additions = {
      readinessProbe: { tcpSocket: { port: 'http' } },
      resources: { limits: { memory: '256Mi' }, requests: { cpu: '250m', memory: '256Mi' } },
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      },
    };
    expect(Object.keys(additions).filter((k) => k in container)).toEqual([]);
    const template = { ...expected.spec.template, spec: { ...expected.spec.template.spec, containers: [{ ...container, ...additions }] } };
    expect(one(automatic, 'Deployment')).toEqual({ ...expected, spec: { ...expected.spec, replicas: 0, template } });
  });

  it('stable Service is the article\'s my-app-svc', () => {
    expect(one(automatic, 'Service', 'my-app-svc')).toEqual(article('Service', 'my-app-svc'));
  });

  it('canary Service is the article\'s my-app-canary-svc', () => {
    const expected = parseBlock(blockMatching(blocks, /name: my-app-canary-svc\nspec:/))[0];
    expect(one(automatic, 'Service', 'my-app-canary-svc')).toEqual(expected);
  });

  it('HPA is the article\'s, aimed at the Rollout', () => {
    const retarget = parseBlock(applyDiff(blockMatching(blocks, /^\+ {3}kind: Rollout/m)))[0];
    const expected = article('HorizontalPodAutoscaler');
    expect(one(automatic, 'HorizontalPodAutoscaler')).toEqual({
      ...expected,
      spec: { ...expected.spec, scaleTargetRef: retarget.spec.scaleTargetRef },
    });
    expect(retarget.spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'my-app-rollout' });
  });

  it('VirtualService is the article\'s weighted one (100/0), route named primary', () => {
    const weighted = parseBlock(applyDiff(blockMatching(blocks, /^\+ {9}weight: 100/m)))[0];
    const base = article('VirtualService');
    const expectedHttp = weighted.spec.http.map((h: object) => ({ name: 'primary', ...h }));
    expect(one(automatic, 'VirtualService')).toEqual({ ...base, spec: { ...base.spec, http: expectedHttp } });
    expect(expectedHttp[0].route.map((r: { weight: number }) => r.weight)).toEqual([100, 0]);
  });

  it('Rollout is the article\'s, with the automatic steps and routes [primary]', () => {
    const rollout = parseBlock(blockMatching(blocks, /^apiVersion: argoproj.io\/v1alpha1\nkind: Rollout\nmetadata:\n {2}name: my-app-rollout\nspec:\n {2}# /))[0];
    const steps = parseBlock(blockMatching(blocks, /- setWeight: 1\n\s+- setWeight: 10\n/))[0].steps;
    const canary = rollout.spec.strategy.canary;
    const expected = {
      ...rollout,
      spec: {
        ...rollout.spec,
        strategy: {
          canary: {
            ...canary,
            steps,
            trafficRouting: { istio: { virtualService: { ...canary.trafficRouting.istio.virtualService, routes: ['primary'] } } },
          },
        },
      },
    };
    expect(one(automatic, 'Rollout')).toEqual(expected);
    expect(one(automatic, 'Rollout').spec.replicas).toBeUndefined();
  });

  it('the manual chart carries the article\'s manual steps', () => {
    const steps = parseBlock(blockMatching(blocks, /- setCanaryScale:\n\s+replicas: 2/))[0].steps;
    expect(steps).toHaveLength(14);
    expect(one(manual, 'Rollout').spec.strategy.canary.steps).toEqual(steps);
    expect(one(manual, 'Rollout').metadata.namespace).toBe('manual-demo');
  });

  it('RBAC roles are the article\'s rollouts-reader and rollouts-writer', () => {
    const roles = parseBlock(blockMatching(blocks, /^kind: Role\n/));
    expect(charts.get('rollouts-rbac')).toEqual(roles.map((r) => ({ apiVersion: r.apiVersion, kind: r.kind, metadata: r.metadata, rules: r.rules })));
    expect(roles.map((r) => r.metadata.name)).toEqual(['rollouts-reader', 'rollouts-writer']);
  });

  it('controller Helm values are the article\'s values.yaml', () => {
    const values = parseBlock(blockMatching(blocks, /^providerRBAC:/))[0];
    const rendered = new ArgoRolloutsControllerValues();
    expect(rendered.values).toEqual(values);
    expect(parse(rendered.toYaml())).toEqual(values);
  });
});
