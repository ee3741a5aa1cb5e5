import { getCanaryStableServices, getHost, getHttpRouteIndexesToPatch, type VsRoute } from './istio';
import { argoPauseSeconds } from '../model/pause-duration';
import type { RolloutModel } from '../model/manifests';
import type { PlanRow } from './plan-result';
import { trafficRoutedCanaryCount } from './replica-counts';
import { getMaxTrafficWeight, getReplicasOrDefault } from './rollout-defaults';
import { canaryStepString, getCanaryReplicasOrWeight, getCurrentSetWeight } from './steps';
import type { CanaryStep, RolloutState } from './types';

/**
 * The happy-path plan computed straight from the Argo formulas, for the Rollouts where the
 * controller's path is known in closed form: Istio host-level traffic routing (one VirtualService,
 * canary and stable Services), no dynamicStableScale, steps among setWeight / pause /
 * setCanaryScale. There the stable ReplicaSet keeps spec.replicas pods until the promotion, the
 * canary ReplicaSet is sized by `calculateReplicaCountsForTrafficRoutedCanary` at each step, and a
 * step completes once the canary is at that size with the step's weight applied to the route (0
 * while the canary has no pod).
 *
 * Any other Rollout gets `undefined` (the caller replays the simulation). The equality with the
 * simulation-based plan is a property test over random Rollouts (test/runtime/plan-formulas.test.ts).
 */

/** A plan row without the fields the caller formats. */
export type FormulaRow = Omit<PlanRow, 'pause'>;

/** Placeholder pod hashes: only their being distinct matters to the formulas. */
const STABLE_HASH = 'stable';
const CANARY_HASH = 'canary';

/** Rows of the happy path for `replicas`, or `undefined` when the Rollout is outside the closed-form domain. */
export function planByFormulas(model: RolloutModel, replicas: number): FormulaRow[] | undefined {
  return formulaPlanner(model)?.(replicas);
}

/**
 * The closed-form plan of one model at any replica count: what does not depend on the count (the
 * domain check, the step labels) is worked out once, so planning at several counts (an HPA's min
 * and max) pays for it once. `undefined` when the model is outside the closed-form domain; the
 * function it returns gives `undefined` for a count outside it (not a whole number of at least 1).
 */
export function formulaPlanner(model: RolloutModel): ((replicas: number) => FormulaRow[] | undefined) | undefined {
  if (!modelInClosedFormDomain(model)) return undefined;
  const steps = model.spec.strategy.canary?.steps ?? [];
  const actions = steps.map(canaryStepString);
  // What calculateReplicaCountsForTrafficRoutedCanary reads of each step does not depend on the
  // replica count (the setCanaryScale or weight in force, and the setWeight): read it once.
  const countFree = { ...model.spec, paused: undefined };
  const perStep = steps.map((_, i) => {
    const rollout = stepState(countFree, i);
    return { replicasOrWeight: getCanaryReplicasOrWeight(rollout), setWeight: getCurrentSetWeight(rollout) };
  });
  return (replicas) => {
    if (!Number.isInteger(replicas) || replicas < 1) return undefined;
    const spec = { ...model.spec, replicas, paused: undefined };
    const maxWeight = getMaxTrafficWeight(spec);
    const n = getReplicasOrDefault(spec.replicas);
    const rollout = stepState(spec, 0);
    const rows: FormulaRow[] = [];
    let canaryBefore = 0;
    for (let i = 0; i < steps.length; i++) {
      // calculateReplicaCountsForTrafficRoutedCanary without dynamicStableScale (outside the domain).
      const canaryReplicas = trafficRoutedCanaryCount(rollout, n, maxWeight, perStep[i].replicasOrWeight);
      // No canary pod available: the controller routes nothing to the canary.
      const weight = canaryReplicas === 0 ? 0 : perStep[i].setWeight;
      rows.push({
        step: i,
        action: actions[i],
        canaryWeight: weight,
        stableWeight: maxWeight - weight,
        canaryReplicas,
        stableReplicas: replicas,
        totalPods: canaryReplicas + replicas,
        podsAdded: Math.max(0, canaryReplicas - canaryBefore),
      });
      canaryBefore = canaryReplicas;
    }
    return rows;
  };
}

/** The Rollout mid-update at step `index`: the stable and the canary ReplicaSets differ. */
function stepState(spec: RolloutState['spec'], index: number): RolloutState {
  return { spec, status: { stableRS: STABLE_HASH, currentPodHash: CANARY_HASH, currentStepIndex: index } };
}

/**
 * Whether every input the closed form assumes holds, apart from the replica count (anything
 * unusual goes to the simulation).
 */
function modelInClosedFormDomain(model: RolloutModel): boolean {
  const spec = model.spec;
  const canary = spec.strategy.canary;
  if (!canary) return false;
  const routing = canary.trafficRouting;
  if (!routing?.istio || routing.maxTrafficWeight !== undefined || (routing.managedRoutes?.length ?? 0) > 0) return false;
  if (routing.istio.destinationRule || model.destinationRule) return false;
  if (canary.dynamicStableScale || canary.pingPong || canary.analysis || canary.replicaProgressThreshold) return false;
  if (spec.progressDeadlineAbort || spec.rollbackWindow) return false;
  if (!canary.canaryService || !canary.stableService || !model.services.canary || !model.services.stable) return false;
  if (!(canary.steps ?? []).every(simpleStep)) return false;
  if (model.virtualServices.length !== 1) return false;
  return simpleVirtualService(model, model.virtualServices[0].ref.routes ?? [], model.virtualServices[0].spec);
}

/** A setWeight (0..100), pause (valid duration) or setCanaryScale step, and nothing else. */
function simpleStep(step: CanaryStep): boolean {
  let fields = 0;
  for (const k of Object.keys(step)) if ((step as Record<string, unknown>)[k] !== undefined) fields += 1;
  if (fields !== 1) return false;
  if (step.setWeight !== undefined) return Number.isInteger(step.setWeight) && step.setWeight >= 0 && step.setWeight <= 100;
  if (step.pause) {
    return step.pause.duration === undefined || argoPauseSeconds(step.pause.duration) !== undefined;
  }
  const scale = step.setCanaryScale;
  if (!scale) return false;
  const set = [scale.replicas, scale.weight, scale.matchTrafficWeight].filter((v) => v !== undefined);
  if (set.length !== 1) return false;
  if (scale.replicas !== undefined) return Number.isInteger(scale.replicas) && scale.replicas >= 0;
  if (scale.weight !== undefined) return Number.isInteger(scale.weight) && scale.weight >= 0 && scale.weight <= 100;
  return scale.matchTrafficWeight === true;
}

/**
 * Only http routes; the referenced routes (or the only one) resolve, carry no mirror and split
 * between exactly the stable and the canary Service (one destination each, no subset).
 */
function simpleVirtualService(model: RolloutModel, names: readonly string[], spec: Readonly<Record<string, unknown>>): boolean {
  if (spec['tls'] !== undefined || spec['tcp'] !== undefined) return false;
  const http = spec['http'];
  if (!Array.isArray(http) || http.length === 0) return false;
  if (names.length === 0 && http.length !== 1) return false;
  const { indexes, error } = getHttpRouteIndexesToPatch(names, http as VsRoute[]);
  if (error !== undefined || indexes.length === 0) return false;
  const { canaryService, stableService } = getCanaryStableServices({ spec: model.spec, status: {} });
  if (canaryService === stableService) return false;
  return indexes.every((index) => {
    const route = (http as VsRoute[])[index];
    if (route.mirror !== undefined) return false;
    const destinations = route.route ?? [];
    if (destinations.length !== 2 || destinations.some((d) => d.destination?.subset !== undefined)) return false;
    // The two hosts are the two (distinct) Services, in either order.
    const first = getHost(destinations[0]);
    const second = getHost(destinations[1]);
    return (first === canaryService && second === stableService) || (first === stableService && second === canaryService);
  });
}
