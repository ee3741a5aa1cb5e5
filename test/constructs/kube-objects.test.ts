/**
 * serviceObject and pdbObject (the Services and PDBs CanaryApp renders) give exactly the L1's JSON
 * for the same props, key order included; after that they are plain JSON: an escape hatch (JSON
 * patch, metadata) lands in the output as written, where the L1s would run the patched JSON
 * through their typed 1.28 conversion again and drop raw IntOrString values, `clusterIP`,
 * `sessionAffinityConfig.clientIP` and `trafficDistribution` (issue 20, item 1).
 */
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { afterEach, describe, expect, it } from 'vitest';
import { pdbObject, serviceObject } from '../../src/constructs/_kube-objects';

const serviceProps = (): k8s.KubeServiceProps => ({
  metadata: { name: 'web-svc', namespace: 'team' },
  spec: {
    type: 'ClusterIP',
    ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: k8s.IntOrString.fromString('http') }],
    selector: { app: 'web' },
  },
});

const pdbProps = (value: number | string): k8s.KubePodDisruptionBudgetProps => ({
  metadata: { name: 'web-pdb' },
  spec: {
    maxUnavailable: typeof value === 'number' ? k8s.IntOrString.fromNumber(value) : k8s.IntOrString.fromString(value),
    selector: { matchLabels: { app: 'web', role: 'stable' } },
  },
});

type Hatch = (o: ApiObject) => void;

const serviceHatches: Record<string, Hatch> = {
  'nothing': () => {},
  'an added spec field (patch)': (o) => o.addJsonPatch(JsonPatch.add('/spec/sessionAffinity', 'ClientIP')),
  'an unknown spec field (patch)': (o) => o.addJsonPatch(JsonPatch.add('/spec/notAField', 1)),
  'a numbered targetPort (patch)': (o) => o.addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', 8080)),
  'a named targetPort (patch)': (o) => o.addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', 'web')),
  'clusterIP, sessionAffinityConfig.clientIP, trafficDistribution (patch)': (o) =>
    o.addJsonPatch(
      JsonPatch.add('/spec/clusterIP', '10.0.0.12'),
      JsonPatch.add('/spec/sessionAffinityConfig', { clientIP: { timeoutSeconds: 100 } }),
      JsonPatch.add('/spec/trafficDistribution', 'PreferClose'),
    ),
  'a whole ports list without protocol (patch)': (o) =>
    o.addJsonPatch(JsonPatch.replace('/spec/ports', [{ name: 'metrics', port: 9090, targetPort: 'metrics' }, { name: 'http', port: 80, targetPort: 8080 }])),
  'an unknown top-level field (patch)': (o) => o.addJsonPatch(JsonPatch.add('/status', { x: 1 })),
  'labels and annotations': (o) => { o.metadata.addLabel('b', '1'); o.metadata.addLabel('a', '2'); o.metadata.addAnnotation('z', 'y'); },
  'metadata.add of an ObjectMeta field': (o) => o.metadata.add('generateName', 'web-'),
  'a finalizer': (o) => o.metadata.addFinalizers('example.com/f'),
};

const pdbHatches: Record<string, Hatch> = {
  'nothing': () => {},
  'an added spec field (patch)': (o) => o.addJsonPatch(JsonPatch.add('/spec/unhealthyPodEvictionPolicy', 'AlwaysAllow')),
  'an added selector label (patch)': (o) => o.addJsonPatch(JsonPatch.add('/spec/selector/matchLabels/extra', 'v')),
  'matchExpressions (patch)': (o) => o.addJsonPatch(JsonPatch.add('/spec/selector/matchExpressions', [{ key: 'k', operator: 'Exists' }])),
  'a plain maxUnavailable (patch)': (o) => o.addJsonPatch(JsonPatch.replace('/spec/maxUnavailable', 2)),
  'annotations': (o) => o.metadata.addAnnotation('a', 'b'),
};

/**
 * JSON text of the fast object with the hatch, and of a plain ApiObject holding the unpatched L1
 * JSON with the same hatch: built in one chart (namespace and labels from the chart).
 */
function render(fast: (chart: Chart) => ApiObject, l1: (chart: Chart) => ApiObject, hatch: Hatch): [string, string] {
  const chart = new Chart(Testing.app(), 'test', { labels: { team: 'a' } });
  const a = fast(chart);
  const { metadata: _m, ...l1Json } = l1(chart).toJson() as Record<string, unknown>;
  const b = new ApiObject(chart, 'Plain', { ...(l1Json as { apiVersion: string; kind: string }), metadata: { name: a.name, namespace: a.metadata.namespace } });
  hatch(a);
  hatch(b);
  return [JSON.stringify(a.toJson()), JSON.stringify(b.toJson())];
}

describe.each([
  ['keys sorted (default)', undefined],
  ['CDK8S_DISABLE_SORT', '1'],
])('serviceObject / pdbObject, %s', (_mode, disableSort) => {
  const saved = process.env.CDK8S_DISABLE_SORT;
  afterEach(() => {
    if (saved === undefined) delete process.env.CDK8S_DISABLE_SORT;
    else process.env.CDK8S_DISABLE_SORT = saved;
  });
  const setSort = () => {
    if (disableSort === undefined) delete process.env.CDK8S_DISABLE_SORT;
    else process.env.CDK8S_DISABLE_SORT = disableSort;
  };

  it('Service without escape hatches: same JSON as k8s.KubeService', () => {
    setSort();
    const chart = new Chart(Testing.app(), 'test', { labels: { team: 'a' } });
    const fast = JSON.stringify(serviceObject(chart, 'Fast', serviceProps()).toJson());
    expect(fast).toBe(JSON.stringify(new k8s.KubeService(chart, 'L1', serviceProps()).toJson()));
  });

  it.each(Object.entries(serviceHatches))('Service with %s: the L1 JSON with the hatch applied as plain JSON', (_name, hatch) => {
    setSort();
    const [fast, plain] = render((c) => serviceObject(c, 'Fast', serviceProps()), (c) => new k8s.KubeService(c, 'L1', serviceProps()), hatch);
    expect(fast).toBe(plain);
  });

  it.each(Object.entries(pdbHatches).flatMap(([name, h]) => [[`${name}, value 1`, h, 1], [`${name}, value "25%"`, h, '25%']] as const))(
    'PodDisruptionBudget with %s: the L1 JSON with the hatch applied as plain JSON',
    (_name, hatch, value) => {
      setSort();
      const [fast, plain] = render((c) => pdbObject(c, 'Fast', pdbProps(value)), (c) => new k8s.KubePodDisruptionBudget(c, 'L1', pdbProps(value)), hatch);
      expect(fast).toBe(plain);
    },
  );
});

describe('serviceObject / pdbObject', () => {
  it('are the L1 classes (instanceof, kind, apiVersion)', () => {
    const chart = new Chart(Testing.app(), 'test');
    const svc = serviceObject(chart, 'S', serviceProps());
    const pdb = pdbObject(chart, 'P', pdbProps(1));
    expect(svc).toBeInstanceOf(k8s.KubeService);
    expect(pdb).toBeInstanceOf(k8s.KubePodDisruptionBudget);
    expect(svc.toJson()).toMatchObject({ apiVersion: 'v1', kind: 'Service', spec: { ports: [{ targetPort: 'http' }] } });
    expect(pdb.toJson()).toMatchObject({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', spec: { maxUnavailable: 1 } });
  });

  it('keep patched targetPort, clusterIP, sessionAffinityConfig.clientIP and trafficDistribution (the L1 drops them)', () => {
    const chart = new Chart(Testing.app(), 'test');
    for (const o of [serviceObject(chart, 'S', serviceProps()), new k8s.KubeService(chart, 'L1', serviceProps())]) {
      serviceHatches['a numbered targetPort (patch)'](o);
      serviceHatches['clusterIP, sessionAffinityConfig.clientIP, trafficDistribution (patch)'](o);
    }
    const [ours, l1] = chart.toJson() as { spec: Record<string, unknown> & { ports: Record<string, unknown>[] } }[];
    expect(ours.spec.ports[0].targetPort).toBe(8080);
    expect(ours.spec).toMatchObject({ clusterIP: '10.0.0.12', sessionAffinityConfig: { clientIP: { timeoutSeconds: 100 } }, trafficDistribution: 'PreferClose' });
    // The L1 loses every one of them: the reason CanaryApp does not use it.
    expect(l1.spec.ports[0].targetPort).toBeUndefined();
    expect(l1.spec.clusterIP).toBeUndefined();
    expect(l1.spec.trafficDistribution).toBeUndefined();
  });
});
