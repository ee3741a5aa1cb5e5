import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { CanaryMigration } from '../../src/migration/canary-migration';
import { convertExistingApp } from '../../src/migration/convert';
import { gitopsStages } from '../../src/migration/gitops-stages';
import { type ManifestObject, refOf } from '../../src/migration/manifest-object';
import { plainEqual } from '../../src/runtime/plain-equal';
import { MigrationError } from '../../src/migration/migration-error';
import { planMigration } from '../../src/migration/migration-plan';
import { readFixture } from './helpers';
import { loadSnippet } from './snippet';

const CURRENT = 4;
const before = readFixture('article-before.yaml');
const converted = convertExistingApp(before, { importFrom: 'cdk8s-canary' });
const plan = planMigration({ after: converted.objects, existing: converted.existing });
const stages = gitopsStages(plan, CURRENT);
const final = converted.objects;

const find = (objects: readonly ManifestObject[], kind: string, name: string): ManifestObject | undefined =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);
const beforeObj = (kind: string): ManifestObject => before.find((m) => m.object.kind === kind)!.object;
const finalObj = (kind: string, name: string): ManifestObject => find(final, kind, name)!;
const stageObjects = (id: string): readonly ManifestObject[] => stages.find((s) => s.step.id === id)!.objects;
const spec = (o: ManifestObject | undefined): Record<string, unknown> => (o as unknown as { spec: Record<string, unknown> }).spec;

/** Objects of the snippet's `add<App>(chart)`, synthesized like `cdk8s synth` does. */
function synthSnippet(): ManifestObject[] {
  const mod = loadSnippet(converted.snippet, 'cdk8s-canary');
  const chart = new Chart(new App({ outdir: 'unused' }), 'my-app', { disableResourceNameHashes: true });
  (mod.addMyApp as (c: Chart) => void)(chart);
  return chart.toJson() as ManifestObject[];
}

describe("the article's before-manifests, converted then migrated stage by stage", () => {
  it('convert keeps every field of the originals (no patch or pass-through needed) and reports only the changes the canary needs', () => {
    expect(converted.report).toEqual([
      'Deployment/my-app-dep: /spec/replicas (unset) -> 0: Rollout/my-app-rollout runs the pods, scaled by HorizontalPodAutoscaler/my-app-hpa',
      'HorizontalPodAutoscaler/my-app-hpa: /spec/scaleTargetRef Deployment/my-app-dep -> Rollout/my-app-rollout',
      'VirtualService/my-app-vs: /spec/http/0/route now splits between my-app-svc (weight 100) and my-app-canary-svc (weight 0); the route is named primary (Rollout/my-app-rollout lists it)',
      "Rollout/my-app-rollout: /spec/minReadySeconds is 5 (CanaryApp's default; Deployment/my-app-dep has none, which Kubernetes reads as 0)",
    ]);
    expect(converted.preserved).toEqual([]);
    expect(plainEqual(spec(finalObj('Deployment', 'my-app-dep')), { ...spec(beforeObj('Deployment')), replicas: 0 })).toBe(true);
    expect(plainEqual(finalObj('Service', 'my-app-svc'), beforeObj('Service'))).toBe(true);
    expect(plainEqual(spec(finalObj('HorizontalPodAutoscaler', 'my-app-hpa')), {
      ...spec(beforeObj('HorizontalPodAutoscaler')),
      scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'my-app-rollout' },
    })).toBe(true);
  });

  it('the TypeScript snippet reproduces the converted canary set exactly', () => {
    expect(synthSnippet()).toEqual(final);
  });

  it('stage ids follow the adjusted article order', () => {
    expect(stages.map((s) => s.step.id)).toEqual(plan.stages.map((s) => s.id));
    expect(stages).toHaveLength(8);
  });

  it('stage 1 add-companions: the running objects unchanged, plus canary/root Services and split PDBs', () => {
    const objs = stageObjects('add-companions');
    expect(objs.map(refOf).sort()).toEqual(
      ['Deployment/my-app-dep', 'Service/my-app-svc', 'Service/my-app-canary-svc', 'Service/my-app-root-svc', 'VirtualService/my-app-vs',
        'HorizontalPodAutoscaler/my-app-hpa', 'PodDisruptionBudget/my-app-stable-pdb', 'PodDisruptionBudget/my-app-canary-pdb'].sort(),
    );
    for (const kind of ['Deployment', 'VirtualService', 'HorizontalPodAutoscaler']) {
      expect(plainEqual(find(objs, kind, beforeObj(kind).metadata.name), beforeObj(kind)), kind).toBe(true);
    }
    expect(find(objs, 'Service', 'my-app-canary-svc')).toEqual(finalObj('Service', 'my-app-canary-svc'));
  });

  it('stage 2 route-weights: the VirtualService gets the named route, stable 100 / canary 0', () => {
    const vs = find(stageObjects('route-weights'), 'VirtualService', 'my-app-vs');
    expect(vs).toEqual(finalObj('VirtualService', 'my-app-vs'));
    expect((spec(vs).http as { route: { weight: number }[] }[])[0].route.map((r) => r.weight)).toEqual([100, 0]);
  });

  it('stage 3 pin-hpa-min: the HPA still scales the Deployment, minReplicas pinned to the current count', () => {
    const hpa = find(stageObjects('pin-hpa-min'), 'HorizontalPodAutoscaler', 'my-app-hpa');
    expect(plainEqual(hpa, { ...beforeObj('HorizontalPodAutoscaler'), spec: { ...spec(beforeObj('HorizontalPodAutoscaler')), minReplicas: CURRENT } })).toBe(true);
  });

  it('stage 4 create-rollout-paused: the final Rollout plus paused: true and the current replica count', () => {
    const ro = find(stageObjects('create-rollout-paused'), 'Rollout', 'my-app-rollout');
    expect(spec(ro).paused).toBe(true);
    expect(spec(ro).replicas).toBe(CURRENT);
    const { paused: _p, replicas: _r, ...rest } = spec(ro);
    expect(rest).toEqual(spec(finalObj('Rollout', 'my-app-rollout')));
    expect(spec(find(stageObjects('create-rollout-paused'), 'Deployment', 'my-app-dep')).replicas).toBeUndefined();
  });

  it('stage 5 unpause-rollout: paused removed, replicas still pinned in Git', () => {
    const ro = find(stageObjects('unpause-rollout'), 'Rollout', 'my-app-rollout');
    expect('paused' in spec(ro)).toBe(false);
    expect(spec(ro).replicas).toBe(CURRENT);
  });

  it('stage 6 scale-deployment-to-zero: the Deployment is the final one, replicas: 0', () => {
    const dep = find(stageObjects('scale-deployment-to-zero'), 'Deployment', 'my-app-dep');
    expect(dep).toEqual(finalObj('Deployment', 'my-app-dep'));
    expect(spec(dep).replicas).toBe(0);
    expect(spec(find(stageObjects('scale-deployment-to-zero'), 'HorizontalPodAutoscaler', 'my-app-hpa')).scaleTargetRef).toEqual(spec(beforeObj('HorizontalPodAutoscaler')).scaleTargetRef);
  });

  it('stage 7 hpa-to-rollout: the HPA scales the Rollout, minReplicas still pinned', () => {
    const hpa = find(stageObjects('hpa-to-rollout'), 'HorizontalPodAutoscaler', 'my-app-hpa');
    expect(spec(hpa).scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'my-app-rollout' });
    expect(spec(hpa).minReplicas).toBe(CURRENT);
  });

  it('stage 8 restore-hpa-min: exactly the final objects CanaryApp renders (no Rollout replicas, HPA min 2)', () => {
    const last = stageObjects('restore-hpa-min');
    expect(last).toEqual(final);
    expect(last).toEqual(synthSnippet());
    expect('replicas' in spec(find(last, 'Rollout', 'my-app-rollout'))).toBe(false);
  });

  it('each stage changes only the objects it is about', () => {
    const changed: Record<string, string[]> = {};
    let previous: readonly ManifestObject[] = before.map((m) => m.object);
    for (const s of stages) {
      const keys = new Set([...previous, ...s.objects].map(refOf));
      changed[s.step.id] = [...keys]
        .filter((k) => !plainEqual(previous.find((o) => refOf(o) === k), s.objects.find((o) => refOf(o) === k)))
        .sort();
      previous = s.objects;
    }
    expect(changed).toEqual({
      'add-companions': ['PodDisruptionBudget/my-app-canary-pdb', 'PodDisruptionBudget/my-app-stable-pdb', 'Service/my-app-canary-svc', 'Service/my-app-root-svc'],
      'route-weights': ['VirtualService/my-app-vs'],
      'pin-hpa-min': ['HorizontalPodAutoscaler/my-app-hpa'],
      'create-rollout-paused': ['Rollout/my-app-rollout'],
      'unpause-rollout': ['Rollout/my-app-rollout'],
      'scale-deployment-to-zero': ['Deployment/my-app-dep'],
      'hpa-to-rollout': ['HorizontalPodAutoscaler/my-app-hpa'],
      'restore-hpa-min': ['HorizontalPodAutoscaler/my-app-hpa', 'Rollout/my-app-rollout'],
    });
  });

  it('CanaryMigration renders each stage in a chart; its last stage equals the plain CanaryApp chart', () => {
    const addMyApp = loadSnippet(converted.snippet, 'cdk8s-canary').addMyApp as (c: Chart) => void;
    const plain = new Chart(new App({ outdir: 'unused' }), 'my-app', { disableResourceNameHashes: true });
    addMyApp(plain);
    for (const s of stages) {
      const chart = new Chart(new App({ outdir: 'unused' }), 'my-app', { disableResourceNameHashes: true });
      const m = new CanaryMigration(chart, 'migration', { existing: before.map((b) => b.object), currentReplicas: CURRENT, stage: s.step.id, finalApp: addMyApp });
      expect(m.step.id).toBe(s.step.id);
      expect(chart.toJson()).toEqual(s.objects.map((o) => JSON.parse(JSON.stringify(o))).map(sortKeysDeep));
    }
    const last = new Chart(new App({ outdir: 'unused' }), 'my-app', { disableResourceNameHashes: true });
    new CanaryMigration(last, 'migration', { existing: before.map((b) => b.object), currentReplicas: CURRENT, stage: 8, finalApp: addMyApp });
    expect(last.toJson()).toEqual(plain.toJson());
  });

  it('bad stage input is named', () => {
    expect(() => gitopsStages(plan, 0)).toThrow(MigrationError);
    expect(() => gitopsStages(plan, 11)).toThrow(/currentReplicas \(11\) is above HorizontalPodAutoscaler\/my-app-hpa maxReplicas \(10\)/);
    const chart = new Chart(new App({ outdir: 'unused' }), 'x', { disableResourceNameHashes: true });
    const addMyApp = loadSnippet(converted.snippet, 'cdk8s-canary').addMyApp as (c: Chart) => void;
    expect(() => new CanaryMigration(chart, 'm', { existing: before.map((b) => b.object), currentReplicas: 4, stage: 'unpause' as never, finalApp: addMyApp }))
      .toThrow(/stage \("unpause"\) must be one of 1 \(add-companions\), 2 \(route-weights\)/);
  });
});

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeysDeep((value as Record<string, unknown>)[k])]));
  }
  return value;
}
