import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectOk, type KubeClient, type KubeObject } from './kube-client';
import { findObject, REPO_ROOT, type ManifestSet } from './manifests';
import { recordUntil, RolloutObserver, type ObservedState, type RecordedTrace, type ScenarioAction } from './rollout-observer';

/** A canary set up in its own namespace, fully rolled out at revision 1. */
export interface CanaryFixture {
  /** Namespace of the scenario. */
  readonly namespace: string;
  /** The Rollout manifest. */
  readonly rollout: KubeObject;
  /** The Deployment the Rollout references (its template is what an update changes). */
  readonly deployment: KubeObject;
  /** Reads the live state. */
  readonly observer: RolloutObserver;
}

/**
 * Applies every object of the set into a fresh namespace and waits (bounded) until revision 1 is
 * Healthy with `replicas` available pods (the HPA's minReplicas sets the count when there is one).
 */
export async function setUpCanary(kube: KubeClient, set: ManifestSet, namespace: string, replicas: number): Promise<CanaryFixture> {
  await kube.ensureNamespace(namespace);
  for (const obj of set.objects) expectOk(await kube.apply(obj, namespace), `apply ${obj.kind}/${obj.metadata.name}`);
  const rollout = findObject(set, 'Rollout');
  const observer = new RolloutObserver(kube, namespace, rollout);
  await recordUntil(observer, Date.now(), {
    timeoutMs: 120_000,
    done: (s) =>
      s.phase === 'Healthy' &&
      s.replicaSets.length === 1 &&
      s.replicaSets[0].replicas === replicas &&
      s.replicaSets[0].available === replicas &&
      s.services.stable === 1 &&
      s.services.canary === 1,
  });
  return { namespace, rollout, deployment: findObject(set, 'Deployment'), observer };
}

/** Changes the image of the Deployment's first container: a new pod template, so a new revision. */
export async function updateImage(kube: KubeClient, fx: CanaryFixture, image: string): Promise<void> {
  const container = (fx.deployment as any).spec.template.spec.containers[0].name;
  const res = await kube.request(
    'PATCH',
    await kube.pathOf('apps/v1', 'Deployment', { namespace: fx.namespace, name: fx.deployment.metadata.name }),
    { body: { spec: { template: { spec: { containers: [{ name: container, image }] } } } }, contentType: 'application/strategic-merge-patch+json' },
  );
  expectOk(res, `update the image of ${fx.deployment.metadata.name}`);
}

/** The operator commands, sent as `kubectl argo rollouts` sends them (JSON merge patches). */
export async function operate(kube: KubeClient, fx: CanaryFixture, command: 'promote' | 'promoteFull' | 'abort' | 'retry'): Promise<void> {
  const status = {
    promote: { pauseConditions: null },
    promoteFull: { promoteFull: true },
    abort: { abort: true },
    retry: { abort: false },
  }[command];
  const res = await kube.mergePatch('argoproj.io/v1alpha1', 'Rollout', fx.namespace, fx.rollout.metadata.name, { status }, { subresource: 'status' });
  expectOk(res, `${command} ${fx.rollout.metadata.name}`);
}

/** Records until `done`, acting on the way; the time origin is `startMs`. */
export function record(fx: CanaryFixture, startMs: number, done: (s: ObservedState) => boolean, act?: ScenarioAction, timeoutMs = 300_000): Promise<RecordedTrace> {
  return recordUntil(fx.observer, startMs, { done, act, timeoutMs });
}

/** Writes a trace as JSON (directory E2E_TRACE_DIR, default <repo>/.cache/e2e/traces) and returns its path. */
export function writeTrace(name: string, content: { rollout: string; scenario: unknown; trace: RecordedTrace }): string {
  const dir = process.env.E2E_TRACE_DIR ?? join(REPO_ROOT, '.cache', 'e2e', 'traces');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify({ rollout: content.rollout, scenario: content.scenario, actions: content.trace.actions, ticks: content.trace.ticks }, null, 2)}\n`);
  return file;
}

/** The first tick (index) at or after `from` that satisfies `pred`, or -1. */
export function indexWhere<T>(ticks: readonly T[], pred: (t: T) => boolean, from = 0): number {
  for (let i = from; i < ticks.length; i++) if (pred(ticks[i])) return i;
  return -1;
}

/** Values in order with consecutive repeats removed. */
export function distinctRuns<T>(values: readonly T[]): T[] {
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}
