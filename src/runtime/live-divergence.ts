import { formatTimestamp } from './cluster-state';
import { ARGO_KEYS, API_VERSIONS } from '../model/argo-defaults';
import type { LiveNext } from './live-forecast';
import { lastStatusWriteAt, lastWriteAt, list, num, record, replicasOwners, specOf, statusOf, str, workloadObservedGeneration, type LiveObjects } from './live-objects';
import { DEFAULT_STALL_GRACE_SECONDS, type LiveNow, type LiveStatusOptions } from './live-types';
import { hpaMinReplicasOrDefault, type RolloutModel } from '../model/manifests';

/**
 * Where the live objects differ from what the controller should have made of them, each with the
 * fix. The rules (docs/status.md#divergences):
 * - `vs-weights`: a VirtualService route's weights differ from `status.canary.weights`;
 * - `service-selector`: the stable Service (or DestinationRule subset) does not select
 *   `status.stableRS`, or the canary one selects neither the current nor the stable revision;
 * - `hpa-target`: an HPA aimed at the Rollout's workload, or at its name with another kind or API
 *   group, or unable to scale it;
 * - `replicas-vs-hpa`: `spec.replicas` outside the HPA's bounds, or last written by someone else;
 * - `stall`: the model says the controller should act and it has not, for longer than allowed.
 */

/** One divergence. */
export interface Divergence {
  /** Rule id (see above). */
  readonly rule: 'vs-weights' | 'service-selector' | 'hpa-target' | 'replicas-vs-hpa' | 'stall';
  /** `Kind/name` of the object that diverges. */
  readonly object: string;
  readonly message: string;
  readonly fix: string;
}

/** Every divergence of a live Rollout. */
export function liveDivergences(model: RolloutModel, objects: LiveObjects, now: LiveNow, next: LiveNext, options: LiveStatusOptions): Divergence[] {
  return [
    ...weightDivergences(model, now),
    ...selectorDivergences(model, objects),
    ...hpaDivergences(model, objects, options),
    ...stallDivergences(model, objects, now, next, options),
  ];
}

function kubectlTarget(model: RolloutModel): string {
  return `${model.name}${model.namespace ? ` -n ${model.namespace}` : ''}`;
}

function weightDivergences(model: RolloutModel, now: LiveNow): Divergence[] {
  if (!now.weights) return [];
  const want = now.weights;
  return now.routes
    .filter((r) => r.canary !== want.canary || r.stable !== want.stable)
    .map((r) => ({
      rule: 'vs-weights' as const,
      object: `VirtualService/${r.virtualService}`,
      message: `route ${r.route} sends canary ${r.canary ?? 'none'} / stable ${r.stable ?? 'none'}, but Rollout/${model.name} status.canary.weights says ${want.canary} / ${want.stable}`,
      fix:
        'Something else writes this route (a GitOps sync of the VirtualService, another Rollout naming it): leave the managed route\'s weights to the controller ' +
        '(ignore /spec/http/*/route/*/weight in the sync), then touch the Rollout so it reconciles again',
    }));
}

function selectorDivergences(model: RolloutModel, objects: LiveObjects): Divergence[] {
  const status = statusOf(objects.rollout);
  const stable = str(status.stableRS);
  const current = str(status.currentPodHash);
  if (stable === undefined) return [];
  const key = ARGO_KEYS.podTemplateHashLabel;
  const out: Divergence[] = [];
  const check = (object: string, selected: string | undefined, allowed: readonly string[], role: string) => {
    if (selected !== undefined && allowed.includes(selected)) return;
    out.push({
      rule: 'service-selector',
      object,
      message: `${role} selects ${key}=${selected ?? '(none)'}, expected ${allowed.join(' or ')} (Rollout/${model.name} status.stableRS ${stable}, currentPodHash ${current ?? '(none)'})`,
      fix: `Do not manage the ${key} selector outside the controller (GitOps: ignore it); touch the Rollout so the controller sets it again`,
    });
  };
  const dr = model.destinationRule;
  if (dr) {
    const live = objects.destinationRules.find((o) => o.metadata?.name === dr.name);
    const subsets = list(specOf(live).subsets).map(record);
    const subsetHash = (name: string | undefined) => str(record(subsets.find((s) => s.name === name)?.labels)[key]);
    check(`DestinationRule/${dr.name}`, subsetHash(dr.ref.stableSubsetName), [stable], `subset ${dr.ref.stableSubsetName}`);
    check(`DestinationRule/${dr.name}`, subsetHash(dr.ref.canarySubsetName), [...new Set([current ?? stable, stable])], `subset ${dr.ref.canarySubsetName}`);
    return out;
  }
  const selectorOf = (name: string | undefined) => str(record(specOf(objects.services.find((s) => s.metadata?.name === name)).selector)[key]);
  const canary = model.spec.strategy.canary;
  if (canary?.pingPong) return out;
  if (canary?.stableService) check(`Service/${canary.stableService}`, selectorOf(canary.stableService), [stable], 'the stable Service');
  // The controller points the canary Service at the new ReplicaSet once it is available (and back at stable on abort).
  if (canary?.canaryService) check(`Service/${canary.canaryService}`, selectorOf(canary.canaryService), [...new Set([current ?? stable, stable])], 'the canary Service');
  return out;
}

function hpaDivergences(model: RolloutModel, objects: LiveObjects, options: LiveStatusOptions): Divergence[] {
  const out: Divergence[] = [];
  const rolloutRef = `{apiVersion: ${API_VERSIONS.rollout}, kind: Rollout, name: ${model.name}}`;
  let aimed: { name: string; spec: Record<string, unknown>; status: Record<string, unknown> } | undefined;
  for (const hpa of objects.hpas) {
    const name = hpa.metadata?.name ?? '';
    const ref = record(specOf(hpa).scaleTargetRef);
    const toRollout = ref.kind === 'Rollout' && ref.name === model.name;
    if (toRollout && String(ref.apiVersion ?? '').split('/')[0] === API_VERSIONS.rollout.split('/')[0]) {
      aimed = { name, spec: specOf(hpa), status: statusOf(hpa) };
      const unable = list(statusOf(hpa).conditions).map(record).find((c) => c.type === 'AbleToScale' && c.status === 'False');
      if (unable) {
        out.push({ rule: 'hpa-target', object: `HorizontalPodAutoscaler/${name}`, message: `cannot scale Rollout/${model.name}: ${str(unable.reason) ?? ''} ${str(unable.message) ?? ''}`.trim(), fix: 'Let the HPA controller get and update rollouts/scale (its RBAC), and check the Rollout CRD serves the scale subresource' });
      }
      continue;
    }
    const toWorkload = model.workload !== undefined && ref.kind === model.workload.kind && ref.name === model.workload.name;
    if (!toWorkload && ref.name !== model.name) continue;
    const aimedAt = `${String(ref.kind ?? '?')}/${String(ref.name ?? '?')}${ref.apiVersion ? ` (${String(ref.apiVersion)})` : ''}`;
    out.push({
      rule: 'hpa-target',
      object: `HorizontalPodAutoscaler/${name}`,
      message: `scales ${aimedAt}, not Rollout/${model.name}${toWorkload ? ': the Rollout runs the pods, the referenced workload is kept at 0' : ''}`,
      fix: `Set spec.scaleTargetRef to ${rolloutRef}`,
    });
  }
  if (aimed) out.push(...replicasFight(model, objects, aimed, options));
  return out;
}

function replicasFight(
  model: RolloutModel,
  objects: LiveObjects,
  hpa: { name: string; spec: Record<string, unknown>; status: Record<string, unknown> },
  options: LiveStatusOptions,
): Divergence[] {
  const replicas = num(specOf(objects.rollout).replicas);
  const min = hpaMinReplicasOrDefault({ minReplicas: num(hpa.spec.minReplicas) });
  const max = num(hpa.spec.maxReplicas);
  const object = `Rollout/${model.name}`;
  const fix = `Remove spec.replicas from the Rollout's manifests (HorizontalPodAutoscaler/${hpa.name} owns it) or ignore it in the GitOps sync`;
  const out: Divergence[] = [];
  if (replicas !== undefined && (replicas < min || (max !== undefined && replicas > max))) {
    out.push({ rule: 'replicas-vs-hpa', object, message: `spec.replicas is ${replicas}, outside HorizontalPodAutoscaler/${hpa.name}'s ${min}..${max ?? '?'}`, fix });
  }
  const others = replicasOwners(objects.rollout).filter((o) => o.subresource !== 'scale' && o.manager !== 'rollouts-controller');
  if (others.length > 0) {
    out.push({
      rule: 'replicas-vs-hpa',
      object,
      message: `spec.replicas (${replicas ?? 'unset'}) was last written by ${others.map((o) => o.manager).join(', ')}, not by HorizontalPodAutoscaler/${hpa.name}: each write undoes the HPA's count`,
      fix,
    });
  }
  const desired = num(hpa.status.desiredReplicas);
  const scaledAt = Date.parse(str(hpa.status.lastScaleTime) ?? '') / 1000;
  const grace = options.stallGraceSeconds ?? DEFAULT_STALL_GRACE_SECONDS;
  if (desired !== undefined && desired > 0 && replicas !== undefined && desired !== replicas && Number.isFinite(scaledAt) && options.now - scaledAt > grace && out.length === 0) {
    out.push({ rule: 'replicas-vs-hpa', object, message: `spec.replicas is ${replicas} but HorizontalPodAutoscaler/${hpa.name} wants ${desired} (last scaled ${Math.round(options.now - scaledAt)} s ago)`, fix });
  }
  return out;
}

/**
 * The stall: the model says the controller should act (nothing waits for a person, a timer, pods
 * or an analysis), and neither the Rollout's status nor anything the caller watched changed for
 * longer than the grace past the time the model expected the change.
 */
function stallDivergences(model: RolloutModel, objects: LiveObjects, now: LiveNow, next: LiveNext, options: LiveStatusOptions): Divergence[] {
  const grace = options.stallGraceSeconds ?? DEFAULT_STALL_GRACE_SECONDS;
  const expected = expectedChange(model, objects, now, next);
  if (!expected) return [];
  const lastProgress = Math.max(lastStatusWriteAt(objects.rollout) ?? -Infinity, options.lastChangeAt ?? -Infinity);
  const since = Math.max(expected.at, lastProgress);
  if (!Number.isFinite(since) || options.now - since <= grace) return [];
  const idle = Math.round(options.now - (Number.isFinite(lastProgress) ? lastProgress : since));
  const target = kubectlTarget(model);
  return [
    {
      rule: 'stall',
      object: `Rollout/${model.name}`,
      message: `STALL: no progress for ${idle} s; ${expected.what}, which the model expected by ${formatTimestamp(expected.at)} (+${grace} s grace)`,
      fix:
        `Nudge the controller: kubectl annotate rollout ${target} cdk8s-canary.io/nudge="$(date +%s)" --overwrite ` +
        '(a metadata change makes Argo Rollouts v1.9.1 re-read a Rollout its cache holds stale, argoproj/argo-rollouts#4073); ' +
        'if nothing moves, check the controller runs: kubectl -n argo-rollouts get pods',
    },
  ];
}

/** What the controller should do now and since when (epoch seconds), or undefined when it has nothing to do yet. */
function expectedChange(model: RolloutModel, objects: LiveObjects, now: LiveNow, next: LiveNext): { what: string; at: number } | undefined {
  const rollout = objects.rollout;
  const specWrite = lastWriteAt(rollout, (e) => e.subresource === undefined) ?? -Infinity;
  const observed = Number(str(statusOf(rollout).observedGeneration) ?? NaN);
  const generation = rollout.metadata?.generation;
  if (generation !== undefined && Number.isFinite(observed) && observed < generation) {
    return { what: `the controller has not observed generation ${generation} of the Rollout (status.observedGeneration ${observed})`, at: specWrite };
  }
  if (objects.workload && model.workload) {
    const seen = workloadObservedGeneration(rollout) ?? NaN;
    const wlGeneration = objects.workload.metadata?.generation;
    if (wlGeneration !== undefined && Number.isFinite(seen) && seen < wlGeneration) {
      const at = lastWriteAt(objects.workload, (e) => e.subresource === undefined) ?? -Infinity;
      return { what: `the controller has not picked up ${model.workload.kind}/${model.workload.name} generation ${wlGeneration} (status.workloadObservedGeneration is ${seen})`, at };
    }
  }
  if (now.aborted || next.waitingFor || now.analysisRuns.some((r) => r.kind !== 'earlier' && (r.phase === 'Running' || r.phase === 'Pending'))) return undefined;
  const podsPending = now.revisions.some((r) => r.available < r.desired);
  if (now.completed || podsPending) return undefined;
  const overdueScaleDown = now.revisions.find((r) => r.role === 'old' && r.desired > 0 && r.scaleDownAt !== undefined);
  if (now.phase === 'Healthy' && str(statusOf(rollout).stableRS) === str(statusOf(rollout).currentPodHash)) {
    if (!overdueScaleDown) return undefined;
    return { what: `revision ${overdueScaleDown.revision ?? overdueScaleDown.podTemplateHash} should be scaled down`, at: overdueScaleDown.scaleDownAt! };
  }
  const index = now.step.index;
  const what =
    index !== null && index < now.step.count
      ? `step ${index} of ${now.step.count} has every pod available and nothing to wait for, so it should be done`
      : 'every step is done, so the new revision should be promoted to stable';
  return { what, at: next.currentStepDueAt ?? next.pauseEndsAt ?? -Infinity };
}
