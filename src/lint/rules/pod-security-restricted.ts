import { containerProblems, podLevelViolations } from '../pod-security-profile';
import { podTemplates } from '../pod-templates';
import { findingsOf, type LintRule, type RuleFinding } from '../rule';

/**
 * Pods that a namespace enforcing the Pod Security Standards' `restricted` profile rejects.
 * A warning, not an error: whether a namespace enforces the profile is the cluster's choice and
 * not in the manifests, and the pods are valid everywhere else.
 */
export const podSecurityRestrictedRule: LintRule = {
  id: 'pod-security-restricted',
  severity: 'warning',
  summary:
    'A pod template does not meet the Pod Security Standards\' restricted profile: in a namespace labelled ' +
    'pod-security.kubernetes.io/enforce: restricted (a common platform default) the API server rejects its pods and ' +
    'the ReplicaSet reports FailedCreate, so the rollout never gets a pod.',
  fix:
    'Set in each container\'s securityContext: runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop: ["ALL"], ' +
    'seccompProfile.type: RuntimeDefault (or set runAsNonRoot and seccompProfile once in the pod securityContext); ' +
    'no host namespaces, hostPath volumes, host ports or privileged containers.',
  check(context) {
    return findingsOf(podTemplates(context.index), (t): RuleFinding[] => {
      const findings: RuleFinding[] = podLevelViolations(t).map((v) => ({ object: t.object, path: v.path, message: v.message }));
      for (const c of t.containers) {
        const problems = containerProblems(t, c);
        if (problems.length > 0) {
          findings.push({ object: t.object, path: c.path, message: `container "${c.name}": ${problems.join('; ')}.` });
        }
      }
      return findings;
    });
  },
};
