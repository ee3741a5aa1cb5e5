import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterState, ControllerAction } from '../../src/runtime/cluster-state';
import { ARGO_KEYS } from '../../src/model/argo-defaults';
import { readManifests, type RolloutModel } from '../../src/model/manifests';
import type { Scenario } from '../../src/runtime/scenario';
import { runSimulation, type SimulationSnapshot } from '../../src/runtime/simulate';

/** Test helpers for simulate-based tests (not a test file: no `.test.ts`). */

export const FIXTURES = join(__dirname, '..', 'fixtures');

export function fixture(name: string, rollout?: string): RolloutModel {
  return readManifests({ text: readFileSync(join(FIXTURES, name), 'utf8'), file: name }, { rollout });
}

export function run(name: string, scenario: Scenario): SimulationSnapshot[] {
  return runSimulation(fixture(name), scenario);
}

/** The last snapshot at time t (the settled state of that instant). */
export function at(snapshots: readonly SimulationSnapshot[], t: number): SimulationSnapshot {
  const found = [...snapshots].reverse().find((s) => s.tick.t <= t);
  if (!found) throw new Error(`no snapshot at or before t=${t}`);
  return found;
}

/** Revision (trace number) of the ReplicaSet with this pod-template-hash. */
export function revisionOf(cluster: ClusterState, hash: string | undefined): number | undefined {
  return cluster.replicaSets.find((rs) => rs.podTemplateHash === hash)?.revision;
}

/**
 * What the controller wrote in one tick, compactly and with revisions instead of hashes:
 * `create 2`, `scale 2 0->2`, `svc c->2`, `vs 20`, `deadline 1`, `undeadline 2`, `dr 2/1`, `status`.
 * Router calls that changed nothing are left out.
 */
export function writes(snapshot: SimulationSnapshot, previous: ClusterState): string[] {
  const rev = (name: string): number | undefined =>
    (snapshot.cluster.replicaSets.find((rs) => rs.name === name) ?? previous.replicaSets.find((rs) => rs.name === name))?.revision;
  const hashRev = (hash: string | undefined): number | undefined =>
    revisionOf(snapshot.cluster, hash) ?? revisionOf(previous, hash);
  const out: string[] = [];
  for (const a of snapshot.actions as ControllerAction[]) {
    switch (a.kind) {
      case 'createReplicaSet':
        out.push(`create ${rev(a.replicaSet)}`);
        break;
      case 'scaleReplicaSet':
        out.push(`scale ${rev(a.replicaSet)} ${a.from}->${a.to}`);
        break;
      case 'annotateReplicaSet':
        if (a.key === ARGO_KEYS.scaleDownDeadlineAnnotation) out.push(`${a.value ? 'deadline' : 'undeadline'} ${rev(a.replicaSet)}`);
        break;
      case 'switchService':
        out.push(`svc ${a.service}->${hashRev(a.to)}`);
        break;
      case 'setWeight':
        if (a.updated.length > 0) out.push(`vs ${a.weight}`);
        break;
      case 'updateHash':
        if (a.modified) out.push(`dr ${hashRev(a.canary)}/${hashRev(a.stable)}`);
        break;
      case 'updateStatus':
        out.push('status');
        break;
      default:
        break;
    }
  }
  return out;
}

/** The ticks (with their writes) from `fromT` on that wrote anything. */
export function writingTicks(snapshots: readonly SimulationSnapshot[], fromT = 0): { snap: SimulationSnapshot; writes: string[] }[] {
  const out: { snap: SimulationSnapshot; writes: string[] }[] = [];
  for (let i = 1; i < snapshots.length; i++) {
    if (snapshots[i].tick.t < fromT) continue;
    const w = writes(snapshots[i], snapshots[i - 1].cluster);
    if (w.length > 0) out.push({ snap: snapshots[i], writes: w });
  }
  return out;
}

/** Weights of the first http route of the first VirtualService, by destination host (or subset). */
export function vsWeights(cluster: ClusterState, routeIndex = 0, kind: 'http' | 'tls' | 'tcp' = 'http'): Record<string, number> {
  const route = cluster.virtualServices[0].object.spec[kind]?.[routeIndex];
  return Object.fromEntries((route?.route ?? []).map((d) => [d.destination.subset ?? d.destination.host, d.weight ?? 0]));
}

export function selectorRevision(cluster: ClusterState, service: string): number | undefined {
  return revisionOf(cluster, cluster.services[service]?.selector[ARGO_KEYS.podTemplateHashLabel]);
}
