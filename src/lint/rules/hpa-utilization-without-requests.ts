import { recordAt, stringAt } from '../data';
import type { ManifestObject } from '../manifest-index';
import { containersMissingRequest, utilizationMetrics } from '../pod-requests';
import { podTemplateOf, type PodTemplate } from '../pod-templates';
import { findingsOf, type LintContext, type LintRule, type RuleFinding } from '../rule';

/**
 * The pod template that an HPA's scale target runs: the target's own template, or for a Rollout
 * with workloadRef the referenced Deployment's. Undefined when the target is not in the manifests.
 */
function targetTemplate(context: LintContext, hpa: ManifestObject): PodTemplate | undefined {
  const ref = recordAt(recordAt(hpa.raw.spec).scaleTargetRef);
  const kind = stringAt(ref.kind);
  const name = stringAt(ref.name);
  if (kind === undefined || name === undefined) return undefined;
  const target = context.index.find(kind, name, hpa.namespace);
  if (!target) return undefined;
  if (kind === 'Rollout') {
    const rollout = context.rollouts.find((r) => r.object === target);
    if (rollout?.workloadRef) return rollout.workload ? podTemplateOf(rollout.workload) : undefined;
  }
  return podTemplateOf(target);
}

/** An HPA with a Utilization target on a resource that a container of the target's pods does not request. */
export const hpaUtilizationWithoutRequestsRule: LintRule = {
  id: 'hpa-utilization-without-requests',
  severity: 'error',
  summary:
    'An HPA metric targets the Utilization of a resource (e.g. cpu) that some container of the target\'s pods does not request: ' +
    'utilization is measured against the requests, so the controller reports "missing request for cpu" and the HPA never scales.',
  fix: 'Give every container of the pod template a request for that resource (resources.requests.cpu), or target an AverageValue instead of a Utilization.',
  check(context) {
    return findingsOf(context.index.ofKind('HorizontalPodAutoscaler'), (hpa): RuleFinding[] => {
      const metrics = utilizationMetrics(recordAt(hpa.raw.spec));
      if (metrics.length === 0) return [];
      const template = targetTemplate(context, hpa);
      if (!template) return [];
      const findings: RuleFinding[] = [];
      for (const metric of metrics) {
        for (const missing of containersMissingRequest(template.spec, metric.resource, metric.container)) {
          const where = missing.name === undefined ? 'the pod-level resources' : `container "${missing.name}" (${template.specPath}.${missing.path})`;
          findings.push({
            object: hpa,
            path: `spec.metrics[${metric.index}]`,
            message:
              `targets ${String(metric.averageUtilization)}% ${metric.resource} utilization of ${template.object.ref}, but ${where} ` +
              `requests no ${metric.resource}: the HPA reports "missing request for ${metric.resource}" and never scales.`,
            fix: `Set resources.requests.${metric.resource} at ${template.object.ref} ${template.specPath}.${missing.path}, or target an AverageValue.`,
          });
        }
      }
      return findings;
    });
  },
};
