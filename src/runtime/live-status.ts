import { parseTimestamp } from './cluster-state';
import { ARGO_KEYS } from '../model/argo-defaults';
import { liveDivergences, type Divergence } from './live-divergence';
import { forecast, type LiveNext } from './live-forecast';
import { list, num, ownedBy, workloadObservedGeneration, podHashOf, record, revisionOf, specOf, statusOf, str, type LiveObjects } from './live-objects';
import { readManifests, type KubeObject, type RolloutModel } from '../model/manifests';
import type { LiveAnalysisRun, LiveMetric, LiveNow, LiveRevision, LiveRouteWeights, LiveStatusOptions } from './live-types';

export { DEFAULT_STALL_GRACE_SECONDS } from './live-types';

export type { LiveAnalysisRun, LiveMetric, LiveNow, LiveRevision, LiveRouteWeights, LiveStatusOptions } from './live-types';

/**
 * `cdk8s-canary status`: where a live Rollout is (now), what the model says comes next and when
 * (next), and where the live objects differ from what the controller should have made of them
 * (divergences). Pure: the CLI reads the cluster and passes the objects and the time.
 */

/** The whole `status` answer for one Rollout at one instant. */
export interface LiveStatus {
  /** `namespace/name` of the Rollout. */
  readonly rollout: string;
  /** The instant (epoch seconds) the state was judged at. */
  readonly at: number;
  readonly now: LiveNow;
  readonly next: LiveNext;
  readonly divergences: readonly Divergence[];
}

/**
 * Judges one instant of a live Rollout. Throws the validated reader's ManifestError when the live
 * objects do not make a Rollout the runtime can read (the message names the object and field).
 */
export function liveStatus(objects: LiveObjects, options: LiveStatusOptions): LiveStatus {
  const model = liveModel(objects);
  const now = liveNow(model, objects);
  const next = forecast(model, objects, now, options);
  const divergences = liveDivergences(model, objects, now, next, options);
  const ns = objects.rollout.metadata?.namespace;
  return { rollout: ns ? `${ns}/${model.name}` : model.name, at: options.now, now, next, divergences };
}

/** The Rollout's model through the runtime's manifest reader (the same one `plan` and `simulate` use). */
export function liveModel(objects: LiveObjects): RolloutModel {
  const all: KubeObject[] = [
    objects.rollout,
    ...(objects.workload ? [objects.workload] : []),
    ...objects.services,
    ...objects.virtualServices,
    ...objects.destinationRules,
    ...objects.hpas,
    ...objects.pdbs,
  ];
  const ro = objects.rollout.metadata;
  return readManifests(all, { rollout: ro?.namespace ? `${ro.namespace}/${ro.name ?? ''}` : ro?.name });
}

/** The "now" part: step, weights, pods per revision, pause and abort, analysis. */
export function liveNow(model: RolloutModel, objects: LiveObjects): LiveNow {
  const status = statusOf(objects.rollout);
  const steps = model.spec.strategy.canary?.steps ?? [];
  const index = num(status.currentStepIndex) ?? null;
  const weights = record(record(status.canary).weights);
  const canaryWeight = num(record(weights.canary).weight);
  const stableWeight = num(record(weights.stable).weight);
  const revisions = liveRevisions(objects);
  const phase = str(status.phase) ?? '';
  const stableRS = str(status.stableRS);
  return {
    phase,
    message: str(status.message) ?? '',
    step: { index, count: steps.length, ...(index !== null && steps[index] ? { step: steps[index] } : {}) },
    weights: canaryWeight !== undefined || stableWeight !== undefined ? { canary: canaryWeight ?? 0, stable: stableWeight ?? 0 } : null,
    routes: routeWeights(model, objects),
    revisions,
    paused: model.spec.paused === true || list(status.pauseConditions).length > 0,
    pauseReasons: pauseReasons(model, status),
    aborted: status.abort === true,
    observed: specObserved(objects),
    completed:
      specObserved(objects) &&
      phase === 'Healthy' &&
      stableRS !== undefined &&
      stableRS === str(status.currentPodHash) &&
      revisions.every((r) => r.role === 'stable' || r.desired === 0),
    analysisRuns: liveAnalysisRuns(objects),
  };
}

/**
 * The controller has seen the latest spec: `status.observedGeneration` is the Rollout's generation
 * and, with a workloadRef, `status.workloadObservedGeneration` is the workload's generation.
 */
function specObserved(objects: LiveObjects): boolean {
  const rollout = objects.rollout;
  const observed = str(statusOf(rollout).observedGeneration);
  if (rollout.metadata?.generation !== undefined && observed !== String(rollout.metadata.generation)) return false;
  const workloadGeneration = objects.workload?.metadata?.generation;
  return workloadGeneration === undefined || workloadObservedGeneration(rollout) === workloadGeneration;
}

function pauseReasons(model: RolloutModel, status: Record<string, unknown>): string[] {
  const reasons: string[] = [];
  if (model.spec.paused === true) reasons.push('spec.paused (kubectl argo rollouts pause)');
  for (const raw of list(status.pauseConditions)) {
    const c = record(raw);
    reasons.push(`${str(c.reason) ?? 'unknown reason'}${typeof c.startTime === 'string' ? ` since ${c.startTime}` : ''}`);
  }
  if (status.controllerPause === true && reasons.length === 0) reasons.push('controllerPause (no pause condition left: promoted, not yet acted on)');
  return reasons;
}

/** The Rollout's ReplicaSets, newest revision first. */
export function liveRevisions(objects: LiveObjects): LiveRevision[] {
  const status = statusOf(objects.rollout);
  const stable = str(status.stableRS);
  const current = str(status.currentPodHash);
  return objects.replicaSets
    .filter((rs) => ownedBy(rs, objects.rollout) && podHashOf(rs) !== undefined)
    .map((rs): LiveRevision => {
      const hash = podHashOf(rs) ?? '';
      const rsStatus = statusOf(rs);
      const annotations = rs.metadata?.annotations ?? {};
      const deadline = parseTimestamp(annotations[ARGO_KEYS.scaleDownDeadlineAnnotation]);
      return {
        revision: revisionOf(rs) ?? null,
        podTemplateHash: hash,
        role: hash === stable ? 'stable' : hash === current ? 'canary' : 'old',
        desired: num(specOf(rs).replicas) ?? 1,
        ready: num(rsStatus.readyReplicas) ?? 0,
        available: num(rsStatus.availableReplicas) ?? 0,
        ...(deadline !== undefined ? { scaleDownAt: deadline } : {}),
      };
    })
    .sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0));
}

/** Weights of each VirtualService route the Rollout manages (canary and stable destinations). */
export function routeWeights(model: RolloutModel, objects: LiveObjects): LiveRouteWeights[] {
  const canary = model.spec.strategy.canary;
  const dr = canary?.trafficRouting?.istio?.destinationRule;
  const match = (d: Record<string, unknown>, service: string | undefined, subset: string | undefined): boolean => {
    const dest = record(d.destination);
    const host = (str(dest.host) ?? '').split('.')[0];
    return dr ? dest.subset === subset : host === service;
  };
  return model.virtualServices.flatMap((vs) => {
    const live = objects.virtualServices.find((o) => o.metadata?.name === vs.name);
    const routes = list(specOf(live).http);
    const wanted = vs.ref.routes;
    return routes.flatMap((raw, i) => {
      const route = record(raw);
      const name = str(route.name);
      if (wanted && wanted.length > 0 ? !wanted.includes(name ?? '') : routes.length !== 1) return [];
      const dests = list(route.route).map(record);
      const weightOf = (service: string | undefined, subset: string | undefined): number | null => {
        const d = dests.find((x) => match(x, service, subset));
        return d ? (num(d.weight) ?? 0) : null;
      };
      return [
        {
          virtualService: vs.namespace && vs.namespace !== model.namespace ? `${vs.namespace}/${vs.name}` : vs.name,
          route: name ?? String(i),
          canary: weightOf(canary?.canaryService, dr?.canarySubsetName),
          stable: weightOf(canary?.stableService, dr?.stableSubsetName),
        },
      ];
    });
  });
}

/** The Rollout's AnalysisRuns: running ones first, then the latest others (at most 3 in all). */
export function liveAnalysisRuns(objects: LiveObjects): LiveAnalysisRun[] {
  const canaryStatus = record(statusOf(objects.rollout).canary);
  const stepRun = str(record(canaryStatus.currentStepAnalysisRunStatus).name);
  const backgroundRun = str(record(canaryStatus.currentBackgroundAnalysisRunStatus).name);
  const runs = objects.analysisRuns
    .filter((run) => ownedBy(run, objects.rollout))
    .map((run): LiveAnalysisRun & { readonly created: string } => {
      const name = run.metadata?.name ?? '';
      const status = statusOf(run);
      return {
        name,
        kind: name === stepRun ? 'step' : name === backgroundRun ? 'background' : 'earlier',
        phase: str(status.phase) ?? 'Pending',
        ...(typeof status.message === 'string' && status.message !== '' ? { message: status.message } : {}),
        metrics: list(status.metricResults).map((m) => liveMetric(record(m))),
        created: str(record(run.metadata).creationTimestamp) ?? '',
      };
    });
  const running = runs.filter((r) => r.phase === 'Running' || r.phase === 'Pending');
  const others = runs.filter((r) => !running.includes(r)).sort((a, b) => b.created.localeCompare(a.created));
  return [...running, ...others].slice(0, Math.max(3, running.length)).map(({ created: _created, ...run }) => run);
}

function liveMetric(m: Record<string, unknown>): LiveMetric {
  const measurements = list(m.measurements).map(record);
  const last = measurements.at(-1);
  const finishedAt = parseTimestamp(str(last?.finishedAt));
  return {
    name: str(m.name) ?? '',
    phase: str(m.phase) ?? '',
    count: num(m.count) ?? measurements.length,
    successful: num(m.successful) ?? 0,
    failed: num(m.failed) ?? 0,
    inconclusive: num(m.inconclusive) ?? 0,
    error: num(m.error) ?? 0,
    ...(last
      ? { last: { ...(str(last.value) !== undefined ? { value: str(last.value) } : {}), ...(str(last.phase) ? { phase: str(last.phase) } : {}), ...(finishedAt !== undefined ? { finishedAt } : {}) } }
      : {}),
  };
}

/** What `status --until` waits for. */
export type UntilTarget = 'healthy' | 'paused' | 'degraded' | 'completed';

/** The states `--until` accepts. */
export const UNTIL_TARGETS: readonly UntilTarget[] = ['healthy', 'paused', 'degraded', 'completed'];

/**
 * Where a wait for `target` stands: `reached`; `failed` (aborted or Degraded while waiting for
 * something else, with the reason); or `waiting` (also while the controller has not seen the
 * latest spec, so a wait started right after an apply does not end on the previous revision). Divergences are judged by the caller, which
 * sees how long each one lasts.
 */
export function untilOutcome(status: LiveStatus, target: UntilTarget): { readonly outcome: 'reached' | 'failed' | 'waiting'; readonly reason?: string } {
  const { phase, completed, aborted, message, observed } = status.now;
  if (!observed) return { outcome: 'waiting' };
  const reached = { healthy: phase === 'Healthy', paused: phase === 'Paused', degraded: phase === 'Degraded', completed }[target];
  if (reached) return { outcome: 'reached' };
  if (aborted) return { outcome: 'failed', reason: `aborted${message ? `: ${message}` : ''}` };
  if (phase === 'Degraded') return { outcome: 'failed', reason: `Degraded${message ? `: ${message}` : ''}` };
  return { outcome: 'waiting' };
}
