/**
 * Small inputs (one app) skip the lint's indexes: the runtime reader gets every object instead of
 * the Rollout's candidates, and every PDB is checked against every Rollout instead of the label
 * indexes' candidates. Padding an input with objects that concern no Rollout pushes it past both
 * thresholds, onto the indexed paths: the findings (and the plans and PDB coverage) must not change.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintManifests } from '../../src/lint/lint-manifests';
import { ManifestIndex } from '../../src/lint/manifest-index';
import { planRollout, SMALL_INPUT_OBJECTS } from '../../src/lint/plan-rollout';
import { pdbCoverage, SMALL_INPUT_PDBS } from '../../src/lint/pod-disruption-budgets';
import { readRollouts } from '../../src/lint/rollout-view';
import { articleAppObjects } from '../../bench/fixtures/article-app';
import { clone, fixture, pitfallFixtures } from './helpers';

/** ConfigMaps and PDBs that select no pod of any app (and allow evictions): no rule reports them. */
function padding(): Record<string, unknown>[] {
  const configMaps = Array.from({ length: SMALL_INPUT_OBJECTS + 1 }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `padding-${i}` },
    data: { i: String(i) },
  }));
  const pdbs = Array.from({ length: SMALL_INPUT_PDBS + 1 }, (_, i) => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: `padding-${i}` },
    spec: { maxUnavailable: 1, selector: { matchLabels: { 'test.padding/app': `padding-${i}` } } },
  }));
  return [...configMaps, ...pdbs];
}

const inputs = (): [string, Record<string, unknown>[]][] => [
  ['clean', fixture('clean')],
  ...pitfallFixtures().map((name): [string, Record<string, unknown>[]] => [name, fixture(name)]),
  ['article', articleAppObjects('my-app') as unknown as Record<string, unknown>[]],
];

/** The same findings whether or not the padding follows (padding comes last: object indexes are kept). */
function expectPaddingChangesNothing(objects: readonly Record<string, unknown>[]): void {
  const small = objects.length <= SMALL_INPUT_OBJECTS && objects.filter((o) => o.kind === 'PodDisruptionBudget').length <= SMALL_INPUT_PDBS;
  expect(small).toBe(true);
  const padded = [...objects, ...padding()];
  for (const options of [{}, { replicas: 3 }, { replicas: 1, surgeThresholdPercent: 10 }]) {
    expect(lintManifests(padded, options)).toEqual(lintManifests(objects, options));
  }
  const index = new ManifestIndex(objects);
  const paddedIndex = new ManifestIndex(padded);
  const rollouts = readRollouts(index);
  const paddedRollouts = readRollouts(paddedIndex);
  rollouts.forEach((rollout, i) => {
    const coverage = (idx: ManifestIndex, r: typeof rollout) =>
      pdbCoverage(idx, r).map((c) => [c.pdb.index, c.stable, c.canary, c.meantButMissed]);
    expect(coverage(paddedIndex, paddedRollouts[i])).toEqual(coverage(index, rollout));
    for (const replicas of [1, 2, 5]) {
      expect(planRollout(paddedIndex, paddedRollouts[i], replicas)).toEqual(planRollout(index, rollout, replicas));
    }
  });
}

describe('small inputs (no indexes) lint like large ones (indexed)', () => {
  it.each(inputs())('%s', (_name, objects) => {
    expectPaddingChangesNothing(objects);
  });

  it('edited fixtures: namespaces, labels and PDB selectors moved around', () => {
    const all = inputs();
    const edit = fc.record({
      input: fc.integer({ min: 0, max: all.length - 1 }),
      edits: fc.array(
        fc.record({
          object: fc.nat(),
          what: fc.constantFrom('namespace', 'label', 'pdb', 'drop'),
          value: fc.constantFrom('my-app', 'canary', 'stable', 'x', 'ns1'),
        }),
        { maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(edit, ({ input, edits }) => {
        const objects = clone(all[input][1]) as Record<string, any>[];
        for (const { object, what, value } of edits) {
          if (objects.length === 0) break;
          const o = objects[object % objects.length];
          if (what === 'drop') objects.splice(object % objects.length, 1);
          else if (what === 'namespace') o.metadata = { ...o.metadata, namespace: value };
          else if (what === 'label' && o.spec?.template?.metadata) o.spec.template.metadata.labels = { ...o.spec.template.metadata.labels, role: value };
          else if (what === 'pdb' && o.kind === 'PodDisruptionBudget') o.spec = { ...o.spec, selector: { matchLabels: { app: 'my-app', role: value } } };
        }
        expectPaddingChangesNothing(objects);
      }),
      { numRuns: 150 },
    );
  });
});
