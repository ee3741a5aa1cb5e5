import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { convertExistingApp } from '../../src/migration/convert';
import { readExistingApp } from '../../src/migration/existing-app';
import { gitopsStages } from '../../src/migration/gitops-stages';
import type { ManifestObject } from '../../src/migration/manifest-object';
import { planMigration } from '../../src/migration/migration-plan';
import { MemoryIo, runCli } from '../support/cli';
import { fixture, readFixture } from './helpers';
import { loadSnippet, typeCheckSnippet } from './snippet';

describe('cdk8s-canary convert / migrate', () => {
  it('convert --out writes the canary set and a snippet that type-checks', async () => {
    const out = join('converted', 'app');
    const io = new MemoryIo();
    const r = await runCli(['convert', fixture('article-before.yaml'), '--out', out, '--profile', 'manual'], io);
    expect(r.code).toBe(0);
    expect(r.out).toContain('my-app.k8s.yaml (9 objects)');
    expect(io.madeDirs).toEqual(new Set([out]));
    const objects = parseAllDocuments(io.written.get(join(out, 'my-app.k8s.yaml')) ?? '').map((d) => d.toJS());
    const expected = convertExistingApp(readFixture('article-before.yaml'), { profile: 'manual' }).objects;
    expect(objects).toEqual(JSON.parse(JSON.stringify(expected)));
    const steps = objects.find((o) => o.kind === 'Rollout').spec.strategy.canary.steps;
    expect(steps[0]).toEqual({ setCanaryScale: { replicas: 2 } });
    const snippet = io.written.get(join(out, 'my-app.canary-app.ts')) ?? '';
    expect(typeCheckSnippet(snippet, 'cdk8s-canary')).toEqual([]);
  });

  it('migrate on the existing manifests converts them first and prints a runbook that bash accepts', async () => {
    const r = await runCli(['migrate', fixture('article-before.yaml')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("kubectl patch hpa my-app-hpa --type merge -p '{\"spec\":{\"minReplicas\":'\"$REPLICAS\"'}}'");
    expect(spawnSync('bash', ['-n'], { input: r.out }).status).toBe(0);
    const reverse = await runCli(['migrate', fixture('article-before.yaml'), '--reverse']);
    expect(reverse.out).toContain('kubectl scale deployment/my-app-dep --replicas="$REPLICAS"');
    const json = await runCli(['migrate', fixture('article-after.yaml'), '--existing', fixture('article-before.yaml'), '--format', 'json']);
    expect(JSON.parse(json.out).stages).toHaveLength(8);
    const argocd = await runCli(['migrate', fixture('article-after.yaml'), '--format', 'argocd', '--application', 'shop']);
    const app = parseAllDocuments(argocd.out)[0].toJS();
    expect(app.metadata.name).toBe('shop');
    expect(app.spec.syncPolicy.syncOptions).toEqual(['RespectIgnoreDifferences=true', 'ApplyOutOfSyncOnly=true']);
    expect(app.spec.ignoreDifferences).toEqual([
      { group: 'networking.istio.io', kind: 'VirtualService', name: 'my-app-vs', jqPathExpressions: ['.spec.http[].route[].weight'] },
      { group: '', kind: 'Service', name: 'my-app-svc', jsonPointers: ['/spec/selector/rollouts-pod-template-hash'] },
      { group: '', kind: 'Service', name: 'my-app-canary-svc', jsonPointers: ['/spec/selector/rollouts-pod-template-hash'] },
      { group: 'argoproj.io', kind: 'Rollout', name: 'my-app-rollout', jsonPointers: ['/spec/replicas'] },
    ]);
  });

  it('bad input exits 2 with the object named', async () => {
    const noDeployment = readFileSync(fixture('article-before.yaml'), 'utf8').split('---').slice(1).join('---');
    const r = await runCli(['convert', 'no-dep.yaml'], new MemoryIo({ 'no-dep.yaml': noDeployment }, false));
    expect(r.code).toBe(2);
    expect(r.err).toContain('no Deployment in the input (found: Service/my-app-svc, HorizontalPodAutoscaler/my-app-hpa, VirtualService/my-app-vs)');
    const missing = await runCli(['migrate', 'nope.yaml'], new MemoryIo({}, false));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read manifest file nope.yaml (ENOENT)');
  });
});

describe('convert keeps what CanaryApp has no prop for', () => {
  const base = readFixture('article-before.yaml');
  const extra: ManifestObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'my-app-config' }, data: { LOG_LEVEL: 'info' } };
  const input = [
    ...base.map((m) =>
      m.object.kind === 'Service'
        ? { ...m, object: { ...m.object, metadata: { ...m.object.metadata, labels: { team: 'shop' }, annotations: { 'example.com/owner': 'sre' } }, spec: { ...(m.object.spec as object), sessionAffinity: 'ClientIP' } } }
        : m.object.kind === 'VirtualService'
          ? { ...m, object: { ...m.object, spec: { ...(m.object.spec as object), exportTo: ['.'] }, status: { x: 1 } } }
          : m,
    ),
    { object: extra, file: 'cm.yaml', document: 1 },
  ];
  const result = convertExistingApp(input);

  it('preserves the fields with JSON patches and lists them', () => {
    const svc = result.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'my-app-svc')!;
    expect(svc.metadata.labels).toEqual({ team: 'shop' });
    expect(svc.metadata.annotations).toEqual({ 'example.com/owner': 'sre' });
    expect((svc.spec as { sessionAffinity: string }).sessionAffinity).toBe('ClientIP');
    const vs = result.objects.find((o) => o.kind === 'VirtualService')!;
    expect((vs.spec as { exportTo: string[] }).exportTo).toEqual(['.']);
    expect(result.objects.find((o) => o.kind === 'ConfigMap')).toEqual(extra);
    expect(result.report).toEqual([
      'VirtualService/my-app-vs (article-before.yaml, document 4): dropped server-set status',
      'Service/my-app-svc: /metadata/annotations kept with a JSON patch (CanaryApp has no prop for it)',
      'Service/my-app-svc: /metadata/labels kept with a JSON patch (CanaryApp has no prop for it)',
      'Service/my-app-svc: /spec/sessionAffinity kept with a JSON patch (CanaryApp has no prop for it)',
      'VirtualService/my-app-vs: /spec/exportTo kept with a JSON patch (CanaryApp has no prop for it)',
      'Deployment/my-app-dep: /spec/replicas (unset) -> 0: Rollout/my-app-rollout runs the pods, scaled by HorizontalPodAutoscaler/my-app-hpa',
      'HorizontalPodAutoscaler/my-app-hpa: /spec/scaleTargetRef Deployment/my-app-dep -> Rollout/my-app-rollout',
      'VirtualService/my-app-vs: /spec/http/0/route now splits between my-app-svc (weight 100) and my-app-canary-svc (weight 0); the route is named primary (Rollout/my-app-rollout lists it)',
      "Rollout/my-app-rollout: /spec/minReadySeconds is 5 (CanaryApp's default; Deployment/my-app-dep has none, which Kubernetes reads as 0)",
      'ConfigMap/my-app-config (cm.yaml, document 1): not part of the app, passed through unchanged',
    ]);
  });

  it('the snippet reproduces the patched set', () => {
    const chart = new Chart(new App({ outdir: 'unused' }), 'my-app', { disableResourceNameHashes: true });
    (loadSnippet(result.snippet, 'cdk8s-canary').addMyApp as (c: Chart) => void)(chart);
    expect(chart.toJson()).toEqual(result.objects);
    expect(result.snippet).toContain('app.stableService!.addJsonPatch(');
  });

  it('the passed-through object stays through every stage and the last stage equals the set', () => {
    const plan = planMigration({ after: result.objects, existing: readExistingApp(input.map((m) => ({ ...m, object: { ...m.object } }))) });
    const stages = gitopsStages(plan, 3);
    for (const s of stages) expect(s.objects.some((o) => o.kind === 'ConfigMap'), s.step.id).toBe(true);
    expect(stages[stages.length - 1].objects).toEqual(result.objects);
    expect(stringify(stages[0].objects)).toContain('sessionAffinity: ClientIP');
  });
});
