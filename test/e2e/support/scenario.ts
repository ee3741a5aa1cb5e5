import { onTestFinished } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectOk, type KubeClient, type KubeObject } from './kube-client';
import { findObject, REPO_ROOT, type ManifestSet } from './manifests';
import { recordUntil, RolloutObserver, type ObservedState, type RecordedTrace, type ScenarioAction } from './rollout-observer';

/** A canary set up in its own namespace, fully rolled out at revision 1. */
export interface CanaryFixture {
  /** The client the scenario uses. */
  readonly kube: KubeClient;
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
 * Applies every object of the set into a fresh namespace, starts watching it (stopped when the
 * calling test finishes) and waits (bounded) until revision 1 is Healthy with spec.replicas and
 * available pods both at `replicas` (the HPA's minReplicas sets the count when there is one).
 * `settleMs`: see RolloutObserver (events applied in resourceVersion order).
 */
export async function setUpCanary(kube: KubeClient, set: ManifestSet, namespace: string, replicas: number, options: { settleMs?: number } = {}): Promise<CanaryFixture> {
  await kube.ensureNamespace(namespace);
  for (const obj of set.objects) expectOk(await kube.apply(obj, namespace), `apply ${obj.kind}/${obj.metadata.name}`);
  const rollout = findObject(set, 'Rollout');
  const observer = new RolloutObserver(kube, namespace, rollout, options.settleMs);
  await observer.start();
  onTestFinished(() => observer.stop());
  await recordUntil(observer, Date.now(), {
    timeoutMs: 120_000,
    // spec.replicas too: the controller first defaults it to 1 (and minPodsPerReplicaSet may still
    // give revision 1 two pods); only the HPA's rescale to minReplicas makes N the real count
    done: (s) =>
      s.specReplicas === replicas &&
      s.phase === 'Healthy' &&
      s.replicaSets.length === 1 &&
      s.replicaSets[0].replicas === replicas &&
      s.replicaSets[0].available === replicas &&
      s.services.stable === 1 &&
      s.services.canary === 1,
  });
  return { kube, namespace, rollout, deployment: findObject(set, 'Deployment'), observer };
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

/** A scenario's description, written into its trace. */
export interface ScenarioInfo {
  /** Trace file name (without .json). */
  readonly name: string;
  /** What the scenario does, in the spirit of a `simulate` scenario file. */
  readonly scenario: unknown;
}

/**
 * Records until `done`, acting on the way (time origin `startMs`), and writes the trace, also when
 * the scenario times out or an action fails (then as `<name>.failed.json`).
 */
export async function record(
  fx: CanaryFixture,
  info: ScenarioInfo,
  startMs: number,
  done: (s: ObservedState) => boolean,
  act?: ScenarioAction,
  timeoutMs = 300_000,
): Promise<RecordedTrace & { file: string }> {
  const content = { rollout: fx.rollout.metadata.name, scenario: info.scenario };
  let trace: RecordedTrace;
  let nudges = 0;
  // Argo Rollouts v1.9.1 can leave its informer cache on an older Rollout than the API server has
  // (writeBackToInformer race, argoproj/argo-rollouts#4073, fixed after 1.9 by #4786): every
  // reconcile then fails with a conflict until the Rollout changes again. When nothing has changed
  // for longer than any wait in these scenarios (30 s), touch an annotation so the controller sees
  // a fresh object; the trace records each such nudge.
  const onIdle = {
    afterMs: 35_000,
    action: async () => {
      nudges++;
      const res = await fx.kube.mergePatch('argoproj.io/v1alpha1', 'Rollout', fx.namespace, fx.rollout.metadata.name, {
        metadata: { annotations: { 'e2e.cdk8s-canary.io/nudge': String(nudges) } },
      });
      expectOk(res, 'nudge the Rollout');
      console.warn(`${info.name}: no change for 35 s, nudged the Rollout (stale controller cache, argoproj/argo-rollouts#4073)`);
      return 'nudge: annotation touched after 35 s without change (argoproj/argo-rollouts#4073)';
    },
  };
  try {
    trace = await recordUntil(fx.observer, startMs, { done, act, timeoutMs, onIdle });
  } catch (err) {
    const partial = (err as { trace?: RecordedTrace }).trace;
    if (partial) writeTrace(`${info.name}.failed`, { ...content, trace: partial });
    throw err;
  }
  return { ...trace, file: writeTrace(info.name, { ...content, trace }) };
}

/** Writes a trace as JSON (directory E2E_TRACE_DIR, default <repo>/.cache/e2e/traces) and returns its path. */
export function writeTrace(name: string, content: { rollout: string; scenario: unknown; trace: RecordedTrace }): string {
  const dir = process.env.E2E_TRACE_DIR ?? join(REPO_ROOT, '.cache', 'e2e', 'traces');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const { ticks, actions } = content.trace;
  writeFileSync(file, `${JSON.stringify({ rollout: content.rollout, scenario: content.scenario, actions, ticks }, null, 2)}\n`);
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
