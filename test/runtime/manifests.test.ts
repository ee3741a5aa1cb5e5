import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { type KubeObject, listRollouts, ManifestError, parseManifests, readManifests } from '../../src/model/manifests';

const FIXTURES = join(__dirname, '..', 'fixtures');
const automatic = readFileSync(join(FIXTURES, 'article-automatic.yaml'), 'utf8');
const manual = readFileSync(join(FIXTURES, 'article-manual.yaml'), 'utf8');

/** The fixture's documents as objects, so tests can drop or edit one. */
function docs(text: string): KubeObject[] {
  return parseManifests(text).map((o) => o.object);
}
function without(text: string, kind: string, name?: string): string {
  return docs(text)
    .filter((o) => !(o.kind === kind && (name === undefined || o.metadata?.name === name)))
    .map((o) => stringify(o))
    .join('---\n');
}
function editRollout(text: string, edit: (ro: Record<string, any>) => void): string {
  return docs(text)
    .map((o) => {
      if (o.kind !== 'Rollout') return stringify(o);
      const copy = structuredClone(o) as Record<string, any>;
      edit(copy);
      return stringify(copy);
    })
    .join('---\n');
}

describe('readManifests on the article', () => {
  test('resolves the workloadRef, Services, VirtualService and HPA of the automatic profile', () => {
    // WHEN
    const model = readManifests(automatic);
    // THEN
    expect(model.name).toBe('my-app-rollout');
    expect(model.workload).toMatchObject({ kind: 'Deployment', name: 'my-app-dep', scaleDown: 'never' });
    expect((model.template as any).spec.containers[0].image).toBe('my-image:1');
    expect(model.selector).toEqual({ app: 'my-app' });
    expect(model.spec.minReadySeconds).toBe(5);
    expect(model.spec.replicas).toBeUndefined();
    expect(model.spec.strategy.canary?.minPodsPerReplicaSet).toBe(2);
    expect(model.spec.strategy.canary?.steps).toHaveLength(12);
    expect(model.spec.strategy.canary?.steps?.[11]).toEqual({ pause: { duration: '15s' } });
    expect(model.services.stable?.name).toBe('my-app-svc');
    expect(model.services.canary?.name).toBe('my-app-canary-svc');
    expect(model.services.canary?.selector).toEqual({ app: 'my-app' });
    expect(model.virtualServices.map((v) => v.name)).toEqual(['my-app-vs']);
    expect((model.virtualServices[0].spec as any).http[0].route).toHaveLength(2);
    expect(model.hpa).toMatchObject({ name: 'my-app-hpa', minReplicas: 2, maxReplicas: 10 });
    expect(model.destinationRule).toBeUndefined();
    expect(model.pdbs).toEqual([]);
  });

  test('reads the manual profile steps as written', () => {
    const steps = readManifests(manual).spec.strategy.canary?.steps;
    expect(steps?.[0]).toEqual({ setCanaryScale: { replicas: 2 } });
    expect(steps?.[1]).toEqual({ pause: {} });
    expect(steps?.[2]).toEqual({ setCanaryScale: { matchTrafficWeight: true } });
    expect(steps).toHaveLength(14);
  });

  test('accepts parsed objects and several texts with file names', () => {
    const objects = docs(automatic);
    expect(readManifests(objects).name).toBe('my-app-rollout');
    const rollout = objects.filter((o) => o.kind === 'Rollout').map((o) => stringify(o));
    const rest = objects.filter((o) => o.kind !== 'Rollout').map((o) => stringify(o));
    const model = readManifests([
      { text: rest.join('---\n'), file: 'base.yaml' },
      { text: rollout[0], file: 'rollout.yaml' },
    ]);
    expect(model.source).toEqual({ file: 'rollout.yaml', document: 1 });
  });

  test('expands kind: List', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: docs(automatic) };
    expect(readManifests(stringify(list)).workload?.name).toBe('my-app-dep');
  });
});

describe('choosing the Rollout', () => {
  const second = stringify({ ...docs(automatic).find((o) => o.kind === 'Rollout'), metadata: { name: 'other-rollout' } });
  const two = `${automatic}\n---\n${second}`;

  test('lists the Rollouts in input order', () => {
    expect(listRollouts(two)).toEqual(['my-app-rollout', 'other-rollout']);
  });
  test('picks the named one', () => {
    expect(readManifests(two, { rollout: 'other-rollout' }).name).toBe('other-rollout');
  });
  test.each([
    ['several Rollouts and no name', two, undefined, 'the input holds 2 Rollouts (my-app-rollout, other-rollout): choose one with NAME or NAMESPACE/NAME'],
    ['an unknown name', two, 'nope', 'Rollout/nope is not in the input (found: my-app-rollout, other-rollout)'],
    [
      'no Rollout at all',
      without(automatic, 'Rollout'),
      undefined,
      'no Rollout (apiVersion argoproj.io/v1alpha1, kind Rollout) in the input (read: Deployment/my-app-dep, Service/my-app-svc, Service/my-app-canary-svc, VirtualService/my-app-vs, HorizontalPodAutoscaler/my-app-hpa)',
    ],
  ])('%s is an error', (_name, text, rollout, message) => {
    expect(() => readManifests(text, { rollout })).toThrow(new ManifestError(message));
  });
  test('no Rollout: the error names every file read and what they held (issue 20 #19)', () => {
    const services = Array.from({ length: 7 }, (_, i) => `kind: Service\nmetadata: {name: s${i}}\n`).join('---\n');
    expect(() => readManifests([{ file: 'a.yaml', text: services }, { file: 'b.yaml', text: '' }])).toThrow(
      new ManifestError(
        'no Rollout (apiVersion argoproj.io/v1alpha1, kind Rollout) in a.yaml, b.yaml (read: Service/s0, Service/s1, Service/s2, Service/s3, Service/s4 and 2 more)',
      ),
    );
    expect(() => readManifests([{ file: 'empty.yaml', text: '# nothing\n' }])).toThrow(
      new ManifestError('no Rollout (apiVersion argoproj.io/v1alpha1, kind Rollout) in empty.yaml (read: no object)'),
    );
  });
});

describe('choosing among same-named Rollouts in several namespaces', () => {
  const inNamespace = (ns: string, replicas: number): string =>
    docs(automatic)
      .map((o) => stringify({ ...o, metadata: { ...o.metadata, namespace: ns }, ...(o.kind === 'Rollout' ? { spec: { ...(o.spec as object), replicas } } : {}) }))
      .join('---\n');
  const both = `${inNamespace('shop', 3)}---\n${inNamespace('blog', 7)}`;

  test('NAMESPACE/NAME picks the Rollout of that namespace and resolves its own objects', () => {
    const model = readManifests(both, { rollout: 'blog/my-app-rollout' });
    expect(model.namespace).toBe('blog');
    expect(model.spec.replicas).toBe(7);
    expect(readManifests(both, { rollout: 'shop/my-app-rollout' }).spec.replicas).toBe(3);
  });
  test('the bare name is ambiguous: the error lists each NAMESPACE/NAME and says how to choose', () => {
    expect(() => readManifests(both, { rollout: 'my-app-rollout' })).toThrow(
      /^Rollout\/my-app-rollout appears 2 times \(shop\/my-app-rollout \(document \d+\), blog\/my-app-rollout \(document \d+\)\); choose one as NAMESPACE\/NAME$/,
    );
    expect(() => readManifests(both)).toThrow('the input holds 2 Rollouts (shop/my-app-rollout, blog/my-app-rollout): choose one with NAME or NAMESPACE/NAME');
    expect(() => readManifests(both, { rollout: 'web/my-app-rollout' })).toThrow('Rollout/web/my-app-rollout is not in the input');
  });
});

describe('missing references name the object and the field', () => {
  test.each([
    [
      'the workloadRef Deployment',
      without(automatic, 'Deployment'),
      'Rollout/my-app-rollout: spec.workloadRef names Deployment/my-app-dep, which is not in the input',
    ],
    [
      'the stable Service',
      without(automatic, 'Service', 'my-app-svc'),
      'Rollout/my-app-rollout: spec.strategy.canary.stableService names Service/my-app-svc, which is not in the input',
    ],
    [
      'the canary Service',
      without(automatic, 'Service', 'my-app-canary-svc'),
      'Rollout/my-app-rollout: spec.strategy.canary.canaryService names Service/my-app-canary-svc, which is not in the input',
    ],
    [
      'the VirtualService',
      without(automatic, 'VirtualService'),
      'Rollout/my-app-rollout: spec.strategy.canary.trafficRouting.istio.virtualService.name names VirtualService/my-app-vs, which is not in the input',
    ],
    [
      'the DestinationRule',
      editRollout(automatic, (ro) => {
        ro.spec.strategy.canary.trafficRouting.istio.destinationRule = {
          name: 'my-app-dr',
          canarySubsetName: 'canary',
          stableSubsetName: 'stable',
        };
      }),
      'Rollout/my-app-rollout: spec.strategy.canary.trafficRouting.istio.destinationRule.name names DestinationRule/my-app-dr, which is not in the input',
    ],
  ])('%s', (_name, text, message) => {
    expect(() => readManifests(text)).toThrow(new ManifestError(message));
  });

  test('errors name the file when the input has one', () => {
    expect(() => readManifests({ text: without(automatic, 'Deployment'), file: 'app.yaml' })).toThrow(
      'app.yaml: Rollout/my-app-rollout: spec.workloadRef names Deployment/my-app-dep, which is not in the input',
    );
  });

  test('invalid YAML names the document and line', () => {
    expect(() => readManifests({ text: 'kind: Service\n---\nspec: [\n', file: 'bad.yaml' })).toThrow(
      /^bad\.yaml: invalid YAML in document 2 \(line \d+\): /,
    );
  });

  test('invalid YAML after valid documents: the line and column within the whole file', () => {
    // documents are composed one at a time (parseManifests): positions still count from the file's start
    const text = 'kind: A\n---\nkind: B\n---\nkind: C\n  bad: indent\n';
    expect(() => parseManifests([{ text, file: 'bad.yaml' }])).toThrow(
      'bad.yaml: invalid YAML in document 3 (line 5): Nested mappings are not allowed in compact mappings at line 5, column 7:',
    );
  });
});

describe('invalid Rollout fields name the field, the value and what is valid', () => {
  test.each([
    [
      'setWeight above 100',
      (ro: any) => (ro.spec.strategy.canary.steps[2] = { setWeight: 120 }),
      'Rollout/my-app-rollout: spec.strategy.canary.steps[2].setWeight (120) must be an integer between 0 and 100',
    ],
    [
      'an unparsable pause duration',
      (ro: any) => (ro.spec.strategy.canary.steps[11] = { pause: { duration: 'soon' } }),
      'Rollout/my-app-rollout: spec.strategy.canary.steps[11].pause.duration ("soon") must be whole seconds or a duration string such as "30s", "5m" or "1h"',
    ],
    [
      'a step with two kinds',
      (ro: any) => (ro.spec.strategy.canary.steps[0] = { setWeight: 1, pause: {} }),
      'Rollout/my-app-rollout: spec.strategy.canary.steps[0] ({"setWeight":1,"pause":{}}) must set exactly one of: setWeight, pause, setCanaryScale, analysis, experiment, setHeaderRoute, setMirrorRoute, plugin',
    ],
    [
      'a blue-green Rollout',
      (ro: any) => (ro.spec.strategy = { blueGreen: { activeService: 'x' } }),
      'Rollout/my-app-rollout: spec.strategy.blueGreen is not supported: the runtime models spec.strategy.canary only',
    ],
    [
      'a non-Istio router',
      (ro: any) => (ro.spec.strategy.canary.trafficRouting = { nginx: { stableIngress: 'x' } }),
      'Rollout/my-app-rollout: spec.strategy.canary.trafficRouting.nginx is not supported: the runtime models Istio traffic routing only',
    ],
    [
      'host-level split without a canary Service',
      (ro: any) => delete ro.spec.strategy.canary.canaryService,
      'Rollout/my-app-rollout: spec.strategy.canary.canaryService and spec.strategy.canary.stableService must both be set to use Istio host-level traffic routing (canaryService: null, stableService: "my-app-svc")',
    ],
    [
      'dynamicStableScale with scaleDownDelaySeconds',
      (ro: any) => (ro.spec.strategy.canary.dynamicStableScale = true),
      'Rollout/my-app-rollout: spec.strategy.canary.dynamicStableScale cannot be used with scaleDownDelaySeconds (30)',
    ],
    [
      'a template next to a workloadRef',
      (ro: any) => (ro.spec.template = { metadata: { labels: { app: 'x' } } }),
      'Rollout/my-app-rollout: spec.template must be empty when spec.workloadRef is set ("template must be empty for workload reference rollout")',
    ],
    [
      'a negative replica count',
      (ro: any) => (ro.spec.replicas = -1),
      'Rollout/my-app-rollout: spec.replicas (-1) must be an integer >= 0',
    ],
    [
      // issue 17: the controller's int32 weight * replicas wraps above this; the reader rejects it.
      'a replica count whose weight product overflows int32',
      (ro: any) => (ro.spec.replicas = 21474837),
      'Rollout/my-app-rollout: spec.replicas (21474837) must be at most 21474836: the controller computes weight * replicas in 32-bit integers, which overflow above that',
    ],
    [
      'a maxSurge that is not an intstr',
      (ro: any) => (ro.spec.strategy.canary.maxSurge = 'lots'),
      'Rollout/my-app-rollout: spec.strategy.canary.maxSurge ("lots") must be a non-negative integer or a percentage such as "25%"',
    ],
  ])('%s', (_name, edit, message) => {
    expect(() => readManifests(editRollout(automatic, edit))).toThrow(new ManifestError(message));
  });
});

describe('Istio references', () => {
  test('a VirtualService reference "name.namespace" finds the object in that namespace (GetVirtualServiceNamespaceName)', () => {
    const objects = docs(automatic).map((o) =>
      o.kind === 'VirtualService' ? { ...o, metadata: { ...o.metadata, namespace: 'mesh' } } : o,
    );
    const ro = objects.find((o) => o.kind === 'Rollout') as any;
    ro.spec.strategy.canary.trafficRouting.istio.virtualService.name = 'my-app-vs.mesh';
    const model = readManifests(objects);
    expect(model.virtualServices[0]).toMatchObject({ name: 'my-app-vs', namespace: 'mesh' });
  });

  test('a DestinationRule subset the Rollout names must exist', () => {
    const dr = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'my-app-dr' },
      spec: { host: 'my-app-svc', subsets: [{ name: 'stable', labels: { app: 'my-app' } }] },
    };
    const text = `${editRollout(automatic, (ro) => {
      ro.spec.strategy.canary.trafficRouting.istio.destinationRule = {
        name: 'my-app-dr',
        canarySubsetName: 'canary',
        stableSubsetName: 'stable',
      };
    })}---\n${stringify(dr)}`;
    expect(() => readManifests(text)).toThrow(
      'Rollout/my-app-rollout: spec.strategy.canary.trafficRouting.istio.destinationRule.canarySubsetName names subset "canary", which DestinationRule/my-app-dr does not define (subsets: stable)',
    );
  });
});

describe('HPA and PDBs', () => {
  test('an HPA aimed at the Deployment is not the Rollout HPA', () => {
    const text = docs(automatic)
      .map((o) => (o.kind === 'HorizontalPodAutoscaler' ? parse(stringify(o).replace('kind: Rollout', 'kind: Deployment')) : o))
      .map((o) => stringify(o))
      .join('---\n');
    expect(readManifests(text).hpa).toBeUndefined();
  });

  test('PDBs are classified by the role labels they select', () => {
    const pdb = (name: string, matchLabels: Record<string, string>) =>
      stringify({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name },
        spec: { maxUnavailable: 1, selector: { matchLabels } },
      });
    const text = [
      automatic,
      pdb('my-app-stable-pdb', { app: 'my-app', role: 'stable' }),
      pdb('my-app-canary-pdb', { app: 'my-app', role: 'canary' }),
      pdb('my-app-pdb', { app: 'my-app' }),
      pdb('unrelated-pdb', { app: 'other' }),
    ].join('\n---\n');
    const pdbs = readManifests(text).pdbs.map((p) => [p.name, p.selects, p.maxUnavailable]);
    expect(pdbs).toEqual([
      ['my-app-stable-pdb', 'stable', 1],
      ['my-app-canary-pdb', 'canary', 1],
      ['my-app-pdb', 'both', 1],
    ]);
  });
});
