import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type KubeObject, readManifests } from '../../src/model/manifests';
import { plan, planBySimulation } from '../../src/runtime/plan';
import { planByFormulas } from '../../src/runtime/plan-formulas';
import type { CanaryStep } from '../../src/runtime/types';

/**
 * `plan` computes the happy path from the Argo formulas when the Rollout is in the closed-form
 * domain (plan-formulas.ts), else replays the simulation. The simulation-based plan is the
 * reference: over thousands of random Rollouts both must give the same rows (or the same error).
 */

interface Shape {
  readonly replicas: number;
  readonly minReadySeconds?: number;
  readonly minPodsPerReplicaSet?: number;
  readonly scaleDownDelaySeconds?: number;
  readonly abortScaleDownDelaySeconds?: number;
  readonly maxSurge: number | string;
  readonly maxUnavailable: number | string;
  readonly dynamicStableScale: boolean;
  readonly namedRoute: boolean;
  readonly fqdnHosts: boolean;
  readonly steps: readonly CanaryStep[];
}

const stepArb: fc.Arbitrary<CanaryStep> = fc.oneof(
  fc.integer({ min: 0, max: 100 }).map((w) => ({ setWeight: w })),
  fc.constantFrom<CanaryStep>({ setWeight: 0 }, { setWeight: 100 }),
  fc.constant({ pause: {} }),
  fc.integer({ min: 1, max: 90 }).map((d) => ({ pause: { duration: d } })),
  fc.constantFrom<CanaryStep>({ pause: { duration: '15s' } }, { pause: { duration: '1m' } }),
  fc.integer({ min: 0, max: 14 }).map((r) => ({ setCanaryScale: { replicas: r } })),
  fc.integer({ min: 0, max: 100 }).map((w) => ({ setCanaryScale: { weight: w } })),
  fc.constant({ setCanaryScale: { matchTrafficWeight: true } }),
);

const shapeArb: fc.Arbitrary<Shape> = fc
  .record({
    replicas: fc.integer({ min: 1, max: 12 }),
    minReadySeconds: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
    minPodsPerReplicaSet: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    scaleDownDelaySeconds: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
    abortScaleDownDelaySeconds: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
    maxSurge: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('25%', '50%', '0%')),
    maxUnavailable: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom('25%', '0%')),
    // Out of the closed-form domain: plan must then fall back to the simulation.
    dynamicStableScale: fc.constantFrom(false, false, false, false, true),
    namedRoute: fc.boolean(),
    fqdnHosts: fc.boolean(),
    steps: fc.array(stepArb, { minLength: 1, maxLength: 14 }),
  })
  .filter((s) => (s.maxSurge !== 0 && s.maxSurge !== '0%') || (s.maxUnavailable !== 0 && s.maxUnavailable !== '0%'));

function manifests(s: Shape): KubeObject[] {
  const svc = (name: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app: 'p' }, ports: [{ port: 80 }] },
  });
  const host = (name: string): string => (s.fqdnHosts ? `${name}.default.svc.cluster.local` : name);
  return [
    svc('p-stable'),
    svc('p-canary'),
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'p-vs' },
      spec: {
        hosts: ['p'],
        http: [
          {
            ...(s.namedRoute ? { name: 'primary' } : {}),
            route: [
              { destination: { host: host('p-stable') }, weight: 100 },
              { destination: { host: host('p-canary') }, weight: 0 },
            ],
          },
        ],
      },
    },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'p' },
      spec: {
        replicas: s.replicas,
        ...(s.minReadySeconds !== undefined ? { minReadySeconds: s.minReadySeconds } : {}),
        selector: { matchLabels: { app: 'p' } },
        template: { metadata: { labels: { app: 'p' } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } },
        strategy: {
          canary: {
            steps: s.steps,
            maxSurge: s.maxSurge,
            maxUnavailable: s.maxUnavailable,
            stableService: 'p-stable',
            canaryService: 'p-canary',
            trafficRouting: { istio: { virtualService: { name: 'p-vs', ...(s.namedRoute ? { routes: ['primary'] } : {}) } } },
            ...(s.dynamicStableScale ? { dynamicStableScale: true } : {}),
            ...(s.minPodsPerReplicaSet !== undefined ? { minPodsPerReplicaSet: s.minPodsPerReplicaSet } : {}),
            ...(s.scaleDownDelaySeconds !== undefined && !s.dynamicStableScale ? { scaleDownDelaySeconds: s.scaleDownDelaySeconds } : {}),
            ...(s.abortScaleDownDelaySeconds !== undefined ? { abortScaleDownDelaySeconds: s.abortScaleDownDelaySeconds } : {}),
          },
        },
      },
    },
  ];
}

/** The plan, or the error message it throws. */
function outcome(run: () => unknown): unknown {
  try {
    return run();
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('plan by formulas = plan by simulation', () => {
  test('random Istio Rollouts (setWeight / pause / setCanaryScale): same rows, or the same error', () => {
    let direct = 0;
    let runs = 0;
    fc.assert(
      fc.property(shapeArb, fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }), (shape, replicas) => {
        runs += 1;
        const model = readManifests(manifests(shape));
        const options = replicas !== undefined ? { replicas } : {};
        if (planByFormulas(model, replicas ?? shape.replicas) !== undefined) direct += 1;
        expect(outcome(() => plan(model, options))).toEqual(outcome(() => planBySimulation(model, options)));
      }),
      { numRuns: 2000 },
    );
    // The property must exercise the closed form, not only the fallback.
    expect(direct).toBeGreaterThan(runs * 0.6);
  }, 120_000);

  test('Rollouts outside the closed form are planned by the simulation', () => {
    const base = readManifests(
      manifests({
        replicas: 4, maxSurge: 1, maxUnavailable: 0, dynamicStableScale: true, namedRoute: true, fqdnHosts: false,
        steps: [{ setWeight: 50 }, { pause: {} }],
      }),
    );
    expect(planByFormulas(base, 4)).toBeUndefined();
    expect(plan(base)).toEqual(planBySimulation(base));
    // dynamicStableScale: the stable shrinks only once the weight has moved (at the next step).
    expect(plan(base).rows.map((r) => [r.canaryWeight, r.canaryReplicas, r.stableReplicas])).toEqual([
      [50, 2, 4],
      [50, 2, 2],
    ]);
    const analysis = { ...base, spec: { ...base.spec, strategy: { canary: { ...base.spec.strategy.canary, dynamicStableScale: false, steps: [{ setWeight: 50 }, { analysis: { templates: [] } }] } } } };
    expect(planByFormulas(analysis, 4)).toBeUndefined();
  });
});
