/**
 * serviceObject and pdbObject (the cheaper-to-synthesize L1s CanaryApp renders) give exactly the
 * L1's JSON, key order included, with and without escape hatches and key sorting.
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
  'an unknown spec field (patch, the L1 drops it)': (o) => o.addJsonPatch(JsonPatch.add('/spec/notAField', 1)),
  'a plain targetPort (patch, the L1 drops it)': (o) => o.addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', 8080)),
  'an unknown top-level field (patch)': (o) => o.addJsonPatch(JsonPatch.add('/status', { x: 1 })),
  'labels and annotations': (o) => { o.metadata.addLabel('b', '1'); o.metadata.addLabel('a', '2'); o.metadata.addAnnotation('z', 'y'); },
  'metadata.add of an ObjectMeta field': (o) => o.metadata.add('generateName', 'web-'),
  'metadata.add of an unknown field': (o) => o.metadata.add('notAField', 'x'),
  'a finalizer': (o) => o.metadata.addFinalizers('example.com/f'),
};

const pdbHatches: Record<string, Hatch> = {
  'nothing': () => {},
  'an added spec field (patch)': (o) => o.addJsonPatch(JsonPatch.add('/spec/unhealthyPodEvictionPolicy', 'AlwaysAllow')),
  'an added selector label (patch)': (o) => o.addJsonPatch(JsonPatch.add('/spec/selector/matchLabels/extra', 'v')),
  'matchExpressions (patch)': (o) => o.addJsonPatch(JsonPatch.add('/spec/selector/matchExpressions', [{ key: 'k', operator: 'Exists' }])),
  'a plain maxUnavailable (patch, the L1 drops it)': (o) => o.addJsonPatch(JsonPatch.replace('/spec/maxUnavailable', 2)),
  'annotations': (o) => o.metadata.addAnnotation('a', 'b'),
};

/** JSON text of both objects built in one chart (namespace and labels from the chart). */
function render(build: (chart: Chart) => [ApiObject, ApiObject]): [string, string] {
  const chart = new Chart(Testing.app(), 'test', { labels: { team: 'a' } });
  const [fast, l1] = build(chart);
  return [JSON.stringify(fast.toJson()), JSON.stringify(l1.toJson())];
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

  it.each(Object.entries(serviceHatches))('Service with %s: same JSON as k8s.KubeService', (_name, hatch) => {
    setSort();
    const [fast, l1] = render((chart) => {
      const a = serviceObject(chart, 'Fast', serviceProps());
      const b = new k8s.KubeService(chart, 'L1', serviceProps());
      hatch(a);
      hatch(b);
      return [a, b];
    });
    expect(fast).toBe(l1);
    expect(JSON.parse(fast).spec.ports).toHaveLength(1);
  });

  it.each(Object.entries(pdbHatches).flatMap(([name, h]) => [[`${name}, value 1`, h, 1], [`${name}, value "25%"`, h, '25%']] as const))(
    'PodDisruptionBudget with %s: same JSON as k8s.KubePodDisruptionBudget',
    (_name, hatch, value) => {
      setSort();
      const [fast, l1] = render((chart) => {
        const a = pdbObject(chart, 'Fast', pdbProps(value));
        const b = new k8s.KubePodDisruptionBudget(chart, 'L1', pdbProps(value));
        hatch(a);
        hatch(b);
        return [a, b];
      });
      expect(fast).toBe(l1);
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
});
