import { labelsMatch } from '../model/label-selector';
import type { PdbState, PodState } from './cluster-state';

/**
 * The PodDisruptionBudget check the Kubernetes eviction API runs before it evicts a pod (the
 * restarter evicts: rollout/restart.go RolloutPodRestarter), with the budget the disruption controller computes
 * (policy/v1; unhealthyPodEvictionPolicy `IfHealthyBudget`, the default). Pure: the pods and
 * budgets are parameters.
 * @see kubernetes pkg/registry/core/pod/storage/eviction.go, pkg/controller/disruption/disruption.go
 */

/** The eviction API's answer for one pod. */
export interface EvictionVerdict {
  /** True when the pod may be evicted. */
  readonly allowed: boolean;
  /** Why it was refused (HTTP 429, the restarter skips the pod and retries later). */
  readonly refused?: string;
  /** A hard error (HTTP 500 or an invalid budget): the restarter returns it as the reconcile error. */
  readonly error?: string;
}

/** The budget of one PodDisruptionBudget over the pods it selects. */
export interface DisruptionBudget {
  /** Ready pods the budget selects (`status.currentHealthy`). */
  readonly currentHealthy: number;
  /** `status.desiredHealthy`. */
  readonly desiredHealthy: number;
  /** `status.expectedPods`. */
  readonly expectedPods: number;
  /** `status.disruptionsAllowed`. */
  readonly disruptionsAllowed: number;
}

/** The refusal text of the eviction API (HTTP 429 TooManyRequests). */
export const EVICTION_REFUSED = "Cannot evict pod as it would violate the pod's disruption budget.";
/** The eviction API's error when more than one budget selects the pod (HTTP 500). */
export const MULTIPLE_BUDGETS = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

/** policy/v1: an empty selector selects every pod of the namespace. */
export function pdbSelects(pdb: PdbState, pod: PodState): boolean {
  return labelsMatch(pdb.matchLabels, pod.labels);
}

/** `intstr.GetScaledValueFromIntOrPercent(value, total, roundUp=true)`: an int, or "N%" rounded up. */
function scaled(pdb: PdbState, field: 'minAvailable' | 'maxUnavailable', value: number | string, total: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  const match = typeof value === 'string' ? /^(\d+)%$/.exec(value) : null;
  if (!match) {
    throw new Error(
      `PodDisruptionBudget/${pdb.name}: spec.${field} (${JSON.stringify(value)}) must be a non-negative integer or a percentage such as "50%"`,
    );
  }
  return Math.ceil((Number.parseInt(match[1], 10) * total) / 100);
}

/**
 * The budget as the disruption controller computes it: `maxUnavailable` and a percentage
 * `minAvailable` scale against the pods' controllers (the sum of the owning ReplicaSets'
 * `spec.replicas`), an integer `minAvailable` against the number of selected pods. Throws an
 * Error naming the budget and field when a value is not an integer or a percentage.
 */
export function disruptionBudget(pdb: PdbState, pods: readonly PodState[], rsReplicas: (replicaSet: string) => number): DisruptionBudget {
  const selected = pods.filter((p) => pdbSelects(pdb, p));
  const currentHealthy = selected.filter((p) => p.ready).length;
  const controllerScale = (): number => [...new Set(selected.map((p) => p.replicaSet))].reduce((sum, rs) => sum + rsReplicas(rs), 0);
  let expectedPods = 0;
  let desiredHealthy = 0;
  if (pdb.maxUnavailable !== undefined) {
    expectedPods = controllerScale();
    desiredHealthy = Math.max(0, expectedPods - scaled(pdb, 'maxUnavailable', pdb.maxUnavailable, expectedPods));
  } else if (pdb.minAvailable !== undefined) {
    if (typeof pdb.minAvailable === 'number') {
      desiredHealthy = scaled(pdb, 'minAvailable', pdb.minAvailable, 0);
      expectedPods = selected.length;
    } else {
      expectedPods = controllerScale();
      desiredHealthy = scaled(pdb, 'minAvailable', pdb.minAvailable, expectedPods);
    }
  }
  const disruptionsAllowed = expectedPods <= 0 || currentHealthy <= desiredHealthy ? 0 : currentHealthy - desiredHealthy;
  return { currentHealthy, desiredHealthy, expectedPods, disruptionsAllowed };
}

/**
 * Whether the eviction API evicts `pod` now. `pods` are the pods that still exist (evictions of
 * the same tick already removed), so the budget shrinks with every eviction as the API's
 * `disruptionsAllowed` decrement does. A pod that is not ready may go while the budget holds
 * (`currentHealthy >= desiredHealthy > 0`) without using a disruption.
 */
export function evictionVerdict(
  pod: PodState,
  pods: readonly PodState[],
  pdbs: readonly PdbState[],
  rsReplicas: (replicaSet: string) => number,
): EvictionVerdict {
  const matching = pdbs.filter((pdb) => pdbSelects(pdb, pod));
  if (matching.length === 0) return { allowed: true };
  if (matching.length > 1) {
    return { allowed: false, error: `${MULTIPLE_BUDGETS} (pod ${pod.name}: ${matching.map((p) => `PodDisruptionBudget/${p.name}`).join(', ')})` };
  }
  let budget: DisruptionBudget;
  try {
    budget = disruptionBudget(matching[0], pods, rsReplicas);
  } catch (e) {
    return { allowed: false, error: (e as Error).message };
  }
  if (!pod.ready && budget.desiredHealthy > 0 && budget.currentHealthy >= budget.desiredHealthy) return { allowed: true };
  if (budget.disruptionsAllowed <= 0) return { allowed: false, refused: `${EVICTION_REFUSED} (PodDisruptionBudget/${matching[0].name})` };
  return { allowed: true };
}
