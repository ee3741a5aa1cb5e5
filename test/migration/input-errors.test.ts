import { describe, expect, it } from 'vitest';
import { readCanarySet } from '../../src/migration/canary-set';
import { readExistingApp } from '../../src/migration/existing-app';
import { type ManifestObject, parseManifestTexts, type SourcedManifest } from '../../src/migration/manifest-object';
import { MigrationError } from '../../src/migration/migration-error';
import { planMigration } from '../../src/migration/migration-plan';
import { ManifestError } from '../../src/model/manifests';
import { fixtureObjects, readFixture } from './helpers';
import { thrownBy } from '../support/thrown-by';

function edit(items: SourcedManifest[], kind: string, change: (o: ManifestObject) => ManifestObject): SourcedManifest[] {
  return items.map((m) => (m.object.kind === kind ? { ...m, object: change(structuredClone(m.object)) } : m));
}

const errorOf = (fn: () => unknown): MigrationError => thrownBy(fn, MigrationError);

describe('existing manifests: bad input is named', () => {
  const before = readFixture('article-before.yaml');

  it('reads the article app', () => {
    const app = readExistingApp(before);
    expect(app.appName).toBe('my-app');
    expect(app.deployment.metadata.name).toBe('my-app-dep');
    expect(app.service.metadata.name).toBe('my-app-svc');
    expect(app.hpa?.metadata.name).toBe('my-app-hpa');
    expect(app.routeIndex).toBe(0);
    expect(app.replicas).toBeUndefined();
    expect(app.others).toEqual([]);
  });

  it('no Deployment', () => {
    const err = errorOf(() => readExistingApp(before.filter((m) => m.object.kind !== 'Deployment')));
    expect(err.problems).toEqual([
      'no Deployment in the input (found: Service/my-app-svc, HorizontalPodAutoscaler/my-app-hpa, VirtualService/my-app-vs); the migration starts from a running Deployment',
    ]);
  });

  it('HPA aimed elsewhere', () => {
    const input = edit(before, 'HorizontalPodAutoscaler', (o) => ({ ...o, spec: { ...(o.spec as object), scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'other-dep' } } }));
    expect(errorOf(() => readExistingApp(input)).problems).toEqual([
      'HorizontalPodAutoscaler/my-app-hpa (article-before.yaml, document 3): spec.scaleTargetRef (Deployment/other-dep) is not Deployment/my-app-dep; the HPA must scale the Deployment being migrated',
    ]);
  });

  it('Service selecting other pods', () => {
    const input = edit(before, 'Service', (o) => ({ ...o, spec: { ...(o.spec as object), selector: { app: 'other' } } }));
    const err = errorOf(() => readExistingApp(input));
    expect(err.problems[0]).toBe(
      'Service/my-app-svc (article-before.yaml, document 2): spec.selector (app=other) does not select the pods of Deployment/my-app-dep (app=my-app)',
    );
    expect(err.message).toMatch(/^cannot migrate these manifests: \d problems?\n {2}Service\/my-app-svc/);
  });

  it('VirtualService without a route to the Service', () => {
    const input = edit(before, 'VirtualService', (o) => {
      const spec = o.spec as { http: { route: { destination: { host: string } }[] }[] };
      spec.http[0].route[0].destination.host = 'legacy-svc.prod.svc.cluster.local';
      return o;
    });
    expect(errorOf(() => readExistingApp(input)).problems).toEqual([
      'VirtualService/my-app-vs (article-before.yaml, document 4) has no http route to a Service of the input (my-app-svc); routes go to: legacy-svc.prod.svc.cluster.local',
    ]);
  });

  it('a route that already splits traffic, and several Deployments, are reported together', () => {
    let input = edit(before, 'VirtualService', (o) => {
      const spec = o.spec as { http: { route: unknown[] }[] };
      spec.http[0].route.push({ destination: { host: 'my-app-svc-v2' }, weight: 10 });
      return o;
    });
    input = [...input, { object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x-dep' } }, document: 9 }];
    const err = errorOf(() => readExistingApp(input));
    expect(err.problems).toEqual(['2 Deployments in the input (my-app-dep, x-dep): name the one to migrate (--deployment NAME)']);
    const err2 = errorOf(() => readExistingApp(input, { deployment: 'my-app-dep' }));
    expect(err2.problems).toEqual([
      'VirtualService/my-app-vs (article-before.yaml, document 4): spec.http[0] already splits traffic (my-app-svc, my-app-svc-v2); start the migration from a route with one destination',
    ]);
  });

  // The Deployment, HPA and VirtualService fields are read by the model's per-kind readers
  // (readWorkloadFields, readHpaFields, readVirtualServiceRoutes): a value they refuse is reported
  // in their words, with the migration's name for the object. Reading a field again in the
  // migration (with its own wording, or none) fails these.
  it('a replicas value the model reader refuses is reported in its words (field, value, what is valid)', () => {
    const withReplicas = (replicas: unknown) =>
      edit(before, 'Deployment', (o) => ({ ...o, spec: { ...(o.spec as object), replicas } }));
    expect(errorOf(() => readExistingApp(withReplicas('3'))).problems).toEqual([
      'Deployment/my-app-dep: spec.replicas ("3") must be an integer >= 0',
    ]);
    expect(errorOf(() => readExistingApp(withReplicas(30_000_000))).problems).toEqual([
      'Deployment/my-app-dep: spec.replicas (30000000) must be at most 21474836: the controller computes weight * replicas in 32-bit integers, which overflow above that',
    ]);
    expect(errorOf(() => readExistingApp(withReplicas(-1))).problems).toEqual([
      'Deployment/my-app-dep: spec.replicas (-1) must be an integer >= 0',
      "Deployment/my-app-dep: spec.replicas (-1) must be a whole number >= 1: the Rollout takes over the Deployment's pods " +
        '(with 0 no pod serves the traffic and an HPA stays idle); scale the Deployment up before migrating',
    ]);
    expect(readExistingApp(withReplicas(4)).replicas).toBe(4);
  });

  it('HPA replica bounds the model reader refuses are reported; an absent minReplicas stays absent in the read fields', () => {
    const withHpa = (fields: Record<string, unknown>) =>
      edit(before, 'HorizontalPodAutoscaler', (o) => ({ ...o, spec: { ...(o.spec as object), ...fields } }));
    expect(errorOf(() => readExistingApp(withHpa({ minReplicas: 0, maxReplicas: undefined }))).problems).toEqual([
      'HorizontalPodAutoscaler/my-app-hpa (article-before.yaml, document 3): spec.maxReplicas is missing',
      'HorizontalPodAutoscaler/my-app-hpa (article-before.yaml, document 3): spec.minReplicas (0) must be an integer >= 1',
    ]);
    const app = readExistingApp(withHpa({ minReplicas: undefined, maxReplicas: 7 }));
    expect(app.hpaFields).toEqual({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'my-app-dep' }, minReplicas: undefined, maxReplicas: 7 });
  });

  it('a route weight the model reader refuses is reported with its path', () => {
    const input = edit(before, 'VirtualService', (o) => {
      (o.spec as { http: { route: { weight?: unknown }[] }[] }).http[0].route[0].weight = '100';
      return o;
    });
    expect(errorOf(() => readExistingApp(input)).problems).toEqual([
      'VirtualService/my-app-vs (article-before.yaml, document 4): spec.http[0].route[0].weight ("100") must be an integer >= 0',
    ]);
  });

  it('keeps and reports objects that are not part of the migration', () => {
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'my-app-pdb' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'my-app' } } } };
    const app = readExistingApp([...before, { object: pdb, file: 'pdb.yaml', document: 1 }]);
    expect(app.others.map((o) => o.object.metadata.name)).toEqual(['my-app-pdb']);
    expect(app.notes[0]).toMatch(/^PodDisruptionBudget\/my-app-pdb \(pdb.yaml, document 1\) is kept as is; .*split stable\/canary PDBs/);
  });
});

describe('canary set: bad input is named', () => {
  const after = fixtureObjects('article-after.yaml');
  const change = (kind: string, fn: (o: ManifestObject) => ManifestObject): ManifestObject[] =>
    after.map((o) => (o.kind === kind ? fn(structuredClone(o)) : o));

  it('HPA aimed at the Deployment instead of the Rollout', () => {
    const input = change('HorizontalPodAutoscaler', (o) => ({ ...o, spec: { ...(o.spec as object), scaleTargetRef: { kind: 'Deployment', name: 'my-app-dep' } } }));
    expect(errorOf(() => readCanarySet(input)).problems).toEqual([
      'HorizontalPodAutoscaler/my-app-hpa: spec.scaleTargetRef (Deployment/my-app-dep) is not Rollout/my-app-rollout; after the migration the HPA scales the Rollout',
    ]);
  });

  it('VirtualService route not starting all-stable', () => {
    const input = change('VirtualService', (o) => {
      const spec = o.spec as { http: { route: { weight: number }[] }[] };
      spec.http[0].route[0].weight = 90;
      spec.http[0].route[1].weight = 10;
      return o;
    });
    expect(errorOf(() => readCanarySet(input)).problems).toEqual([
      'VirtualService/my-app-vs spec.http[0]: weights stable 90 / canary 10 must start at 100 / 0 (all traffic on the stable Service)',
    ]);
  });

  it('a VirtualService reference is read as the controller reads it: name.namespace, not namespace/name', () => {
    const withRef = (name: string) =>
      change('Rollout', (o) => {
        (o.spec as any).strategy.canary.trafficRouting.istio.virtualService.name = name;
        return o;
      });
    expect(readCanarySet(withRef('my-app-vs.default')).virtualService.metadata.name).toBe('my-app-vs');
    expect(errorOf(() => readCanarySet(withRef('default/my-app-vs'))).problems).toEqual([
      'Rollout/my-app-rollout: spec.strategy.canary.trafficRouting.istio.virtualService ("default/my-app-vs") is not a VirtualService of the canary set',
    ]);
  });

  it('canary Service selecting other pods', () => {
    const input = after.map((o) => (o.metadata.name === 'my-app-canary-svc' ? { ...o, spec: { ...(o.spec as object), selector: { app: 'x' } } } : o));
    expect(errorOf(() => readCanarySet(input)).problems).toEqual([
      'Service/my-app-canary-svc: spec.selector (app=x) does not select the pods of Deployment/my-app-dep (app=my-app)',
    ]);
  });

  it("the Rollout is read by the model's reader: a step or field it refuses is reported in its words", () => {
    const input = change('Rollout', (o) => {
      const spec = o.spec as { replicas?: unknown; strategy: { canary: { steps: { setWeight?: number }[] } } };
      spec.strategy.canary.steps[2].setWeight = 120;
      spec.replicas = 2.5;
      return o;
    });
    expect(errorOf(() => readCanarySet(input)).problems).toEqual([
      'Rollout/my-app-rollout: spec.strategy.canary.steps[2].setWeight (120) must be an integer between 0 and 100',
      'Rollout/my-app-rollout: spec.replicas (2.5) must be an integer >= 0',
    ]);
  });

  it('a weight or HPA bound the model reader refuses is reported, not read again as a weight or count', () => {
    const input = change('VirtualService', (o) => {
      (o.spec as { http: { route: { weight: unknown }[] }[] }).http[0].route[0].weight = '100';
      return o;
    }).map((o) => (o.kind === 'HorizontalPodAutoscaler' ? { ...o, spec: { ...(o.spec as object), maxReplicas: 0 } } : o));
    expect(errorOf(() => readCanarySet(input)).problems).toEqual([
      'VirtualService/my-app-vs: spec.http[0].route[0].weight ("100") must be an integer >= 0',
      'HorizontalPodAutoscaler/my-app-hpa: spec.maxReplicas (0) must be an integer >= 1',
    ]);
    expect(readCanarySet(after).hpaFields).toMatchObject({ scaleTargetRef: { kind: 'Rollout', name: 'my-app-rollout' } });
  });

  it("the plan takes the Rollout's replicas and the Deployment's selector from the set as the reader read them", () => {
    const set = readCanarySet(change('Rollout', (o) => ({ ...o, spec: { ...(o.spec as object), replicas: 3 } })));
    expect(set.replicas).toBe(3);
    expect(set.matchLabels).toEqual({ app: 'my-app' });
    expect(readCanarySet(after).replicas).toBeUndefined();
  });

  it('a template change during the migration is refused', () => {
    const input = change('Deployment', (o) => {
      (o.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = 'my-image:2';
      return o;
    });
    expect(errorOf(() => planMigration({ after: input, existing: readExistingApp(readFixture('article-before.yaml')) })).problems).toEqual([
      'Deployment/my-app-dep: spec.template differs from the existing Deployment\'s; ship template changes before or after the migration, not during it',
    ]);
  });
});

describe('reading manifest text (the runtime reader plus the envelope check)', () => {
  const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: my-app-svc}\n';

  it('numbers documents per file, skips empty ones and expands a kind: List', () => {
    const list = 'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n';
    const read = parseManifestTexts([{ text: `${service}---\n---\n${list}`, file: 'app.yaml' }]);
    expect(read.map((m) => [m.object.metadata.name, m.file, m.document])).toEqual([
      ['my-app-svc', 'app.yaml', 1],
      ['a', 'app.yaml', 3],
      ['b', 'app.yaml', 3],
    ]);
  });

  it('invalid YAML and a document that is not a Kubernetes object are ManifestErrors naming file and document', () => {
    expect(() => parseManifestTexts([{ text: `${service}---\nkind: [unclosed\n`, file: 'bad.yaml' }])).toThrow(ManifestError);
    expect(() => parseManifestTexts([{ text: `${service}---\nkind: [unclosed\n`, file: 'bad.yaml' }])).toThrow(/^bad\.yaml: invalid YAML in document 2 /);
    expect(() => parseManifestTexts([{ text: `${service}---\nkind: Service\n` }])).toThrow(
      new ManifestError('document 2: not a Kubernetes object ({"kind":"Service"}): apiVersion, kind and metadata.name must be strings'),
    );
  });
});
