import type { CanaryStep, CanaryStrategy, ReplicaSetState, RolloutCondition, RolloutState, RolloutStatus } from '../../src/runtime/types';

/** A canary Rollout for the controller-function tables: `spec.replicas` N plus canary fields. */
export function canaryRollout(
  replicas: number | undefined,
  canary: Partial<CanaryStrategy> & { steps?: readonly CanaryStep[] },
  status: RolloutStatus = {},
): RolloutState {
  return { metadata: { name: 'app' }, spec: { replicas, strategy: { canary: { ...canary } } }, status };
}

/** Mid-update status: stable `A`, new `B` at step `index`. */
export function midUpdate(index: number | undefined, extra: RolloutStatus = {}): RolloutStatus {
  return { stableRS: 'A', currentPodHash: 'B', currentStepIndex: index, ...extra };
}

/** A ReplicaSet named after its hash; statusReplicas defaults to spec. */
export function rs(hash: string, spec: number, available: number, statusReplicas?: number): ReplicaSetState {
  return { name: `app-${hash}`, podTemplateHash: hash, specReplicas: spec, availableReplicas: available, statusReplicas: statusReplicas ?? spec };
}

/** Applied weights `canary`/`stable` with hashes B/A. */
export function applied(canary: number, stable = 100 - canary) {
  return { canary: { weight: canary, podTemplateHash: 'B' }, stable: { weight: stable, podTemplateHash: 'A' } };
}

/** A Progressing condition with message "m", updated and transitioned at `at`. */
export function progressing(reason: string, at: number, status: 'True' | 'False' | 'Unknown' = 'True'): RolloutCondition {
  return { type: 'Progressing', status, reason, message: 'm', lastUpdateTime: at, lastTransitionTime: at };
}
