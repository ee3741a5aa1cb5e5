import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commonOutside, goArgs, SPECS } from './functions';
import { ISTIO_SPECS } from './istio-functions';
import { LIFECYCLE_SPECS } from './lifecycle-functions';
import { genRollout } from './inputs';
import { Random } from './random';

// The differential run's own pieces (the Go side is exercised by `npm run diff-argo`).
describe('diff-argo generator', () => {
  it('the same seed gives the same cases', () => {
    for (const spec of [...SPECS, ...ISTIO_SPECS, ...LIFECYCLE_SPECS]) {
      const a = new Random(42);
      const b = new Random(42);
      const left = Array.from({ length: 20 }, () => spec.generate(a));
      const right = Array.from({ length: 20 }, () => spec.generate(b));
      expect(JSON.stringify(left), spec.name).toBe(JSON.stringify(right));
    }
  });

  it.each([
    { name: 'spec.replicas 2^31-1', args: { ro: { spec: { replicas: 2 ** 31 - 1, strategy: { canary: {} } }, status: {} } }, id: 'int32-wrap' },
    { name: 'spec.replicas 21474836 is still valid', args: { ro: { spec: { replicas: 21474836, strategy: { canary: {} } }, status: {} } }, id: undefined },
    { name: 'maxTrafficWeight 0', args: { ro: { spec: { replicas: 3, strategy: { canary: { trafficRouting: { maxTrafficWeight: 0 } } } }, status: {} } }, id: 'max-weight-0' },
    { name: 'setWeight above the maximum', args: { ro: { spec: { replicas: 3, strategy: { canary: { steps: [{ setWeight: 101 }] } } }, status: {} } }, id: 'set-weight-range' },
    { name: 'maxSurge "2.5%"', args: { ro: { spec: { replicas: 3, strategy: { canary: { maxSurge: '2.5%' } } }, status: {} } }, id: 'intstr-format' },
    { name: 'negative step index', args: { ro: { spec: { replicas: 3, strategy: { canary: {} } }, status: { currentStepIndex: -1 } } }, id: 'negative-step-index' },
    { name: 'maxWeight 0 argument', args: { n: 3, weight: 0, max: 0 }, id: 'max-weight-0' },
    { name: 'replicas 0, weight 0', args: { n: 0, weight: 0, max: 100 }, id: undefined },
  ])('classifies $name', ({ args, id }) => {
    expect(commonOutside(args)?.split(':')[0]).toBe(id);
  });

  it('every reason id is documented in docs/runtime.md', () => {
    const docs = readFileSync(join(__dirname, '..', '..', 'docs', 'runtime.md'), 'utf8');
    for (const id of ['int32-wrap', 'max-weight-0', 'set-weight-range', 'intstr-format', 'negative-step-index', 'nil-rs-replicas', 'nil-rollout-replicas', 'empty-route-list', 'pause-duration-invalid', 'deadline-instant', 'observed-generation-not-modelled', 'ephemeral-annotation-foreign']) {
      expect(docs).toContain(`\`${id}\``);
    }
  });

  it('gives Go RFC 3339 times and Kubernetes ReplicaSets', () => {
    const ro = genRollout(new Random(1));
    const args = goArgs({
      ro: { ...ro, status: { ...ro.status, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 90 }] } },
      newRS: { name: 'app-B', podTemplateHash: 'B', specReplicas: 2, availableReplicas: 1 },
      stableRS: undefined,
    });
    expect((args['ro'] as { status: { pauseConditions: unknown } }).status.pauseConditions).toEqual([{ reason: 'CanaryPauseStep', startTime: '2026-01-01T00:01:30Z' }]);
    expect(args['newRS']).toEqual({
      metadata: { name: 'app-B', namespace: 'default', labels: { 'rollouts-pod-template-hash': 'B' } },
      spec: { replicas: 2 },
      status: { replicas: 1, availableReplicas: 1 },
    });
    expect(args['stableRS']).toBeNull();
  });
});
