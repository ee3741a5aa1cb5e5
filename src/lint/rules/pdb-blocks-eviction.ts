import { recordAt } from '../data';
import type { ManifestObject } from '../manifest-index';
import { pdbCoverage } from '../pod-disruption-budgets';
import { replicaCountsToCheck } from '../replica-counts';
import { canaryRollouts, type LintContext, type LintRule, type RuleFinding } from '../rule';
import type { RolloutView } from '../rollout-view';

/** Parses an intstr percentage ("50%"); undefined for integers and malformed strings. */
function percentOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+)%$/.exec(value.trim());
  return match ? Number(match[1]) : undefined;
}

/**
 * Evictions the PDB allows when it covers `pods` healthy pods (policy/v1 disruption controller:
 * percentages are scaled with rounding up), or undefined when the fields are unusable.
 */
export function allowedDisruptions(spec: Readonly<Record<string, unknown>>, pods: number): number | undefined {
  const { minAvailable, maxUnavailable } = spec;
  if (maxUnavailable !== undefined) {
    if (typeof maxUnavailable === 'number') return Math.max(0, maxUnavailable);
    const p = percentOf(maxUnavailable);
    return p === undefined ? undefined : Math.ceil((p * pods) / 100);
  }
  if (minAvailable !== undefined) {
    const desired = typeof minAvailable === 'number' ? minAvailable : percentOf(minAvailable);
    if (desired === undefined) return undefined;
    const healthy = typeof minAvailable === 'number' ? desired : Math.ceil((desired * pods) / 100);
    return Math.max(0, pods - healthy);
  }
  return undefined;
}

/** Pod counts a PDB over one side of a Rollout can be asked to protect (non-zero ones). */
function coveredCounts(context: LintContext, rollout: RolloutView, stable: boolean, canary: boolean): number[] {
  const counts = new Set<number>();
  for (const replicas of replicaCountsToCheck(rollout, context.replicas)) {
    if (stable) counts.add(replicas);
    if (!canary || stable) continue;
    const plan = context.plan(rollout, replicas);
    if (!plan.ok) continue;
    for (const step of plan.steps) if (step.canaryReplicas > 0) counts.add(step.canaryReplicas);
  }
  return [...counts].sort((a, b) => a - b);
}

function fieldOf(spec: Readonly<Record<string, unknown>>): string {
  return spec.maxUnavailable !== undefined ? 'spec.maxUnavailable' : 'spec.minAvailable';
}

/** A PDB that allows no eviction at all blocks node drains and `kubectl argo rollouts restart`. */
export const pdbBlocksEvictionRule: LintRule = {
  id: 'pdb-blocks-eviction',
  severity: 'error',
  summary:
    'A PodDisruptionBudget allows no eviction (maxUnavailable 0, minAvailable 100%, or minAvailable at least the ' +
    'pods it covers, e.g. 2 for a canary of 2 pods): node drains hang and restarts never proceed.',
  fix: 'Use maxUnavailable: 1 (or a percentage) instead of minAvailable, one PDB per role.',
  check(context) {
    const findings: RuleFinding[] = [];
    const reported = new Set<ManifestObject>();
    const report = (pdb: ManifestObject, message: string) => {
      if (reported.has(pdb)) return;
      reported.add(pdb);
      findings.push({ object: pdb, path: fieldOf(recordAt(pdb.raw.spec)), message });
    };
    for (const rollout of canaryRollouts(context)) {
      for (const c of pdbCoverage(context.index, rollout)) {
        if (!c.stable && !c.canary) continue;
        const spec = recordAt(c.pdb.raw.spec);
        const side = c.stable && c.canary ? 'stable and canary' : c.stable ? 'stable' : 'canary';
        for (const pods of coveredCounts(context, rollout, c.stable, c.canary)) {
          if (allowedDisruptions(spec, pods) !== 0) continue;
          const rule = spec.maxUnavailable !== undefined ? `maxUnavailable ${JSON.stringify(spec.maxUnavailable)}` : `minAvailable ${JSON.stringify(spec.minAvailable)}`;
          report(c.pdb, `${rule} allows no eviction when it covers ${pods} ${side} pods of ${rollout.object.ref}.`);
          break;
        }
      }
    }
    // PDBs of other workloads: only the unconditional cases.
    for (const pdb of context.index.ofKind('PodDisruptionBudget')) {
      const spec = recordAt(pdb.raw.spec);
      if (allowedDisruptions(spec, 1) === 0 && allowedDisruptions(spec, 1000) === 0 && (spec.maxUnavailable !== undefined || typeof spec.minAvailable === 'string')) {
        const rule = spec.maxUnavailable !== undefined ? `maxUnavailable ${JSON.stringify(spec.maxUnavailable)}` : `minAvailable ${JSON.stringify(spec.minAvailable)}`;
        report(pdb, `${rule} allows no eviction whatever the number of pods.`);
      }
    }
    return findings;
  },
};
