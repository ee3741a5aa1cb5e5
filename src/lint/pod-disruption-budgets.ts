import { recordAt } from './data';
import { LabelPairIndex, type LabelPairEntry } from './label-pair-index';
import { matchesSelector, readLabelSelector, selectorKeys, type LabelSelector } from './label-selector';
import { MemoTable, sameNamespace, type ManifestIndex, type ManifestObject } from './manifest-index';
import type { RolloutView } from './rollout-view';

/** How one PodDisruptionBudget relates to the pods of one Rollout. */
export interface PdbCoverage {
  readonly pdb: ManifestObject;
  readonly selector: LabelSelector;
  /** Selects the Rollout's stable pods (template labels + stableMetadata). */
  readonly stable: boolean;
  /** Selects the Rollout's canary pods (template labels + canaryMetadata). */
  readonly canary: boolean;
  /**
   * Selects none of them, yet agrees with the pod template on every template label it mentions
   * (and mentions at least one): it was meant for this app but asks for labels the pods never get.
   */
  readonly meantButMissed: boolean;
}

/** One PDB with its selector read once. */
interface IndexedPdb {
  readonly pdb: ManifestObject;
  readonly selector: LabelSelector;
}

/**
 * The PDBs of an index, arranged so that the ones that can concern a Rollout are found from its
 * labels. A PDB whose selector is only matchLabels (at least one entry) selects a side of the
 * Rollout only when all its entries are among that side's labels (`allOf`), and was meant for it
 * only when one of its entries equals a pod template label (`anyOf`). Every other PDB
 * (matchExpressions, empty selector) is checked against every Rollout (`always`).
 * With at most {@link SMALL_INPUT_PDBS} PDBs there is no index: every PDB is a candidate (`all`).
 */
interface PdbIndex {
  readonly all: readonly IndexedPdb[];
  readonly labels?: {
    readonly allOf: LabelPairIndex<IndexedPdb>;
    readonly anyOf: LabelPairIndex<IndexedPdb>;
    readonly always: readonly IndexedPdb[];
  };
}

/**
 * Up to this many PDBs, each Rollout is checked against every PDB: for a few PDBs (one app has two)
 * that costs less than building the label indexes, and gives the same coverage (the indexes only
 * narrow down the candidates; `pdbCoverage` checks each one).
 */
export const SMALL_INPUT_PDBS = 16;

const PDB_INDEX = new MemoTable<null, PdbIndex>('PDBs by label pair');
const COVERAGE = new MemoTable<RolloutView, readonly PdbCoverage[]>('PDB coverage of a Rollout');

function pdbIndexOf(index: ManifestIndex): PdbIndex {
  return index.memo(PDB_INDEX, null, () => buildPdbIndex(index));
}

function buildPdbIndex(index: ManifestIndex): PdbIndex {
  const all = index.ofKind('PodDisruptionBudget').map((pdb) => ({ pdb, selector: readLabelSelector(recordAt(pdb.raw.spec).selector) }));
  if (all.length <= SMALL_INPUT_PDBS) return { all };
  const indexed: LabelPairEntry<IndexedPdb>[] = [];
  const always: IndexedPdb[] = [];
  for (const item of all) {
    const pairs = Object.entries(item.selector.matchLabels ?? {});
    if (pairs.length === 0 || (item.selector.matchExpressions ?? []).length > 0) always.push(item);
    else indexed.push({ item, pairs });
  }
  return { all, labels: { allOf: new LabelPairIndex(indexed, 'rarest'), anyOf: new LabelPairIndex(indexed, 'every'), always } };
}

/** The PDBs that may concern the Rollout (a superset of those that do), in input order, each once. */
function candidatePdbs(index: ManifestIndex, rollout: RolloutView): readonly IndexedPdb[] {
  const { all, labels } = pdbIndexOf(index);
  if (!labels) return all;
  const { allOf, anyOf, always } = labels;
  const found = new Set<IndexedPdb>([
    ...always,
    ...allOf.lookup([rollout.stablePodLabels, rollout.canaryPodLabels]),
    ...anyOf.lookup([rollout.podLabels]),
  ]);
  return [...found].sort((a, b) => a.pdb.index - b.pdb.index);
}

/**
 * Every PDB in the Rollout's namespace that selects its stable or canary pods or was meant to
 * (see {@link PdbCoverage.meantButMissed}), in input order. Computed once per Rollout.
 */
export function pdbCoverage(index: ManifestIndex, rollout: RolloutView): readonly PdbCoverage[] {
  return index.memo(COVERAGE, rollout, () => coverageOf(index, rollout));
}

function coverageOf(index: ManifestIndex, rollout: RolloutView): readonly PdbCoverage[] {
  const podKeys = new Set(Object.keys(rollout.podLabels));
  const out: PdbCoverage[] = [];
  for (const { pdb, selector } of candidatePdbs(index, rollout)) {
    if (!sameNamespace(pdb.namespace, rollout.object.namespace)) continue;
    const stable = matchesSelector(selector, rollout.stablePodLabels);
    const canary = matchesSelector(selector, rollout.canaryPodLabels);
    const mentionsTemplate = selectorKeys(selector).some((k) => podKeys.has(k));
    const meantButMissed = !stable && !canary && mentionsTemplate && matchesSelector(selector, rollout.podLabels, podKeys);
    if (stable || canary || meantButMissed) out.push({ pdb, selector, stable, canary, meantButMissed });
  }
  return out;
}
