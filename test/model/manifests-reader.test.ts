import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  inspectRollout,
  type KubeObject,
  ManifestError,
  parseManifests,
  readHpaFields,
  readManifests,
  readRolloutFields,
  readVirtualServiceRoutes,
  readWorkloadFields,
} from '../../src/model/manifests';
import { lintManifests } from '../../src/lint';
import { surgeAllowance } from '../../src/lint/rules/pod-surge';
import { getMinPodsPerReplicaSetOrDefault } from '../../src/runtime/rollout-defaults';

/** The reader in the model layer: collecting every problem, and the throwing `readManifests` on top. */

const automatic = readFileSync(join(__dirname, '..', 'fixtures', 'article-automatic.yaml'), 'utf8');

/** The article's objects, with `edit` applied to each (a copy). */
function edited(edit: (o: Record<string, any>) => void): KubeObject[] {
  return parseManifests(automatic).map(({ object }) => {
    const copy = structuredClone(object) as Record<string, any>;
    edit(copy);
    return copy as KubeObject;
  });
}

/** Three independent problems: the Rollout's replicas, a missing canary Service, an HPA without maxReplicas. */
const threeProblems = edited((o) => {
  if (o.kind === 'Rollout') o.spec.replicas = -1;
  if (o.kind === 'Service' && o.metadata.name === 'my-app-canary-svc') o.metadata.name = 'renamed';
  if (o.kind === 'HorizontalPodAutoscaler') delete o.spec.maxReplicas;
});

describe('the collecting reader', () => {
  test('reports every part that has a problem, in reading order, and no model', () => {
    const read = inspectRollout(threeProblems);
    expect(read.model).toBeUndefined();
    expect(read.problems).toEqual([
      'Rollout/my-app-rollout: spec.replicas (-1) must be an integer >= 0',
      'Rollout/my-app-rollout: spec.strategy.canary.canaryService names Service/my-app-canary-svc, which is not in the input',
      'HorizontalPodAutoscaler/my-app-hpa: spec.maxReplicas is missing',
    ]);
    // The parts that read are kept for a caller with more to do (the lint).
    expect(read.template).toBeDefined();
    expect(read.workload?.name).toBe('my-app-dep');
    expect(read.rollout?.object.metadata?.name).toBe('my-app-rollout');
  });

  test('readManifests throws one ManifestError listing every problem, one line each', () => {
    let error: unknown;
    try {
      readManifests(threeProblems);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ManifestError);
    const { problems, message } = error as ManifestError;
    expect(problems).toEqual(inspectRollout(threeProblems).problems);
    expect(message).toBe(problems.join('\n'));
  });

  test('one problem: the message is that problem alone, as before', () => {
    const input = edited((o) => {
      if (o.kind === 'Rollout') o.spec.strategy.canary.minPodsPerReplicaSet = 0;
    });
    expect(() => readManifests(input)).toThrow(
      new ManifestError('Rollout/my-app-rollout: spec.strategy.canary.minPodsPerReplicaSet (0) must be an integer >= 1'),
    );
    expect(inspectRollout(input).problems).toHaveLength(1);
  });

  test('a clean input reads to the same model both ways, with no problem', () => {
    const read = inspectRollout(automatic);
    expect(read.problems).toEqual([]);
    expect(read.model).toEqual(readManifests(automatic));
  });

  test('unreadable YAML ends the read with its one problem, naming file and line', () => {
    const read = inspectRollout({ text: 'a: [1,\n', file: 'bad.yaml' });
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]).toMatch(/^bad\.yaml: invalid YAML in document 1 \(line \d+\)/);
  });
});

describe("a Rollout's own fields (what the lint reads through the reader)", () => {
  const rollout = (spec: unknown) => ({ object: { kind: 'Rollout', metadata: { name: 'r' }, spec } as KubeObject, source: { document: 1 } });

  test('a cross-field problem keeps the strategy; a refused field drops it', () => {
    const crossField = readRolloutFields(
      rollout({ strategy: { canary: { canaryService: 'same', stableService: 'same', minPodsPerReplicaSet: 2 } } }),
    );
    expect(crossField.canary?.minPodsPerReplicaSet).toBe(2);
    expect(crossField.problems).toEqual([
      'Rollout/r: spec.strategy.canary.canaryService and spec.strategy.canary.stableService must differ (both are "same")',
    ]);
    const refused = readRolloutFields(rollout({ strategy: { canary: { minPodsPerReplicaSet: 1.5 } } }));
    expect(refused.canary).toBeUndefined();
    expect(refused.problems).toEqual(['Rollout/r: spec.strategy.canary.minPodsPerReplicaSet (1.5) must be an integer >= 1']);
  });

  test('a blue-green Rollout has no canary strategy and no problem here', () => {
    const read = readRolloutFields(rollout({ replicas: 3, strategy: { blueGreen: { activeService: 'a' } } }));
    expect(read.canary).toBeUndefined();
    expect(read.spec?.replicas).toBe(3);
    expect(read.problems).toEqual([]);
  });
});

describe('surge allowance without a re-defaulted minPodsPerReplicaSet', () => {
  // The floor comes from the controller's one default (getMinPodsPerReplicaSetOrDefault), not a second one in surgeAllowance.
  const minPods = (minPodsPerReplicaSet: number | undefined) => getMinPodsPerReplicaSetOrDefault({ strategy: { canary: { minPodsPerReplicaSet } } });
  test('unset means no floor beyond one pod; set, it floors the first canary pods only', () => {
    expect(surgeAllowance(10, 10, true, minPods(undefined))).toBe(1);
    expect(surgeAllowance(10, 10, true, minPods(3))).toBe(3);
    expect(surgeAllowance(10, 10, false, minPods(3))).toBe(1);
    expect(surgeAllowance(40, 10, true, minPods(undefined))).toBe(4);
  });
});

describe('the lint reads spec.replicas through the reader', () => {
  test('a refused spec.replicas is not read as unset (min-two-pods stays silent; not-evaluated names the problem)', () => {
    const objects = edited((o) => {
      if (o.kind === 'Rollout') o.spec.replicas = 2.5;
      if (o.kind === 'Deployment') o.spec.replicas = 0;
    }).filter((o) => o.kind !== 'HorizontalPodAutoscaler');
    const findings = lintManifests(objects);
    expect(findings.filter((f) => f.rule === 'min-two-pods')).toEqual([]);
    expect(findings.find((f) => f.rule === 'not-evaluated')?.message).toContain('spec.replicas (2.5) must be an integer >= 0');
  });
});

describe('the per-kind readers (what the Rollout reader, migration and the lint read those kinds with)', () => {
  const problems = (): string[] => [];
  const fail = (msg: string): never => {
    throw new ManifestError(`X: ${msg}`);
  };

  test('a workload: selector, template labels and replicas; a PodTemplate has its template at the top and no replicas', () => {
    const found: string[] = problems();
    const dep = readWorkloadFields(
      { kind: 'Deployment', spec: { replicas: -2, selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a', v: '1' } } } } },
      fail,
      found,
    );
    expect(dep).toMatchObject({ matchLabels: { app: 'a' }, templateLabels: { app: 'a', v: '1' }, replicas: undefined });
    expect(found).toEqual(['X: spec.replicas (-2) must be an integer >= 0']);
    const pt = readWorkloadFields({ kind: 'PodTemplate', template: { metadata: { labels: { app: 'p' } } }, spec: { replicas: 'x' } }, fail, found);
    expect(pt).toMatchObject({ templateLabels: { app: 'p' }, replicas: undefined });
    expect(found).toHaveLength(1);
  });

  test("an HPA: every refused bound is reported, by the Rollout reader too (the first of the HPA's problems no longer hides the second)", () => {
    const found: string[] = problems();
    const hpa = readHpaFields({ kind: 'HorizontalPodAutoscaler', spec: { scaleTargetRef: { kind: 'Rollout', name: 'r' }, minReplicas: 0 } }, fail, found);
    expect(hpa).toEqual({ scaleTargetRef: { apiVersion: undefined, kind: 'Rollout', name: 'r' }, minReplicas: undefined, maxReplicas: undefined });
    expect(found).toEqual(['X: spec.maxReplicas is missing', 'X: spec.minReplicas (0) must be an integer >= 1']);
    const read = inspectRollout(
      edited((o) => {
        if (o.kind === 'HorizontalPodAutoscaler') {
          o.spec.minReplicas = 0;
          o.spec.maxReplicas = 'ten';
        }
      }),
    );
    expect(read.problems).toEqual([
      'HorizontalPodAutoscaler/my-app-hpa: spec.maxReplicas ("ten") must be an integer >= 1',
      'HorizontalPodAutoscaler/my-app-hpa: spec.minReplicas (0) must be an integer >= 1',
    ]);
  });

  test('VirtualService routes: names, destinations and weights, a refused weight with its path', () => {
    const found: string[] = problems();
    const vs = { kind: 'VirtualService', spec: { http: [{ name: 'primary', route: [{ destination: { host: 'a.ns.svc', subset: 's' }, weight: 100 }, { destination: { host: 'b' }, weight: 1.5 }] }] } };
    expect(readVirtualServiceRoutes(vs, 'http', fail, found)).toEqual([
      {
        index: 0,
        name: 'primary',
        destinations: [
          { host: 'a.ns.svc', subset: 's', weight: 100 },
          { host: 'b', subset: undefined, weight: undefined },
        ],
      },
    ]);
    expect(found).toEqual(['X: spec.http[0].route[1].weight (1.5) must be an integer >= 0']);
    expect(readVirtualServiceRoutes(vs, 'tcp', fail, found)).toEqual([]);
  });
});

describe('the lint reads HPA bounds through the reader', () => {
  // The article's app with no error of its own (the Deployment scaled to 0, cpu requested), so not-evaluated speaks.
  const withMin = (minReplicas: unknown) =>
    lintManifests(
      edited((o) => {
        if (o.kind === 'HorizontalPodAutoscaler') o.spec.minReplicas = minReplicas;
        if (o.kind === 'Deployment') {
          o.spec.replicas = 0;
          o.spec.template.spec.containers[0].resources = { requests: { cpu: '100m' } };
        }
      }),
    );

  test('a refused minReplicas is not judged as a count (min-two-pods stays silent; not-evaluated names the problem)', () => {
    for (const bad of [0, 1.5, '2']) {
      const findings = withMin(bad);
      expect(findings.filter((f) => f.rule === 'min-two-pods'), String(bad)).toEqual([]);
      expect(findings.find((f) => f.rule === 'not-evaluated')?.message).toContain(`spec.minReplicas (${JSON.stringify(bad)}) must be an integer >= 1`);
    }
  });

  test("the workload's spec.replicas too: a refused value is not read as unset (workload-scaled-up stays silent)", () => {
    const findings = lintManifests(
      edited((o) => {
        if (o.kind === 'Deployment') {
          o.spec.replicas = 2.5;
          o.spec.template.spec.containers[0].resources = { requests: { cpu: '100m' } };
        }
      }),
    );
    expect(findings.filter((f) => f.rule === 'workload-scaled-up')).toEqual([]);
    expect(findings.find((f) => f.rule === 'not-evaluated')?.message).toContain('Deployment/my-app-dep: spec.replicas (2.5) must be an integer >= 0');
  });

  test("an absent minReplicas is Kubernetes' 1, the model's default (min-two-pods names it)", () => {
    const findings = withMin(undefined).filter((f) => f.rule === 'min-two-pods');
    expect(findings.map((f) => f.message)).toEqual(['minReplicas is 1 for Rollout/my-app-rollout; a restart of a single pod is an outage.']);
  });
});
