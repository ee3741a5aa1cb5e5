import { getReplicasOrDefault } from '../runtime/rollout-defaults';
import { hpaMinReplicasOrDefault } from '../model/manifests';
import type { ManifestObject } from './manifest-index';
import { hpaMaxReplicas, hpaMinReplicas, type RolloutView } from './rollout-view';

/**
 * Replica counts worth planning a Rollout at: the explicit option; else each HPA's min and max
 * (the count moves between them); else spec.replicas; else 1 (the Argo Rollouts default).
 * Positive counts only, ascending, each once.
 */
export function replicaCountsToCheck(rollout: RolloutView, explicit: number | undefined): readonly number[] {
  if (explicit !== undefined) return [explicit];
  if (rollout.hpas.length === 1) {
    // The common case (one HPA), without the Set and sort below.
    const hpa = rollout.hpas[0];
    const min = plannedMin(hpa);
    const max = hpaMaxReplicas(hpa) ?? min;
    const counts = min === max ? [min] : min < max ? [min, max] : [max, min];
    return counts.filter((n) => n > 0);
  }
  if (rollout.hpas.length > 0) {
    const counts = rollout.hpas.flatMap((hpa) => [plannedMin(hpa), hpaMaxReplicas(hpa) ?? plannedMin(hpa)]);
    return [...new Set(counts)].filter((n) => n > 0).sort((a, b) => a - b);
  }
  const replicas = getReplicasOrDefault(rollout.replicas);
  return replicas > 0 ? [replicas] : [];
}

/** An HPA's minReplicas to plan at: a value the reader refuses counts as absent (the plan then reports the reader's problem). */
function plannedMin(hpa: ManifestObject): number {
  return hpaMinReplicas(hpa) ?? hpaMinReplicasOrDefault({});
}
