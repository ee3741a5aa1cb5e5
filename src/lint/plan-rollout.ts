import { ManifestError, readManifests, type KubeObject, type RolloutModel } from '../runtime/manifests';
import { plan } from '../runtime/plan';
import { SimulationError } from '../runtime/simulate';
import type { ManifestIndex } from './manifest-index';
import type { PlanOutcome } from './rule';
import type { RolloutView } from './rollout-view';

const models = new WeakMap<RolloutView, RolloutModel | Error>();

/**
 * The runtime's plan of one Rollout at `replicas`, reduced to what the rules read. Manifests the
 * runtime cannot resolve (a missing Service or VirtualService, reported by other rules) or a
 * Rollout that cannot complete give `ok: false`, and the plan-based checks skip that Rollout.
 */
export function planRollout(index: ManifestIndex, rollout: RolloutView, replicas: number): PlanOutcome {
  let model = models.get(rollout);
  if (model === undefined) {
    try {
      model = readManifests(index.objects.map((o) => o.raw as KubeObject), { rollout: rollout.object.name });
    } catch (err) {
      if (!(err instanceof ManifestError)) throw err;
      model = err;
    }
    models.set(rollout, model);
  }
  if (model instanceof Error) return { ok: false, replicas, error: model.message };
  try {
    const result = plan(model, { replicas });
    const steps = result.rows.map((row) => ({
      stepIndex: row.step,
      action: row.action,
      canaryReplicas: row.canaryReplicas,
      stableReplicas: row.stableReplicas,
      podsAdded: row.podsAdded,
    }));
    return { ok: true, replicas: result.replicas, steps };
  } catch (err) {
    if (err instanceof SimulationError || err instanceof ManifestError) return { ok: false, replicas, error: err.message };
    throw err;
  }
}
