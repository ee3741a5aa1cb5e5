/** CanaryApp's scale concern: replicas or the HPA, and `minPodsPerReplicaSet`. */
import { isWholeNumber } from './_checks';
import { checkHpaRequests } from './_hpa-requests';
import type { Resolved } from './_app-resolved';
import type { ResolvedWorkload } from './_workload';
import { HpaMetric, type AutoscalingOptions } from './autoscaling';
import type { CanaryAppProps } from './canary-app-props';
import type { ProblemList } from './canary-app-error';
import { CANARY_APP_DEFAULTS } from './defaults';

/** The replica count or the HPA, the fewest and most replicas they allow, and `minPodsPerReplicaSet`. */
export interface ResolvedScale {
  readonly replicas?: number;
  readonly autoscaling?: Resolved['autoscaling'];
  readonly fewestReplicas: number | undefined;
  readonly mostReplicas: number | undefined;
  readonly minPodsPerReplicaSet: number;
}

/** Replicas or the HPA (never both), then `minPodsPerReplicaSet` against the fewest replicas. */
export function resolveScale(props: CanaryAppProps, workload: ResolvedWorkload | undefined, problems: ProblemList): ResolvedScale {
  let replicas: number | undefined;
  let autoscaling: Resolved['autoscaling'];
  if (props.autoscaling !== undefined) {
    if (props.replicas !== undefined) {
      problems.add('replicas', props.replicas, 'cannot be combined with autoscaling: the HPA owns the replica count (Argo CD would fight it); remove one');
    }
    autoscaling = resolveAutoscaling(props.autoscaling, workload, problems);
  } else {
    const fromInput = workload?.inputReplicas !== undefined && workload.inputReplicas >= 1 ? workload.inputReplicas : undefined;
    replicas = props.replicas ?? fromInput ?? CANARY_APP_DEFAULTS.replicas;
    if (!isWholeNumber(replicas, 1)) problems.add('replicas', replicas, 'must be a whole number >= 1');
  }
  const fewestReplicas = autoscaling ? autoscaling.minReplicas : replicas;
  const mostReplicas = autoscaling ? autoscaling.maxReplicas : replicas;
  const minPodsPerReplicaSet = resolveMinPods(props.minPodsPerReplicaSet, fewestReplicas, autoscaling !== undefined, problems);
  return { replicas, autoscaling, fewestReplicas, mostReplicas, minPodsPerReplicaSet };
}

/** The HPA's bounds and metrics, with their defaults; the metrics' resources must be requested by the containers. */
function resolveAutoscaling(a: AutoscalingOptions, workload: ResolvedWorkload | undefined, problems: ProblemList): NonNullable<Resolved['autoscaling']> {
  const d = CANARY_APP_DEFAULTS;
  const minReplicas = a.minReplicas ?? d.hpaMinReplicas;
  const maxReplicas = a.maxReplicas ?? d.hpaMaxReplicas;
  const metrics = a.metrics ?? [HpaMetric.cpuUtilization(d.hpaCpuUtilization)];
  if (!isWholeNumber(minReplicas, 1)) problems.add('autoscaling.minReplicas', minReplicas, 'must be a whole number >= 1');
  if (!isWholeNumber(maxReplicas, 1)) problems.add('autoscaling.maxReplicas', maxReplicas, 'must be a whole number >= 1');
  else if (isWholeNumber(minReplicas, 1) && minReplicas > maxReplicas) {
    problems.add('autoscaling.minReplicas', minReplicas, `must be <= autoscaling.maxReplicas (${maxReplicas})`);
  }
  if (!Array.isArray(metrics) || metrics.length === 0) {
    problems.add('autoscaling.metrics', metrics, 'must list at least one metric, e.g. HpaMetric.cpuUtilization(70)');
  } else {
    metrics.forEach((m, i) => {
      if (m instanceof HpaMetric) m._check(`autoscaling.metrics[${i}]`, problems);
      else problems.add(`autoscaling.metrics[${i}]`, m, 'must be an HpaMetric (HpaMetric.cpuUtilization(70), ...)');
    });
  }
  const autoscaling = { minReplicas, maxReplicas, metrics: Array.isArray(metrics) ? metrics : [] };
  if (workload) checkHpaRequests(autoscaling.metrics, workload, problems);
  return autoscaling;
}

/**
 * `minPodsPerReplicaSet`: the default follows the fewest replicas (2, or fewer for a smaller
 * app). More than that count is refused: the controller raises the promoted ReplicaSet to it too
 * (`utils/replicaset/canary.go` `CalculateReplicaCountsForTrafficRoutedCanary`) and a Rollout with
 * more available pods than `spec.replicas` is never Healthy, so every update ends Degraded.
 * Returns a usable value (1) when the input is invalid (problems recorded).
 */
function resolveMinPods(given: number | undefined, fewest: number | undefined, hpa: boolean, problems: ProblemList): number {
  const known = isWholeNumber(fewest, 1) ? fewest : undefined;
  if (given === undefined) return Math.min(CANARY_APP_DEFAULTS.minPodsPerReplicaSet, known ?? Infinity);
  if (!isWholeNumber(given, 1)) {
    problems.add('minPodsPerReplicaSet', given, 'must be a whole number >= 1');
    return 1;
  }
  if (known !== undefined && given > known) {
    const field = hpa ? 'autoscaling.minReplicas' : 'replicas';
    problems.add('minPodsPerReplicaSet', given, `must be at most ${field} (${known}): more pods per ReplicaSet than the Rollout's replicas never count as healthy and every update ends Degraded (ProgressDeadlineExceeded); omit it (the default follows the replicas) or raise ${field}`);
  }
  return given;
}
