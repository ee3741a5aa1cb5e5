import { ManifestError, readManifests, type KubeObject, type RolloutModel } from '../runtime/manifests';
import { plan } from '../runtime/plan';
import { SimulationError } from '../runtime/simulate';
import { sameNamespace, type ManifestIndex, type ManifestObject } from './manifest-index';
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
    model = readModel(index, rollout);
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

/**
 * The runtime's model of one Rollout. The runtime reader wants exactly one Rollout of that name,
 * so it gets this Rollout plus the other kinds of its namespace (exact namespace first, then
 * compatible namespaces, e.g. objects that leave the namespace unset).
 */
function readModel(index: ManifestIndex, rollout: RolloutView): RolloutModel | Error {
  const others = (keep: (o: ManifestObject) => boolean) =>
    [rollout.object, ...index.objects.filter((o) => o.kind !== 'Rollout' && keep(o))].map((o) => o.raw as KubeObject);
  const attempts = [
    others((o) => o.namespace === rollout.object.namespace),
    others((o) => sameNamespace(o.namespace, rollout.object.namespace)),
  ];
  let failure: Error = new Error('no attempt');
  for (const objects of attempts) {
    try {
      return readManifests(objects, { rollout: rollout.object.name });
    } catch (err) {
      if (!(err instanceof ManifestError)) throw err;
      failure = err;
    }
  }
  return failure;
}
