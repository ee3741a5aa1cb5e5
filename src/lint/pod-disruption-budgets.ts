import { recordAt } from './data';
import { matchesSelector, readLabelSelector, selectorKeys, type LabelSelector } from './label-selector';
import { sameNamespace, type ManifestIndex, type ManifestObject } from './manifest-index';
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

/** Every PDB in the Rollout's namespace, with what it covers. */
export function pdbCoverage(index: ManifestIndex, rollout: RolloutView): readonly PdbCoverage[] {
  const podKeys = new Set(Object.keys(rollout.podLabels));
  return index
    .ofKind('PodDisruptionBudget')
    .filter((pdb) => sameNamespace(pdb.namespace, rollout.object.namespace))
    .map((pdb) => {
      const selector = readLabelSelector(recordAt(pdb.raw.spec).selector);
      const stable = matchesSelector(selector, rollout.stablePodLabels);
      const canary = matchesSelector(selector, rollout.canaryPodLabels);
      const mentionsTemplate = selectorKeys(selector).some((k) => podKeys.has(k));
      const meantButMissed = !stable && !canary && mentionsTemplate && matchesSelector(selector, rollout.podLabels, podKeys);
      return { pdb, selector, stable, canary, meantButMissed };
    });
}
