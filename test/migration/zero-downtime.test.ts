import { describe, expect, it } from 'vitest';
import { convertExistingApp } from '../../src/migration/convert';
import { type GitopsStage, gitopsStages } from '../../src/migration/gitops-stages';
import { asStringMap, cloneJson, getPath, type ManifestObject } from '../../src/migration/manifest-object';
import { selectsSome } from '../../src/model/label-selector';
import { planMigration } from '../../src/migration/migration-plan';
import type { ClusterState } from '../../src/runtime/cluster-state';
import { ARGO_KEYS } from '../../src/model/argo-defaults';
import { reconcile } from '../../src/runtime/reconcile';
import { computeHash } from '../../src/runtime/template-hash';
import type { RolloutSpec, RolloutState } from '../../src/runtime/types';
import { readFixture } from './helpers';

/**
 * A small cluster driven through the GitOps stages: the Deployment and HPA controllers are modelled
 * here (HPA under a steady load sized for the pre-migration replica count), the Argo Rollouts
 * controller is the runtime's `reconcile` (pause, initial promotion, first Service adoption only
 * once the ReplicaSet is fully available, VirtualService weights). After every second it counts
 * the ready pods the VirtualService can reach: pods that are ready and selected by a Service that
 * has weight > 0 in the weighted route.
 */
const READY_AFTER = 5; // seconds from pod creation to ready (minReadySeconds-like)
const SETTLE = 60; // seconds each stage is given (its checks would wait for this)

interface Pod {
  readonly labels: Record<string, string>;
  readonly createdAt: number;
}

class Cluster {
  t = 0;
  depPods: Pod[] = [];
  rsPods = new Map<string, Pod[]>();
  services = new Map<string, { selector: Record<string, string>; annotations: Record<string, string> }>();
  vs!: ManifestObject;
  rollout?: ClusterState;
  objects: readonly ManifestObject[] = [];
  minReady = Infinity;
  peakPods = 0;
  trace: string[] = [];

  constructor(private readonly load: number, before: readonly ManifestObject[]) {
    this.apply(before);
    const dep = this.find('Deployment')!;
    this.depPods = Array.from({ length: load }, () => ({ labels: this.podLabels(dep), createdAt: -100 }));
  }

  find(kind: string, name?: string): ManifestObject | undefined {
    return this.objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  }

  podLabels(dep: ManifestObject): Record<string, string> {
    return { ...(asStringMap(getPath(dep, 'spec', 'template', 'metadata', 'labels')) ?? {}) };
  }

  /** A Git sync: objects as committed; fields the controller owns keep their live values (ignoreDifferences). */
  apply(objects: readonly ManifestObject[]): void {
    this.objects = objects.map(cloneJson);
    for (const svc of objects.filter((o) => o.kind === 'Service')) {
      const live = this.services.get(svc.metadata.name);
      const hash = live?.selector[ARGO_KEYS.podTemplateHashLabel];
      const selector = { ...(asStringMap(getPath(svc, 'spec', 'selector')) ?? {}), ...(hash ? { [ARGO_KEYS.podTemplateHashLabel]: hash } : {}) };
      this.services.set(svc.metadata.name, { selector, annotations: live?.annotations ?? {} });
    }
    const vs = this.find('VirtualService')!;
    const liveWeights = this.rollout && this.vs ? (getPath(this.vs, 'spec', 'http') as unknown[]) : undefined;
    this.vs = cloneJson(vs);
    if (liveWeights) (this.vs.spec as { http: unknown[] }).http = cloneJson(liveWeights);
    const ro = this.find('Rollout');
    if (ro && !this.rollout) {
      const dep = this.find('Deployment')!;
      const hash = computeHash(getPath(dep, 'spec', 'template'));
      this.rollout = {
        rollout: { metadata: { name: ro.metadata.name }, spec: this.rolloutSpec(ro, undefined), status: {} } as RolloutState,
        templateHash: hash,
        replicaSets: [],
        services: {},
        virtualServices: [],
      };
    } else if (ro && this.rollout) {
      this.rollout = { ...this.rollout, rollout: { ...this.rollout.rollout, spec: this.rolloutSpec(ro, this.rollout.rollout.spec.replicas) } };
    }
  }

  rolloutSpec(ro: ManifestObject, liveReplicas: number | undefined): RolloutSpec {
    const spec = cloneJson(ro.spec) as Record<string, unknown>;
    // Git's replicas, or (when Git has none: the HPA owns it) the live value.
    if (spec.replicas === undefined && liveReplicas !== undefined) spec.replicas = liveReplicas;
    return spec as unknown as RolloutSpec;
  }

  tick(): void {
    this.t += 1;
    const t = this.t;
    // HPA: steady load sized for `load` pods, clamped to [min, max]; a target at 0 replicas is not scaled.
    const hpa = this.find('HorizontalPodAutoscaler');
    let depReplicas = getPath(this.find('Deployment'), 'spec', 'replicas') as number | undefined;
    if (hpa) {
      const min = (getPath(hpa, 'spec', 'minReplicas') as number | undefined) ?? 1;
      const max = getPath(hpa, 'spec', 'maxReplicas') as number;
      const desired = Math.min(max, Math.max(min, this.load));
      const target = getPath(hpa, 'spec', 'scaleTargetRef', 'kind');
      if (target === 'Deployment' && depReplicas === undefined) depReplicas = this.depPods.length > 0 ? desired : 0;
      if (target === 'Rollout' && this.rollout) {
        const spec = { ...this.rollout.rollout.spec, replicas: desired };
        this.rollout = { ...this.rollout, rollout: { ...this.rollout.rollout, spec } };
      }
    }
    // Deployment controller.
    const want = depReplicas ?? 1;
    const dep = this.find('Deployment')!;
    while (this.depPods.length < want) this.depPods.push({ labels: this.podLabels(dep), createdAt: t });
    if (this.depPods.length > want) this.depPods = this.depPods.slice(0, want);
    // Argo Rollouts controller (the runtime), a few reconciles per second.
    if (this.rollout) {
      for (let i = 0; i < 5; i++) {
        this.syncRollout(t);
        const result = reconcile(this.rollout, t);
        expect(result.error, `reconcile error at t=${t}`).toBeUndefined();
        this.rollout = result.state;
        this.writeBack();
        if (!result.changed) break;
      }
      this.syncRollout(t);
    }
    this.measure(t);
  }

  /** Pods of each ReplicaSet follow its spec; status counts follow the pods. */
  syncRollout(t: number): void {
    const c = this.rollout!;
    const stableMeta = asStringMap(getPath(c.rollout.spec, 'strategy', 'canary', 'stableMetadata', 'labels')) ?? {};
    const replicaSets = c.replicaSets.map((rs) => {
      const pods = this.rsPods.get(rs.name) ?? [];
      const labels = { ...this.podLabels(this.find('Deployment')!), ...stableMeta, [ARGO_KEYS.podTemplateHashLabel]: rs.podTemplateHash };
      while (pods.length < (rs.specReplicas ?? 0)) pods.push({ labels, createdAt: t });
      pods.length = Math.min(pods.length, rs.specReplicas ?? 0);
      this.rsPods.set(rs.name, pods);
      const available = pods.filter((p) => p.createdAt + READY_AFTER <= t).length;
      return { ...rs, statusReplicas: pods.length, availableReplicas: available };
    });
    const stable = getPath(c.rollout.spec, 'strategy', 'canary', 'stableService') as string;
    const canary = getPath(c.rollout.spec, 'strategy', 'canary', 'canaryService') as string;
    const services = Object.fromEntries(
      [stable, canary].map((n) => [n, { name: n, selector: { ...this.services.get(n)!.selector }, annotations: { ...this.services.get(n)!.annotations } }]),
    );
    const ref = getPath(c.rollout.spec, 'strategy', 'canary', 'trafficRouting', 'istio', 'virtualService') as ClusterState['virtualServices'][number]['ref'];
    this.rollout = {
      ...c,
      replicaSets,
      services,
      virtualServices: [{ ref, object: cloneJson({ metadata: this.vs.metadata, spec: this.vs.spec }) as ClusterState['virtualServices'][number]['object'] }],
    };
  }

  writeBack(): void {
    const c = this.rollout!;
    for (const svc of Object.values(c.services)) {
      this.services.set(svc.name, { selector: { ...svc.selector }, annotations: { ...(svc.annotations ?? {}) } });
    }
    const vs = c.virtualServices[0]?.object as unknown as { spec: unknown } | undefined;
    if (vs) this.vs = { ...this.vs, spec: cloneJson(vs.spec) } as ManifestObject;
  }

  readyPods(t: number): Pod[] {
    return [...this.depPods, ...[...this.rsPods.values()].flat()].filter((p) => p.createdAt + READY_AFTER <= t);
  }

  measure(t: number): void {
    const http = getPath(this.vs, 'spec', 'http') as { route: { destination: { host: string }; weight?: number }[] }[];
    const routes = http.flatMap((r) => r.route).filter((d) => d.weight === undefined || d.weight > 0);
    const reachable = new Set<Pod>();
    for (const d of routes) {
      const svc = this.services.get(d.destination.host.split('.')[0]);
      if (!svc) continue;
      for (const p of this.readyPods(t)) if (selectsSome(svc.selector, p.labels)) reachable.add(p);
    }
    this.minReady = Math.min(this.minReady, reachable.size);
    this.peakPods = Math.max(this.peakPods, this.depPods.length + [...this.rsPods.values()].flat().length);
    this.trace.push(`t=${t} reachable=${reachable.size} dep=${this.depPods.length} rs=${[...this.rsPods.values()].map((p) => p.length).join('/')}`);
  }

  runStage(stage: GitopsStage | readonly ManifestObject[]): void {
    this.apply('step' in stage ? stage.objects : stage);
    for (let i = 0; i < SETTLE; i++) this.tick();
  }
}

const LOAD = 4;
const before = readFixture('article-before.yaml');
const converted = convertExistingApp(before);
const plan = planMigration({ after: converted.objects, existing: converted.existing });
const stages = gitopsStages(plan, LOAD);

describe('zero downtime over the migration stages (runtime reconcile drives the Rollout)', () => {
  it('ready pods behind the VirtualService never drop below the pre-migration count, and end on the Rollout', () => {
    const cluster = new Cluster(LOAD, before.map((m) => m.object));
    const perStage: Record<string, number> = {};
    for (const stage of stages) {
      const start = cluster.minReady;
      cluster.minReady = Infinity;
      cluster.runStage(stage);
      perStage[stage.step.id] = cluster.minReady;
      cluster.minReady = Math.min(start, cluster.minReady);
    }
    expect(Object.values(perStage).every((n) => n >= LOAD), JSON.stringify(perStage)).toBe(true);
    expect(cluster.minReady).toBeGreaterThanOrEqual(LOAD);
    // The end state: no Deployment pod, the Rollout serves all traffic through a hash-pinned stable Service.
    expect(cluster.depPods).toHaveLength(0);
    expect([...cluster.rsPods.values()].flat()).toHaveLength(LOAD);
    expect(cluster.services.get('my-app-svc')!.selector[ARGO_KEYS.podTemplateHashLabel]).toBe(cluster.rollout!.templateHash);
    expect(cluster.rollout!.rollout.status.stableRS).toBe(cluster.rollout!.templateHash);
    // Capacity doubles while both run, never more.
    expect(cluster.peakPods).toBe(2 * LOAD);
  });

  it('the Rollout pods take the traffic only once all of them are ready (first Service adoption)', () => {
    const cluster = new Cluster(LOAD, before.map((m) => m.object));
    for (const stage of stages.slice(0, 4)) cluster.runStage(stage);
    expect([...cluster.rsPods.values()].flat()).toHaveLength(0); // paused: no Rollout pods
    expect(cluster.services.get('my-app-svc')!.selector[ARGO_KEYS.podTemplateHashLabel]).toBeUndefined();
    cluster.apply(stages[4].objects);
    let switchedAt: number | undefined;
    for (let i = 0; i < SETTLE; i++) {
      cluster.tick();
      const adopted = cluster.services.get('my-app-svc')!.selector[ARGO_KEYS.podTemplateHashLabel] !== undefined;
      if (adopted && switchedAt === undefined) {
        switchedAt = cluster.t;
        const ready = cluster.readyPods(cluster.t).filter((p) => ARGO_KEYS.podTemplateHashLabel in p.labels);
        expect(ready).toHaveLength(LOAD);
      }
    }
    expect(switchedAt).toBeDefined();
  });

  it('the check catches an unsafe order: scaling the Deployment to 0 while the Rollout is still paused', () => {
    const cluster = new Cluster(LOAD, before.map((m) => m.object));
    for (const stage of stages.slice(0, 4)) cluster.runStage(stage);
    const premature = stages[3].objects.map((o) => (o.kind === 'Deployment' ? { ...o, spec: { ...(o.spec as object), replicas: 0 } } : o));
    cluster.minReady = Infinity;
    cluster.runStage(premature);
    expect(cluster.minReady).toBe(0);
  });
});
