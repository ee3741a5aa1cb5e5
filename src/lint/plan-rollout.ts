import type { ManifestIndex } from './manifest-index';
import type { PlanOutcome } from './rule';
import type { RolloutView } from './rollout-view';

/** The runtime's plan of one Rollout at `replicas`, reduced to what the rules read. */
export function planRollout(_index: ManifestIndex, _rollout: RolloutView, replicas: number): PlanOutcome {
  // PROVISIONAL: wired to the runtime's plan() once it lands on branch runtime.
  return { ok: false, replicas, error: 'runtime plan() not available yet' };
}
