import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { main } from '../../../src/cli/main';
import { MemoryIo } from '../../support/cli';
import { expectOk, type KubeClient, type KubeObject } from './kube-client';
import { findObject, loadManifestSet, REPO_ROOT } from './manifests';
import type { ObservedState, TraceTick } from './rollout-observer';

/**
 * `cdk8s-canary status` on the e2e cluster as a reader: a ServiceAccount bound to the
 * rollouts-reader Role and the rollouts-status-reader ClusterRole (examples/status-reader-rbac.yaml),
 * with its own token kubeconfig, and the command run in-process on it.
 */

/**
 * Applies the rollouts-reader Role (the article's, test/e2e/fixtures/article/rbac.yaml) and the
 * ClusterRole, makes ServiceAccount `name` in `namespace` with the given bindings and writes its kubeconfig.
 */
export async function readerKubeconfig(kube: KubeClient, namespace: string, name: string, bindings: { role?: string; clusterRole?: string }): Promise<string> {
  const reader = findObject(loadManifestSet(join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'article')), 'Role', 'rollouts-reader');
  expectOk(await kube.apply(reader, namespace), 'apply the rollouts-reader Role');
  for (const doc of parseAllDocuments(readFileSync(join(REPO_ROOT, 'examples', 'status-reader-rbac.yaml'), 'utf8'))) {
    expectOk(await kube.apply(doc.toJS() as KubeObject, namespace), 'apply the rollouts-status-reader ClusterRole');
  }
  const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } };
  expectOk(await kube.apply(sa, namespace), `apply ServiceAccount ${name}`);
  const subjects = [{ kind: 'ServiceAccount', name, namespace }];
  const roleRefs = [
    ...(bindings.role ? [{ kind: 'Role', name: bindings.role }] : []),
    ...(bindings.clusterRole ? [{ kind: 'ClusterRole', name: bindings.clusterRole }] : []),
  ];
  for (const ref of roleRefs) {
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${name}-${ref.name}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...ref },
      subjects,
    };
    expectOk(await kube.apply(binding, namespace), `bind ${ref.kind} ${ref.name} to ${name}`);
  }
  const res = await kube.request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  });
  expectOk(res, `token of ${name}`);
  const admin = process.env.KUBECONFIG!;
  const config = parse(readFileSync(admin, 'utf8'));
  const ca: string = config.clusters[0].cluster['certificate-authority'];
  const file = join(process.env.E2E_RUN_DIR ?? dirname(admin), `kubeconfig-${namespace}-${name}`);
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'e2e', cluster: { server: kube.server, 'certificate-authority': isAbsolute(ca) ? ca : resolve(dirname(admin), ca) } }],
      users: [{ name, user: { token: res.body.status.token } }],
      contexts: [{ name, context: { cluster: 'e2e', user: name, namespace } }],
      'current-context': name,
    }),
  );
  return file;
}

/** Runs `cdk8s-canary status ARGS...` in-process; the exit code and what it printed. */
export async function runStatus(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const io = new MemoryIo();
  const code = await main(['status', ...args], io);
  return { code, out: io.out, err: io.err };
}

/** One `status --format json` read with the time window it ran in (ms). */
export interface StatusSample {
  readonly startMs: number;
  readonly endMs: number;
  readonly code: number;
  readonly doc: any;
}

/** Reads `status --format json` again and again (as the reader) until `stop()` says so. */
export async function sampleStatus(kubeconfig: string, target: string, stop: () => boolean, pauseMs = 300): Promise<StatusSample[]> {
  const samples: StatusSample[] = [];
  while (!stop()) {
    const startMs = Date.now();
    const { code, out, err } = await runStatus([target, '--kubeconfig', kubeconfig, '--format', 'json']);
    if (code === 2) throw new Error(`status failed: ${err}`);
    samples.push({ startMs, endMs: Date.now(), code, doc: JSON.parse(out) });
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  return samples;
}

/** Step, VirtualService weights and pods per revision as the status document shows them. */
function shown(doc: any): { step: string; weights: string; pods: string } {
  const route = doc.now.routes[0] ?? {};
  return { step: String(doc.now.step.index), weights: `${route.canary}/${route.stable}`, pods: pods(doc.now.revisions) };
}

/** The same of an observed controller state. */
function observed(s: ObservedState): { step: string; weights: string; pods: string } {
  return { step: String(s.stepIndex), weights: `${s.weights.canary}/${s.weights.stable}`, pods: pods(s.replicaSets) };
}

function pods(rs: readonly { revision: number | null; role: string; replicas?: number; desired?: number; available: number }[]): string {
  return rs
    .map((r) => `${r.revision}:${r.role}:${r.replicas ?? r.desired}:${r.available}`)
    .sort()
    .join(' ');
}

/**
 * Checks each sample against the states the watch-based observer recorded while that read ran
 * (the state current when it started, and every state seen until it ended, plus the observer's
 * watch lag). A read is not atomic (the Rollout first, then the rest at once), so each of step,
 * weights and pods must be one the controller had during the read. Reads that ended after the trace's
 * last state are left out. Returns what did not match.
 */
export function unmatchedSamples(samples: readonly StatusSample[], ticks: readonly TraceTick[], startMs: number): { doc: any; field: string; shown: string; seen: string[] }[] {
  // the trace ends at the state the scenario waited for (as the observer saw it, up to its lag
  // late): a read that ended after that may show a later state the trace does not hold, so only
  // reads that ended at least the lag before it are judged
  const end = ticks.at(-1)?.t ?? 0;
  return samples.flatMap((sample) => {
    const from = (sample.startMs - startMs) / 1000;
    if ((sample.endMs - startMs) / 1000 + OBSERVER_LAG_SECONDS > end) return [];
    // the observer sees a change through a watch, up to about a second after the API server has it
    const to = (sample.endMs - startMs) / 1000 + OBSERVER_LAG_SECONDS;
    let before = -1;
    ticks.forEach((t, i) => {
      if (t.t <= from) before = i;
    });
    const window = ticks.filter((t, i) => i === before || (t.t > from && t.t <= to)).map(observed);
    const got = shown(sample.doc);
    return (['step', 'weights', 'pods'] as const)
      .filter((field) => !window.some((w) => w[field] === got[field]))
      .map((field) => ({ doc: sample.doc.now, field, shown: got[field], seen: window.map((w) => w[field]) }));
  });
}

/** How late the watch-based observer may see a state the API server already serves (s). */
const OBSERVER_LAG_SECONDS = 1;

/** Prediction error of each sample that forecast a completion time: predicted minus actual (s). */
export function completionErrors(samples: readonly StatusSample[], completedAtMs: number): { readonly atMs: number; readonly step: number | null; readonly error: number }[] {
  return samples
    .filter((s) => s.doc.next.completionAt && s.endMs < completedAtMs)
    .map((s) => ({ atMs: s.startMs, step: s.doc.now.step.index, error: (Date.parse(s.doc.next.completionAt) - completedAtMs) / 1000 }));
}
