import { describe, expect, test } from 'vitest';
import type { ClusterState, ControllerAction, ServiceState } from '../../src/runtime/cluster-state';
import { formatTimestamp } from '../../src/runtime/cluster-state';
import { ARGO_KEYS } from '../../src/model/argo-defaults';
import { computeStepHash, reconcile } from '../../src/runtime/reconcile';
import type { CanaryStep, CanaryStrategy, ReplicaSetState, RolloutStatus } from '../../src/runtime/types';

/**
 * One controller tick at a time, table-driven in the style of Argo's own tests: each case builds a
 * cluster (hashes A = revision 1, B = 2, C = 3), runs `reconcile` once and checks what was written.
 * Every case names the rule of ../shared/spec/argo-canary.md it pins.
 */

interface RS {
  readonly hash: string;
  readonly spec: number;
  readonly available?: number;
  readonly created?: number;
  readonly desired?: number;
  readonly deadline?: number;
}

interface Setup {
  readonly replicas?: number;
  readonly steps?: readonly CanaryStep[];
  readonly canary?: Partial<CanaryStrategy>;
  readonly trafficRouting?: boolean;
  readonly paused?: boolean;
  /** Hash of the current pod template. */
  readonly template: string;
  readonly status: RolloutStatus;
  readonly rss: readonly RS[];
  /** Hashes the stable / canary Services select; undefined = not adopted yet. */
  readonly services?: { readonly stable?: string; readonly canary?: string; readonly adopted?: boolean };
  /** VS weights [stable, canary]. */
  readonly vs?: readonly [number, number];
  readonly destinationRule?: boolean;
}

const REV: Record<string, number> = { A: 1, B: 2, C: 3 };

function rsState(r: RS, n: number): ReplicaSetState {
  return {
    name: `ro-${r.hash}`,
    podTemplateHash: r.hash,
    revision: REV[r.hash],
    specReplicas: r.spec,
    statusReplicas: r.created ?? r.spec,
    availableReplicas: r.available ?? r.spec,
    annotations: {
      [ARGO_KEYS.revisionAnnotation]: String(REV[r.hash]),
      [ARGO_KEYS.desiredReplicasAnnotation]: String(r.desired ?? n),
      ...(r.deadline !== undefined ? { [ARGO_KEYS.scaleDownDeadlineAnnotation]: formatTimestamp(r.deadline) } : {}),
    },
  };
}

function build(s: Setup): ClusterState {
  const n = s.replicas ?? 10;
  const trafficRouting = s.trafficRouting ?? true;
  const canary: CanaryStrategy = {
    steps: s.steps ?? [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: 60 } }],
    stableService: s.destinationRule ? undefined : 'stable',
    canaryService: s.destinationRule ? undefined : 'canary',
    ...(trafficRouting
      ? {
          trafficRouting: {
            istio: {
              virtualService: { name: 'vs', routes: ['primary'] },
              ...(s.destinationRule ? { destinationRule: { name: 'dr', canarySubsetName: 'canary', stableSubsetName: 'stable' } } : {}),
            },
          },
        }
      : {}),
    ...s.canary,
  };
  const adopted = s.services?.adopted ?? true;
  const svc = (name: string, hash: string | undefined): ServiceState => {
    const selector: Record<string, string> = { app: 'ro' };
    if (hash) selector[ARGO_KEYS.podTemplateHashLabel] = hash;
    const annotations: Record<string, string> = adopted ? { [ARGO_KEYS.managedByAnnotation]: 'ro' } : {};
    return { name, selector, annotations };
  };
  const [stableW, canaryW] = s.vs ?? [100, 0];
  const host = (name: string, subset: string) => (s.destinationRule ? { host: 'svc', subset } : { host: name });
  return {
    rollout: {
      metadata: { name: 'ro', annotations: { [ARGO_KEYS.revisionAnnotation]: String(REV[s.template]) } },
      spec: { replicas: n, paused: s.paused, strategy: { canary } },
      status: { currentStepHash: computeStepHash(canary), ...s.status },
    },
    templateHash: s.template,
    replicaSets: s.rss.map((r) => rsState(r, n)),
    services: s.destinationRule
      ? {}
      : { stable: svc('stable', s.services?.stable ?? s.status.stableRS), canary: svc('canary', s.services?.canary ?? s.status.stableRS) },
    virtualServices: trafficRouting
      ? [
          {
            ref: { name: 'vs', routes: ['primary'] },
            object: {
              spec: {
                http: [
                  {
                    name: 'primary',
                    route: [
                      { destination: host('stable', 'stable'), weight: stableW },
                      { destination: host('canary', 'canary'), weight: canaryW },
                    ],
                  },
                ],
              },
            },
          },
        ]
      : [],
    ...(s.destinationRule
      ? {
          destinationRule: {
            metadata: { name: 'dr' },
            spec: {
              host: 'svc',
              subsets: [
                { name: 'stable', labels: { [ARGO_KEYS.podTemplateHashLabel]: s.status.stableRS ?? '' } },
                { name: 'canary', labels: { [ARGO_KEYS.podTemplateHashLabel]: s.status.stableRS ?? '' } },
              ],
            },
          },
        }
      : {}),
  };
}

/** Compact writes: `create B`, `scale A 10->8`, `svc canary->B`, `vs 20`, `deadline B`, `dr B/A`, `status`. */
function writes(actions: readonly ControllerAction[]): string[] {
  const h = (name: string) => name.replace('ro-', '');
  return actions.flatMap((a): string[] => {
    switch (a.kind) {
      case 'createReplicaSet':
        return [`create ${h(a.replicaSet)}`];
      case 'scaleReplicaSet':
        return [`scale ${h(a.replicaSet)} ${a.from}->${a.to}`];
      case 'annotateReplicaSet':
        return a.key === ARGO_KEYS.scaleDownDeadlineAnnotation ? [`${a.value ? 'deadline' : 'undeadline'} ${h(a.replicaSet)}`] : [];
      case 'switchService':
        return [`svc ${a.service}->${a.to}`];
      case 'setWeight':
        return a.updated.length > 0 ? [`vs ${a.weight}`] : [];
      case 'updateHash':
        return a.modified ? [`dr ${a.canary}/${a.stable}`] : [];
      case 'updateStatus':
        return ['status'];
      default:
        return [];
    }
  });
}

function vsCanaryWeight(state: ClusterState): number | undefined {
  return state.virtualServices[0]?.object.spec.http?.[0].route?.[1].weight;
}

const MID_UPDATE = { stableRS: 'A', currentPodHash: 'B' } as const;

describe('reconcile: one tick', () => {
  test.each<[string, Setup, string[], Partial<RolloutStatus>]>([
    [
      '§4.1 template change: new RS created with 0 replicas, status reset, nothing else',
      { template: 'B', status: { stableRS: 'A', currentPodHash: 'A', currentStepIndex: 4 }, rss: [{ hash: 'A', spec: 10 }] },
      ['create B', 'status'],
      { currentPodHash: 'B', currentStepIndex: 0 },
    ],
    [
      '§4.1 template reverted to the stable hash: index jumps to len(steps) (rollback to stable)',
      { template: 'A', status: { ...MID_UPDATE, currentStepIndex: 1 }, rss: [{ hash: 'A', spec: 10 }, { hash: 'B', spec: 2 }] },
      ['status'],
      { currentPodHash: 'A', currentStepIndex: 4 },
    ],
    [
      '§2 a step never completes in a tick that scaled (B 0 -> 2 for setWeight 20)',
      { template: 'B', status: { ...MID_UPDATE, currentStepIndex: 0 }, rss: [{ hash: 'A', spec: 10 }, { hash: 'B', spec: 0 }] },
      ['scale B 0->2', 'status'],
      { currentStepIndex: 0 },
    ],
    [
      '§8.1 at setWeight 50 with B at 2: the router keeps the previous setWeight (20) while B grows',
      {
        template: 'B',
        status: { ...MID_UPDATE, currentStepIndex: 2 },
        rss: [{ hash: 'A', spec: 10 }, { hash: 'B', spec: 2 }],
        services: { stable: 'A', canary: 'B' },
        vs: [100, 0],
      },
      ['vs 20', 'scale B 2->5', 'status'],
      { currentStepIndex: 2 },
    ],
    [
      '§3 a leading pause means weight 0 (no earlier setWeight), and the pause condition is added',
      {
        template: 'B',
        steps: [{ pause: {} }, { setWeight: 50 }],
        status: { ...MID_UPDATE, currentStepIndex: 0 },
        rss: [{ hash: 'A', spec: 10 }, { hash: 'B', spec: 0 }],
      },
      ['status'],
      { currentStepIndex: 0, controllerPause: true },
    ],
    [
      '§5.4 one RS kind per tick: the stable (8 -> 10) is scaled, the new RS waits',
      { template: 'B', status: { ...MID_UPDATE, currentStepIndex: 0 }, rss: [{ hash: 'A', spec: 8 }, { hash: 'B', spec: 0 }] },
      ['scale A 8->10', 'status'],
      { currentStepIndex: 0 },
    ],
    [
      '§7.2 spec.paused: no scaling and no step advance, but traffic routing still runs',
      {
        template: 'B',
        paused: true,
        status: { ...MID_UPDATE, currentStepIndex: 0 },
        rss: [{ hash: 'A', spec: 10 }, { hash: 'B', spec: 2, available: 2 }],
        services: { stable: 'A', canary: 'B' },
      },
      ['vs 20', 'status'],
      { currentStepIndex: 0, phase: 'Paused', message: 'manually paused' },
    ],
    [
      '§14 HPA change of spec.replicas: syncReplicasOnly scales (stable 10 -> 5) without routing or steps',
      {
        template: 'B',
        replicas: 5,
        status: { ...MID_UPDATE, currentStepIndex: 0, canary: { weights: { canary: { weight: 20, podTemplateHash: 'B' }, stable: { weight: 80, podTemplateHash: 'A' } } } },
        rss: [
          { hash: 'A', spec: 10, desired: 10 },
          { hash: 'B', spec: 2, desired: 10 },
        ],
        services: { stable: 'A', canary: 'B' },
        vs: [80, 20],
      },
      ['scale A 10->5', 'status'],
      { currentStepIndex: 0 },
    ],
  ])('%s', (_name, setup, expectedWrites, expectedStatus) => {
    const result = reconcile(build(setup), 1000);
    expect(result.error).toBeUndefined();
    expect(writes(result.actions)).toEqual(expectedWrites);
    expect(result.state.rollout.status).toMatchObject(expectedStatus);
  });

  test('§8.2 the stable-capacity gate freezes every router update while the stable cannot carry its share', () => {
    // Aborted at 50/50: weight 0 needs floor(100 * 10 / 100) = 10 available stable pods.
    const setup = (stableAvailable: number): Setup => ({
      template: 'B',
      status: {
        ...MID_UPDATE,
        currentStepIndex: 2,
        abort: true,
        canary: { weights: { canary: { weight: 50, podTemplateHash: 'B' }, stable: { weight: 50, podTemplateHash: 'A' } } },
      },
      rss: [{ hash: 'A', spec: 10, available: stableAvailable }, { hash: 'B', spec: 5 }],
      services: { stable: 'A', canary: 'B' },
      vs: [50, 50],
    });
    const blocked = reconcile(build(setup(9)), 1000);
    expect(blocked.actions.filter((a) => a.kind === 'setWeight' || a.kind === 'updateHash')).toEqual([]);
    expect(vsCanaryWeight(blocked.state)).toBe(50);
    expect(blocked.state.rollout.status.canary?.weights?.canary.weight).toBe(50);
    const open = reconcile(build(setup(10)), 1000);
    expect(vsCanaryWeight(open.state)).toBe(0);
  });

  test.each<[string, boolean, number, string | undefined]>([
    ['adopted Service: one available canary pod is enough', true, 1, 'B'],
    ['adopted Service: no available canary pod, no switch', true, 0, 'A'],
    ['first adoption: waits until the RS is fully available', false, 1, 'A'],
    ['first adoption: fully available RS is selected', false, 2, 'B'],
  ])('§9 canary Service switch: %s', (_name, adopted, available, expected) => {
    const state = build({
      template: 'B',
      status: { ...MID_UPDATE, currentStepIndex: 0 },
      rss: [{ hash: 'A', spec: 10 }, { hash: 'B', spec: 2, available }],
      services: { stable: 'A', canary: 'A', adopted },
    });
    const result = reconcile(state, 1000);
    expect(result.state.services.canary.selector[ARGO_KEYS.podTemplateHashLabel]).toBe(expected);
  });

  test('§7.1 pause: promote clears the condition (controllerPause stays) and the next tick advances and clears controllerPause', () => {
    const base: Setup = {
      template: 'B',
      status: { ...MID_UPDATE, currentStepIndex: 1, pauseConditions: [], controllerPause: true },
      rss: [{ hash: 'A', spec: 10 }, { hash: 'B', spec: 2 }],
      services: { stable: 'A', canary: 'B' },
      vs: [80, 20],
    };
    const result = reconcile(build(base), 1000);
    expect(result.state.rollout.status.currentStepIndex).toBe(2);
    expect(result.state.rollout.status.controllerPause).toBeUndefined();
    expect(result.state.rollout.status.pauseConditions).toBeUndefined();
  });

  test.each<[string, number, number | undefined]>([
    ['before the duration (start 1000 + 60 s)', 1059, 3],
    ['at the expiry the pause step completes', 1060, 4],
  ])('§7.1 timed pause: %s', (_name, now, index) => {
    const state = build({
      template: 'B',
      status: { ...MID_UPDATE, currentStepIndex: 3, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 1000 }], controllerPause: true },
      rss: [{ hash: 'A', spec: 10 }, { hash: 'B', spec: 5 }],
      services: { stable: 'A', canary: 'B' },
      vs: [50, 50],
    });
    const result = reconcile(state, now);
    expect(result.state.rollout.status.currentStepIndex).toBe(index);
    if (index === 3) expect(result.requeueAt).toEqual([1060]);
  });

  test('§4.2/§10 the 100 % weight and the promotion come in one tick; the stable Service moves in the next', () => {
    const first = reconcile(
      build({
        template: 'B',
        status: { ...MID_UPDATE, currentStepIndex: 4 },
        rss: [{ hash: 'A', spec: 10 }, { hash: 'B', spec: 10 }],
        services: { stable: 'A', canary: 'B' },
        vs: [50, 50],
      }),
      1000,
    );
    expect(writes(first.actions)).toEqual(['vs 100', 'status']);
    expect(first.state.rollout.status).toMatchObject({ stableRS: 'B', phase: 'Healthy' });
    const second = reconcile(first.state, 1000);
    expect(writes(second.actions)).toEqual(['svc stable->B', 'vs 0', 'status']);
    // A is still referenced by the weights persisted at the promotion: untouched until the next tick.
    const third = reconcile(second.state, 1000);
    expect(writes(third.actions)).toEqual(['deadline A']);
    expect(third.state.replicaSets[0].annotations?.[ARGO_KEYS.scaleDownDeadlineAnnotation]).toBe(formatTimestamp(1030));
  });

  test.each<[string, Partial<CanaryStrategy>, RS, string[]]>([
    ['§5.5 deadline in the future: the old RS is kept', {}, { hash: 'A', spec: 10, deadline: 1020 }, []],
    ['§5.5 deadline passed: the old RS is scaled to 0 and the annotation dropped', {}, { hash: 'A', spec: 10, deadline: 1000 }, ['scale A 10->0']],
    ['§5.5 scaleDownDelaySeconds 0: no deadline is ever written and the old RS keeps its pods', { scaleDownDelaySeconds: 0 }, { hash: 'A', spec: 10 }, []],
    ['§6.2 dynamicStableScale: the old RS is scaled to 0 at once, no delay', { dynamicStableScale: true }, { hash: 'A', spec: 5 }, ['scale A 5->0']],
  ])('%s', (_name, canary, old, expected) => {
    const state = build({
      template: 'B',
      canary,
      status: {
        stableRS: 'B',
        currentPodHash: 'B',
        currentStepIndex: 4,
        canary: { weights: { canary: { weight: 0, podTemplateHash: 'B' }, stable: { weight: 100, podTemplateHash: 'B' } } },
      },
      rss: [old, { hash: 'B', spec: 10 }],
      services: { stable: 'B', canary: 'B' },
    });
    const result = reconcile(state, 1000);
    expect(writes(result.actions).filter((w) => w !== 'status')).toEqual(expected);
    if (expected.length > 0) expect(result.state.replicaSets[0].annotations?.[ARGO_KEYS.scaleDownDeadlineAnnotation]).toBeUndefined();
  });

  test('§5.5 an intermediate RS of an interrupted update (A -> B -> C) is scaled to 0 without delay once unreferenced', () => {
    const state = build({
      template: 'C',
      status: {
        stableRS: 'A',
        currentPodHash: 'C',
        currentStepIndex: 0,
        canary: { weights: { canary: { weight: 0, podTemplateHash: 'C' }, stable: { weight: 100, podTemplateHash: 'A' } } },
      },
      rss: [{ hash: 'A', spec: 10 }, { hash: 'B', spec: 5 }, { hash: 'C', spec: 2 }],
      services: { stable: 'A', canary: 'C' },
    });
    expect(writes(reconcile(state, 1000).actions)).toEqual(['vs 20', 'scale B 5->0', 'status']);
  });

  test('§5.5 scaleDownDelayRevisionLimit 1: only the newest old RS keeps its delay', () => {
    const state = build({
      template: 'C',
      canary: { scaleDownDelayRevisionLimit: 1 },
      status: {
        stableRS: 'C',
        currentPodHash: 'C',
        currentStepIndex: 4,
        canary: { weights: { canary: { weight: 0, podTemplateHash: 'C' }, stable: { weight: 100, podTemplateHash: 'C' } } },
      },
      rss: [
        { hash: 'A', spec: 10, deadline: 1020 },
        { hash: 'B', spec: 10, deadline: 1020 },
        { hash: 'C', spec: 10 },
      ],
      services: { stable: 'C', canary: 'C' },
    });
    expect(writes(reconcile(state, 1000).actions)).toEqual(['scale A 10->0', 'status']);
  });
});

describe('reconcile: abort (§11)', () => {
  const aborted = (canary: Partial<CanaryStrategy>, stableAvailable: number, canaryRS: RS): Setup => ({
    template: 'B',
    canary,
    status: {
      ...MID_UPDATE,
      currentStepIndex: 2,
      abort: true,
      canary: { weights: { canary: { weight: 50, podTemplateHash: 'B' }, stable: { weight: 50, podTemplateHash: 'A' } } },
    },
    rss: [{ hash: 'A', spec: 10, available: stableAvailable }, canaryRS],
    services: { stable: 'A', canary: 'B' },
    vs: [50, 50],
  });

  test('weight 0, canary Service back to stable, Degraded, and the canary annotated (stable fully available)', () => {
    const result = reconcile(build(aborted({}, 10, { hash: 'B', spec: 5 })), 1000);
    expect(writes(result.actions)).toEqual(['svc canary->A', 'vs 0', 'deadline B', 'status']);
    expect(result.state.rollout.status).toMatchObject({
      currentStepIndex: 0,
      phase: 'Degraded',
      message: 'RolloutAborted: Rollout aborted update to revision 2',
    });
    expect(result.state.replicaSets[1].specReplicas).toBe(5);
  });

  test('stable not fully available: no deadline and the canary keeps its pods; the gate keeps the VS at 50/50 while the canary Service already points at the stable pods', () => {
    const result = reconcile(build(aborted({}, 9, { hash: 'B', spec: 5 })), 1000);
    expect(writes(result.actions)).toEqual(['svc canary->A', 'status']);
    expect(vsCanaryWeight(result.state)).toBe(50);
    expect(result.state.replicaSets[1].specReplicas).toBe(5);
  });

  test('abortScaleDownDelaySeconds 0: the canary is scaled to 0 at once (literal source, upstream #1841)', () => {
    const result = reconcile(build(aborted({ abortScaleDownDelaySeconds: 0 }, 10, { hash: 'B', spec: 5 })), 1000);
    expect(writes(result.actions)).toContain('scale B 5->0');
  });

  test('quirk: a deadline further away than the 900 s resync period falls through to the computed count (0)', () => {
    const result = reconcile(build(aborted({ abortScaleDownDelaySeconds: 1000 }, 10, { hash: 'B', spec: 5, deadline: 1950 })), 1000);
    expect(writes(result.actions)).toContain('scale B 5->0');
    const near = reconcile(build(aborted({ abortScaleDownDelaySeconds: 1000 }, 10, { hash: 'B', spec: 5, deadline: 1800 })), 1000);
    expect(writes(near.actions)).not.toContain('scale B 5->0');
    expect(near.requeueAt).toEqual([1800]);
  });
});

describe('reconcile: router details', () => {
  // Upstream rollout/trafficrouting_test.go TestDynamicScalingDontIncreaseWeightWhenAborted, run on
  // the real fixture by test/diff-argo/ticks.ts: the mock accepts SetWeight(0) but the controller
  // never calls it; the stable-capacity gate (checkReplicasAvailable: 5 of 5 needed, 4 available)
  // returns first, after the canary Service went back to stable.
  test('aborted, dynamicStableScale, stable 4/5 available, canary at 0 pods: canary Service to stable, no router call', () => {
    const state = build({
      replicas: 5,
      template: 'B',
      steps: [{ setWeight: 50 }, { pause: {} }],
      canary: { dynamicStableScale: true },
      status: {
        ...MID_UPDATE,
        currentStepIndex: 1,
        abort: true,
        canary: { weights: { canary: { weight: 0, podTemplateHash: 'B' }, stable: { weight: 100, podTemplateHash: 'A' } } },
      },
      rss: [{ hash: 'A', spec: 5, available: 4 }, { hash: 'B', spec: 0 }],
      services: { stable: 'A', canary: 'B' },
      vs: [100, 0],
    });
    const result = reconcile(state, 1000);
    expect(result.actions.filter((a) => a.kind === 'setWeight' || a.kind === 'updateHash')).toEqual([]);
    expect(writes(result.actions)).toContain('svc canary->A');
  });

  test('v1.9: SetWeight(0) before UpdateHash when the new RS has no available pod and the canary weight was > 0 (PR #4564)', () => {
    const state = build({
      template: 'C',
      destinationRule: true,
      status: {
        stableRS: 'A',
        currentPodHash: 'C',
        currentStepIndex: 0,
        canary: { weights: { canary: { weight: 20, podTemplateHash: 'B' }, stable: { weight: 80, podTemplateHash: 'A' } } },
      },
      rss: [{ hash: 'A', spec: 10 }, { hash: 'B', spec: 2 }, { hash: 'C', spec: 0 }],
      vs: [80, 20],
    });
    const result = reconcile(state, 1000);
    const router = result.actions.filter((a) => a.kind === 'setWeight' || a.kind === 'updateHash').map((a) => a.kind);
    expect(router).toEqual(['setWeight', 'updateHash', 'setWeight']);
    expect(writes(result.actions).slice(0, 2)).toEqual(['vs 0', 'dr C/A']);
  });

  test('§8.5 pure subset mode: the DestinationRule switch waits while a weighted RS is not fully available', () => {
    const state = build({
      template: 'B',
      destinationRule: true,
      status: { ...MID_UPDATE, currentStepIndex: 0 },
      rss: [{ hash: 'A', spec: 10 }, { hash: 'B', spec: 2, available: 1 }],
    });
    const result = reconcile(state, 1000);
    expect(result.error).toBe('delaying destination rule switch: ReplicaSet ro-B not fully available');
    expect(result.actions.some((a) => a.kind === 'setWeight')).toBe(false);
  });

  test('promote --full without dynamicStableScale: the weight stays at the last applied value until promotion', () => {
    const state = build({
      template: 'B',
      status: {
        ...MID_UPDATE,
        currentStepIndex: 1,
        promoteFull: true,
        canary: { weights: { canary: { weight: 20, podTemplateHash: 'B' }, stable: { weight: 80, podTemplateHash: 'A' } } },
      },
      rss: [{ hash: 'A', spec: 10 }, { hash: 'B', spec: 2 }],
      services: { stable: 'A', canary: 'B' },
      vs: [80, 20],
    });
    const result = reconcile(state, 1000);
    expect(writes(result.actions)).toEqual(['scale B 2->10', 'status']);
    expect(vsCanaryWeight(result.state)).toBe(20);
    expect(result.state.rollout.status.currentStepIndex).toBe(4);
  });

  test('promote --full with dynamicStableScale and a canary twice spec.replicas: Istio refuses weight 200 and the tick fails (argo-rollouts#4424)', () => {
    const state = build({
      template: 'B',
      replicas: 2,
      canary: { dynamicStableScale: true },
      steps: [{ setCanaryScale: { replicas: 4 } }, { pause: {} }],
      status: {
        ...MID_UPDATE,
        currentStepIndex: 1,
        promoteFull: true,
        canary: { weights: { canary: { weight: 0, podTemplateHash: 'B' }, stable: { weight: 100, podTemplateHash: 'A' } } },
      },
      rss: [{ hash: 'A', spec: 2 }, { hash: 'B', spec: 4 }],
      services: { stable: 'A', canary: 'B' },
    });
    const result = reconcile(state, 1000);
    expect(result.error).toBe('VirtualService vs: update refused by Istio: route weight 200 is outside 0..100 (desired canary weight 200)');
    expect(vsCanaryWeight(result.state)).toBe(0);
  });
});
