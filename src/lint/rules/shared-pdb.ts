import { show } from '../data';
import { pdbCoverage } from '../pod-disruption-budgets';
import { canaryRollouts, findingsOf, type LintRule } from '../rule';

/** One PDB over stable and canary: a drain may evict every canary pod while stable pods satisfy it. */
export const sharedPdbRule: LintRule = {
  id: 'shared-pdb',
  severity: 'error',
  summary:
    'One PodDisruptionBudget selects both the stable and the canary pods: it only counts the total, so a node ' +
    'drain or restart can evict every canary (or every stable) pod while the other side keeps the budget happy.',
  fix: 'Split it in two PDBs selecting role: stable and role: canary (the labels stableMetadata/canaryMetadata put on the pods), each with maxUnavailable: 1.',
  check(context) {
    return findingsOf(canaryRollouts(context), (rollout) =>
      pdbCoverage(context.index, rollout)
        .filter((c) => c.stable && c.canary)
        .map((c) => ({
          object: c.pdb,
          path: 'spec.selector',
          message: `selector ${show(c.selector.matchLabels)}${c.selector.matchExpressions?.length ? ' (+ matchExpressions)' : ''} matches both the stable and the canary pods of ${rollout.object.ref}.`,
        })),
    );
  },
};
