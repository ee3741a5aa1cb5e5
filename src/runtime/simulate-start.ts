/**
 * The start state of a simulation: the manifests' Rollout fully rolled out at revision 1, or just
 * created next to its workloadRef Deployment (a migration). Pure functions of the model.
 */
import type { ClusterState, ServiceState, WorkloadState } from './cluster-state';
import { ARGO_KEYS } from '../model/argo-defaults';
import { getCanaryStableServices } from './istio';
import { hpaMinReplicasOrDefault, type RolloutModel } from '../model/manifests';
import { computeStepHash } from './reconcile';
import { getReplicasOrDefault } from './rollout-defaults';
import { computeHash } from './template-hash';
import type { ReplicaSetState, RolloutState, RolloutStatus } from './types';
import { WORKLOAD_SCALE_DOWN } from './workload-scale-down';

/** `spec.replicas` a simulation uses: the scenario's, the Rollout's, the HPA's minimum, or 1. */
export function simulatedReplicas(model: RolloutModel, replicas: number | undefined): number {
  return replicas ?? model.spec.replicas ?? (model.hpa ? hpaMinReplicasOrDefault(model.hpa) : getReplicasOrDefault(undefined));
}

/** Whether the simulation starts at the Rollout's creation next to its workloadRef Deployment. */
export function startsWithMigration(model: RolloutModel, start: 'auto' | 'rolledOut' | 'migration' = 'auto'): boolean {
  if (start !== 'auto') return start === 'migration';
  const workload = model.workload;
  const scalesDown = workload?.scaleDown === WORKLOAD_SCALE_DOWN.onSuccess || workload?.scaleDown === WORKLOAD_SCALE_DOWN.progressively;
  return workload?.kind === 'Deployment' && scalesDown && (workload.replicas ?? 1) > 0;
}

/** A `spec.restartAt` already in the manifests counts as done at the start (`status.restartedAt`). */
function restartDone(model: RolloutModel): Pick<RolloutStatus, 'restartedAt'> {
  return model.spec.restartAt !== undefined ? { restartedAt: model.spec.restartAt } : {};
}

/** Hash of the manifests' pod template (models are immutable: computed once per model template). */
function modelTemplateHash(model: RolloutModel): string {
  let hash = TEMPLATE_HASHES.get(model.template);
  if (hash === undefined) {
    hash = computeHash(model.template);
    TEMPLATE_HASHES.set(model.template, hash);
  }
  return hash;
}

const TEMPLATE_HASHES = new WeakMap<object, string>();

/**
 * The manifests' Rollout fully rolled out at revision 1 with `n` replicas: one ReplicaSet (its
 * pods are the caller's to make), the status the controller would have written, the Services
 * selecting it.
 */
export function rolledOutStartState(model: RolloutModel, n: number): ClusterState {
  const canary = model.spec.strategy.canary;
  const hash = modelTemplateHash(model);
  const rs: ReplicaSetState = {
    name: `${model.name}-${hash}`,
    podTemplateHash: hash,
    revision: 1,
    specReplicas: n,
    statusReplicas: n,
    availableReplicas: n,
    annotations: { [ARGO_KEYS.revisionAnnotation]: '1', [ARGO_KEYS.desiredReplicasAnnotation]: String(n) },
  };
  const provisional: RolloutState = {
    metadata: { name: model.name, annotations: { [ARGO_KEYS.revisionAnnotation]: '1' } },
    spec: { ...model.spec, replicas: n },
    status: { stableRS: hash, currentPodHash: hash, ...(canary?.pingPong ? { canary: { stablePingPong: 'ping' } } : {}) },
  };
  const services: Record<string, ServiceState> = {};
  for (const svc of Object.values(model.services)) {
    if (!svc) continue;
    services[svc.name] = {
      name: svc.name,
      selector: { ...svc.selector, [ARGO_KEYS.podTemplateHashLabel]: hash },
      annotations: { ...(svc.object.metadata?.annotations ?? {}), [ARGO_KEYS.managedByAnnotation]: model.name },
    };
  }
  return {
    rollout: { ...provisional, status: rolledOutStatus(model, provisional, hash) },
    templateHash: hash,
    replicaSets: [rs],
    services,
    ...routingObjects(model),
    ...podsPdbsAndWorkload(model),
  };
}

/** The status of a Rollout fully rolled out at `hash`: past its last step, all weight on the stable. */
function rolledOutStatus(model: RolloutModel, provisional: RolloutState, hash: string): RolloutStatus {
  const canary = model.spec.strategy.canary;
  const steps = canary?.steps?.length ?? 0;
  const { canaryService, stableService } = getCanaryStableServices(provisional);
  return {
    currentPodHash: hash,
    stableRS: hash,
    currentStepHash: computeStepHash(canary),
    ...(steps > 0 ? { currentStepIndex: steps } : {}),
    ...restartDone(model),
    canary: {
      ...(canary?.trafficRouting
        ? {
            weights: {
              canary: { weight: 0, podTemplateHash: hash, ...(canaryService ? { serviceName: canaryService } : {}) },
              stable: { weight: 100, podTemplateHash: hash, ...(stableService ? { serviceName: stableService } : {}) },
            },
          }
        : {}),
      ...(canary?.pingPong ? { stablePingPong: 'ping' as const } : {}),
    },
  };
}

/**
 * The migration start: the Rollout just created (no ReplicaSet, empty status) with `n` replicas
 * next to its workloadRef Deployment, the Services, VirtualService and DestinationRule as in the
 * manifests (not yet adopted by the controller).
 */
export function migrationStartState(model: RolloutModel, n: number): ClusterState {
  const services: Record<string, ServiceState> = {};
  for (const svc of Object.values(model.services)) {
    if (!svc) continue;
    services[svc.name] = { name: svc.name, selector: { ...svc.selector }, annotations: { ...(svc.object.metadata?.annotations ?? {}) } };
  }
  return {
    rollout: { metadata: { name: model.name }, spec: { ...model.spec, replicas: n }, status: { ...restartDone(model) } },
    templateHash: modelTemplateHash(model),
    replicaSets: [],
    services,
    ...routingObjects(model),
    ...podsPdbsAndWorkload(model),
  };
}

/** The PodDisruptionBudgets and the workloadRef Deployment of the manifests (pods are filled in later). */
function podsPdbsAndWorkload(model: RolloutModel): Pick<ClusterState, 'pods' | 'pdbs' | 'workload'> {
  const { pdbs, workload } = model;
  const deployment: WorkloadState | undefined =
    workload?.kind === 'Deployment'
      ? { kind: 'Deployment', name: workload.name, ...(workload.scaleDown !== undefined ? { scaleDown: workload.scaleDown } : {}), replicas: workload.replicas ?? 1 }
      : undefined;
  return {
    pods: [],
    pdbs: pdbs.map((pdb) => ({
      name: pdb.name,
      matchLabels: pdb.matchLabels,
      ...(pdb.minAvailable !== undefined ? { minAvailable: pdb.minAvailable } : {}),
      ...(pdb.maxUnavailable !== undefined ? { maxUnavailable: pdb.maxUnavailable } : {}),
    })),
    ...(deployment ? { workload: deployment } : {}),
  };
}

/**
 * The VirtualServices and DestinationRule of the manifests for a start state. The model and the
 * cluster state are immutable data (reconcile writes new objects), so they share the model's
 * metadata and spec instead of deep copies; the objects are built once per model, which also lets
 * the per-object memos of the router (istio.ts) serve every run of the same model.
 */
function routingObjects(model: RolloutModel): Pick<ClusterState, 'virtualServices' | 'destinationRule'> {
  let objects = ROUTING_OBJECTS.get(model);
  if (objects === undefined) {
    objects = {
      virtualServices: model.virtualServices.map((vs) => ({
        ref: vs.ref,
        object: { metadata: vs.object.metadata ?? {}, spec: vs.spec } as ClusterState['virtualServices'][number]['object'],
      })),
      ...(model.destinationRule
        ? { destinationRule: { metadata: model.destinationRule.object.metadata ?? {}, spec: model.destinationRule.spec } as NonNullable<ClusterState['destinationRule']> }
        : {}),
    };
    ROUTING_OBJECTS.set(model, objects);
  }
  return objects;
}

const ROUTING_OBJECTS = new WeakMap<RolloutModel, Pick<ClusterState, 'virtualServices' | 'destinationRule'>>();
