/**
 * The lint indexes (objects by kind/name, HPAs by target, PDBs by label pair, the runtime reader's
 * objects per Rollout) must give exactly what scanning every object gives. Each test compares with
 * a plain scan over generated inputs where apps share names, labels and namespaces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesSelector, readLabelSelector, selectorKeys } from '../../src/lint/label-selector';
import { ManifestIndex, sameNamespace, type ManifestObject } from '../../src/lint/manifest-index';
import { planRollout } from '../../src/lint/plan-rollout';
import { pdbCoverage } from '../../src/lint/pod-disruption-budgets';
import { readRollouts } from '../../src/lint/rollout-view';
import { recordAt } from '../../src/lint/data';
import { ManifestError, readManifests, type KubeObject } from '../../src/model/manifests';
import { plan } from '../../src/runtime/plan';
import { SimulationError } from '../../src/runtime/simulate';

const names = fc.constantFrom('a', 'b', 'c');
const namespace = fc.option(fc.constantFrom('x', 'y'), { nil: undefined });
const labels = fc.dictionary(fc.constantFrom('app', 'role', 'tier'), fc.constantFrom('a', 'b', 'stable', 'canary'), { maxKeys: 3 });
const meta = (name: string, ns: string | undefined) => ({ name, ...(ns === undefined ? {} : { namespace: ns }) });

const pdb = fc.record({ name: names, ns: namespace, matchLabels: labels, expr: fc.boolean() }).map(({ name, ns, matchLabels, expr }) => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: meta(name, ns),
  spec: {
    maxUnavailable: 1,
    selector: { matchLabels, ...(expr ? { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] } : {}) },
  },
}));
const service = fc.record({ name: fc.constantFrom('a-svc', 'a-canary', 'b-svc', 'b-canary'), ns: namespace, selector: labels }).map(({ name, ns, selector }) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta(name, ns),
  spec: { selector },
}));
const hpa = fc.record({ name: names, ns: namespace, target: names, kind: fc.constantFrom('Rollout', 'Deployment'), min: fc.integer({ min: 1, max: 3 }) }).map(
  ({ name, ns, target, kind, min }) => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(name, ns),
    spec: { minReplicas: min, maxReplicas: min + 2, scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind, name: target } },
  }),
);
const deployment = fc.record({ name: names, ns: namespace, labels }).map(({ name, ns, labels: l }) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: meta(name, ns),
  spec: { replicas: 0, selector: { matchLabels: l }, template: { metadata: { labels: l }, spec: { containers: [{ name: 'app', image: 'app:1' }] } } },
}));
const rollout = fc
  .record({ name: names, ns: namespace, labels, stable: labels, canary: labels, ref: fc.boolean(), replicas: fc.integer({ min: 1, max: 5 }), svc: fc.constantFrom('a', 'b') })
  .map(({ name, ns, labels: l, stable, canary, ref, replicas, svc }) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: meta(name, ns),
    spec: {
      replicas,
      selector: { matchLabels: l },
      ...(ref ? { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name } } : { template: { metadata: { labels: l }, spec: { containers: [{ name: 'app', image: 'app:2' }] } } }),
      strategy: {
        canary: {
          stableService: `${svc}-svc`,
          canaryService: `${svc}-canary`,
          stableMetadata: { labels: stable },
          canaryMetadata: { labels: canary },
          steps: [{ setWeight: 20 }, { pause: { duration: 10 } }, { setWeight: 60 }, { pause: { duration: 10 } }],
        },
      },
    },
  }));
const manifests = fc
  .tuple(fc.array(rollout, { minLength: 1, maxLength: 3 }), fc.array(fc.oneof(pdb, service, hpa, deployment), { maxLength: 14 }))
  .chain(([rs, others]) => fc.shuffledSubarray([...rs, ...others], { minLength: rs.length + others.length }));

describe('indexed lookups equal a scan of every object', () => {
  it('find and HPA targets', () => {
    fc.assert(
      fc.property(manifests, names, namespace, (objects, name, ns) => {
        const index = new ManifestIndex(objects);
        for (const kind of ['Service', 'Deployment', 'PodDisruptionBudget']) {
          const candidates = index.objects.filter((o) => o.kind === kind && o.name === name);
          const expected = candidates.find((o) => o.namespace === ns) ?? candidates.find((o) => sameNamespace(o.namespace, ns));
          expect(index.find(kind, name, ns)).toBe(expected);
        }
        for (const kind of ['Rollout', 'Deployment']) {
          const scanned = index.objects.filter((o) => {
            const target = recordAt(recordAt(o.raw.spec).scaleTargetRef);
            return o.kind === 'HorizontalPodAutoscaler' && target.kind === kind && target.name === name;
          });
          expect(index.hpasTargeting(kind, name)).toEqual(scanned);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('PDB coverage', () => {
    fc.assert(
      fc.property(manifests, (objects) => {
        const index = new ManifestIndex(objects);
        for (const r of readRollouts(index)) {
          const podKeys = new Set(Object.keys(r.podLabels));
          const scanned = index.objects
            .filter((o) => o.kind === 'PodDisruptionBudget' && sameNamespace(o.namespace, r.object.namespace))
            .map((p) => {
              const selector = readLabelSelector(recordAt(p.raw.spec).selector);
              const stable = matchesSelector(selector, r.stablePodLabels);
              const canary = matchesSelector(selector, r.canaryPodLabels);
              const meant = !stable && !canary && selectorKeys(selector).some((k) => podKeys.has(k)) && matchesSelector(selector, r.podLabels, podKeys);
              return { pdb: p, selector, stable, canary, meantButMissed: meant };
            })
            .filter((c) => c.stable || c.canary || c.meantButMissed);
          expect(pdbCoverage(index, r)).toEqual(scanned);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("the runtime plan from the Rollout's objects alone", () => {
    // The scan the index replaces: the Rollout plus every other object of its namespace.
    const scannedPlan = (index: ManifestIndex, object: ManifestObject, replicas: number) => {
      const others = (keep: (o: ManifestObject) => boolean) =>
        [object, ...index.objects.filter((o) => o.kind !== 'Rollout' && keep(o))].map((o) => o.raw as KubeObject);
      for (const input of [others((o) => o.namespace === object.namespace), others((o) => sameNamespace(o.namespace, object.namespace))]) {
        let model;
        try {
          model = readManifests(input, { rollout: object.name });
        } catch (err) {
          if (err instanceof ManifestError) continue;
          throw err;
        }
        try {
          return { ok: true, rows: plan(model, { replicas }).rows.map((r) => [r.step, r.action, r.canaryReplicas, r.stableReplicas, r.podsAdded]) };
        } catch (err) {
          if (err instanceof SimulationError || err instanceof ManifestError) return { ok: false };
          throw err;
        }
      }
      return { ok: false };
    };
    let planned = 0;
    fc.assert(
      fc.property(manifests, (objects) => {
        const index = new ManifestIndex(objects);
        for (const r of readRollouts(index)) {
          const replicas = r.replicas ?? 1;
          const got = planRollout(index, r, replicas);
          const want = scannedPlan(index, r.object, replicas);
          expect(got.ok).toBe(want.ok);
          if (got.ok && want.ok) {
            planned += 1;
            expect(got.steps.map((s) => [s.stepIndex, s.action, s.canaryReplicas, s.stableReplicas, s.podsAdded])).toEqual(want.rows);
          }
        }
      }),
      { numRuns: 60 },
    );
    expect(planned).toBeGreaterThan(0);
  });
});
