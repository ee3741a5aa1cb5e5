import type { WorkloadState } from './cluster-state';
import type { RolloutPhase } from './types';

/**
 * `workloadRef.scaleDown` (rollout/replicaset.go, rollout/sync.go promoteStable): the controller scales the referenced Deployment down while
 * the Rollout is at revision 1 (the migration from the Deployment). `never` (or absent) leaves it
 * alone; revision 2 and later never touch it. Targets below 0 are written as 0.
 * @see rollout/replicaset.go reconcileNewReplicaSet, rollout/sync.go promoteStable, rollout/scale_utils.go scaleDeployment
 */

/** `workloadRef.scaleDown` values the controller acts on. */
export const WORKLOAD_SCALE_DOWN = { never: 'never', onSuccess: 'onsuccess', progressively: 'progressively' } as const;

function applies(workload: WorkloadState | undefined, mode: string, revision: number): workload is WorkloadState {
  return workload !== undefined && workload.kind === 'Deployment' && workload.scaleDown === mode && revision === 1;
}

/**
 * `onsuccess`, at promotion (`promoteStable`, which the controller also runs on every tick of a
 * fully promoted Rollout): 0 once the status read at the start of the tick says Healthy.
 * `undefined` = leave the Deployment alone.
 */
export function onSuccessScaleDownTarget(
  workload: WorkloadState | undefined,
  revision: number,
  previousPhase: RolloutPhase | undefined,
): number | undefined {
  if (!applies(workload, WORKLOAD_SCALE_DOWN.onSuccess, revision)) return undefined;
  return previousPhase === 'Healthy' ? 0 : undefined;
}

/** What `progressively` reads on a new-ReplicaSet reconcile. */
export interface ProgressiveScaleDownInput {
  readonly workload: WorkloadState | undefined;
  /** Revision of the new ReplicaSet (`rollout.argoproj.io/revision`). */
  readonly revision: number;
  /** `status.phase` read at the start of the tick. */
  readonly previousPhase: RolloutPhase | undefined;
  /** `spec.replicas` as written (undefined = nil: only the Healthy rule applies). */
  readonly specReplicas: number | undefined;
  /** `status.readyReplicas` read at the start of the tick. */
  readonly readyReplicas: number;
  /** The new ReplicaSet's count before and after this tick's scaling. */
  readonly newRSReplicasBefore: number;
  readonly newRSReplicasAfter: number;
}

/**
 * `progressively`: Healthy -> 0; else, with `spec.replicas` set and ready Rollout pods (or the new
 * ReplicaSet shrinking), `spec.replicas - status.readyReplicas`. The Deployment is never scaled
 * up: after the migration an HPA change of `spec.replicas` makes the phase Progressing again, and
 * v1.9.0 stopped that from bringing Deployment pods back (argo-rollouts#4321, e2e
 * TestScaleDownProgressivelyCompleted). `undefined` = leave the Deployment alone.
 */
export function progressiveScaleDownTarget(input: ProgressiveScaleDownInput): number | undefined {
  const { workload } = input;
  if (!applies(workload, WORKLOAD_SCALE_DOWN.progressively, input.revision)) return undefined;
  let target: number | undefined;
  if (input.previousPhase === 'Healthy') {
    target = 0;
  } else if (input.specReplicas !== undefined && (input.readyReplicas > 0 || input.newRSReplicasAfter < input.newRSReplicasBefore)) {
    target = Math.max(0, input.specReplicas - input.readyReplicas);
  }
  if (target === undefined || target >= workload.replicas) return undefined;
  return target;
}
