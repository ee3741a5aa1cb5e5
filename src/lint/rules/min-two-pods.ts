import { getReplicasOrDefault } from '../../runtime/rollout-defaults';
import { hpaMinReplicas } from '../rollout-view';
import { findingsOf, type LintRule, type RuleFinding } from '../rule';
import { hpasOnWorkload } from './hpa-targets-deployment';

/** Fewer than 2 pods: `kubectl argo rollouts restart` evicts the only pod (no surge on restart). */
export const minTwoPodsRule: LintRule = {
  id: 'min-two-pods',
  severity: 'warning',
  summary:
    'The Rollout can run fewer than 2 pods: a restart evicts pods without surging, so a single pod means downtime.',
  fix: 'Run at least 2 pods: spec.replicas >= 2, or HPA minReplicas >= 2 when an HPA owns the count.',
  check(context) {
    return findingsOf(context.rollouts, (rollout): RuleFinding[] => {
      if (rollout.hpas.length > 0) {
        // A minReplicas the reader refuses has no value here: not-evaluated reports the reader's problem.
        return rollout.hpas.flatMap((hpa) => {
          const min = hpaMinReplicas(hpa);
          if (min === undefined || min >= 2) return [];
          return [{ object: hpa, path: 'spec.minReplicas', message: `minReplicas is ${min} for ${rollout.object.ref}; a restart of a single pod is an outage.` }];
        });
      }
      // An HPA still aimed at the workload Deployment is reported by hpa-targets-deployment.
      if (hpasOnWorkload(context, rollout).length > 0) return [];
      // spec.replicas written but refused by the reader (not a whole number): not-evaluated reports it.
      if (rollout.replicas === undefined && rollout.spec.replicas !== undefined) return [];
      const replicas = getReplicasOrDefault(rollout.replicas);
      if (replicas >= 2 || replicas === 0) return [];
      return [
        {
          object: rollout.object,
          path: 'spec.replicas',
          message:
            rollout.replicas === undefined
              ? 'spec.replicas is unset and no HPA targets the Rollout, so it runs 1 pod; a restart takes it down.'
              : `spec.replicas is ${replicas}; a restart takes the only pod down.`,
        },
      ];
    });
  },
};
