import { App, Chart } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CanaryApp, StepProfile } from '../../src/constructs';
import { lintManifests } from '../../src/lint/lint-manifests';
import { myAppProps } from '../../src/main';
import { KubeClient, expectOk, runNamespace, type KubeObject } from './support/kube-client';
import { generatedManifestSets } from './support/generated-apps';
import type { ManifestSet } from './support/manifests';

// (d) Issue 22: the real kube-apiserver's Pod Security admission, in namespaces labelled
// pod-security.kubernetes.io/enforce: restricted. The example app of src/main.ts and the generated
// varieties of CanaryApp get every pod of their Rollouts created (the Rollout's ReplicaSets reach
// their replica count, no FailedCreate); the same app with securityDefaults: false is rejected with
// the admission message naming each failed check.
const kube = KubeClient.fromKubeconfig();
afterAll(() => kube.close());

const RESTRICTED = { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' };
const WAIT_MS = 120_000;

async function restrictedNamespace(base: string): Promise<string> {
  const name = runNamespace(base);
  const res = await kube.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: RESTRICTED } } });
  expectOk(res, `create namespace ${name}`);
  return name;
}

/** Applies every object of the set into `namespace` (cluster-scoped ones as they are). */
async function applyAll(objects: readonly KubeObject[], namespace: string): Promise<void> {
  for (const o of objects) expectOk(await kube.apply(o, namespace), `apply ${o.kind}/${o.metadata.name}`);
}

interface PodCreation {
  /** Per ReplicaSet: name, desired and created pods. */
  readonly replicaSets: { name: string; desired: number; created: number }[];
  /** Messages of FailedCreate events and ReplicaFailure conditions. */
  readonly failures: string[];
}

async function podCreation(namespace: string): Promise<PodCreation> {
  const replicaSets = await kube.list('apps/v1', 'ReplicaSet', namespace);
  const events = await kube.list('v1', 'Event', namespace);
  const failures = [
    ...events.filter((e) => e.reason === 'FailedCreate').map((e) => `${e.involvedObject?.kind}/${e.involvedObject?.name}: ${e.message}`),
    ...replicaSets.flatMap((rs) => (rs.status?.conditions ?? []).filter((c: any) => c.type === 'ReplicaFailure').map((c: any) => `${rs.metadata.name}: ${c.message}`)),
  ];
  return {
    replicaSets: replicaSets.map((rs) => ({ name: rs.metadata.name, desired: rs.spec.replicas ?? 0, created: rs.status?.replicas ?? 0 })),
    failures,
  };
}

/** Polls until `done` holds (or the deadline passes) and returns the last observation. */
async function waitFor(namespace: string, done: (c: PodCreation) => boolean): Promise<PodCreation> {
  const deadline = Date.now() + WAIT_MS;
  let last = await podCreation(namespace);
  while (!done(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    last = await podCreation(namespace);
  }
  return last;
}

const allCreated = (c: PodCreation) => c.failures.length > 0 || (c.replicaSets.some((rs) => rs.desired > 0) && c.replicaSets.every((rs) => rs.created === rs.desired));

const withPods = generatedManifestSets().filter((s) => s.objects.some((o) => o.kind === 'Rollout'));

describe.each(withPods.map((s) => [s.name, s] as const))('%s in a restricted namespace', (name, set: ManifestSet) => {
  let namespace: string;
  beforeAll(async () => {
    namespace = await restrictedNamespace(`psa-${name}`);
    await applyAll(set.objects, namespace);
  });

  it('passes the pod-security-restricted lint (the static view of the same check)', () => {
    expect(lintManifests(set.objects).filter((f) => f.rule === 'pod-security-restricted')).toEqual([]);
  });

  it('creates every pod of its Rollout: each ReplicaSet at its replica count, no FailedCreate', async () => {
    const c = await waitFor(namespace, allCreated);
    expect(c.failures).toEqual([]);
    expect(c.replicaSets.length).toBeGreaterThan(0);
    for (const rs of c.replicaSets) expect(rs, rs.name).toEqual({ ...rs, created: rs.desired });
    expect(c.replicaSets.some((rs) => rs.desired >= 1)).toBe(true);
    const pods = await kube.list('v1', 'Pod', namespace);
    expect(pods.length).toBe(c.replicaSets.reduce((n, rs) => n + rs.desired, 0));
  });
});

describe('an insecure variant (securityDefaults: false) is rejected by admission', () => {
  const chart = new Chart(new App({ outdir: '/nonexistent-not-written' }), 'insecure');
  new CanaryApp(chart, 'App', { ...myAppProps(StepProfile.automatic()), name: 'insecure', securityDefaults: false });
  const objects = chart.toJson() as KubeObject[];
  const deployment = objects.find((o) => o.kind === 'Deployment')!;
  // the four checks of the restricted profile the bare container fails, as the admission plugin words them
  const CHECKS = [
    'allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false)',
    'unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"])',
    'runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true)',
    'seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
  ];
  let namespace: string;
  beforeAll(async () => {
    namespace = await restrictedNamespace('psa-insecure');
  });

  it('the lint warns about the same container', () => {
    expect(lintManifests(objects).filter((f) => f.rule === 'pod-security-restricted').map((f) => `${f.object} ${f.path}`)).toEqual([
      'Deployment/insecure-dep spec.template.spec.containers[0]',
    ]);
  });

  it('a Pod with its template is forbidden, naming each failed check', async () => {
    const template = (deployment as any).spec.template;
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'insecure-pod', labels: template.metadata.labels }, spec: template.spec };
    const res = await kube.create(pod, namespace, { dryRun: true });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(`pods "insecure-pod" is forbidden: violates PodSecurity "restricted:latest": ${CHECKS.join(', ')}`);
  });

  it('the Rollout\'s ReplicaSet reports FailedCreate with the admission message and gets no pod', async () => {
    await applyAll(objects, namespace);
    const c = await waitFor(namespace, (x) => x.failures.length > 0);
    expect(c.failures.length).toBeGreaterThan(0);
    for (const f of c.failures) expect(f).toContain(`violates PodSecurity "restricted:latest": ${CHECKS.join(', ')}`);
    expect(c.replicaSets.map((rs) => rs.created)).toEqual(c.replicaSets.map(() => 0));
    expect(await kube.list('v1', 'Pod', namespace)).toEqual([]);
  });
});
