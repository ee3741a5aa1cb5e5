import { recordAt } from '../data';
import { findingsOf, type LintRule } from '../rule';

/** A Rollout with workloadRef must not carry its own template (Argo: "template must be empty"). */
export const workloadRefTemplateRule: LintRule = {
  id: 'workload-ref-template',
  severity: 'error',
  summary:
    'A Rollout with workloadRef also has spec.template: the controller marks it Degraded ("template must be empty ' +
    'for workload reference rollout"); image, CPU and memory changes belong in the referenced Deployment.',
  fix: 'Delete spec.template from the Rollout and change the pod spec (image, resources) in the Deployment.',
  check(context) {
    return findingsOf(context.rollouts, (rollout) => {
      if (!rollout.workloadRef) return [];
      const template = recordAt(rollout.spec.template);
      if (Object.keys(template).length === 0) return [];
      return [
        {
          object: rollout.object,
          path: 'spec.template',
          message: `spec.workloadRef names ${rollout.workloadRef.kind ?? 'a workload'}/${rollout.workloadRef.name ?? ''} and spec.template is set too; Argo Rollouts only accepts one of them.`,
        },
      ];
    });
  },
};
