import { MigrationError } from './migration-error';
import { getReplicasOrDefault } from '../runtime/rollout-defaults';
import { cloneJson, type ManifestObject, refOf } from './manifest-object';
import type { ForwardStageId, MigrationPlan, MigrationStep } from './migration-plan';

/** The objects to commit for one stage of the migration. */
export interface GitopsStage {
  readonly step: MigrationStep<ForwardStageId>;
  /** Every object of the app at this stage, as it should be in Git. */
  readonly objects: readonly ManifestObject[];
}

function withSpec(object: ManifestObject, first: Record<string, unknown>, drop: readonly string[] = []): ManifestObject {
  const copy = cloneJson(object) as ManifestObject & { spec?: Record<string, unknown> };
  const rest = { ...(copy.spec ?? {}) };
  for (const k of [...drop, ...Object.keys(first)]) delete rest[k];
  return { ...copy, spec: { ...first, ...rest } };
}

/**
 * Each forward stage as a full synthesized state, for teams that commit the manifests to a GitOps
 * repository: commit stage 1, wait for its checks, commit stage 2, and so on. The last stage is
 * exactly the canary set (the Deployment at `replicas: 0`, the HPA on the Rollout). The Rollout
 * carries `replicas: currentReplicas` until the HPA owns it, and `paused: true` in its first stage.
 */
export function gitopsStages(plan: MigrationPlan, currentReplicas: number): GitopsStage[] {
  const existing = plan.existing;
  if (!existing) {
    throw new MigrationError('cannot render the GitOps stages', ['the manifests running today are needed (the existing Deployment, Service, HPA and VirtualService)']);
  }
  const problems: string[] = [];
  if (!Number.isInteger(currentReplicas) || currentReplicas < 1) {
    problems.push(`currentReplicas (${JSON.stringify(currentReplicas)}) must be a whole number >= 1: the pods ${refOf(existing.deployment)} runs now`);
  }
  if (plan.hpa?.maxReplicas !== undefined && currentReplicas > plan.hpa.maxReplicas) {
    problems.push(`currentReplicas (${currentReplicas}) is above HorizontalPodAutoscaler/${plan.hpa.name} maxReplicas (${plan.hpa.maxReplicas}); raise maxReplicas first`);
  }
  const fixed = getReplicasOrDefault(plan.set.replicas);
  if (!plan.hpa && fixed < currentReplicas) {
    problems.push(
      `${refOf(plan.set.rollout)}: spec.replicas (${fixed}) is below currentReplicas (${currentReplicas}); the last stage would run fewer pods than today`,
    );
  }
  if (problems.length > 0) throw new MigrationError('cannot render the GitOps stages', problems);

  const set = plan.set;
  const ids = plan.stages.map((s) => s.id);
  const last = plan.stages[plan.stages.length - 1];
  const afterKeys = new Set(set.objects.map(refOf));
  const beforeOnly = existing.others.map((o) => o.object).filter((o) => !afterKeys.has(refOf(o)));


  return plan.stages.map((step, index) => {
    const reached = (id: ForwardStageId): boolean => ids.includes(id) && ids.indexOf(id) <= index;
    const isLast = step === last;
    const R = currentReplicas;
    const version = (o: ManifestObject): ManifestObject | undefined => {
      if (o === set.deployment) return reached('scale-deployment-to-zero') ? o : existing.deployment;
      if (o === set.virtualService) return reached('route-weights') ? o : existing.virtualService;
      if (o === set.stableService) return o;
      if (o === set.rollout) {
        if (!reached('create-rollout-paused')) return undefined;
        if (isLast) return o;
        return reached('unpause-rollout') ? withSpec(o, { replicas: R }, ['paused']) : withSpec(o, { replicas: R, paused: true });
      }
      if (o === set.hpa) {
        const existed = plan.hpa!.existedBefore;
        if (reached('restore-hpa-min')) return o;
        if (reached('hpa-to-rollout')) return withSpec(o, { minReplicas: R });
        if (!existed) return undefined;
        return reached('pin-hpa-min') ? withSpec(existing.hpa!, { minReplicas: R }) : existing.hpa;
      }
      return o; // companions (from stage 1) and objects passed through by convert
    };
    const objects = set.objects.map(version).filter((o): o is ManifestObject => o !== undefined);
    if (!isLast) objects.push(...beforeOnly);

    return { step, objects: objects.map((o) => cloneJson(o)) };
  });
}
