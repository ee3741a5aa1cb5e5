/**
 * The ported functions checked against Go: for each, a case generator, the Go arguments (the
 * harness's `args` JSON, see diff-argo/harness/main.go), the TypeScript answer in the JSON shape
 * the harness prints, and why a case is outside the valid domain (undefined = valid).
 */
import { maxSurge, maxUnavailable, resolveFenceposts } from '../../src/runtime/fenceposts';
import type { VirtualServiceObject, VsRoute, VsRouteDestination } from '../../src/runtime/istio';
import { calculateRolloutPhase, getRolloutPhase, isFullyPromoted, shouldVerifyWeight } from '../../src/runtime/phase';
import {
  allDesiredAreAvailable,
  approximateWeightedCanaryStableReplicaCounts,
  atDesiredReplicaCountsForCanary,
  calculateReplicaCountsForBasicCanary,
  calculateReplicaCountsForTrafficRoutedCanary,
  checkMinPodsPerReplicaSet,
  checkStableRSExists,
  getReplicasForScaleDown,
  replicaProgressThresholdMet,
  trafficWeightToReplicas,
} from '../../src/runtime/replica-counts';
import { getMaxSurgeOrDefault, getMaxTrafficWeight, getMaxUnavailableOrDefault, getProgressDeadlineSecondsOrDefault, getRevisionHistoryLimitOrDefault } from '../../src/runtime/rollout-defaults';
import {
  beforeStartingStep,
  canaryStepString,
  getCanaryReplicasOrWeight,
  getCurrentCanaryStep,
  getCurrentExperimentStep,
  getCurrentSetWeight,
  getDesiredCanaryWeight,
  useSetCanaryScale,
} from '../../src/runtime/steps';
import { calculateDesiredWeightOnAbortOrStableRollback, checkReplicasAvailable, isDynamicallyRollingBackToStable, shouldDelayDestinationRuleUpdate } from '../../src/runtime/traffic-helpers';
import type { CanaryStep, IstioDestinationRuleRef, IstioVirtualServiceRef, ReplicaProgressThreshold, ReplicaSetState, RolloutState, TrafficWeights, WeightDestination } from '../../src/runtime/types';
import { genReplicaSet, genRollout, goReplicaSet, goRollout, INT32_MAX, replicaSetOutside, rolloutOutside } from './inputs';
import { Random } from './random';

/** The arguments of one case, in TypeScript types (the harness gets the Go form). */
export interface Args {
  ro?: RolloutState;
  newRS?: ReplicaSetState;
  stableRS?: ReplicaSetState;
  rs?: ReplicaSetState;
  others?: ReplicaSetState[];
  replicaSets?: ReplicaSetState[];
  weights?: TrafficWeights;
  threshold?: ReplicaProgressThreshold;
  step?: CanaryStep;
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  n?: number;
  weight?: number;
  max?: number;
  surge?: number;
  desired?: number;
  ignore?: boolean;
  canaryHash?: string;
  stableHash?: string;
  routeNames?: string[];
  httpRoutes?: VsRoute[];
  tlsRefs?: { port?: number; sniHosts?: string[] }[];
  tlsRoutes?: VsRoute[];
  tcpRefs?: { port?: number }[];
  tcpRoutes?: VsRoute[];
  destinations?: VsRouteDestination[];
  stableSvc?: string;
  canarySvc?: string;
  destinationRule?: IstioDestinationRuleRef;
  vs?: VirtualServiceObject;
  vsRef?: IstioVirtualServiceRef;
  additional?: WeightDestination[];
}

export interface FunctionSpec {
  readonly name: string;
  generate(r: Random): Args;
  ts(a: Args): unknown;
  /** Why the case is outside the valid domain; undefined when valid. */
  outside?(a: Args): string | undefined;
}

/** The harness's `args` JSON for a case. */
export function goArgs(a: Args): Record<string, unknown> {
  const { ro, newRS, stableRS, rs, others, replicaSets, ...rest } = a;
  const out: Record<string, unknown> = { ...rest };
  if (ro) out['ro'] = goRollout(ro);
  if ('newRS' in a) out['newRS'] = goReplicaSet(newRS);
  if ('stableRS' in a) out['stableRS'] = goReplicaSet(stableRS);
  if ('rs' in a) out['rs'] = goReplicaSet(rs);
  if (others) out['others'] = others.map(goReplicaSet);
  if (replicaSets) out['replicaSets'] = replicaSets.map(goReplicaSet);
  return out;
}

/** Shared outside-domain reasons: the Rollout, every ReplicaSet, and int32 ranges. */
function commonOutside(a: Args): string | undefined {
  if (a.ro) {
    const reason = rolloutOutside(a.ro);
    if (reason) return reason;
  }
  for (const rs of [a.newRS, a.stableRS, a.rs, ...(a.others ?? []), ...(a.replicaSets ?? [])]) {
    const reason = replicaSetOutside(rs);
    if (reason) return reason;
  }
  if (a.max !== undefined && a.max <= 0) return `max-weight-0: maxWeight ${a.max} (Go divides by it)`;
  const maxW = a.ro?.spec.strategy.canary?.trafficRouting?.maxTrafficWeight ?? 100;
  if (a.weights && Math.max(a.weights.canary.weight, a.weights.stable.weight) > maxW) return `set-weight-range: weights argument above maxTrafficWeight ${maxW} (int32 products wrap)`;
  const n = a.n ?? a.desired ?? 0;
  if (n * Math.max(a.max ?? 100, a.weight ?? 0) > INT32_MAX) return `int32-wrap: ${n} replicas times weight ${Math.max(a.max ?? 100, a.weight ?? 0)} overflows int32`;
  return undefined;
}

const pair = (c: { canaryReplicas: number; stableReplicas: number }) => [c.canaryReplicas, c.stableReplicas];
const ro = (r: Random) => ({ ro: genRollout(r) });
const roRoutes = (r: Random) => ({ ro: genRollout(r, { trafficRouting: true }) });
/** A Rollout with its new and stable ReplicaSets (sometimes missing, sometimes the same). */
function roWithSets(r: Random, routed?: boolean): Args {
  const rollout = genRollout(r, { trafficRouting: routed });
  const newHash = rollout.status.currentPodHash || 'B';
  const stableHash = rollout.status.stableRS || 'A';
  const newRS = r.chance(0.93) ? genReplicaSet(r, newHash) : undefined;
  const stableRS = r.chance(0.1) ? newRS : r.chance(0.92) ? genReplicaSet(r, stableHash) : undefined;
  return { ro: rollout, newRS, stableRS };
}
const tryTs = (fn: () => unknown): unknown => {
  try {
    return fn();
  } catch (err) {
    return { tsThrew: (err as Error).message };
  }
};
const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);
const indexes = (result: { indexes: readonly number[]; error?: string }) => ({ indexes: result.indexes.length > 0 ? result.indexes : null, error: orNull(result.error) });

const FENCEPOSTS: FunctionSpec[] = [
  {
    name: 'resolveFenceposts',
    generate: (r) => ({ maxSurge: r.maybe(0.9, () => r.intOrPercent()), maxUnavailable: r.maybe(0.9, () => r.intOrPercent()), desired: r.replicas() }),
    ts: (a) => {
      const f = resolveFenceposts(a.maxSurge, a.maxUnavailable, a.desired ?? 0);
      return { surge: f.surge, unavailable: f.unavailable, error: f.error !== undefined };
    },
    outside: (a) => commonOutside(a) ?? (typeof a.maxSurge === 'string' && !/^\d+%?$/.test(a.maxSurge) ? 'intstr-format: maxSurge not an integer percent' : undefined) ?? (typeof a.maxUnavailable === 'string' && !/^\d+%?$/.test(a.maxUnavailable) ? 'intstr-format: maxUnavailable not an integer percent' : undefined),
  },
  { name: 'maxSurge', generate: ro, ts: (a) => maxSurge(a.ro!) },
  { name: 'maxUnavailable', generate: (r) => ({ ro: genRollout(r, { blueGreen: r.chance(0.3) }) }), ts: (a) => maxUnavailable(a.ro!) },
  { name: 'getMaxTrafficWeight', generate: ro, ts: (a) => getMaxTrafficWeight(a.ro!.spec) },
  { name: 'getMaxSurgeOrDefault', generate: ro, ts: (a) => getMaxSurgeOrDefault(a.ro!.spec) },
  { name: 'getMaxUnavailableOrDefault', generate: (r) => ({ ro: genRollout(r, { blueGreen: r.chance(0.3) }) }), ts: (a) => getMaxUnavailableOrDefault(a.ro!.spec) },
  {
    name: 'getRevisionHistoryLimitOrDefault',
    generate: (r) => {
      const rollout = genRollout(r);
      return { ro: { ...rollout, spec: { ...rollout.spec, revisionHistoryLimit: r.maybe(0.5, () => r.int(0, 20)) } } };
    },
    ts: (a) => getRevisionHistoryLimitOrDefault(a.ro!.spec),
  },
  {
    name: 'getProgressDeadlineSecondsOrDefault',
    generate: (r) => {
      const rollout = genRollout(r);
      return { ro: { ...rollout, spec: { ...rollout.spec, progressDeadlineSeconds: r.maybe(0.5, () => r.int(0, 3600)) } } };
    },
    ts: (a) => getProgressDeadlineSecondsOrDefault(a.ro!.spec),
  },
];

const STEPS: FunctionSpec[] = [
  {
    name: 'getCurrentCanaryStep',
    generate: ro,
    ts: (a) => {
      const { step, index } = getCurrentCanaryStep(a.ro!);
      return { step: step === undefined ? null : canaryStepString(step), index: orNull(index) };
    },
  },
  { name: 'getCurrentSetWeight', generate: ro, ts: (a) => getCurrentSetWeight(a.ro!) },
  {
    name: 'useSetCanaryScale',
    generate: ro,
    ts: (a) => {
      const scale = useSetCanaryScale(a.ro!);
      if (!scale) return null;
      return JSON.parse(JSON.stringify({ weight: scale.weight, replicas: scale.replicas, matchTrafficWeight: scale.matchTrafficWeight || undefined }));
    },
  },
  {
    name: 'getCanaryReplicasOrWeight',
    generate: (r) => roWithSets(r),
    ts: (a) => {
      const result = getCanaryReplicasOrWeight(a.ro!, a.newRS, a.stableRS);
      return { replicas: orNull(result.replicas), weight: result.weight };
    },
  },
  { name: 'getDesiredCanaryWeight', generate: (r) => roWithSets(r, true), ts: (a) => getDesiredCanaryWeight(a.ro!, a.newRS, a.stableRS) },
  { name: 'beforeStartingStep', generate: ro, ts: (a) => beforeStartingStep(a.ro!) },
  {
    name: 'getCurrentExperimentStep',
    generate: ro,
    ts: (a) => {
      const step = getCurrentExperimentStep(a.ro!);
      if (!step) return null;
      return ((step['templates'] as { name: string }[] | undefined) ?? []).map((t) => t.name);
    },
  },
  {
    name: 'canaryStepString',
    generate: (r) => {
      const steps = genRollout(r).spec.strategy.canary?.steps ?? [];
      return { step: steps[0] ?? r.pick<CanaryStep>([{ plugin: { name: 'p' }, setMirrorRoute: { name: 'm' } }, { pause: { duration: '1h30m' } }, {}]) };
    },
    ts: (a) => canaryStepString(a.step!),
  },
];

function genCounts(r: Random): Args {
  return { n: r.replicas(), weight: r.weight(r.pick([100, 1000, 10])), max: r.pick([100, 100, 1000, 10, 1, 0]), surge: r.pick([0, 1, 2, r.int(0, 10)]) };
}

const REPLICA_COUNTS: FunctionSpec[] = [
  {
    name: 'trafficWeightToReplicas',
    generate: genCounts,
    ts: (a) => trafficWeightToReplicas(a.n!, a.weight!, a.max!),
    outside: (a) => commonOutside(a) ?? (a.weight! > a.max! ? 'set-weight-range: weight above maxWeight' : undefined),
  },
  {
    name: 'approximateWeightedCanaryStableReplicaCounts',
    generate: genCounts,
    ts: (a) => pair(approximateWeightedCanaryStableReplicaCounts(a.n!, a.weight!, a.max!, a.surge!)),
    outside: (a) => commonOutside(a) ?? (a.weight! > a.max! ? 'set-weight-range: weight above maxWeight' : undefined),
  },
  {
    name: 'calculateReplicaCountsForBasicCanary',
    generate: (r) => {
      const a = roWithSets(r, false);
      return { ...a, others: r.list(0, 2, () => genReplicaSet(r, 'C')) };
    },
    ts: (a) => pair(calculateReplicaCountsForBasicCanary(a.ro!, a.newRS, a.stableRS, a.others ?? [])),
  },
  {
    name: 'calculateReplicaCountsForTrafficRoutedCanary',
    generate: (r) => ({ ...roWithSets(r, true), weights: r.maybe(0.5, () => genRollout(r, { trafficRouting: true }).status.canary?.weights) }),
    ts: (a) => pair(calculateReplicaCountsForTrafficRoutedCanary(a.ro!, a.newRS, a.stableRS, a.weights)),
  },
  {
    name: 'atDesiredReplicaCountsForCanary',
    generate: (r) => {
      const a = roWithSets(r);
      return { ...a, others: r.list(0, 2, () => genReplicaSet(r, 'C')), weights: r.maybe(0.3, () => genRollout(r, { trafficRouting: true }).status.canary?.weights) };
    },
    ts: (a) => atDesiredReplicaCountsForCanary(a.ro!, a.newRS, a.stableRS, a.others ?? [], a.weights),
  },
  {
    name: 'allDesiredAreAvailable',
    generate: (r) => ({ rs: r.maybe(0.95, () => genReplicaSet(r)), desired: r.int(0, 12) }),
    ts: (a) => allDesiredAreAvailable(a.rs, a.desired!),
  },
  {
    name: 'replicaProgressThresholdMet',
    generate: (r) => ({
      threshold: r.maybe(0.9, () => ({ type: r.pick(['Percent', 'Pods', 'Percentage', 'percent', '']), value: r.int(-2, 120) })),
      rs: r.maybe(0.95, () => genReplicaSet(r)),
      desired: r.int(0, 14),
    }),
    ts: (a) => replicaProgressThresholdMet(a.threshold, a.rs, a.desired!),
  },
  {
    name: 'getReplicasForScaleDown',
    generate: (r) => ({ rs: r.maybe(0.95, () => genReplicaSet(r)), ignore: r.chance(0.5) }),
    ts: (a) => getReplicasForScaleDown(a.rs, a.ignore!),
  },
  { name: 'checkMinPodsPerReplicaSet', generate: (r) => ({ ...roRoutes(r), n: r.int(0, 12) }), ts: (a) => checkMinPodsPerReplicaSet(a.ro!, a.n!) },
  { name: 'checkStableRSExists', generate: (r) => roWithSets(r), ts: (a) => checkStableRSExists(a.newRS, a.stableRS) },
];

const TRAFFIC: FunctionSpec[] = [
  {
    name: 'checkReplicasAvailable',
    generate: (r) => ({ ...roRoutes(r), rs: r.maybe(0.95, () => genReplicaSet(r)), weight: r.weight(100) }),
    ts: (a) => checkReplicasAvailable(a.ro!, a.rs, a.weight!),
    // The weight argument times spec.replicas is an int32 product in Go too.
    outside: (a) => commonOutside(a) ?? ((a.ro!.spec.replicas ?? 1) * a.weight! > INT32_MAX ? 'int32-wrap: weight * spec.replicas overflows int32' : undefined),
  },
  {
    name: 'isDynamicallyRollingBackToStable',
    generate: (r) => {
      const rollout = genRollout(r, { trafficRouting: true });
      return { ro: rollout, newRS: genReplicaSet(r, rollout.status.currentPodHash || 'A') };
    },
    ts: (a) => isDynamicallyRollingBackToStable(a.ro!, a.newRS),
  },
  {
    name: 'shouldDelayDestinationRuleUpdate',
    generate: (r) => ({
      ro: genRollout(r, { trafficRouting: true }),
      replicaSets: r.list(0, 3, (i) => genReplicaSet(r, ['A', 'B', 'C'][i])),
      canaryHash: r.pick(['A', 'B', '']),
      stableHash: r.pick(['A', 'B', '']),
    }),
    ts: (a) => {
      // Go derives the rolling-back flag itself (utils/rollout AbortOrDynamicRollbackToStable).
      const stableRS = (a.replicaSets ?? []).find((rs) => rs.podTemplateHash === a.stableHash);
      const rollingBack = stableRS !== undefined && isDynamicallyRollingBackToStable(a.ro!, stableRS);
      const result = shouldDelayDestinationRuleUpdate(a.ro!, a.canaryHash!, a.stableHash!, a.replicaSets ?? [], rollingBack);
      return { delay: result.delay, rsName: result.rsName };
    },
  },
  {
    name: 'calculateDesiredWeightOnAbortOrStableRollback',
    generate: (r) => roWithSets(r, true),
    ts: (a) => calculateDesiredWeightOnAbortOrStableRollback(a.ro!, a.newRS, a.stableRS),
  },
];

const PHASE: FunctionSpec[] = [
  {
    name: 'calculateRolloutPhase',
    generate: (r) => ({ ro: genRollout(r, { blueGreen: r.chance(0.3) }) }),
    ts: (a) => calculateRolloutPhase(a.ro!.spec, a.ro!.status),
  },
  {
    name: 'getRolloutPhase',
    generate: (r) => ({ ro: genRollout(r, { blueGreen: r.chance(0.3) }) }),
    ts: (a) => getRolloutPhase(a.ro!),
  },
  { name: 'isFullyPromoted', generate: ro, ts: (a) => isFullyPromoted(a.ro!) },
  { name: 'shouldVerifyWeight', generate: (r) => ({ ...roRoutes(r), weight: r.weight(r.pick([100, 1000])) }), ts: (a) => shouldVerifyWeight(a.ro!, a.weight!) },
];

export const SPECS: readonly FunctionSpec[] = [...FENCEPOSTS, ...STEPS, ...REPLICA_COUNTS, ...TRAFFIC, ...PHASE];
export { tryTs, indexes, INT32_MAX, commonOutside };
