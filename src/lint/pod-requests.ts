import { isPlainObject } from '../model/records';
import { arrayAt, recordAt, stringAt, type JsonRecord } from './data';

/** Where the HPA finds no request: a container, or the pod-level resources. */
export interface MissingRequest {
  /** Path inside the pod spec: `containers[0]`, `initContainers[1]` (a restartable sidecar) or `resources`. */
  readonly path: string;
  /** The container's name; undefined for the pod-level resources. */
  readonly name?: string;
}

/** True when `container` requests `resource`, in `requests` or in `limits` (the API server copies a limit into an unset request). */
function requests(container: JsonRecord, resource: string): boolean {
  const resources = recordAt(container.resources);
  return recordAt(resources.requests)[resource] !== undefined || recordAt(resources.limits)[resource] !== undefined;
}

/**
 * The containers that lack a request for `resource`, as the HPA controller sums them
 * (kubernetes `pkg/controller/podautoscaler/replica_calculator.go calculatePodRequestsFromContainers`):
 * every regular container and every restartable init container (`restartPolicy: Always`), or only
 * the one named `container` (a `ContainerResource` metric). A pod-level request
 * (`spec.resources.requests`, KEP-2837) is used instead when the metric names no container
 * (`calculatePodLevelRequests`). A limit counts, because the API server defaults an unset
 * request to the limit. Any one missing request stops the whole metric
 * ("missing request for <resource> in container <name>").
 */
export function containersMissingRequest(podSpec: JsonRecord, resource: string, container?: string): MissingRequest[] {
  if (container === undefined) {
    const podRequests = recordAt(recordAt(podSpec.resources).requests);
    if (Object.keys(podRequests).length > 0) {
      return podRequests[resource] !== undefined || recordAt(recordAt(podSpec.resources).limits)[resource] !== undefined
        ? []
        : [{ path: 'resources' }];
    }
  }
  const missing: MissingRequest[] = [];
  const visit = (list: 'containers' | 'initContainers', restartableOnly: boolean) => {
    arrayAt(podSpec[list]).forEach((c, index) => {
      if (!isPlainObject(c)) return;
      if (restartableOnly && c.restartPolicy !== 'Always') return;
      const name = stringAt(c.name) ?? `#${index}`;
      if (container !== undefined && name !== container) return;
      if (!requests(c, resource)) missing.push({ path: `${list}[${index}]`, name });
    });
  };
  visit('containers', false);
  visit('initContainers', true);
  return missing;
}

/** A Resource or ContainerResource metric of an HPA with a Utilization target. */
export interface UtilizationMetric {
  /** Index in `spec.metrics`. */
  readonly index: number;
  readonly resource: string;
  /** The container of a ContainerResource metric. */
  readonly container?: string;
  readonly averageUtilization: unknown;
}

/** The metrics of an HPA spec (`autoscaling/v2` shape) whose target is a resource utilization. */
export function utilizationMetrics(hpaSpec: JsonRecord): UtilizationMetric[] {
  const out: UtilizationMetric[] = [];
  arrayAt(hpaSpec.metrics).forEach((m, index) => {
    const metric = recordAt(m);
    const source = metric.type === 'Resource' ? recordAt(metric.resource) : metric.type === 'ContainerResource' ? recordAt(metric.containerResource) : undefined;
    if (!source) return;
    const target = recordAt(source.target);
    const resource = stringAt(source.name);
    if (target.type !== 'Utilization' || resource === undefined) return;
    out.push({ index, resource, container: metric.type === 'ContainerResource' ? stringAt(source.container) : undefined, averageUtilization: target.averageUtilization });
  });
  return out;
}
