/**
 * Nothing lost: for random DeploymentSpecs (labels, probes, resources, volumes, affinity,
 * strategy, env, tolerations, security contexts, ...) and random whole Deployments, the
 * synthesized YAML, read back the way kubectl reads it (YAML 1.1), holds the input plus only the
 * documented additions:
 *   - Deployment `spec.replicas` becomes 0 (the input's count moves to the Rollout when no HPA);
 *   - without a selector, the selector `app: <name>` and the pod label `app: <name>` are added;
 *   - a whole Deployment loses `status` and the server-set metadata (uid, resourceVersion, ...).
 * The Rollout's workload (the referenced Deployment's template, or its inline template) equals
 * the input template plus those additions.
 */
import { App, Chart, Testing } from 'cdk8s';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CanaryApp, type DeploymentInput, type DeploymentSpecInput } from '../../src/constructs';
import { compareQuantities, parseQuantity } from '../../src/constructs/_quantity';
import { apiServerProblems } from '../support/api-server-rules';

const NUM_RUNS = 1000;
/** About 5 s on an idle machine; generous because CI machines are shared (2 cores). */
const TIMEOUT_MS = 300_000;

// Strings YAML 1.1 would turn into something else if they were not quoted.
const trickyString = fc.oneof(
  fc.constantFrom('yes', 'no', 'on', 'off', 'y', 'n', 'true', 'null', '~', '0755', '0x1F', '1e3', '12:30', '', ' padded ', 'multi\nline', '- dash', '#hash', 'a: b'),
  fc.string({ maxLength: 12 }),
);
const dnsLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);
const labelKey = fc
  .tuple(fc.option(fc.constantFrom('example.com/', 'team.example.org/', 'app.kubernetes.io/'), { nil: undefined }), fc.stringMatching(/^[a-z]([a-z0-9_.-]{0,10}[a-z0-9])?$/))
  .map(([prefix, name]) => `${prefix ?? ''}${name}`)
  .filter((k) => k !== 'app' && k !== 'role');
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([A-Za-z0-9_.-]{0,10}[A-Za-z0-9])?)?$/);
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 4 });
const annotations = fc.dictionary(labelKey, trickyString, { maxKeys: 3 });
const quantity = fc.oneof(
  fc.integer({ min: 1, max: 4000 }).map((n) => `${n}m`),
  fc.integer({ min: 1, max: 64 }).map((n) => `${n}Mi`),
  fc.integer({ min: 1, max: 8 }).map((n) => `${n}Gi`),
  fc.integer({ min: 1, max: 8 }).map(String),
);
// Valid input only: a request above its limit is refused by the API server (and by CanaryApp).
const resources = fc.record(
  {
    requests: fc.record({ cpu: quantity, memory: quantity }, { requiredKeys: [] }),
    limits: fc.record({ cpu: quantity, memory: quantity, 'ephemeral-storage': quantity }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
).map((r) => {
  const requests: Record<string, string> | undefined = r.requests && { ...r.requests };
  for (const [name, limit] of Object.entries(r.limits ?? {})) {
    const request = requests?.[name];
    if (request !== undefined && compareQuantities(parseQuantity(request)!, parseQuantity(limit)!) > 0) requests![name] = limit;
  }
  return { ...r, ...(requests ? { requests } : {}) };
});
const probe = fc.oneof(
  fc.record({ httpGet: fc.record({ path: fc.constantFrom('/', '/healthz', '/ready'), port: fc.oneof(fc.constant('http'), fc.integer({ min: 1, max: 65535 })) }), periodSeconds: fc.integer({ min: 1, max: 60 }) }, { requiredKeys: ['httpGet'] }),
  fc.record({ tcpSocket: fc.record({ port: fc.integer({ min: 1, max: 65535 }) }), initialDelaySeconds: fc.integer({ min: 0, max: 120 }), failureThreshold: fc.integer({ min: 1, max: 10 }) }, { requiredKeys: ['tcpSocket'] }),
  fc.record({ exec: fc.record({ command: fc.array(trickyString, { minLength: 1, maxLength: 3 }) }) }),
);
const env = fc.array(
  fc.oneof(
    fc.record({ name: fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), value: trickyString }),
    fc.record({ name: fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), valueFrom: fc.record({ fieldRef: fc.record({ fieldPath: fc.constantFrom('metadata.name', 'status.podIP') }) }) }),
  ),
  { maxLength: 4 },
);
const volume = fc.oneof(
  dnsLabel.map((name) => ({ name, emptyDir: {} })),
  fc.tuple(dnsLabel, dnsLabel).map(([name, cm]) => ({ name, configMap: { name: cm, defaultMode: 420 } })),
  fc.tuple(dnsLabel, dnsLabel).map(([name, secretName]) => ({ name, secret: { secretName, optional: true } })),
);
const affinity = fc.oneof(
  fc.record({ nodeAffinity: fc.record({ requiredDuringSchedulingIgnoredDuringExecution: fc.record({ nodeSelectorTerms: fc.array(fc.record({ matchExpressions: fc.array(fc.record({ key: labelKey, operator: fc.constantFrom('In', 'NotIn'), values: fc.array(labelValue, { minLength: 1, maxLength: 2 }) }), { minLength: 1, maxLength: 2 }) }), { minLength: 1, maxLength: 2 }) }) }) }),
  fc.record({ podAntiAffinity: fc.record({ preferredDuringSchedulingIgnoredDuringExecution: fc.array(fc.record({ weight: fc.integer({ min: 1, max: 100 }), podAffinityTerm: fc.record({ topologyKey: fc.constantFrom('kubernetes.io/hostname', 'topology.kubernetes.io/zone'), labelSelector: fc.record({ matchLabels: labels }) }) }), { minLength: 1, maxLength: 2 }) }) }),
);
const strategy = fc.oneof(
  fc.constant({ type: 'Recreate' }),
  fc.record({
    type: fc.constant('RollingUpdate'),
    rollingUpdate: fc.record({ maxSurge: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom('25%', '50%')), maxUnavailable: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom('0%', '25%')) }, { requiredKeys: [] }),
  }, { requiredKeys: ['type'] }),
);

/** A container; ports get their names and numbers later so they stay unique in the pod. */
const container = fc.record(
  {
    image: fc.stringMatching(/^[a-z0-9]+(\/[a-z0-9-]+)?:[a-z0-9.]{1,6}$/),
    imagePullPolicy: fc.constantFrom('Always', 'IfNotPresent'),
    command: fc.array(trickyString, { maxLength: 2 }),
    args: fc.array(trickyString, { maxLength: 3 }),
    env,
    resources,
    readinessProbe: probe,
    livenessProbe: probe,
    startupProbe: probe,
    securityContext: fc.record({ runAsNonRoot: fc.boolean(), readOnlyRootFilesystem: fc.boolean(), capabilities: fc.record({ drop: fc.constant(['ALL']) }) }, { requiredKeys: [] }),
    extraPorts: fc.integer({ min: 0, max: 2 }),
  },
  { requiredKeys: ['image', 'extraPorts'] },
);

const podSpec = fc.record(
  {
    containers: fc.array(container, { minLength: 1, maxLength: 3 }),
    volumes: fc.uniqueArray(volume, { selector: (v) => v.name, maxLength: 3 }),
    affinity,
    tolerations: fc.array(fc.record({ key: labelKey, operator: fc.constantFrom('Exists', 'Equal'), effect: fc.constantFrom('NoSchedule', 'NoExecute') }), { maxLength: 2 }),
    nodeSelector: labels,
    serviceAccountName: dnsLabel,
    terminationGracePeriodSeconds: fc.integer({ min: 0, max: 600 }),
    securityContext: fc.record({ fsGroup: fc.integer({ min: 1, max: 65000 }), runAsUser: fc.integer({ min: 1, max: 65000 }) }, { requiredKeys: [] }),
    priorityClassName: dnsLabel,
    dnsPolicy: fc.constantFrom('ClusterFirst', 'Default'),
  },
  { requiredKeys: ['containers'] },
);

/** Turns the generated parts into a valid DeploymentSpec (unique names; a port named http). */
const deploymentSpec = fc
  .record(
    {
      podSpec,
      podLabels: labels,
      podAnnotations: annotations,
      selectorLabels: fc.option(fc.dictionary(labelKey, labelValue, { minKeys: 1, maxKeys: 2 }), { nil: undefined }),
      replicas: fc.integer({ min: 0, max: 20 }),
      extra: fc.record({ minReadySeconds: fc.integer({ min: 0, max: 60 }), revisionHistoryLimit: fc.integer({ min: 0, max: 10 }), progressDeadlineSeconds: fc.integer({ min: 60, max: 900 }), paused: fc.boolean(), strategy }, { requiredKeys: [] }),
      withReplicas: fc.boolean(),
    },
  )
  .map(({ podSpec: p, podLabels, podAnnotations, selectorLabels, replicas, extra, withReplicas }) => {
    let port = 8000;
    const containers = p.containers.map(({ extraPorts, volumeMounts: _v, ...c }: Record<string, any>, i: number) => {
      const ports = [];
      if (i === 0) ports.push({ containerPort: port++, name: 'http', protocol: 'TCP' });
      for (let j = 0; j < extraPorts; j++) ports.push({ containerPort: port++, name: `p${i}x${j}` });
      const mounts = (p.volumes ?? []).map((v: { name: string }, k: number) => ({ name: v.name, mountPath: `/mnt/${k}`, readOnly: k % 2 === 0 }));
      return { name: `c${i}`, ...c, ...(ports.length ? { ports } : {}), ...(mounts.length ? { volumeMounts: mounts } : {}) };
    });
    const metadata: Record<string, unknown> = { labels: { ...podLabels, ...(selectorLabels ?? {}) } };
    if (Object.keys(podAnnotations).length > 0) metadata.annotations = podAnnotations;
    const spec: Record<string, unknown> = { ...extra, template: { metadata, spec: { ...p, containers } } };
    if (selectorLabels) spec.selector = { matchLabels: selectorLabels };
    if (withReplicas) spec.replicas = replicas;
    return spec as unknown as DeploymentSpecInput;
  });

/** Synthesizes to YAML and reads it back as kubectl would (YAML 1.1). */
function renderThroughYaml(build: (chart: Chart) => void): any[] {
  const app: App = Testing.app();
  build(new Chart(app, 'test'));
  return parseAllDocuments(app.synthYaml(), { version: '1.1' }).map((d) => d.toJS()).filter(Boolean);
}

/** What the template must be after rendering: the input plus `app: <name>` when there was no selector. */
function expectedTemplate(input: DeploymentSpecInput, name: string): unknown {
  const t = structuredClone(input.template) as any;
  if (!input.selector) t.metadata = { ...(t.metadata ?? {}), labels: { ...(t.metadata?.labels ?? {}), app: name } };
  return t;
}

function rest(spec: Record<string, unknown>): Record<string, unknown> {
  const { replicas: _r, selector: _s, template: _t, ...others } = spec;
  return others;
}

describe('nothing lost', () => {
  it(`${NUM_RUNS} random DeploymentSpecs: the rendered workload is the input plus only the documented additions`, () => {
    fc.assert(
      fc.property(deploymentSpec, fc.boolean(), (input, inline) => {
        const frozen = structuredClone(input);
        const objects = renderThroughYaml((chart) => new CanaryApp(chart, 'App', {
          name: 'web',
          deploymentSpec: input,
          inlineTemplate: inline,
          virtualService: { hosts: ['web.example.com'] },
        }));
        // The input object itself is not modified.
        expect(input).toEqual(frozen);
        // What kubectl reads back passes the API server's rules beyond the schema.
        expect(apiServerProblems(objects)).toEqual([]);
        const rollout = objects.find((o) => o.kind === 'Rollout');
        const selector = input.selector ?? { matchLabels: { app: 'web' } };
        const template = expectedTemplate(input, 'web');
        expect(rollout.spec.selector).toEqual(selector);
        expect(rollout.spec.replicas).toBe(input.replicas !== undefined && input.replicas >= 1 ? input.replicas : 2);
        if (inline) {
          expect(objects.some((o) => o.kind === 'Deployment')).toBe(false);
          expect(rollout.spec.workloadRef).toBeUndefined();
          expect(rollout.spec.template).toEqual(template);
        } else {
          const dep = objects.find((o) => o.kind === 'Deployment');
          expect(rollout.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: dep.metadata.name, scaleDown: 'never' });
          expect(rollout.spec.template).toBeUndefined();
          expect(dep.spec.template).toEqual(template);
          expect(dep.spec.selector).toEqual(selector);
          expect(dep.spec.replicas).toBe(0);
          expect(rest(dep.spec)).toEqual(rest(input as Record<string, unknown>));
        }
      }),
      { numRuns: NUM_RUNS },
    );
  }, TIMEOUT_MS);

  it('random whole Deployments (existing apps): every field reaches the output', () => {
    const deployment = fc.record({
      spec: deploymentSpec,
      name: dnsLabel,
      namespace: fc.option(dnsLabel, { nil: undefined }),
      labels,
      annotations,
      extraMeta: fc.record({ finalizers: fc.array(fc.constantFrom('example.com/keep'), { minLength: 1, maxLength: 1 }) }, { requiredKeys: [] }),
    }).map(({ spec, name, namespace, labels: l, annotations: a, extraMeta }) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name,
        ...(namespace ? { namespace } : {}),
        ...(Object.keys(l).length ? { labels: l } : {}),
        ...(Object.keys(a).length ? { annotations: a } : {}),
        ...extraMeta,
        uid: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
        resourceVersion: '123',
        generation: 4,
        creationTimestamp: '2024-01-01T00:00:00Z',
        managedFields: [{ manager: 'kubectl' }],
      },
      spec,
      status: { replicas: 3, availableReplicas: 3 },
    }) as DeploymentInput);

    fc.assert(
      fc.property(deployment, (input) => {
        const objects = renderThroughYaml((chart) => new CanaryApp(chart, 'App', { name: 'app', deployment: input, virtualService: { hosts: ['a.example.com'] } }));
        const dep = objects.find((o) => o.kind === 'Deployment');
        const { uid: _u, resourceVersion: _rv, generation: _g, creationTimestamp: _c, managedFields: _m, ...keptMeta } = input.metadata as Record<string, unknown>;
        expect(dep.metadata).toEqual(keptMeta);
        expect(dep.status).toBeUndefined();
        expect(dep.spec.template).toEqual(expectedTemplate(input.spec, 'app'));
        expect(rest(dep.spec)).toEqual(rest(input.spec as Record<string, unknown>));
        expect(dep.spec.replicas).toBe(0);
        expect(apiServerProblems(objects)).toEqual([]);
        // Every other object lands in the Deployment's namespace.
        for (const o of objects) expect(o.metadata.namespace).toBe(input.metadata?.namespace);
      }),
      { numRuns: 200 },
    );
  }, TIMEOUT_MS);
});
