import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, expectOk, runNamespace, type KubeObject } from './support/kube-client';
import { findObject, loadManifestSet, manifestDirs } from './support/manifests';

// (b) The rollouts-reader and rollouts-writer Roles, exercised for real through the API server's
// RBAC authorizer: real requests made as users bound to each Role, not access reviews.
const kube = KubeClient.fromKubeconfig();
const set = loadManifestSet(manifestDirs()[0]);
const namespace = runNamespace('rbac');
const reader = { user: 'e2e-reader' };
const writer = { user: 'e2e-writer' };
const ROLLOUTS = 'argoproj.io/v1alpha1';
let rollout: KubeObject;

async function bind(role: string, user: string): Promise<void> {
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `${role}-${user}` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
  };
  expectOk(await kube.apply(binding, namespace), `bind ${role} to ${user}`);
}

beforeAll(async () => {
  await kube.ensureNamespace(namespace);
  for (const role of ['rollouts-reader', 'rollouts-writer']) {
    expectOk(await kube.apply(findObject(set, 'Role', role), namespace), `apply Role ${role}`);
  }
  await bind('rollouts-reader', reader.user);
  await bind('rollouts-writer', writer.user);
  rollout = findObject(set, 'Rollout');
  expectOk(await kube.apply(rollout, namespace), 'apply the Rollout');
});
afterAll(() => kube.close());

async function rolloutPath(subresource?: string): Promise<string> {
  return kube.pathOf(ROLLOUTS, 'Rollout', { namespace, name: rollout.metadata.name, subresource });
}
const collection = (plural: string) => `/apis/${ROLLOUTS}/namespaces/${namespace}/${plural}`;
// A promote as `kubectl argo rollouts promote` sends it for a Rollout paused at a `pause: {}` step.
const PROMOTE = { status: { pauseConditions: null } };

describe.each([
  ['rollouts-reader', reader],
  ['rollouts-writer', writer],
] as const)('%s', (_role, user) => {
  it('can get, list and watch rollouts', async () => {
    expect((await kube.request('GET', await rolloutPath(), { impersonate: user })).status).toBe(200);
    const list = await kube.request('GET', collection('rollouts'), { impersonate: user });
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: any) => r.metadata.name)).toEqual([rollout.metadata.name]);
    const watch = await kube.request('GET', collection('rollouts'), { impersonate: user, query: { watch: 'true', timeoutSeconds: '1' } });
    expect(watch.status).toBe(200);
    expect(watch.text).toContain('"type":"ADDED"');
  });

  it('can list analysisruns and experiments', async () => {
    for (const plural of ['analysisruns', 'experiments']) {
      expect((await kube.request('GET', collection(plural), { impersonate: user })).status, plural).toBe(200);
    }
  });

  it('cannot delete a rollout', async () => {
    const res = await kube.request('DELETE', await rolloutPath(), { impersonate: user });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain(`User "${user.user}" cannot delete resource "rollouts"`);
  });

  it('cannot touch the Deployment, Services or VirtualService behind the rollout', async () => {
    for (const obj of [findObject(set, 'Deployment'), findObject(set, 'VirtualService'), ...set.objects.filter((o) => o.kind === 'Service')]) {
      const path = await kube.pathOf(obj.apiVersion, obj.kind, { namespace, name: obj.metadata.name });
      expect((await kube.request('PATCH', path, { impersonate: user, body: {}, contentType: 'application/merge-patch+json' })).status, obj.kind).toBe(403);
    }
  });
});

describe('rollouts-reader', () => {
  it('cannot patch a rollout or promote it through rollouts/status', async () => {
    for (const sub of [undefined, 'status']) {
      const body = sub ? PROMOTE : { spec: { paused: true } };
      const res = await kube.request('PATCH', await rolloutPath(sub), { impersonate: reader, body, contentType: 'application/merge-patch+json' });
      expect(res.status, sub ?? 'rollout').toBe(403);
      expect(res.body.message).toContain(`User "e2e-reader" cannot patch resource "rollouts${sub ? '/status' : ''}"`);
    }
  });
});

describe('rollouts-writer', () => {
  it('can promote: patch rollouts/status', async () => {
    const res = await kube.request('PATCH', await rolloutPath('status'), { impersonate: writer, body: PROMOTE, contentType: 'application/merge-patch+json' });
    expect(res.status, res.body?.message).toBe(200);
  });

  it('can pause and resume: patch the rollout spec', async () => {
    for (const paused of [true, false]) {
      const res = await kube.request('PATCH', await rolloutPath(), { impersonate: writer, body: { spec: { paused } }, contentType: 'application/merge-patch+json' });
      expect(res.status, res.body?.message).toBe(200);
      expect(res.body.spec.paused).toBe(paused);
    }
  });

  it('cannot replace (update) a rollout, only patch it', async () => {
    const current = (await kube.request('GET', await rolloutPath())).body;
    const res = await kube.request('PUT', await rolloutPath(), { impersonate: writer, body: current });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('cannot update resource "rollouts"');
  });
});
