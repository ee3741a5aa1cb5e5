import { CANARY_CONVENTIONS } from '../conventions';
import { show } from '../data';
import { pdbCoverage } from '../pod-disruption-budgets';
import { canaryRollouts, findingsOf, type LintRule } from '../rule';

/** PDBs select role labels that stableMetadata/canaryMetadata never put on the pods. */
export const pdbRoleMetadataRule: LintRule = {
  id: 'pdb-role-metadata',
  severity: 'error',
  summary:
    'A PodDisruptionBudget for the app selects a label (e.g. role: canary) that neither the pod template nor ' +
    'stableMetadata/canaryMetadata sets: it protects no pod at all.',
  fix: `Add stableMetadata.labels.${CANARY_CONVENTIONS.roleKey}: ${CANARY_CONVENTIONS.stableRole} and canaryMetadata.labels.${CANARY_CONVENTIONS.roleKey}: ${CANARY_CONVENTIONS.canaryRole} to the Rollout's canary strategy (and the same annotations, so the pods show their role).`,
  check(context) {
    return findingsOf(canaryRollouts(context), (rollout) =>
      pdbCoverage(context.index, rollout)
        .filter((c) => c.meantButMissed)
        .map((c) => {
          const extra = Object.entries(c.selector.matchLabels ?? {}).filter(([k]) => !(k in rollout.podLabels));
          const values = extra.map(([, v]) => v);
          const role = values.includes(CANARY_CONVENTIONS.canaryRole)
            ? 'canaryMetadata'
            : values.includes(CANARY_CONVENTIONS.stableRole)
              ? 'stableMetadata'
              : undefined;
          return {
            object: rollout.object,
            path: role ? `spec.strategy.canary.${role}.labels` : 'spec.strategy.canary',
            message: `${c.pdb.ref} selects ${extra.length > 0 ? show(Object.fromEntries(extra)) : 'labels (matchExpressions)'} that ${role ?? 'stableMetadata/canaryMetadata'} of this Rollout does not put on the pods, so the PDB protects none of them.`,
          };
        }),
    );
  },
};
