import type { KubeObject } from './kube-client';
import type { ManifestSet } from './manifests';
import type { RecordedScenario } from './trace-vs-simulate';

/**
 * The dynamicStableScale scenario of the e2e suite, shared with the unit test of the trace
 * comparison: the article's manual app with 5 replicas (HPA minReplicas) and
 * `dynamicStableScale: true`, so the stable ReplicaSet is scaled down as the canary takes traffic.
 * Steps: setCanaryScale replicas 1 (raised to minPodsPerReplicaSet 2), pause, setCanaryScale
 * matchTrafficWeight, setWeight 25, pause, setWeight 75, pause; promoted at each pause.
 */
export const DYNAMIC_REPLICAS = 5;
/** Step indexes of the indefinite pauses. */
export const DYNAMIC_PAUSES = [1, 4, 6] as const;

export const DYNAMIC_STEPS = [
  { setCanaryScale: { replicas: 1 } },
  { pause: {} },
  { setCanaryScale: { matchTrafficWeight: true } },
  { setWeight: 25 },
  { pause: {} },
  { setWeight: 75 },
  { pause: {} },
];

/** The scenario as written into the trace (and replayed by `simulateRecorded`). */
export const DYNAMIC_SCENARIO: RecordedScenario = {
  replicas: DYNAMIC_REPLICAS,
  events: [{ at: 0, update: { image: 'my-image:2' } }, { whenPausedAtSteps: DYNAMIC_PAUSES, promote: {} }],
};

/**
 * The manual app turned into the dynamicStableScale app. scaleDownDelaySeconds goes: Argo
 * Rollouts rejects it together with dynamicStableScale (the old ReplicaSet is already scaled down
 * step by step).
 */
export function dynamicStableScaleSet(manual: ManifestSet): ManifestSet {
  const objects = manual.objects.map((o): KubeObject => {
    const spec = (o as { spec?: Record<string, any> }).spec ?? {};
    if (o.kind === 'Rollout') {
      const canary = { ...spec.strategy.canary, dynamicStableScale: true, steps: DYNAMIC_STEPS };
      delete canary.scaleDownDelaySeconds;
      return { ...o, spec: { ...spec, strategy: { canary } } } as KubeObject;
    }
    if (o.kind === 'HorizontalPodAutoscaler') return { ...o, spec: { ...spec, minReplicas: DYNAMIC_REPLICAS } } as KubeObject;
    return o;
  });
  return { name: `${manual.name}-dynamic`, dir: manual.dir, objects };
}
