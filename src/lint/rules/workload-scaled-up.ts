import { recordAt } from '../data';
import { findingsOf, type LintRule } from '../rule';

/** The Deployment referenced by workloadRef still runs pods next to the Rollout's. */
export const workloadScaledUpRule: LintRule = {
  id: 'workload-scaled-up',
  severity: 'error',
  summary:
    'The Deployment a Rollout references through workloadRef still asks for pods (replicas unset or > 0) ' +
    'while the Rollout is live: permanent double capacity, and a GitOps sync re-applies it even after ' +
    'workloadRef.scaleDown shrank it.',
  fix: 'Set spec.replicas: 0 on the Deployment in Git (it only holds the pod template once the Rollout runs the pods).',
  check(context) {
    return findingsOf(context.rollouts, (rollout) => {
      // A paused Rollout is the migration window of the write-up: the Deployment still serves traffic.
      if (!rollout.workload || rollout.paused) return [];
      const replicas = rollout.workloadFields?.replicas;
      if (replicas === 0) return [];
      // spec.replicas written but refused by the reader (not a whole number): not-evaluated reports it.
      if (replicas === undefined && recordAt(rollout.workload.raw.spec).replicas != null) return [];
      const what = replicas === undefined ? 'spec.replicas is unset (Kubernetes defaults it to 1)' : `spec.replicas is ${replicas}`;
      return [
        {
          object: rollout.workload,
          path: 'spec.replicas',
          message:
            `${what} while ${rollout.object.ref} (not paused) runs the pods from this Deployment's template; both sets of pods would run. ` +
            'If these manifests are the middle of a migration (the Deployment still serving next to the new Rollout), keep the ' +
            'Rollout paused (spec.paused: true, as `cdk8s-canary migrate` does) or let workloadRef.scaleDown (progressively or ' +
            'onsuccess) scale the Deployment down; after it, the Deployment asks for no pods.',
        },
      ];
    });
  },
};
