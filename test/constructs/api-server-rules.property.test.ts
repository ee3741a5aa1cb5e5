/**
 * Random VALID CanaryApp props render objects that pass the strict schemas AND the rules the API
 * server (and Istio) apply beyond them (test/support/api-server-rules.ts); random INVALID values of
 * each class the construct checks are refused with one CanaryAppError naming the path.
 */
import { Chart, Duration, Testing } from 'cdk8s';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CanaryApp, CanaryAppError, HpaMetric, StepProfile, TrafficSplit, type CanaryAppProps } from '../../src/constructs';
import { compareQuantities, parseQuantity } from '../../src/constructs/_quantity';
import { apiServerProblems } from '../support/api-server-rules';
import { manifestValidator, type ManifestValidator } from '../support/schema-validator';

const VALID_RUNS = 80;
const INVALID_RUNS = 150;
const TIMEOUT_MS = 120_000;

// Building blocks: valid values, edge lengths included (63-character names, 253-character prefixes).
const label63 = (first: string) => fc.stringMatching(new RegExp(`^[${first}]([a-z0-9-]{0,61}[a-z0-9])?$`));
const shortLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,6}[a-z0-9])?$/);
const dnsName = fc.array(label63('a-z0-9'), { minLength: 1, maxLength: 3 }).map((l) => l.join('.')).filter((h) => h.length <= 253);
const prefix = fc.oneof(
  fc.constantFrom('example.com', 'app.kubernetes.io'),
  fc.constant(`${'p'.repeat(63)}.${'q'.repeat(63)}.${'r'.repeat(63)}.${'s'.repeat(61)}`), // 253 characters
);
const keyName = fc.oneof(fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,10}[A-Za-z0-9])?$/), fc.constant(`k${'_'.repeat(61)}k`));
const qualifiedKey = fc.tuple(fc.option(prefix, { nil: undefined }), keyName).map(([p, n]) => (p ? `${p}/${n}` : n)).filter((k) => !['app', 'role'].includes(k));
const labelValue = fc.oneof(fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,10}[A-Za-z0-9])?)?$/), fc.constant(`v${'.'.repeat(61)}v`));
const quantity = fc.oneof(
  fc.integer({ min: 1, max: 4000 }).map((n) => `${n}m`),
  fc.integer({ min: 1, max: 64 }).map((n) => `${n}Mi`),
  fc.integer({ min: 1, max: 8 }).map(String),
  fc.integer({ min: 1, max: 9 }).map((n) => `${n}e2`),
  fc.integer({ min: 1, max: 9 }).map((n) => `0.${n}`),
);
const requestAndLimit = fc.tuple(quantity, quantity).map(([a, b]) => (compareQuantities(parseQuantity(a)!, parseQuantity(b)!) <= 0 ? { request: a, limit: b } : { request: b, limit: a }));
const envValue = fc.oneof(fc.constantFrom('yes', 'on', '0644', '8080', 'true', ''), fc.string({ maxLength: 8 }));
const probe = fc.oneof(
  fc.record({ httpGet: fc.record({ path: fc.constantFrom('/', '/healthz'), port: fc.constant('http') }) }),
  fc.record({ tcpSocket: fc.record({ port: fc.integer({ min: 1, max: 65535 }) }), periodSeconds: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ exec: fc.record({ command: fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 2 }) }) }),
);
const container = (first: boolean) =>
  fc.record(
    {
      name: first ? fc.constant(undefined) : fc.constantFrom('sidecar', 'proxy-b'),
      image: fc.constantFrom('my-image:1', 'registry.example.com/team/app:1.2.3'),
      portNumber: first ? fc.constant(undefined) : fc.constant(0),
      envVariables: fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,6}$/), envValue, { maxKeys: 3 }),
      command: fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }),
      args: fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }),
      resources: fc.record({ cpu: requestAndLimit, memory: requestAndLimit }, { requiredKeys: [] }),
      readiness: probe,
      liveness: probe,
    },
    { requiredKeys: ['image', 'name', 'portNumber'] },
  );
const matchCondition = fc.record(
  {
    uri: fc.oneof(fc.record({ prefix: fc.constantFrom('/', '/api') }), fc.record({ exact: fc.constant('/health') })),
    method: fc.record({ exact: fc.constantFrom('GET', 'POST') }),
    headers: fc.dictionary(fc.constantFrom('x-canary', 'x-user'), fc.record({ exact: fc.constantFrom('1', 'yes') }), { maxKeys: 2 }),
    port: fc.integer({ min: 1, max: 65535 }),
    ignoreUriCase: fc.boolean(),
    sourceLabels: fc.dictionary(qualifiedKey, labelValue, { maxKeys: 2 }),
  },
  { requiredKeys: [] },
).filter((m) => Object.keys(m).length > 0);
const millis = fc.oneof(fc.integer({ min: 1, max: 999 }).map(Duration.millis), fc.integer({ min: 1, max: 120 }).map(Duration.seconds));
const gateway = fc.oneof(fc.constant('mesh'), fc.tuple(label63('a-z0-9'), dnsName).map(([ns, n]) => `${ns}/${n}`));
const scaling = fc.oneof(
  fc.integer({ min: 1, max: 5 }).map((replicas) => ({ replicas, fewest: replicas })),
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 7 }), fc.constantFrom('cpu', 'value', 'external')).map(([min, extra, kind]) => ({
    autoscaling: {
      minReplicas: min,
      maxReplicas: min + extra,
      metrics: [kind === 'cpu' ? HpaMetric.cpuUtilization(70) : kind === 'value' ? HpaMetric.memoryAverageValue('512Mi') : HpaMetric.external('queue_messages', '30', { queue: 'jobs' })],
    },
    fewest: min,
  })),
);

const cpuUtilization = (scaling: object): boolean =>
  'autoscaling' in scaling && (scaling as { autoscaling: { metrics: HpaMetric[] } }).autoscaling.metrics.some((m) => JSON.stringify(m.toSpec()).includes('"Utilization"'));
const withCpuRequest = <C extends { resources?: { cpu?: { request?: string; limit?: string } } }>(c: C): C =>
  c.resources?.cpu?.request !== undefined || c.resources?.cpu?.limit !== undefined ? c : { ...c, resources: { ...c.resources, cpu: { request: '100m' } } };

const validProps: fc.Arbitrary<CanaryAppProps> = fc
  .record({
    name: shortLabel,
    namespace: fc.option(label63('a-z0-9'), { nil: undefined }),
    first: container(true),
    sidecars: fc.array(container(false), { maxLength: 1 }),
    labels: fc.dictionary(qualifiedKey, labelValue, { maxKeys: 3 }),
    annotations: fc.dictionary(qualifiedKey, fc.string({ maxLength: 10 }), { maxKeys: 3 }),
    scaling,
    minPodsFollows: fc.boolean(),
    hosts: fc.uniqueArray(fc.oneof(dnsName, dnsName.map((h) => `*.${h}`)).filter((h) => h.length <= 253), { minLength: 1, maxLength: 2 }),
    gateways: fc.option(fc.uniqueArray(gateway, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    match: fc.option(fc.array(matchCondition, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    timeout: fc.option(millis, { nil: undefined }),
    perTryTimeout: fc.option(millis, { nil: undefined }),
    subset: fc.boolean(),
  })
  .map((r) => ({
    name: r.name,
    namespace: r.namespace,
    // a CPU utilization target needs a CPU request (or limit) in every container (issue 22): add one where none was drawn
    containers: [r.first, ...r.sidecars].map((c) => (cpuUtilization(r.scaling) ? withCpuRequest(c) : c)),
    podMetadata: { labels: r.labels, annotations: r.annotations },
    ...('replicas' in r.scaling ? { replicas: r.scaling.replicas } : { autoscaling: r.scaling.autoscaling }),
    ...(r.minPodsFollows ? {} : { minPodsPerReplicaSet: r.scaling.fewest }),
    steps: StepProfile.automatic(),
    virtualService: {
      hosts: r.hosts,
      gateways: r.gateways,
      match: r.match,
      timeout: r.timeout,
      retries: r.perTryTimeout ? { attempts: 2, perTryTimeout: r.perTryTimeout } : undefined,
    },
    trafficSplit: r.subset ? TrafficSplit.subset() : TrafficSplit.host(),
    lint: false,
  }));

describe('random valid props render what the API server accepts', () => {
  let validator: ManifestValidator;
  beforeAll(() => {
    validator = manifestValidator();
  });

  it(`${VALID_RUNS} random apps: strict schemas and the rules beyond them`, () => {
    fc.assert(
      fc.property(validProps, (props) => {
        const chart = new Chart(Testing.app(), 'test');
        new CanaryApp(chart, 'App', props);
        const objects = Testing.synth(chart);
        const schemaErrors = objects.flatMap((o) => validator.validate(o).map((e) => `${o.kind}/${o.metadata.name}: ${e}`));
        expect(schemaErrors).toEqual([]);
        expect(apiServerProblems(objects)).toEqual([]);
      }),
      { numRuns: VALID_RUNS },
    );
  }, TIMEOUT_MS);
});

describe('the API-server oracle itself', () => {
  const render = (): any[] => {
    const chart = new Chart(Testing.app(), 'test');
    new CanaryApp(chart, 'App', { name: 'web', containers: [{ image: 'web:1', resources: { cpu: { request: '100m', limit: '1' } } }], virtualService: { hosts: ['web.example.com'] }, lint: false });
    return Testing.synth(chart);
  };
  const of = (objects: any[], kind: string) => objects.find((o) => o.kind === kind);
  const pod = (objects: any[]) => of(objects, 'Deployment').spec.template;

  it('accepts the plain render and finds each class of breakage in it', () => {
    expect(apiServerProblems(render())).toEqual([]);
    const breakages: [string, (o: any[]) => void][] = [
      ['label key', (o) => { pod(o).metadata.labels['bad key'] = 'x'; }],
      ['label value', (o) => { pod(o).metadata.labels.tier = 3; }],
      ['annotation value', (o) => { pod(o).metadata.annotations = { 'example.com/n': 1 }; }],
      ['request above limit', (o) => { pod(o).spec.containers[0].resources.requests.cpu = '2'; }],
      ['invalid quantity', (o) => { pod(o).spec.containers[0].resources.limits.cpu = '1 core'; }],
      ['duplicate container name', (o) => { pod(o).spec.initContainers = [{ name: 'app', image: 'x' }]; }],
      ['command as a string', (o) => { pod(o).spec.containers[0].command = 'npm start'; }],
      ['targetPort', (o) => { of(o, 'Service').spec.ports[0].targetPort = 'HTTP_PORT'; }],
      ['PDB int-or-string', (o) => { of(o, 'PodDisruptionBudget').spec.maxUnavailable = '1.5'; }],
      ['wildcard mesh host', (o) => { of(o, 'VirtualService').spec.hosts = ['*']; }],
      ['sub-millisecond timeout', (o) => { of(o, 'VirtualService').spec.http[0].timeout = '0.5ms'; }],
      ['object name', (o) => { of(o, 'Rollout').metadata.name = 'Web_Rollout'; }],
      ['selector not matching the template', (o) => { of(o, 'Deployment').spec.selector.matchExpressions = [{ key: 'tier', operator: 'Exists' }]; }],
    ];
    for (const [what, breakIt] of breakages) {
      const objects = render();
      breakIt(objects);
      expect(apiServerProblems(objects).length, what).toBe(1);
    }
  });
});

/** One class of invalid input: where it goes in valid props, and the path the error must name. */
interface Breakage {
  readonly path: string;
  readonly apply: (props: CanaryAppProps) => CanaryAppProps;
}

const withContainer = (extra: object) => (p: CanaryAppProps): CanaryAppProps => ({ ...p, containers: [{ ...p.containers![0], ...extra }, ...p.containers!.slice(1)] });
const withVs = (extra: object) => (p: CanaryAppProps): CanaryAppProps => ({ ...p, virtualService: { ...p.virtualService, ...extra } });
const withPod = (field: 'labels' | 'annotations', key: string, value: unknown) => (p: CanaryAppProps): CanaryAppProps => ({
  ...p,
  podMetadata: { ...p.podMetadata, [field]: { ...p.podMetadata?.[field], [key]: value } },
});

const badLabelKey = fc.oneof(
  fc.constant('k'.repeat(64)),
  fc.constant(`${'p'.repeat(254)}/k`),
  fc.constantFrom('bad key', '-leading', 'trailing-', 'a/b/c', '/name', 'example.com/', 'Example.com/x', 'ä'),
);
const badLabelValue = fc.oneof(fc.constant('v'.repeat(64)), fc.constantFrom('a b', '-x', 'x-', 'ä'), fc.integer(), fc.boolean());
const badQuantity = fc.constantFrom('1 Gi', '1KB', 'lots', '', '1e', '--1', '1.2.3', '0x10');
const badHost = fc.oneof(fc.constant(`${'a'.repeat(64)}.example.com`), fc.constantFrom('Upper.example.com', 'a..b', '-a.com', 'a_b.com', '*'));
const badDuration = fc.oneof(fc.constant(Duration.seconds(Infinity)), fc.double({ min: 0.01, max: 0.99, noNaN: true }).map(Duration.millis), fc.constant(Duration.millis(1.5)));

const breakage: fc.Arbitrary<Breakage> = fc.oneof(
  badLabelKey.map((k) => ({ path: 'podMetadata.labels', apply: withPod('labels', k, 'v') })),
  badLabelValue.map((v) => ({ path: 'podMetadata.labels.tier', apply: withPod('labels', 'tier', v) })),
  badLabelKey.filter((k) => k !== 'Example.com/x').map((k) => ({ path: 'podMetadata.annotations', apply: withPod('annotations', k, 'v') })),
  fc.oneof(fc.integer(), fc.boolean()).map((v) => ({ path: 'podMetadata.annotations.example.com/n', apply: withPod('annotations', 'example.com/n', v) })),
  fc.oneof(fc.integer(), fc.boolean()).map((v) => ({ path: 'containers[0].envVariables.PORT', apply: withContainer({ envVariables: { PORT: v } }) })),
  fc.constantFrom('command', 'args').chain((f) => fc.string({ minLength: 1, maxLength: 10 }).map((s) => ({ path: `containers[0].${f}`, apply: withContainer({ [f]: s }) }))),
  fc.constantFrom('/healthz', 'httpGet', '').map((s) => ({ path: 'containers[0].readiness', apply: withContainer({ readiness: s }) })),
  badQuantity.map((q) => ({ path: 'containers[0].resources.cpu.request', apply: withContainer({ resources: { cpu: { request: q } } }) })),
  fc.tuple(fc.integer({ min: 2, max: 100 }), fc.integer({ min: 1, max: 1000 })).map(([n, m]) => ({
    path: 'containers[0].resources.memory.request',
    apply: withContainer({ resources: { memory: { request: `${n * 1024}Mi`, limit: `${Math.min(m, n * 1024 - 1)}Mi` } } }),
  })),
  badHost.map((h) => ({ path: 'virtualService.hosts[0]', apply: withVs({ hosts: [h], gateways: undefined }) })),
  fc.constant(`${'n'.repeat(64)}/gw`).map((g) => ({ path: 'virtualService.gateways[0]', apply: withVs({ gateways: [g] }) })),
  badDuration.map((d) => ({ path: 'virtualService.timeout', apply: withVs({ timeout: d }) })),
  badDuration.map((d) => ({ path: 'virtualService.retries.perTryTimeout', apply: withVs({ retries: { attempts: 1, perTryTimeout: d } }) })),
  fc.constantFrom('methd', 'URI', 'header', 'sourcelabels').map((k) => ({ path: `virtualService.match[0].${k}`, apply: withVs({ match: [{ [k]: { exact: 'x' } }] }) })),
  fc.constantFrom('0', '-1', '0m', '-500m', 'lots').map((q) => ({ path: 'autoscaling.metrics[0].averageValue', apply: (p: CanaryAppProps) => ({ ...p, replicas: undefined, minPodsPerReplicaSet: undefined, autoscaling: { metrics: [HpaMetric.pods('rps', q)] } }) })),
  badLabelKey.map((k) => ({ path: 'autoscaling.metrics[0].matchLabels', apply: (p: CanaryAppProps) => ({ ...p, replicas: undefined, minPodsPerReplicaSet: undefined, autoscaling: { metrics: [HpaMetric.external('q', '1', { [k]: 'x' })] } }) })),
  fc.integer({ min: 3, max: 9 }).map((n) => ({ path: 'minPodsPerReplicaSet', apply: (p: CanaryAppProps) => ({ ...p, autoscaling: undefined, replicas: n - 1, minPodsPerReplicaSet: n }) })),
);

describe('random invalid values are refused at construction', () => {
  it(`${INVALID_RUNS} random breakages of valid props: one CanaryAppError naming the path`, () => {
    fc.assert(
      fc.property(validProps, breakage, (props, b) => {
        let error: unknown;
        try {
          new CanaryApp(new Chart(Testing.app(), 'test'), 'App', b.apply(props));
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(CanaryAppError);
        expect((error as CanaryAppError).problems.map((p) => p.path)).toContain(b.path);
      }),
      { numRuns: INVALID_RUNS },
    );
  }, TIMEOUT_MS);
});
