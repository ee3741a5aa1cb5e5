import { isPlainObject } from '../model/records';
import { containersMissingRequest, utilizationMetrics } from '../lint/pod-requests';

import type { ResolvedWorkload } from './_workload';
import { HpaMetric } from './autoscaling';

import type { ProblemList } from './canary-app-error';

/** Where a missing request is set in the props: `containers[i].resources` or the Deployment input's template. */
function requestPath(workload: ResolvedWorkload, missingPath: string, resource: string): string {
  if (workload.source === 'containers') return `${missingPath}.resources.${resource}.request`;
  const base = workload.source === 'deployment' ? 'deployment.spec' : 'deploymentSpec';
  return `${base}.template.spec.${missingPath}.resources.requests.${resource}`;
}

/**
 * An HPA `Utilization` target is a share of the pods' requests: if a container of the pod does
 * not request the resource, kube-controller-manager reports "missing request for <resource> in
 * container <name>" and the HPA never scales (`pkg/controller/podautoscaler/replica_calculator.go
 * calculatePodRequestsFromContainers`). Records one problem per metric and container.
 */
export function checkHpaRequests(metrics: readonly unknown[], workload: ResolvedWorkload, problems: ProblemList): void {
  const podSpec = workload.template.spec;
  if (!isPlainObject(podSpec)) return;
  const specs = metrics.map((m) => (m instanceof HpaMetric ? m.toSpec() : {}));
  for (const metric of utilizationMetrics({ metrics: specs })) {
    const r = metric.resource;
    for (const missing of containersMissingRequest(podSpec, r, metric.container)) {
      const who = missing.name === undefined ? 'the pod-level resources' : `container "${missing.name}"`;
      problems.add(
        requestPath(workload, missing.path, r),
        undefined,
        `is required: autoscaling.metrics[${metric.index}] targets ${String(metric.averageUtilization)} % ${r} utilization, a share of every container's ${r} request; ` +
          `without one in ${who} the HPA reports "missing request for ${r}" and never scales. Set a ${r} request (or limit), or use HpaMetric.${r}AverageValue(...)`,
      );
    }
  }
}
