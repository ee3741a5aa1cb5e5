/**
 * Property test of `convert` and `migrate` (issue 20, "must hold"): random real-shaped
 * Deployments, Services (every port form: named or numbered targetPort or none, with or without
 * protocol, several ports; every ServiceSpec field), HPAs and VirtualServices go through
 * `convertExistingApp`, and
 *  - every input field is in the output with the same value, or a note names it (its path or a
 *    parent's), and no note says a field was kept or copied that the output does not hold;
 *  - the Rollout has the Deployment's minReadySeconds / progressDeadlineSeconds /
 *    revisionHistoryLimit, or a note says otherwise; the canary and root Services carry every port;
 *  - the written YAML reads as the same data under YAML 1.1 and YAML 1.2;
 *  - `migrate` plans the migration of the result.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertExistingApp } from '../../src/migration/convert';
import { pointerToken, pointerValue as at } from '../../src/migration/json-patch-diff';
import type { ManifestObject, SourcedManifest } from '../../src/migration/manifest-object';
import { planMigration } from '../../src/migration/migration-plan';
import { toYamlDocuments } from '../../src/model/yaml-text';
import { plainEqual } from '../../src/runtime/plain-equal';
import { readUnderYaml11And12, TRICKY_STRINGS } from '../support/yaml-strings';

type Json = Record<string, unknown>;

const opt = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
/** Drops undefined values (an absent field). */
const clean = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const text = fc.oneof(fc.constantFrom(...TRICKY_STRINGS), fc.string({ maxLength: 12 }));
const annotations = opt(fc.dictionary(fc.constantFrom('example.com/owner', 'note', 'sidecar.istio.io/inject', 'a.b/c'), text, { minKeys: 1, maxKeys: 3 }));
const labels = opt(fc.dictionary(fc.constantFrom('team', 'tier', 'version'), fc.constantFrom('shop', 'on', 'no', 'v1', '0644'), { minKeys: 1, maxKeys: 2 }));

interface PortForm {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: string | number;
  readonly protocol?: string;
  readonly appProtocol?: string;
  readonly nodePort?: number;
}

const CONTAINER_PORTS = [
  { name: 'http', containerPort: 8080 },
  { name: 'metrics', containerPort: 9090 },
  { name: 'grpc', containerPort: 7070 },
];

/** 1-3 Service ports to the container ports, each in one of the forms found in real manifests. */
const servicePorts = (nodePorts: boolean): fc.Arbitrary<PortForm[]> =>
  fc.subarray(CONTAINER_PORTS, { minLength: 1 }).chain((targets) =>
    fc.tuple(
      ...targets.map((c, i) =>
        fc.record({
          named: fc.boolean(),
          target: fc.constantFrom('name', 'number', 'none'),
          protocol: fc.constantFrom(undefined, 'TCP'),
          appProtocol: fc.constantFrom(undefined, 'http', 'kubernetes.io/h2c'),
          servicePort: fc.constantFrom(80 + i, c.containerPort, 443 + i * 1000),
        }).map((f): PortForm => clean({
          name: f.named || targets.length > 1 ? c.name : undefined,
          port: f.target === 'none' ? c.containerPort : f.servicePort,
          targetPort: f.target === 'name' ? c.name : f.target === 'number' ? c.containerPort : undefined,
          protocol: f.protocol,
          appProtocol: f.appProtocol,
          nodePort: nodePorts ? 30000 + i : undefined,
        }) as unknown as PortForm),
      ),
    ),
  );

const serviceSpecExtras = (type: string | undefined): fc.Arbitrary<Json> => {
  const external = type === 'NodePort' || type === 'LoadBalancer';
  return fc.record({
    clusterIP: opt(fc.constantFrom('10.0.0.12', '10.96.4.7')),
    clusterIPs: opt(fc.constant(['10.0.0.12'])),
    ipFamilies: opt(fc.constantFrom(['IPv4'], ['IPv4', 'IPv6'])),
    ipFamilyPolicy: opt(fc.constantFrom('SingleStack', 'PreferDualStack')),
    internalTrafficPolicy: opt(fc.constantFrom('Cluster', 'Local')),
    sessionAffinity: opt(fc.constantFrom('None', 'ClientIP')),
    sessionAffinityConfig: opt(fc.record({ clientIP: fc.record({ timeoutSeconds: fc.integer({ min: 1, max: 86400 }) }) })),
    trafficDistribution: opt(fc.constant('PreferClose')),
    publishNotReadyAddresses: opt(fc.boolean()),
    externalIPs: opt(fc.constant(['192.0.2.10'])),
    externalTrafficPolicy: external ? opt(fc.constantFrom('Cluster', 'Local')) : fc.constant(undefined),
    allocateLoadBalancerNodePorts: type === 'LoadBalancer' ? opt(fc.boolean()) : fc.constant(undefined),
    loadBalancerClass: type === 'LoadBalancer' ? opt(fc.constant('example.com/lb')) : fc.constant(undefined),
    loadBalancerIP: type === 'LoadBalancer' ? opt(fc.constant('198.51.100.7')) : fc.constant(undefined),
    loadBalancerSourceRanges: type === 'LoadBalancer' ? opt(fc.constant(['203.0.113.0/24'])) : fc.constant(undefined),
    healthCheckNodePort: type === 'LoadBalancer' ? opt(fc.constant(32123)) : fc.constant(undefined),
  }).map(clean);
};

interface ServiceInput {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec: Json & { readonly ports: PortForm[] };
}

const service: fc.Arbitrary<ServiceInput> = fc.constantFrom(undefined, 'ClusterIP', 'NodePort', 'LoadBalancer').chain((type) =>
  fc.record({ ports: servicePorts(type === 'NodePort' || type === 'LoadBalancer'), extras: serviceSpecExtras(type), labels, annotations, name: fc.constantFrom('web', 'web-svc') })
    .map(({ ports, extras, labels: l, annotations: a, name }) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: clean({ name, labels: l, annotations: a }) as ServiceInput['metadata'],
      spec: clean({ type, selector: { app: 'web' }, ports, ...extras }) as ServiceInput['spec'],
    })),
);

const deployment = (hpa: boolean) =>
  fc.record({
    replicas: hpa ? opt(fc.integer({ min: 1, max: 6 })) : fc.integer({ min: 1, max: 12 }),
    minReadySeconds: opt(fc.integer({ min: 0, max: 120 })),
    progressDeadlineSeconds: opt(fc.integer({ min: 60, max: 1200 })),
    revisionHistoryLimit: opt(fc.integer({ min: 0, max: 20 })),
    strategy: opt(fc.constantFrom({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } }, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '10%' } })),
    podAnnotations: annotations,
    podLabels: labels,
    env: fc.array(fc.record({ name: fc.constantFrom('A', 'B', 'LOG_LEVEL', 'FEATURE'), value: text }), { maxLength: 3 }),
    defaultMode: opt(fc.constantFrom(420, 384, 511)),
    resources: opt(fc.constantFrom({ requests: { cpu: '100m' } }, { requests: { cpu: '250m', memory: '128Mi' }, limits: { memory: '256Mi' } })),
    name: fc.constantFrom('web', 'web-dep'),
    labels,
  }).map((d) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: clean({ name: d.name, labels: d.labels }),
    spec: clean({
      replicas: d.replicas,
      minReadySeconds: d.minReadySeconds,
      progressDeadlineSeconds: d.progressDeadlineSeconds,
      revisionHistoryLimit: d.revisionHistoryLimit,
      strategy: d.strategy,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: clean({ labels: { ...d.podLabels, app: 'web' }, annotations: d.podAnnotations }),
        spec: clean({
          containers: [clean({ name: 'web', image: 'ghcr.io/example/web:1.2.3', ports: CONTAINER_PORTS, env: d.env.length ? uniqueByName(d.env) : undefined, resources: d.resources })],
          volumes: d.defaultMode === undefined ? undefined : [{ name: 'config', configMap: { name: 'web-config', defaultMode: d.defaultMode } }],
        }),
      },
    }),
  }));

function uniqueByName<T extends { name: string }>(items: T[]): T[] {
  return items.filter((e, i) => items.findIndex((x) => x.name === e.name) === i);
}

const hpaFor = (depName: string) =>
  fc.record({
    minReplicas: opt(fc.integer({ min: 1, max: 3 })),
    extra: fc.integer({ min: 0, max: 8 }),
    metric: fc.constantFrom(
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
      { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } },
    ),
    behavior: opt(fc.constant({ scaleDown: { stabilizationWindowSeconds: 300 } })),
  }).map((h) => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web-hpa' },
    spec: clean({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: depName },
      minReplicas: h.minReplicas,
      maxReplicas: (h.minReplicas ?? 1) + h.extra,
      metrics: [h.metric],
      behavior: h.behavior,
    }),
  }));

const virtualServiceFor = (svc: ServiceInput) =>
  fc.record({
    apiVersion: fc.constantFrom('networking.istio.io/v1beta1', 'networking.istio.io/v1'),
    routed: fc.integer({ min: 0, max: svc.spec.ports.length - 1 }),
    fqdn: fc.boolean(),
    withPort: fc.boolean(),
    name: opt(fc.constantFrom('primary', 'web-route')),
    match: opt(fc.constant([{ uri: { prefix: '/' } }])),
    timeout: opt(fc.constantFrom('10s', '1500ms')),
    retries: opt(fc.constant({ attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset' })),
    headers: opt(fc.constant({ request: { set: { 'x-env': 'on' } } })),
    gateways: opt(fc.constant(['istio-system/public', 'mesh'])),
    other: fc.boolean(),
  }).map((v) => {
    const port = svc.spec.ports[v.routed].port;
    const host = v.fqdn ? `${svc.metadata.name}.default.svc.cluster.local` : svc.metadata.name;
    const destination = clean({ host, port: v.withPort || svc.spec.ports.length > 1 ? { number: port } : undefined });
    const route = clean({ name: v.name, match: v.match, route: [{ destination }], timeout: v.timeout, retries: v.retries, headers: v.headers });
    const otherRoute = { name: 'legacy', match: [{ uri: { prefix: '/legacy' } }], route: [{ destination: { host: 'legacy' } }] };
    return {
      apiVersion: v.apiVersion,
      kind: 'VirtualService',
      metadata: { name: 'web-vs' },
      spec: clean({ hosts: ['web.example.com'], gateways: v.gateways, http: v.other ? [otherRoute, route] : [route] }),
    };
  });

const targetsCpuUtilization = (hpa: Json): boolean =>
  ((hpa.spec as Json).metrics as Json[]).some((m) => at(m, '/resource/name') === 'cpu' && at(m, '/resource/target/type') === 'Utilization');
const requestsCpu = (dep: Json): boolean => at(dep, '/spec/template/spec/containers/0/resources/requests/cpu') !== undefined;

/** Valid inputs only: an HPA on CPU utilization needs a CPU request (refused otherwise, tested below). */
const app = fc.boolean().chain((withHpa) =>
  fc.tuple(deployment(withHpa), service).chain(([dep, svc]) =>
    fc.tuple(fc.constant(dep), fc.constant(svc), withHpa ? hpaFor(dep.metadata.name as string) : fc.constant(undefined), virtualServiceFor(svc)),
  ).filter(([dep, , hpa]) => !hpa || !targetsCpuUtilization(hpa) || requestsCpu(dep)),
);

/** Every leaf of `value` as [JSON pointer, value] (an empty object or array is a leaf). */
function leaves(value: unknown, path = ''): [string, unknown][] {
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, `${path}/${pointerToken(k)}`));
  }
  return [[path, value]];
}

/** The notes about `ref` (`Kind/name: ...` or `Kind/name (file, document n): ...`) and the pointers they name. */
function notedPointers(report: readonly string[], ref: string): string[] {
  return report
    .filter((l) => l.startsWith(`${ref}: `) || l.startsWith(`${ref} (`))
    // "written with a JSON patch" names where the canary's changes go, not a change: the changes have notes of their own.
    .filter((l) => !l.includes(' written with a JSON patch'))
    .flatMap((l) => l.match(/(?<=\s)\/[^\s,;()]*/g) ?? []);
}

const under = (path: string, parent: string): boolean => path === parent || path.startsWith(`${parent}/`);

describe('convert refuses an HPA that can never act', () => {
  it('CPU utilization target and a container without a CPU request: the converted props error names the field', () => {
    fc.assert(
      fc.property(app.filter(([dep]) => !requestsCpu(dep)), hpaFor('web-dep'), ([dep, svc, , vs], hpa) => {
        const cpuHpa = { ...hpa, spec: { ...hpa.spec, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: dep.metadata.name }, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] } };
        const inputs = [dep, svc, cpuHpa, vs] as unknown as ManifestObject[];
        const manifests: SourcedManifest[] = inputs.map((object, i) => ({ object: structuredClone(object), file: 'app.yaml', document: i + 1 }));
        expect(() => convertExistingApp(manifests)).toThrow(/containers\[0\]\.resources\.requests\.cpu \(undefined\) is required: autoscaling\.metrics\[0\] targets 70 % cpu utilization/);
      }),
      { numRuns: 10 },
    );
  });
});

describe('convert keeps every field or says which it changed', () => {
  it('random Deployment / Service / HPA / VirtualService', () => {
    fc.assert(
      fc.property(app, ([dep, svc, hpa, vs]) => {
        const inputs = [dep, svc, ...(hpa ? [hpa] : []), vs] as unknown as ManifestObject[];
        const manifests: SourcedManifest[] = inputs.map((object, i) => ({ object: structuredClone(object), file: 'app.yaml', document: i + 1 }));
        const result = convertExistingApp(manifests);
        const find = (kind: string, name: string) => result.objects.find((o) => o.kind === kind && o.metadata.name === name);

        // Every input field: in the output with its value, or named by a note.
        for (const input of inputs) {
          const ref = `${input.kind}/${input.metadata.name}`;
          const out = find(input.kind, input.metadata.name);
          expect(out, ref).toBeDefined();
          const noted = notedPointers(result.report, ref);
          for (const [path, value] of leaves(input)) {
            if (plainEqual(at(out, path), value)) continue;
            expect(noted.some((p) => under(path, p)), `${ref} ${path}: ${JSON.stringify(value)} -> ${JSON.stringify(at(out, path))}, no note\n${result.report.join('\n')}`).toBe(true);
          }
        }
        // A note that says kept / copied / taken: the output holds it.
        for (const line of result.report) {
          const m = /^(\S+): (\/\S*) (kept|copied from (\S+)|taken from (\S+)) /.exec(line);
          if (!m) continue;
          const [kind, name] = m[1].split('/');
          const from = m[4] ?? m[5] ?? m[1];
          const source = inputs.find((o) => `${o.kind}/${o.metadata.name}` === from)!;
          let want = at(source, m[2]);
          if (m[4]) want = (want as Json[]).map(({ nodePort: _n, ...p }) => p);
          expect(at(find(kind, name), m[2]), line).toEqual(want);
        }
        // The Rollout runs with the Deployment's timing, or a note says it does not.
        const rollout = result.objects.find((o) => o.kind === 'Rollout')!;
        const rolloutNotes = notedPointers(result.report, `Rollout/${rollout.metadata.name}`);
        for (const field of ['minReadySeconds', 'progressDeadlineSeconds', 'revisionHistoryLimit']) {
          const want = (dep.spec as Json)[field];
          if (want !== undefined && at(rollout, `/spec/${field}`) !== want) expect(rolloutNotes, field).toContain(`/spec/${field}`);
          if (want === undefined && field === 'minReadySeconds') expect(rolloutNotes, field).toContain(`/spec/${field}`);
        }
        // Every port on the canary and root Services.
        const ports = svc.spec.ports.map(({ nodePort: _n, ...p }) => p);
        for (const o of result.objects.filter((x) => x.kind === 'Service' && x.metadata.name !== svc.metadata.name)) {
          expect((o.spec as { ports: unknown }).ports, o.metadata.name).toEqual(ports);
        }
        // The YAML written reads the same under YAML 1.1 and 1.2, and is the objects.
        const { yaml11, yaml12 } = readUnderYaml11And12(toYamlDocuments(result.objects));
        expect(yaml11).toBe(yaml12);
        expect(JSON.parse(yaml11)).toEqual(JSON.parse(JSON.stringify(result.objects)));
        // migrate takes the converted set.
        expect(() => planMigration({ after: [...result.objects], existing: result.existing })).not.toThrow();
      }),
      { numRuns: 60 },
    );
  });
});
