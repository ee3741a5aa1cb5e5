import { isPlainObject } from '../model/records';
import { ManifestError, readManifests, type KubeObject, type RolloutModel } from '../model/manifests';

import { planner, type PlanOptions, type PlanResult } from '../runtime/plan';

import { SimulationError } from '../runtime/simulate';

import { arrayAt, recordAt } from './data';
import { LabelPairIndex } from './label-pair-index';

import { MemoTable, sameNamespace, type ManifestIndex, type ManifestObject } from './manifest-index';

import type { PlanOutcome } from './rule';
import type { RolloutView } from './rollout-view';

/** A Rollout's planner (the runtime's `planner` of its model), or why it cannot be planned. */
type Planner = (options?: PlanOptions) => PlanResult;
const PLANNERS = new MemoTable<RolloutView, Planner | Error>('planner of a Rollout');

/**
 * Inputs of at most this many objects skip {@link readerCandidates}: the reader then gets every
 * object (a superset of the candidates, so the same model), which costs less than building the
 * index for a handful of objects (one app synthesized by CanaryApp is 8 objects).
 */
export const SMALL_INPUT_OBJECTS = 32;

/**
 * The runtime's plan of one Rollout at `replicas`, reduced to what the rules read. Manifests the
 * runtime cannot resolve (a missing Service or VirtualService, reported by other rules) or a
 * Rollout that cannot complete give `ok: false`, and the plan-based checks skip that Rollout.
 */
export function planRollout(index: ManifestIndex, rollout: RolloutView, replicas: number): PlanOutcome {
  const planAt = index.memo(PLANNERS, rollout, () => plannerOf(index, rollout));
  if (planAt instanceof Error) return { ok: false, replicas, error: planAt.message };
  try {
    const result = planAt({ replicas });
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

/** The runtime's planner of one Rollout's model, or why it cannot plan (as `plan` would throw it). */
function plannerOf(index: ManifestIndex, rollout: RolloutView): Planner | Error {
  const model = readModel(index, rollout);
  if (model instanceof Error) return model;
  try {
    return planner(model);
  } catch (err) {
    if (err instanceof SimulationError || err instanceof ManifestError) return err;
    throw err;
  }
}

/**
 * The runtime's model of one Rollout. The runtime reader wants exactly one Rollout of that name,
 * so it gets this Rollout plus the other kinds of its namespace (exact namespace first, then
 * compatible namespaces, e.g. objects that leave the namespace unset), restricted to the objects
 * the reader can look at for this Rollout (see {@link readerCandidates}) so that planning every
 * Rollout of a large input stays linear.
 */
function readModel(index: ManifestIndex, rollout: RolloutView): RolloutModel | Error {
  const candidates = index.objects.length <= SMALL_INPUT_OBJECTS ? index.objects : readerCandidates(index, rollout);
  const namespace = rollout.object.namespace;
  const others = (keep: (o: ManifestObject) => boolean) => {
    const objects: KubeObject[] = [rollout.object.raw as KubeObject];
    for (const o of candidates) if (o.kind !== 'Rollout' && keep(o)) objects.push(o.raw as KubeObject);
    return objects;
  };
  // The second attempt only differs when some candidate is in another (compatible) namespace.
  const exact = others((o) => o.namespace === namespace);
  const compatible = candidates.some((o) => o.kind !== 'Rollout' && o.namespace !== namespace && sameNamespace(o.namespace, namespace));
  const attempts = compatible ? [() => exact, () => others((o) => sameNamespace(o.namespace, namespace))] : [() => exact];
  // (No placeholder Error here: constructing one captures a stack trace, a large share of the lint's time.)
  let failure: ManifestError | undefined;
  for (const objects of attempts) {
    try {
      return readManifests(objects(), { rollout: rollout.object.name });
    } catch (err) {
      if (!(err instanceof ManifestError)) throw err;
      failure = err;
    }
  }
  return failure as ManifestError;
}

/**
 * A superset, in input order, of the objects `readManifests` can use when it resolves this
 * Rollout, any namespace: every object of a kind and name it looks up (the workloadRef target,
 * the stable/canary/ping/pong Services, the VirtualServices, the DestinationRule), the HPAs aimed
 * at the Rollout, the PDBs that can match its pods (the reader needs every matchLabels entry equal
 * to a pod label, so one entry of the PDB is among the pods' labels), and every `List` (the reader
 * expands its items). The reader ignores every other object, so its result is the same as with
 * all of them.
 */
export function readerCandidates(index: ManifestIndex, rollout: RolloutView): readonly ManifestObject[] {
  const found = new Set<ManifestObject>(index.ofKind('List'));
  const add = (objects: readonly ManifestObject[]) => objects.forEach((o) => found.add(o));
  const spec = recordAt(rollout.object.raw.spec);
  const canary = recordAt(recordAt(spec.strategy).canary);
  const labelSources: unknown[] = [recordAt(recordAt(spec.template).metadata).labels];
  const workloadRef = spec.workloadRef;
  if (isPlainObject(workloadRef)) {
    const kind = String(workloadRef.kind ?? '');
    for (const target of index.named(kind, String(workloadRef.name ?? ''))) {
      found.add(target);
      const template = kind === 'PodTemplate' ? target.raw.template : recordAt(target.raw.spec).template;
      labelSources.push(recordAt(recordAt(template).metadata).labels);
    }
  }
  const pingPong = recordAt(canary.pingPong);
  for (const service of [canary.stableService, canary.canaryService, pingPong.pingService, pingPong.pongService]) {
    add(index.named('Service', typeof service === 'string' ? service : String(service ?? '')));
  }
  const istio = recordAt(recordAt(canary.trafficRouting).istio);
  for (const ref of [istio.virtualService, ...arrayAt(istio.virtualServices)]) {
    const name = recordAt(ref).name;
    if (typeof name === 'string') add(index.named('VirtualService', name.split('.')[0]));
  }
  if (istio.destinationRule) add(index.named('DestinationRule', recordAt(istio.destinationRule).name));
  add(index.hpasTargeting('Rollout', rollout.object.name));
  // The reader spreads these two as they are ({...labels}), so read them the way a spread does.
  labelSources.push(recordAt(canary.stableMetadata).labels, recordAt(canary.canaryMetadata).labels);
  const pods = labelSources.map((labels) =>
    labels === undefined || labels === null ? {} : Object.fromEntries(Object.entries(Object(labels) as object).map(([k, v]) => [k, String(v)])),
  );
  add(readerPdbsOf(index).lookup(pods));
  return [...found].sort((a, b) => a.index - b.index);
}

const READER_PDBS = new MemoTable<null, LabelPairIndex<ManifestObject>>('PDBs by label pair, as the runtime reader reads them');

/**
 * PDBs by their matchLabels as the runtime reader reads them (every value as a string); it keeps
 * a PDB when all entries equal the pods' labels, and an empty selector matches no pod there.
 */
function readerPdbsOf(index: ManifestIndex): LabelPairIndex<ManifestObject> {
  return index.memo(READER_PDBS, null, () => new LabelPairIndex(
    index.ofKind('PodDisruptionBudget').map((pdb) => ({
      item: pdb,
      pairs: Object.entries(recordAt(recordAt(recordAt(pdb.raw.spec).selector).matchLabels)).map(([k, v]) => [k, String(v)] as const),
    })),
    'rarest',
  ));
}
