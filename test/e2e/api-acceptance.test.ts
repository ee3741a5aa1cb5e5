import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, runNamespace, type KubeObject } from './support/kube-client';
import { findObject, loadManifestSet, manifestDirs } from './support/manifests';
import { subsetDifferences } from './support/subset';
import { generatedManifestSets } from './support/generated-apps';

// (a) The real kube-apiserver, with the real Argo Rollouts and Istio CRDs installed, accepts every
// object with strict field validation: as a server-side dry-run (both a create and a server-side
// apply), then for real with a server-side apply.
const kube = KubeClient.fromKubeconfig();
// the manifest directories, plus (unless E2E_MANIFESTS picks directories) the example app of
// src/main.ts and a dozen varied CanaryApps, synthesized here
const sets = [...manifestDirs().map(loadManifestSet), ...(process.env.E2E_MANIFESTS ? [] : generatedManifestSets())];
afterAll(() => kube.close());

const label = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
const withoutStatus = (o: KubeObject) => {
  const { status: _status, ...rest } = o;
  return rest;
};

describe.each(sets.map((s) => [s.name, s] as const))('manifests of %s', (name, set) => {
  // objects whose chart sets a namespace go to a run-suffixed copy of it, the others to accept-<set>
  const fallback = runNamespace(`accept-${name}`);
  const nsOf = (o: KubeObject) => (o.metadata.namespace ? runNamespace(o.metadata.namespace) : fallback);
  beforeAll(async () => {
    for (const ns of new Set([fallback, ...set.objects.map(nsOf)])) await kube.ensureNamespace(ns);
  });

  it.each(set.objects.map((o) => [label(o), o] as const))('%s passes strict server-side dry-runs and is not stored', async (_, obj) => {
    const namespace = nsOf(obj);
    const created = await kube.create(obj, namespace, { dryRun: true });
    expect(created.status, created.body?.message).toBe(201);
    expect(created.body.metadata.name).toBe(obj.metadata.name);
    const applied = await kube.apply(obj, namespace, { dryRun: true });
    expect(applied.status, applied.body?.message).toBe(201);
    expect(await kube.get(obj.apiVersion, obj.kind, namespace, obj.metadata.name)).toBeUndefined();
  });

  it.each(set.objects.map((o) => [label(o), o] as const))('%s is created by a strict server-side apply and reads back unchanged', async (_, obj) => {
    const namespace = nsOf(obj);
    const res = await kube.apply(obj, namespace);
    expect(res.status, res.body?.message).toBe(201);
    const stored = await kube.get(obj.apiVersion, obj.kind, namespace, obj.metadata.name);
    const { namespace: _ns, ...metadata } = obj.metadata;
    expect(subsetDifferences(stored, withoutStatus({ ...obj, metadata } as KubeObject))).toEqual([]);
  });
});

describe('strict field validation is in force', () => {
  const set = sets[0];
  const namespace = runNamespace('accept-strict');
  beforeAll(() => kube.ensureNamespace(namespace));

  // One misspelt field per schema source: a CRD from ../shared/crds and a built-in type.
  const cases: [string, () => KubeObject, string][] = [
    ['a Rollout (Argo CRD)', () => {
      const o = structuredClone(findObject(set, 'Rollout')) as any;
      o.spec.strategy.canary.stepz = [];
      return o;
    }, 'spec.strategy.canary.stepz'],
    ['a VirtualService route (Istio CRD)', () => {
      const o = structuredClone(findObject(set, 'VirtualService')) as any;
      o.spec.http[0].route[0].wieght = 100;
      return o;
    }, 'spec.http[0].route[0].wieght'],
    ['a Deployment container (built-in)', () => {
      const o = structuredClone(findObject(set, 'Deployment')) as any;
      o.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
      return o;
    }, 'imagePullPolicyy'],
  ];

  it.each(cases)('a create rejects an unknown field in %s, naming it; without Strict it would pass', async (_, make, field) => {
    const strict = await kube.create(make(), namespace, { dryRun: true });
    expect(strict.status).toBe(400);
    expect(strict.body.message).toContain('strict decoding error: unknown field');
    expect(strict.body.message).toContain(field);
    // control: the same object with fieldValidation=Ignore is accepted, so Strict is what rejects it
    const obj = make();
    const path = await kube.pathOf(obj.apiVersion, obj.kind, { namespace });
    const lax = await kube.request('POST', path, { body: { ...obj, metadata: { ...obj.metadata, namespace } }, query: { dryRun: 'All', fieldValidation: 'Ignore' } });
    expect(lax.status, lax.body?.message).toBe(201);
  });

  it.each(cases)('a server-side apply rejects an unknown field in %s, naming it', async (_, make, field) => {
    const res = await kube.apply(make(), namespace, { dryRun: true });
    // kube-apiserver 1.34 answers 500 when it cannot build the typed patch
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.message).toContain('field not declared in schema');
    expect(res.body.message).toContain(`.${field.split('.').at(-1)}: field not declared`);
  });

  it('rejects a value of the wrong type in a Rollout, naming the field', async () => {
    const rollout = structuredClone(findObject(set, 'Rollout')) as any;
    rollout.spec.strategy.canary.steps = [{ setWeight: 'ten' }];
    const create = await kube.create(rollout, namespace, { dryRun: true });
    expect(create.status).toBe(422);
    expect(create.body.message).toContain('spec.strategy.canary.steps[0].setWeight in body must be of type integer');
    const apply = await kube.apply(rollout, namespace, { dryRun: true });
    expect(apply.status).toBeGreaterThanOrEqual(400);
    expect(apply.body.message).toContain('.spec.strategy.canary.steps[0].setWeight: expected numeric');
  });
});
