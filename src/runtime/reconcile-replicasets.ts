/**
 * The ReplicaSets of one tick: finding or creating the new one, scaling (`rollout/replicaset.go`,
 * `rollout/canary.go scaleDownOldReplicaSetsForCanary`), the scale-down delays and the revision
 * history limit (`rollout/sync.go`). Functions over the tick's {@link RolloutContext}.
 */
import { formatTimestamp, selectedHash } from './cluster-state';
import { ARGO_DEFAULTS, ARGO_KEYS } from '../model/argo-defaults';
import { maxUnavailable } from './fenceposts';
import { deadlinePassed } from './pause-context';
import { isFullyPromoted } from './phase';
import { CONDITIONS, findCondition, foundNewReplicaSetMessage, newReplicaSetMessage, setCondition } from './progress-deadline';
import {
  calculateReplicaCountsForBasicCanary,
  calculateReplicaCountsForTrafficRoutedCanary,
  rsSpecReplicas,
} from './replica-counts';
import { type RolloutContext, scaleDownDeadline, withoutKey } from './reconcile-context';
import { getAbortScaleDownDelaySecondsOrDefault, getScaleDownDelaySecondsOrDefault } from './rollout-defaults';
import type { ReplicaSetState, TrafficWeights } from './types';
import { progressiveScaleDownTarget } from './workload-scale-down';

/** The Argo revision (`rollout.argoproj.io/revision` annotation) of a ReplicaSet; 0 when absent. */
export function argoRevision(rs: ReplicaSetState): number {
  const value = Number.parseInt(rs.annotations?.[ARGO_KEYS.revisionAnnotation] ?? '', 10);
  return Number.isNaN(value) ? 0 : value;
}

/**
 * An old ReplicaSet with pods waits for its scale-down deadline (no progress timeout meanwhile,
 * rollout/sync.go calculateRolloutConditions). Old: every ReplicaSet but the one of `currentHash`, when given.
 */
export function waitingForScaleDown(replicaSets: readonly ReplicaSetState[], currentHash?: string): boolean {
  for (const rs of replicaSets) {
    if (rs.podTemplateHash !== currentHash && rsSpecReplicas(rs) > 0 && scaleDownDeadline(rs) !== undefined) return true;
  }
  return false;
}

/**
 * newRolloutContext + getAllReplicaSetsAndSyncRevision (rollout/sync.go): find or create the new RS
 * (replicas 0), then sort the ReplicaSets into new, stable and others.
 */
export function syncNewReplicaSet(c: RolloutContext): void {
  const hash = c.state.templateHash;
  const existing = c.state.replicaSets.find((rs) => rs.podTemplateHash === hash);
  let newArgoRevision = 1;
  for (const rs of c.state.replicaSets) if (rs !== existing) newArgoRevision = Math.max(newArgoRevision, argoRevision(rs) + 1);
  const newRS = existing ? syncReplicaSetRevision(c, existing, newArgoRevision) : createReplicaSet(c, hash, newArgoRevision);
  c.newRS = newRS;
  c.rolloutRevision = argoRevision(newRS);
  const stableHash = c.ro.status.stableRS ?? '';
  c.stableRS =
    stableHash === '' ? undefined : stableHash === hash ? newRS : c.state.replicaSets.find((rs) => rs.podTemplateHash === stableHash);
  c.otherRSs = c.state.replicaSets.filter((rs) => rs !== existing && rs !== c.stableRS);
  c.allRSs = [...c.otherRSs, ...(c.stableRS && c.stableRS !== newRS ? [c.stableRS] : []), newRS];
}

/** rollout/replicaset.go createDesiredReplicaSet: the new RS with 0 replicas and a NewReplicaSetCreated condition. */
function createReplicaSet(c: RolloutContext, hash: string, newArgoRevision: number): ReplicaSetState {
  const revision = Math.max(0, ...c.state.replicaSets.map((rs) => rs.revision ?? 0)) + 1;
  const newRS: ReplicaSetState = {
    name: `${c.name}-${hash}`,
    podTemplateHash: hash,
    revision,
    specReplicas: 0,
    statusReplicas: 0,
    availableReplicas: 0,
    annotations: {
      [ARGO_KEYS.revisionAnnotation]: String(newArgoRevision),
      [ARGO_KEYS.desiredReplicasAnnotation]: String(c.n),
    },
  };
  c.created = newRS;
  c.actions.push({ kind: 'createReplicaSet', replicaSet: newRS.name, revision: newArgoRevision });
  c.readConditions = setCondition(c.readConditions, {
    type: 'Progressing',
    status: 'True',
    reason: CONDITIONS.newReplicaSetCreated,
    message: newReplicaSetMessage(newRS.name),
    lastUpdateTime: Math.floor(c.now),
    lastTransitionTime: Math.floor(c.now),
  }).conditions;
  return newRS;
}

/** rollout/sync.go syncReplicaSetRevision: an existing new RS gets the next revision when it is behind. */
function syncReplicaSetRevision(c: RolloutContext, existing: ReplicaSetState, newArgoRevision: number): ReplicaSetState {
  let newRS = existing;
  if (argoRevision(existing) < newArgoRevision) {
    // Moving back to an older template: its ReplicaSet gets the next revision number.
    newRS = c.annotate(existing, ARGO_KEYS.revisionAnnotation, String(newArgoRevision));
  }
  if (!findCondition(c.readConditions, 'Progressing')) {
    // No progress estimate yet: it starts now (syncReplicaSetRevision).
    c.readConditions = [
      ...c.readConditions,
      {
        type: 'Progressing',
        status: 'True',
        reason: CONDITIONS.foundNewReplicaSet,
        message: foundNewReplicaSetMessage(newRS.name),
        lastUpdateTime: Math.floor(c.now),
        lastTransitionTime: Math.floor(c.now),
      },
    ];
  }
  return newRS;
}

/**
 * `scaleReplicaSetAndRecordEvent`: writes the count and the desired-replicas annotation. An
 * annotation-only update (count unchanged) is written but does not count as "scaled".
 */
export function scaleReplicaSet(c: RolloutContext, rs: ReplicaSetState, target: number): boolean {
  const cur = c.current(rs);
  const from = rsSpecReplicas(cur);
  const annotationStale = cur.annotations?.[ARGO_KEYS.desiredReplicasAnnotation] !== String(c.n);
  if (from === target && !annotationStale) return false;
  let annotations: Record<string, string> = { ...(cur.annotations ?? {}), [ARGO_KEYS.desiredReplicasAnnotation]: String(c.n) };
  if (target === 0 && !shouldDelayScaleDownOnAbort(c)) {
    annotations = withoutKey(annotations, ARGO_KEYS.scaleDownDeadlineAnnotation);
  }
  c.write({ ...cur, specReplicas: target, annotations });
  if (from === target) {
    c.actions.push({
      kind: 'annotateReplicaSet',
      replicaSet: rs.name,
      key: ARGO_KEYS.desiredReplicasAnnotation,
      value: String(c.n),
    });
    return false;
  }
  c.actions.push({ kind: 'scaleReplicaSet', replicaSet: rs.name, from, to: target });
  c.event('ScalingReplicaSet', `Scaled ${from < target ? 'up' : 'down'} ReplicaSet ${rs.name} from ${from} to ${target}`);
  return true;
}

/** rollout/replicaset.go reconcileRevisionHistoryLimit: delete the oldest scaled-down old ReplicaSets beyond the limit. */
export function reconcileRevisionHistoryLimit(c: RolloutContext): void {
  const limit = c.ro.spec.revisionHistoryLimit ?? ARGO_DEFAULTS.revisionHistoryLimit;
  const diff = c.otherRSs.length - limit;
  if (diff <= 0) return;
  const oldestFirst = [...c.otherRSs].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
  for (const rs of oldestFirst.slice(0, diff)) {
    if ((rs.statusReplicas ?? 0) !== 0 || rsSpecReplicas(rs) !== 0) continue;
    (c.deleted ??= new Set()).add(rs.name);
    c.actions.push({ kind: 'deleteReplicaSet', replicaSet: rs.name });
  }
}

/** rollout/replicaset.go shouldDelayScaleDownOnAbort. */
export function shouldDelayScaleDownOnAbort(c: RolloutContext): boolean {
  if (!c.pause.isAborted() || !c.stableRS || !c.trafficRouted) return false;
  const { delaySeconds, wasSet } = getAbortScaleDownDelaySecondsOrDefault(c.ro.spec);
  if (delaySeconds === undefined) return false;
  return !(c.canary.dynamicStableScale && !wasSet);
}

/** The canary and stable counts for `weights` (utils/replicaset/canary.go, traffic-routed or basic). */
export function desiredCounts(c: RolloutContext, weights: TrafficWeights | undefined): { canaryReplicas: number; stableReplicas: number } {
  return c.trafficRouted
    ? calculateReplicaCountsForTrafficRoutedCanary(c.ro, c.newRS, c.stableRS, weights)
    : calculateReplicaCountsForBasicCanary(c.ro, c.newRS, c.stableRS, c.otherRSs);
}

/** rollout/canary.go reconcileCanaryReplicaSets: the scale-down deadlines of the new and stable RS are dropped. */
export function removeScaleDownDeadlines(c: RolloutContext): void {
  const targets: ReplicaSetState[] = [];
  if (!shouldDelayScaleDownOnAbort(c)) targets.push(c.newRS);
  if (c.stableRS && (targets.length === 0 || c.stableRS.name !== c.newRS.name)) targets.push(c.stableRS);
  for (const rs of targets) {
    if (c.current(rs).annotations?.[ARGO_KEYS.scaleDownDeadlineAnnotation] !== undefined) {
      c.annotate(rs, ARGO_KEYS.scaleDownDeadlineAnnotation, undefined);
    }
  }
}

/** rollout/replicaset.go reconcileNewReplicaSet, with the abort scale-down delay (shouldDelayScaleDownOnAbort). */
export function reconcileNewReplicaSet(c: RolloutContext): boolean {
  let target = desiredCounts(c, c.weights).canaryReplicas;
  if (shouldDelayScaleDownOnAbort(c)) {
    const deadline = scaleDownDeadline(c.newRS);
    if (deadline !== undefined) {
      if (!deadlinePassed(deadline, c.now)) {
        const remaining = deadline - c.now;
        if (remaining < ARGO_DEFAULTS.rolloutResyncSeconds) {
          c.requeue.push(deadline);
          return false;
        }
        // Quirk: more than a resync period left falls through to the computed count.
      } else {
        target = 0;
      }
    } else {
      const delay = getAbortScaleDownDelaySecondsOrDefault(c.ro.spec).delaySeconds as number;
      if ((c.stableRS as ReplicaSetState).availableReplicas === c.n) {
        c.annotate(c.newRS, ARGO_KEYS.scaleDownDeadlineAnnotation, formatTimestamp(c.now + delay));
        c.requeue.push(Math.floor(c.now + delay));
      }
      return false;
    }
  }
  const before = rsSpecReplicas(c.current(c.newRS));
  const scaled = scaleReplicaSet(c, c.newRS, target);
  scaleWorkload(
    c,
    progressiveScaleDownTarget({
      workload: c.workload,
      revision: c.rolloutRevision,
      previousPhase: c.ro.status.phase,
      specReplicas: c.ro.spec.replicas,
      readyReplicas: c.ro.status.readyReplicas ?? 0,
      newRSReplicasBefore: before,
      newRSReplicasAfter: target,
    }),
  );
  return scaled;
}

/** rollout/scale_utils.go scaleDeployment: writes the workloadRef Deployment's replicas when they differ. */
export function scaleWorkload(c: RolloutContext, target: number | undefined): void {
  const workload = c.workload;
  if (target === undefined || !workload) return;
  const to = Math.max(0, target);
  if (to === workload.replicas) return;
  c.workload = { ...workload, replicas: to };
  c.actions.push({ kind: 'scaleWorkload', workload: `${workload.kind}/${workload.name}`, from: workload.replicas, to });
  c.event('ScalingWorkload', `Scaled ${workload.kind} ${workload.name} from ${workload.replicas} to ${to}`);
}

/** rollout/replicaset.go isReplicaSetReferenced: status hashes, applied weights, live Service selectors, DR subsets. */
function isReplicaSetReferenced(c: RolloutContext, rs: ReplicaSetState): boolean {
  const hash = rs.podTemplateHash;
  const status = c.ro.status;
  const weights = status.canary?.weights;
  const referenced = [
    status.stableRS,
    status.currentPodHash,
    weights?.canary.podTemplateHash,
    weights?.stable.podTemplateHash,
    ...(weights?.additional ?? []).map((d) => d.podTemplateHash),
    ...Object.values(c.services).map(selectedHash),
    ...(c.destinationRule?.spec.subsets ?? []).map((s) => s.labels?.[ARGO_KEYS.podTemplateHashLabel]),
  ];
  return referenced.some((h) => h !== undefined && h !== '' && h === hash);
}

/** rollout/replicaset.go reconcileOtherReplicaSets + rollout/canary.go scaleDownOldReplicaSetsForCanary. */
export function reconcileOtherReplicaSets(c: RolloutContext): boolean {
  const active = c.otherRSs.filter((rs) => rsSpecReplicas(rs) > 0);
  if (active.length === 0) return false;
  let scaledDown = cleanupUnhealthyReplicas(c, active);
  const availableAll = c.allRSs.reduce((sum, rs) => sum + rs.availableReplicas, 0);
  let maxScaleDown = availableAll - (c.n - maxUnavailable(c.ro));
  if (maxScaleDown <= 0) return scaledDown > 0;
  const newestFirst = [...active].sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0));
  let annotated = 0;
  for (const rs of newestFirst) {
    if (c.trafficRouted && isReplicaSetReferenced(c, rs)) continue;
    if (maxScaleDown <= 0) break;
    const cur = c.current(rs);
    const spec = rsSpecReplicas(cur);
    if (spec === 0) continue;
    let target: number;
    if (!c.trafficRouted) {
      target = Math.max(0, spec - maxScaleDown);
    } else if (isFullyPromoted(c.ro) || scaleDownDeadline(cur) !== undefined) {
      if (c.canary.dynamicStableScale) {
        target = 0;
      } else {
        [annotated, target] = scaleDownDelayHelper(c, cur, annotated);
      }
    } else {
      // An intermediate RS of an interrupted update (V1 -> V2 -> V3): scaled down without delay.
      target = 0;
    }
    if (target === spec) continue;
    if (scaleReplicaSet(c, cur, target)) {
      maxScaleDown -= spec - target;
      scaledDown += spec - target;
    }
  }
  return scaledDown > 0;
}

/** rollout/replicaset.go cleanupUnhealthyReplicas: oldest first, drop pods that are not available; the pods scaled down. */
function cleanupUnhealthyReplicas(c: RolloutContext, active: readonly ReplicaSetState[]): number {
  let scaledDown = 0;
  const byAge = [...active].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
  for (const rs of byAge) {
    const spec = rsSpecReplicas(c.current(rs));
    if (spec === rs.availableReplicas) continue;
    if (scaleReplicaSet(c, rs, rs.availableReplicas)) scaledDown += spec - rs.availableReplicas;
  }
  return scaledDown;
}

/** rollout/replicaset.go scaleDownDelayHelper: annotate a deadline, keep the RS until it passes (or over the limit). */
function scaleDownDelayHelper(c: RolloutContext, rs: ReplicaSetState, annotated: number): [number, number] {
  const limit = c.canary.scaleDownDelayRevisionLimit ?? Number.MAX_SAFE_INTEGER;
  const deadline = scaleDownDeadline(rs);
  const spec = rsSpecReplicas(rs);
  if (deadline === undefined && spec > 0) {
    if (annotated < limit) {
      const delay = getScaleDownDelaySecondsOrDefault(c.ro.spec);
      if (delay > 0) {
        c.annotate(rs, ARGO_KEYS.scaleDownDeadlineAnnotation, formatTimestamp(c.now + delay));
        c.requeue.push(Math.floor(c.now + delay));
      }
      return [annotated + 1, spec];
    }
    return [annotated, 0];
  }
  if (deadline !== undefined) {
    const count = annotated + 1;
    if (count > limit) return [count, 0];
    if (!deadlinePassed(deadline, c.now)) {
      if (deadline - c.now < ARGO_DEFAULTS.rolloutResyncSeconds) c.requeue.push(deadline);
      // Keeps the replicas it has until the deadline (the canary path passes the RS's own count
      // as the helper's "rolloutReplicas"; argo-rollouts#1822).
      return [count, spec];
    }
    return [count, 0];
  }
  return [annotated, 0];
}
