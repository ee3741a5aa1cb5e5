import { clonePlain } from './_clone';
import { checkLabels } from './_pod-checks';
import { isPositiveQuantity, isQuantity } from './_quantity';
import type { ProblemList } from './canary-app-error';

/** A Kubernetes quantity (`100m`, `1.5`, `512Mi`, `1e3`): a signed decimal number with an optional suffix. */
export { isQuantity };

/** One `autoscaling/v2` metric of the HPA, as a value object. */
export class HpaMetric {
  /** Average CPU utilization in % of the pods' CPU requests (the write-up: 70). */
  public static cpuUtilization(percent: number): HpaMetric {
    return HpaMetric.resourceUtilization('cpu', percent);
  }

  /** Average memory utilization in % of the pods' memory requests. */
  public static memoryUtilization(percent: number): HpaMetric {
    return HpaMetric.resourceUtilization('memory', percent);
  }

  /** Average CPU per pod as a quantity, e.g. `'500m'`. */
  public static cpuAverageValue(quantity: string): HpaMetric {
    return HpaMetric.resourceAverageValue('cpu', quantity);
  }

  /** Average memory per pod as a quantity, e.g. `'1Gi'`. */
  public static memoryAverageValue(quantity: string): HpaMetric {
    return HpaMetric.resourceAverageValue('memory', quantity);
  }

  /**
   * A custom per-pod metric (`type: Pods`) from a metrics adapter, e.g.
   * `HpaMetric.pods('http_requests_per_second', '100')`.
   */
  public static pods(metricName: string, averageValue: string): HpaMetric {
    return new HpaMetric('pods', metricName, {
      type: 'Pods',
      pods: { metric: { name: metricName }, target: { type: 'AverageValue', averageValue } },
    }, { averageValue });
  }

  /**
   * An external metric (`type: External`), e.g. a queue length:
   * `HpaMetric.external('queue_messages', '30', { queue: 'jobs' })` targets an average of 30 per pod.
   */
  public static external(metricName: string, averageValue: string, matchLabels?: Record<string, string>): HpaMetric {
    const metric: Record<string, unknown> = { name: metricName };
    if (matchLabels) metric.selector = { matchLabels: { ...matchLabels } };
    return new HpaMetric('external', metricName, {
      type: 'External',
      external: { metric, target: { type: 'AverageValue', averageValue } },
    }, { averageValue });
  }

  private static resourceUtilization(resource: string, percent: number): HpaMetric {
    return new HpaMetric('utilization', resource, {
      type: 'Resource',
      resource: { name: resource, target: { type: 'Utilization', averageUtilization: percent } },
    }, { averageUtilization: percent });
  }

  private static resourceAverageValue(resource: string, quantity: string): HpaMetric {
    return new HpaMetric('resourceValue', resource, {
      type: 'Resource',
      resource: { name: resource, target: { type: 'AverageValue', averageValue: quantity } },
    }, { averageValue: quantity });
  }

  private constructor(
    private readonly mode: 'utilization' | 'resourceValue' | 'pods' | 'external',
    private readonly metricName: string,
    private readonly spec: Record<string, unknown>,
    private readonly target: { readonly averageUtilization?: number; readonly averageValue?: string },
  ) {}

  /**
   * Records every problem of this metric under `path`.
   * @internal
   */
  public _check(path: string, problems: ProblemList): void {
    if (this.mode !== 'utilization' && (typeof this.metricName !== 'string' || !/^\S+$/.test(this.metricName))) {
      problems.add(`${path}.metricName`, this.metricName, 'must be a non-empty metric name without spaces');
    }
    const u = this.target.averageUtilization;
    if (u !== undefined && (!Number.isInteger(u) || u < 1)) {
      problems.add(`${path}.averageUtilization`, u, 'must be a whole percentage >= 1');
    }
    const v = this.target.averageValue;
    if (v !== undefined && !isQuantity(v)) {
      problems.add(`${path}.averageValue`, v, 'must be a Kubernetes quantity such as "100", "500m" or "1Gi"');
    } else if (v !== undefined && !isPositiveQuantity(v)) {
      problems.add(`${path}.averageValue`, v, 'must be above 0: the HPA divides the metric by it (the API server refuses 0 or less)');
    }
    const external = this.spec.external as { metric: { selector?: { matchLabels: unknown } } } | undefined;
    if (external?.metric.selector) checkLabels(`${path}.matchLabels`, external.metric.selector.matchLabels, problems);
  }

  /** The `MetricSpec` as rendered into the HPA. */
  public toSpec(): Record<string, unknown> {
    return clonePlain(this.spec);
  }
}

/** The HPA that owns the Rollout's replica count. */
export interface AutoscalingOptions {
  /**
   * Fewest replicas (at least 1).
   * @default 2
   */
  readonly minReplicas?: number;
  /**
   * Most replicas.
   * @default 10
   */
  readonly maxReplicas?: number;
  /**
   * What the HPA scales on. The HPA sees stable and canary pods together during a rollout.
   * @default [HpaMetric.cpuUtilization(70)]
   */
  readonly metrics?: HpaMetric[];
}
