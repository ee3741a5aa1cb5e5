/**
 * Traffic routing of one tick (rollout/trafficrouting.go reconcileTrafficRouting, with the Istio
 * reconciler of istio.ts): functions over the tick's {@link RolloutContext}.
 */
import { getCanaryStableServices, removeManagedRoutes as removeIstioManagedRoutes, setWeight, updateHash, type VirtualServiceObject } from './istio';
import { applyManagedRouteStep } from './managed-routes';
import { isFullyPromoted } from './phase';
import { storedIfSame } from './plain-equal';
import { atDesiredReplicaCountsForCanary } from './replica-counts';
import type { Mutable, RolloutContext } from './reconcile-context';
import { ensureServiceTarget } from './reconcile-services';
import { getCurrentCanaryStep, getCurrentSetWeight } from './steps';
import { calculateDesiredWeightOnAbortOrStableRollback, checkReplicasAvailable, isDynamicallyRollingBackToStable } from './traffic-helpers';
import type { CanaryStep, TrafficWeights, WeightDestination } from './types';

/** rollout/trafficrouting.go reconcileTrafficRouting: returns an error text when the tick fails. */
export function reconcileTrafficRouting(c: RolloutContext): string | undefined {
  if (!c.trafficRouted) {
    c.weights = undefined;
    return undefined;
  }
  const stableHash = c.stableRS?.podTemplateHash ?? '';
  const extra: WeightDestination[] = [];
  const current = getCurrentCanaryStep(c.ro);
  const rollingBack = isDynamicallyRollingBackToStable(c.ro, c.newRS);
  const { desired, canaryHash } = desiredCanaryWeight(c, rollingBack, current.index);

  // The stable-capacity gate: nothing changes while the stable cannot carry its share.
  if (!checkReplicasAvailable(c.ro, c.stableRS, c.maxW - desired)) return undefined;

  const routeError = applyManagedRouteSteps(c, current.step);
  if (routeError) return routeError;
  if (c.newRS.availableReplicas === 0 && (c.ro.status.canary?.weights?.canary.weight ?? 0) > 0) {
    // v1.9: move the weight off the canary before re-pointing subsets (argo-rollouts PR #4564).
    const err = routerSetWeight(c, desired, extra);
    if (err) return err;
  }
  const hashError = routerUpdateHash(c, canaryHash, stableHash, extra, rollingBack);
  if (hashError) return hashError;
  const err = routerSetWeight(c, desired, extra);
  if (err) return err;
  c.weights = trafficWeights(c, desired, canaryHash, stableHash, extra);
  return undefined;
}

/**
 * The canary weight the tick routes (the branches of reconcileTrafficRouting before the gate),
 * and the hash the canary weight points at. Managed routes are removed, and on abort the canary
 * Service re-pointed, as in the Go branches.
 */
function desiredCanaryWeight(c: RolloutContext, rollingBack: boolean, index: number | undefined): { desired: number; canaryHash: string } {
  const status = c.ro.status;
  const newRS = c.newRS;
  if (rollingBack) {
    const desired = calculateDesiredWeightOnAbortOrStableRollback(c.ro, newRS, c.stableRS);
    return { desired, canaryHash: status.canary?.weights?.canary.podTemplateHash ?? newRS.podTemplateHash };
  }
  let desired: number;
  if (isFullyPromoted(c.ro)) {
    removeManagedRoutes(c);
    desired = 0;
  } else if (c.pause.isAborted()) {
    desired = calculateDesiredWeightOnAbortOrStableRollback(c.ro, newRS, c.stableRS);
    if (!c.canary.dynamicStableScale || desired === 0) {
      // spec.strategy.canary.canaryService only (a ping-pong pair is left alone).
      ensureServiceTarget(c, c.canary.canaryService, c.stableRS, false);
    }
    removeManagedRoutes(c);
  } else if (newRS.availableReplicas === 0) {
    desired = 0;
    removeManagedRoutes(c);
  } else if (status.promoteFull) {
    desired = c.canary.dynamicStableScale ? Math.floor((c.maxW * newRS.availableReplicas) / c.n) : (status.canary?.weights?.canary.weight ?? 0);
    removeManagedRoutes(c);
  } else if (index !== undefined) {
    desired = stepWeight(c, index);
  } else {
    desired = 0;
  }
  return { desired, canaryHash: newRS.podTemplateHash };
}

/** The weight at step `index`: the previous setWeight while the new RS is not ready for the current one. */
function stepWeight(c: RolloutContext, index: number): number {
  if (!atDesiredReplicaCountsForCanary(c.ro, c.newRS, c.stableRS, c.otherRSs, undefined)) {
    // The new RS is not ready for the current weight: keep the previous setWeight.
    const steps = c.canary.steps ?? [];
    for (let i = index - 1; i >= 0; i--) {
      const weight = steps[i].setWeight;
      if (weight !== undefined) return weight;
    }
    return 0;
  }
  return index !== c.steps ? getCurrentSetWeight(c.ro) : c.maxW;
}

/** The `status.canary.weights` the tick writes. */
function trafficWeights(
  c: RolloutContext,
  desired: number,
  canaryHash: string,
  stableHash: string,
  extra: readonly WeightDestination[],
): TrafficWeights {
  const { canaryService, stableService } = getCanaryStableServices(c.ro);
  const extraWeight = extra.reduce((sum, d) => sum + d.weight, 0);
  const canaryWeight: Mutable<WeightDestination> = { weight: desired, podTemplateHash: canaryHash };
  if (canaryService) canaryWeight.serviceName = canaryService;
  const stableWeight: Mutable<WeightDestination> = { weight: c.maxW - desired - extraWeight, podTemplateHash: stableHash };
  if (stableService) stableWeight.serviceName = stableService;
  // The stored objects while the weights stay the same (equal statuses then compare by reference).
  const stored = c.ro.status.canary?.weights;
  const canary = storedIfSame(stored?.canary, canaryWeight);
  const stable = storedIfSame(stored?.stable, stableWeight);
  return extra.length > 0 ? { canary, stable, additional: extra } : storedIfSame(stored, { canary, stable });
}

/** SetHeaderRoute / SetMirrorRoute of the current step on every VirtualService (not on the first revision). */
function applyManagedRouteSteps(c: RolloutContext, currentStep: CanaryStep | undefined): string | undefined {
  if (!currentStep || !(currentStep.setHeaderRoute || currentStep.setMirrorRoute) || c.rolloutRevision <= 1) return undefined;
  for (let i = 0; i < c.virtualServices.length; i++) {
    const vs = c.virtualServices[i];
    const result = applyManagedRouteStep(c.ro, vs.object, vs.ref, currentStep, c.destinationRule?.spec.host);
    if (result.error) return result.error;
    if (result.modified) c.writableVirtualServices()[i] = { ...vs, object: result.virtualService };
    const route = (currentStep.setHeaderRoute ?? currentStep.setMirrorRoute)?.name ?? '';
    c.actions.push({ kind: 'setManagedRoute', route, updated: result.modified ? [vs.ref.name] : [] });
  }
  return undefined;
}

/** UpdateHash is always called; without a DestinationRule the Istio reconciler does nothing. */
function routerUpdateHash(
  c: RolloutContext,
  canaryHash: string,
  stableHash: string,
  extra: readonly WeightDestination[],
  rollingBack: boolean,
): string | undefined {
  if (!c.destinationRule) {
    c.actions.push({ kind: 'updateHash', canary: canaryHash, stable: stableHash, modified: false });
    return undefined;
  }
  const result = updateHash(c.ro, c.destinationRule, canaryHash, stableHash, extra, c.state.replicaSets, rollingBack);
  c.actions.push({ kind: 'updateHash', canary: canaryHash, stable: stableHash, modified: result.modified });
  if (result.error) return result.error;
  c.destinationRule = result.destinationRule;
  return undefined;
}

/** The VirtualServices by name (as the Istio reconciler takes them). */
function vsMap(c: RolloutContext): Record<string, VirtualServiceObject> {
  const map: Record<string, VirtualServiceObject> = {};
  for (const vs of c.virtualServices) {
    // (Object.fromEntries semantics: a "__proto__" name is an own key, not the prototype.)
    if (vs.ref.name === '__proto__') return Object.fromEntries(c.virtualServices.map((v) => [v.ref.name, v.object]));
    map[vs.ref.name] = vs.object;
  }
  return map;
}

function storeVirtualServices(c: RolloutContext, objects: Readonly<Record<string, VirtualServiceObject>>, updated: readonly string[]): void {
  for (let i = 0; i < c.virtualServices.length; i++) {
    const vs = c.virtualServices[i];
    if (updated.includes(vs.ref.name)) c.writableVirtualServices()[i] = { ...vs, object: objects[vs.ref.name] };
  }
}

/** RemoveManagedRoutes on every VirtualService. */
function removeManagedRoutes(c: RolloutContext): void {
  const updated: string[] = [];
  for (let i = 0; i < c.virtualServices.length; i++) {
    const vs = c.virtualServices[i];
    const result = removeIstioManagedRoutes(c.ro, vs.object);
    if (result.modified) {
      c.writableVirtualServices()[i] = { ...vs, object: result.virtualService };
      updated.push(vs.ref.name);
    }
  }
  c.actions.push({ kind: 'removeManagedRoutes', updated });
}

/** The first destination weight outside 0..100 in any route of the VirtualService, if any. */
function outOfRangeWeight(vs: VirtualServiceObject | undefined): number | undefined {
  for (const kind of ['http', 'tls', 'tcp'] as const) {
    for (const route of vs?.spec[kind] ?? []) {
      for (const d of route.route ?? []) {
        const w = d.weight ?? 0;
        if (w < 0 || w > 100) return w;
      }
    }
  }
  return undefined;
}

/**
 * SetWeight on every VirtualService; returns the controller's error text, if any. A write whose
 * weights fall outside 0..100 is refused, as Istio's validation refuses it (the controller can
 * compute such weights: argo-rollouts#4424); the Rollout is then stuck on that error.
 */
function routerSetWeight(c: RolloutContext, weight: number, extra: readonly WeightDestination[]): string | undefined {
  const result = setWeight(c.ro, vsMap(c), weight, extra);
  const rejected = result.updated.map((name) => [name, outOfRangeWeight(result.virtualServices[name])] as const).find(([, w]) => w !== undefined);
  if (rejected) {
    c.actions.push({ kind: 'setWeight', weight, updated: [] });
    return `VirtualService ${rejected[0]}: update refused by Istio: route weight ${rejected[1]} is outside 0..100 (desired canary weight ${weight})`;
  }
  storeVirtualServices(c, result.virtualServices, result.updated);
  c.actions.push({ kind: 'setWeight', weight, updated: result.updated });
  return result.error;
}
