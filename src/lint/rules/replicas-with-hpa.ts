import { findingsOf, type LintRule } from '../rule';

/** spec.replicas in Git while an HPA owns the count: every GitOps sync fights the HPA. */
export const replicasWithHpaRule: LintRule = {
  id: 'replicas-with-hpa',
  severity: 'error',
  summary:
    'The Rollout sets spec.replicas while an HPA targets it: each GitOps sync resets the HPA\'s count ' +
    '(scale-downs under load, stable ReplicaSet briefly emptied).',
  fix: 'Remove spec.replicas from the Rollout and let the HPA own it (Argo CD: ignoreDifferences on /spec/replicas).',
  check(context) {
    return findingsOf(context.rollouts, (rollout) => {
      if (rollout.replicas === undefined || rollout.hpas.length === 0) return [];
      return [
        {
          object: rollout.object,
          path: 'spec.replicas',
          message: `spec.replicas is ${rollout.replicas} while ${rollout.hpas.map((h) => h.ref).join(', ')} scales this Rollout.`,
        },
      ];
    });
  },
};
