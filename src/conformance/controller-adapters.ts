import type { ClusterState, ControllerAction, ServiceState, VirtualServiceState } from '../runtime/cluster-state';
import { ARGO_KEYS } from '../model/argo-defaults';
import { plainEqual } from '../runtime/plain-equal';
import { computeStepHash, reconcile, type ReconcileResult } from '../runtime/reconcile';
import type { CanaryStrategy, PauseCondition, ReplicaSetState, RolloutState, RolloutStatus } from '../runtime/types';
import type { Adapter, AdapterOutcome, VectorCase } from './case-result';
import { jsonSubsetEqual, toJsonValue } from './deep-equal';
import { asRecord, optionalIntOrString, optionalNumber, toSteps, toWeights } from './vector-input';

/**
 * Adapter for controller-scenarios.json: one controller tick (`reconcile`) over a cluster built
 * from the scenario, then the listed expectations checked against the tick's router calls,
 * ReplicaSet scales, Service switches and status.
 *
 * What the scenario does not say is filled in the way the upstream fixtures build it:
 * - the template hash is the RS with role `new` / `stable+new`; with neither (a template reverted
 *   to an existing RS), it is `status.stableRS` (TestRollBackToStable);
 * - `status.currentStepHash` matches the steps (no spurious steps-changed reset);
 * - every RS carries `desired-replicas = spec.replicas` (no spurious HPA scaling event) and a
 *   revision in list order (stable first, the new RS last);
 * - the Services are adopted (`managed-by` set); the stable Service selects `status.stableRS`, the
 *   canary Service the hash of the applied canary weight, else the new RS;
 * - with trafficRouting, one VirtualService `vs` with a single http route to both Services,
 *   weighted as `status.canary.weights` (or 100/0).
 */

const ROLLOUT = 'rollout';
const STABLE_SERVICE_DEFAULT = 'stable';
const CANARY_SERVICE_DEFAULT = 'canary';

interface ScenarioRS {
  readonly role: string;
  readonly rs: ReplicaSetState;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function scenarioReplicaSets(value: unknown, n: number): ScenarioRS[] {
  if (!Array.isArray(value)) throw new Error(`input.replicaSets must be a list, got ${JSON.stringify(value)}`);
  const parsed = value.map((raw, i) => {
    const rs = asRecord(raw, `input.replicaSets[${i}]`);
    const hash = str(rs['podTemplateHash']);
    if (hash === '') throw new Error(`input.replicaSets[${i}].podTemplateHash must be a non-empty string`);
    return { role: str(rs['role']), raw: rs, hash };
  });
  // Revisions: stable first, new last, others in list order between them.
  const rank = (role: string): number => (role === 'stable' ? 0 : role.includes('new') ? 2 : 1);
  const ordered = [...parsed].sort((a, b) => rank(a.role) - rank(b.role));
  return parsed.map(({ role, raw, hash }) => {
    const revision = ordered.findIndex((item) => item.hash === hash) + 1;
    const spec = optionalNumber(raw['specReplicas'], 'specReplicas') ?? 0;
    return {
      role,
      rs: {
        name: `${ROLLOUT}-${hash}`,
        podTemplateHash: hash,
        revision,
        specReplicas: spec,
        availableReplicas: optionalNumber(raw['availableReplicas'], 'availableReplicas') ?? 0,
        statusReplicas: optionalNumber(raw['statusReplicas'], 'statusReplicas') ?? spec,
        annotations: {
          [ARGO_KEYS.revisionAnnotation]: String(revision),
          [ARGO_KEYS.desiredReplicasAnnotation]: String(n),
        },
      },
    };
  });
}

/** Builds the cluster a scenario describes (see the module comment for the filled-in parts). */
export function scenarioCluster(testCase: VectorCase): ClusterState {
  const inp = asRecord(testCase.input, 'input');
  const ro = asRecord(inp['rollout'], 'input.rollout');
  const st = asRecord(inp['status'] ?? {}, 'input.status');
  const n = optionalNumber(ro['specReplicas'], 'input.rollout.specReplicas') ?? 1;
  const stableService = str(ro['stableService']) || STABLE_SERVICE_DEFAULT;
  const canaryService = str(ro['canaryService']) || CANARY_SERVICE_DEFAULT;
  const canary = scenarioCanary(ro, stableService, canaryService);
  const replicaSets = scenarioReplicaSets(inp['replicaSets'], n);
  const stableHash = str(st['stableRS']);
  const newEntry = replicaSets.find((item) => item.role === 'new' || item.role === 'stable+new');
  const templateHash = newEntry?.rs.podTemplateHash ?? (stableHash !== '' ? stableHash : 'new');
  const weights = toWeights(st['canaryWeights'], 'input.status.canaryWeights');
  const rollout: RolloutState = {
    metadata: { name: ROLLOUT, generation: 1 },
    spec: { replicas: n, strategy: { canary } },
    status: scenarioStatus(st, canary, weights),
  };
  const managed = { [ARGO_KEYS.managedByAnnotation]: ROLLOUT };
  const canarySelects = weights?.canary.podTemplateHash || templateHash;
  const services: Record<string, ServiceState> = {
    [stableService]: { name: stableService, selector: { [ARGO_KEYS.podTemplateHashLabel]: stableHash }, annotations: managed },
    [canaryService]: { name: canaryService, selector: { [ARGO_KEYS.podTemplateHashLabel]: canarySelects }, annotations: managed },
  };
  const virtualServices = canary.trafficRouting ? [scenarioVirtualService(stableService, canaryService, weights)] : [];
  return { rollout, templateHash, replicaSets: replicaSets.map((item) => item.rs), services, virtualServices };
}

/** The scenario's canary strategy. */
function scenarioCanary(ro: Record<string, unknown>, stableService: string, canaryService: string): CanaryStrategy {
  return {
    steps: toSteps(ro['steps'], 'input.rollout.steps'),
    maxSurge: optionalIntOrString(ro['maxSurge'], 'input.rollout.maxSurge'),
    maxUnavailable: optionalIntOrString(ro['maxUnavailable'], 'input.rollout.maxUnavailable'),
    dynamicStableScale: ro['dynamicStableScale'] === true,
    stableService,
    canaryService,
    trafficRouting: ro['trafficRouting'] === true ? { istio: { virtualService: { name: 'vs' } } } : undefined,
  };
}

/** The scenario's Rollout status, its step hash computed from the strategy. */
function scenarioStatus(st: Record<string, unknown>, canary: CanaryStrategy, weights: ReturnType<typeof toWeights>): RolloutStatus {
  const pauseConditions: PauseCondition[] = Array.isArray(st['pauseConditions'])
    ? st['pauseConditions'].map((raw, i) => {
        const cond = asRecord(raw, `input.status.pauseConditions[${i}]`);
        return { reason: str(cond['reason']), startTime: optionalNumber(cond['startTime'], 'startTime') ?? 0 };
      })
    : [];
  return {
    currentStepIndex: optionalNumber(st['currentStepIndex'], 'input.status.currentStepIndex'),
    currentStepHash: computeStepHash(canary),
    stableRS: str(st['stableRS']),
    currentPodHash: str(st['currentPodHash']),
    abort: st['abort'] === true,
    promoteFull: st['promoteFull'] === true,
    controllerPause: st['controllerPause'] === true,
    pauseConditions: pauseConditions.length > 0 ? pauseConditions : undefined,
    canary: weights
      ? { weights: { ...weights, canary: { ...weights.canary, serviceName: canary.canaryService }, stable: { ...weights.stable, serviceName: canary.stableService } } }
      : undefined,
  };
}

/** The one VirtualService of a traffic-routed scenario: one http route, stable then canary, at the status's weights. */
function scenarioVirtualService(stableService: string, canaryService: string, weights: ReturnType<typeof toWeights>): VirtualServiceState {
  return {
    ref: { name: 'vs' },
    object: {
      metadata: { name: 'vs' },
      spec: {
        http: [
          {
            route: [
              { destination: { host: stableService }, weight: weights?.stable.weight ?? 100 },
              { destination: { host: canaryService }, weight: weights?.canary.weight ?? 0 },
            ],
          },
        ],
      },
    },
  };
}

/** Go's JSON of a status: omitempty drops false booleans, empty strings and empty lists. */
function goJson(status: RolloutStatus): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(toJsonValue(status) as Record<string, unknown>)) {
    if (value === false || value === '' || value === null || (Array.isArray(value) && value.length === 0)) continue;
    out[key] = value;
  }
  return out;
}

/** The merge patch from `before` to `after` (top-level keys; removed keys are null). */
function statusPatch(before: RolloutStatus, after: RolloutStatus): Record<string, unknown> {
  const a = goJson(before);
  const b = goJson(after);
  const patch: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!(key in b)) patch[key] = null;
    else if (!plainEqual(a[key], b[key])) patch[key] = b[key];
  }
  return patch;
}

/** `[0, 0, 10]` -> `[0, 10]`. */
function collapseRepeats(values: readonly unknown[]): unknown[] {
  return values.filter((value, i) => i === 0 || !plainEqual(value, values[i - 1]));
}

function callName(action: ControllerAction): string | undefined {
  if (action.kind === 'setWeight') return `SetWeight(${action.weight})`;
  if (action.kind === 'updateHash') return `UpdateHash(canary=${action.canary}, stable=${action.stable})`;
  return undefined;
}

/**
 * A `statusPatch` expectation lists only the fields the upstream test asserted. Each listed field
 * is compared with the tick's patch, or with the status after the tick when the patch leaves it out
 * (unchanged from the scenario's status); objects compare their listed keys only (recursively),
 * lists element by element, `"<now>"` is the tick's clock, and `null` means absent afterwards.
 */
export function statusPatchMatches(
  wanted: Readonly<Record<string, unknown>>,
  patch: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  now: number,
): boolean {
  return Object.entries(wanted).every(([field, value]) => {
    if (value === null) return !(field in after);
    const written = field in patch ? patch[field] : after[field];
    return written !== undefined && jsonSubsetEqual(written, value, now);
  });
}

/** The clock of the scenario tick (seconds); `"<now>"` in an expectation means this instant. */
const TICK_NOW = 0;

/**
 * Experiment steps whose templates carry a traffic `weight` make the controller route to extra
 * destinations (rollout/trafficrouting.go calculateWeightDestinationsFromExperiment); the runtime
 * does not model experiments, so such a scenario is reported by name instead of guessed.
 */
function unsupportedExperiment(cluster: ClusterState): string | undefined {
  const weighted = (cluster.rollout.spec.strategy.canary?.steps ?? []).some((step) =>
    ((step.experiment?.['templates'] as { weight?: unknown }[] | undefined) ?? []).some((t) => t.weight !== undefined),
  );
  if (!weighted) return undefined;
  return 'unsupported: experiment step templates with a traffic weight (additional destinations of calculateWeightDestinationsFromExperiment) are not simulated';
}

const controllerScenario: Adapter = (testCase): AdapterOutcome => {
  const expected = asRecord(testCase.expected, 'expected');
  const cluster = scenarioCluster(testCase);
  const unsupported = unsupportedExperiment(cluster);
  if (unsupported) return { actual: null, expected, passed: false, message: unsupported };
  const result = reconcile(cluster, TICK_NOW);
  const tick = observeTick(cluster, result);
  const actual: Record<string, unknown> = {};
  const checks: boolean[] = [];
  const annotations = new Set(['note', 'derived']);
  const unknown: string[] = [];
  for (const [key, want] of Object.entries(expected)) {
    const check = checkExpectation(key, want, tick);
    if (check !== undefined) {
      actual[key] = check.actual;
      checks.push(check.passed);
    } else if (!annotations.has(key)) {
      unknown.push(key);
    }
  }
  if (result.error) actual['error'] = result.error;
  const shownExpected = Object.fromEntries(Object.entries(expected).filter(([key]) => !annotations.has(key)));
  if (unknown.length > 0) {
    return { actual, expected: shownExpected, passed: false, message: `unknown expectation key(s): ${unknown.join(', ')}` };
  }
  return { actual, expected: shownExpected, passed: checks.every(Boolean) };
};

/** What one controller tick did, in the terms of the expectations. */
interface TickObservation {
  readonly actions: readonly ControllerAction[];
  readonly setWeights: readonly number[];
  readonly updateHashes: readonly { canary: string; stable: string }[];
  readonly scales: readonly { podTemplateHash: string; to: number }[];
  readonly canarySwitches: readonly string[];
  readonly patch: Record<string, unknown>;
  readonly statusAfter: RolloutStatus;
}

function observeTick(cluster: ClusterState, result: ReconcileResult): TickObservation {
  const { actions } = result;
  const hashOf = (rsName: string): string =>
    [...cluster.replicaSets, ...result.state.replicaSets].find((rs) => rs.name === rsName)?.podTemplateHash ?? rsName;
  const canaryService = cluster.rollout.spec.strategy.canary?.canaryService ?? CANARY_SERVICE_DEFAULT;
  return {
    actions,
    setWeights: actions.flatMap((a) => (a.kind === 'setWeight' ? [a.weight] : [])),
    updateHashes: actions.flatMap((a) => (a.kind === 'updateHash' ? [{ canary: a.canary, stable: a.stable }] : [])),
    scales: actions.flatMap((a) => (a.kind === 'scaleReplicaSet' ? [{ podTemplateHash: hashOf(a.replicaSet), to: a.to }] : [])),
    canarySwitches: actions.flatMap((a) => (a.kind === 'switchService' && a.service === canaryService ? [a.to] : [])),
    patch: statusPatch(cluster.rollout.status, result.state.rollout.status),
    statusAfter: result.state.rollout.status,
  };
}

/** One expectation against the tick: what the tick did and whether that matches; undefined for a key that is no expectation. */
function checkExpectation(key: string, want: unknown, tick: TickObservation): { actual: unknown; passed: boolean } | undefined {
  const { setWeights, updateHashes, scales } = tick;
  switch (key) {
    case 'setWeightCalls':
      // Like the upstream mocks (`On("SetWeight", w)` accepts repeated identical calls), a
      // weight repeated back to back counts once; `callOrder` is the strict sequence.
      return { actual: setWeights, passed: plainEqual(collapseRepeats(setWeights), collapseRepeats(Array.isArray(want) ? want : [want])) };
    case 'desiredWeight':
      // The weight the Go mock expects on every SetWeight call (vacuous when none is made).
      return { actual: setWeights.length > 0 ? setWeights : '(no SetWeight call)', passed: setWeights.every((w) => w === want) };
    case 'callOrder': {
      const order = tick.actions.map(callName).filter((name): name is string => name !== undefined);
      return { actual: order, passed: plainEqual(order, want) };
    }
    case 'updateHash':
      return { actual: updateHashes, passed: updateHashes.some((call) => plainEqual(call, want)) };
    case 'updateHashCalled': {
      const called = updateHashes.length > 0;
      return { actual: called, passed: called === want };
    }
    case 'removeManagedRoutesCalled': {
      const called = tick.actions.some((a) => a.kind === 'removeManagedRoutes');
      return { actual: called, passed: called === want };
    }
    case 'canaryServiceSelectorPatchedTo':
      return { actual: tick.canarySwitches, passed: tick.canarySwitches.includes(str(want)) };
    case 'replicaSetScales': {
      const wanted = Array.isArray(want) ? want : [];
      const passed = wanted.every((raw) => {
        const w = asRecord(raw, 'expected.replicaSetScales[]');
        return scales.some((s) => s.podTemplateHash === w['podTemplateHash'] && (w['to'] === undefined || s.to === w['to']));
      });
      return { actual: scales, passed };
    }
    case 'statusPatch':
      return { actual: tick.patch, passed: statusPatchMatches(asRecord(want, 'expected.statusPatch'), tick.patch, goJson(tick.statusAfter), TICK_NOW) };
    default:
      return undefined;
  }
}

/** Adapters for controller-scenarios.json (whole controller ticks). */
export const CONTROLLER_ADAPTERS: Readonly<Record<string, Adapter>> = {
  controllerScenario,
};
