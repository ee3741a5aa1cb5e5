/**
 * Every object CanaryApp and its companions render validates strictly against the real schemas:
 * CRDs (unknown fields rejected) and Kubernetes 1.28 strict JSON schemas. The test names and the
 * log say which schema sources were used.
 */
import { Duration, Testing } from 'cdk8s';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CanaryApp,
  CanaryStep,
  DisruptionBudget,
  HpaMetric,
  RolloutsRbac,
  SeccompProfileType,
  StepProfile,
  TrafficSplit,
  WorkloadScaleDown,
  type CanaryAppProps,
} from '../../src/constructs';
import { buildExampleApp, myAppProps } from '../../src/main';
import { type Manifest, one, synth } from '../support/manifests';
import { manifestValidator, type ManifestValidator } from '../support/schema-validator';

const existingDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'legacy-api', namespace: 'shop', labels: { team: 'payments' }, uid: 'abc', resourceVersion: '42' },
  spec: {
    replicas: 4,
    revisionHistoryLimit: 5,
    selector: { matchLabels: { 'app.kubernetes.io/name': 'legacy-api' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    template: {
      metadata: { labels: { 'app.kubernetes.io/name': 'legacy-api', tier: 'web' }, annotations: { 'sidecar.istio.io/inject': 'true' } },
      spec: {
        serviceAccountName: 'legacy',
        containers: [
          {
            name: 'api',
            image: 'registry.example.com/legacy-api:7.3',
            ports: [{ containerPort: 9000, name: 'http' }, { containerPort: 9090, name: 'metrics' }],
            resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
            readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 },
            volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
          },
        ],
        volumes: [{ name: 'cache', emptyDir: {} }],
        affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'legacy-api' } } } }] } },
      },
    },
  },
  status: { replicas: 4 },
};

/** Configurations covering every option; each must render schema-valid objects. */
const CASES: Record<string, Partial<CanaryAppProps>> = {
  'article defaults (HPA, automatic)': {},
  'manual profile, fixed replicas': { autoscaling: undefined, replicas: 5, steps: StepProfile.manual() },
  'custom builder profile': {
    steps: StepProfile.fromWeights({ weights: [5, 25, 50, 100], pauseBetween: Duration.minutes(2), settlePause: Duration.seconds(20) }),
    lint: { disable: ['pod-surge'] }, // big weight jumps; the surge lint is tested in lint-validation.test.ts
  },
  'explicit canary scale steps': {
    steps: [CanaryStep.setCanaryScaleWeight(10), CanaryStep.setWeight(10), CanaryStep.pause('1h30m'), CanaryStep.setCanaryScaleReplicas(3), CanaryStep.matchTrafficWeight(), CanaryStep.setWeight(100)],
    lint: { disable: ['pod-surge'] },
  },
  'header and mirror route steps, managedRoutes': {
    steps: [
      CanaryStep.setHeaderRoute({ name: 'testers', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }, { headerName: 'user-agent', headerValue: { regex: '.*Firefox.*' } }] }),
      CanaryStep.setMirrorRoute({ name: 'shadow', match: [{ method: { exact: 'GET' }, path: { prefix: '/' }, headers: [{ headerName: 'x-env', headerValue: { prefix: 'prod' } }] }], percentage: 20 }),
      CanaryStep.pauseIndefinitely(),
      CanaryStep.removeHeaderRoute('testers'),
      CanaryStep.removeMirrorRoute('shadow'),
      CanaryStep.setWeight(100),
    ],
    lint: { disable: ['pod-surge', 'all-at-once'] },
  },
  'subset split with DestinationRule': { trafficSplit: TrafficSplit.subset({ stableSubset: 'stable-v', canarySubset: 'canary-v' }) },
  'inline template instead of workloadRef': { inlineTemplate: true },
  'root Service, namespace, scaleDown progressively': { rootService: true, namespace: 'shop', scaleDown: WorkloadScaleDown.PROGRESSIVELY },
  'VirtualService extras (mesh, hosts, match, retries, timeout)': {
    virtualService: {
      hosts: ['www.example.com', 'my-app-svc'],
      gateways: ['istio-system/ingress-gateway', 'mesh'],
      routeName: 'web',
      match: [{ uri: { prefix: '/api' } }, { headers: { 'x-canary': { exact: 'yes' } } }],
      retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: '5xx,connect-failure' },
      timeout: Duration.millis(1500),
    },
  },
  'PDB minAvailable and percentages, HPA memory and custom metrics': {
    disruptionBudgets: { stable: DisruptionBudget.minAvailable('50%'), canary: DisruptionBudget.maxUnavailable('50%') },
    autoscaling: { minReplicas: 3, maxReplicas: 12, metrics: [HpaMetric.cpuUtilization(60), HpaMetric.memoryUtilization(80), HpaMetric.memoryAverageValue('700Mi'), HpaMetric.pods('http_requests_per_second', '100'), HpaMetric.external('queue_messages', '30', { queue: 'jobs' })] },
  },
  'no PDBs, every name overridden': {
    disruptionBudgets: false,
    names: { deployment: 'd', rollout: 'r', stableService: 's', canaryService: 'c', virtualService: 'v', hpa: 'h' },
  },
  'new app with resources, env, probes, sidecar': {
    containers: [
      {
        image: 'my-image:1',
        envVariables: { B: '2', A: '1' },
        resources: { cpu: { request: '100m', limit: '1' }, memory: { request: '128Mi', limit: '256Mi' } },
        readiness: { httpGet: { path: '/healthz', port: 'http' } },
        liveness: { tcpSocket: { port: 8080 }, initialDelaySeconds: 10 },
        command: ['/app'],
        args: ['--port=8080'],
        imagePullPolicy: 'IfNotPresent',
      },
      { name: 'sidecar', image: 'envoy:1', portNumber: 9901, portName: 'admin', resources: { cpu: { request: '50m' } } },
    ],
    podMetadata: { labels: { team: 'web' }, annotations: { 'prometheus.io/scrape': 'true' } },
  },
  'existing app: whole Deployment object': { containers: undefined, deployment: existingDeployment, name: 'legacy-api', autoscaling: undefined },
  'existing app: DeploymentSpec without selector': {
    containers: undefined,
    deploymentSpec: { template: { spec: { containers: [{ name: 'app', image: 'my-image:2', ports: [{ containerPort: 8080, name: 'http' }], resources: { requests: { cpu: '100m' } } }] } } },
  },
  'securityContext overrides per container': {
    containers: [
      { image: 'my-image:1', resources: { cpu: { request: '100m' } }, securityContext: { runAsUser: 10001, runAsGroup: 10001, readOnlyRootFilesystem: false, capabilitiesAdd: ['NET_BIND_SERVICE'] } },
      { name: 'agent', image: 'agent:1', portNumber: 0, resources: { cpu: { request: '10m' } }, securityContext: { seccompProfile: SeccompProfileType.LOCALHOST, seccompLocalhostProfile: 'profiles/agent.json' } },
    ],
  },
  'existing app with securityDefaults filling the unset fields': {
    containers: undefined,
    securityDefaults: true,
    deploymentSpec: {
      template: {
        spec: {
          securityContext: { runAsUser: 1000 },
          initContainers: [{ name: 'setup', image: 'setup:1', securityContext: { privileged: true } }],
          containers: [{ name: 'app', image: 'my-image:2', ports: [{ containerPort: 8080, name: 'http' }], resources: { requests: { cpu: '100m' } } }],
        },
      },
    },
  },
};

describe('strict schema validation', () => {
  let validator: ManifestValidator;
  beforeAll(() => {
    validator = manifestValidator();
    // eslint-disable-next-line no-console
    console.log(`schema sources: CRDs from ${validator.sources.crds}, Kubernetes from ${validator.sources.k8s}`);
  });

  const expectValid = (objects: Manifest[]) => {
    expect(objects.length).toBeGreaterThan(0);
    for (const o of objects) {
      expect(validator.knows(o.apiVersion, o.kind), `${o.apiVersion} ${o.kind} has a schema`).toBe(true);
      expect(validator.validate(o)).toEqual([]);
    }
  };

  it('reports where the schemas came from', () => {
    expect(['../shared/crds', '.cache/crds']).toContain(validator.sources.crds);
    expect(validator.sources.k8s).toBe('.cache/k8s-schemas/v1.28.0-local-strict');
  });

  it.each(Object.entries(CASES))('%s: every object is valid', (_name, overrides) => {
    const props = { ...myAppProps(StepProfile.automatic()), ...overrides } as CanaryAppProps;
    const objects = synth((chart) => new CanaryApp(chart, 'App', props));
    expectValid(objects);
  });

  it('the example app (all charts) is valid', () => {
    const app = Testing.app();
    buildExampleApp(app);
    const all = app.charts.flatMap((c) => c.toJson() as Manifest[]);
    expect(all.map((o) => o.kind)).toEqual(expect.arrayContaining(['Deployment', 'Rollout', 'VirtualService', 'Role']));
    expectValid(all);
  });

  it('RBAC with bindings to groups, users and service accounts is valid', () => {
    const objects = synth((chart) => new RolloutsRbac(chart, 'Rbac', {
      namespace: 'shop',
      readers: { groups: ['devs'], users: ['alice@example.com'] },
      writers: { groups: ['sre'], serviceAccounts: ['deployer'] },
    }));
    expect(objects.map((o) => o.kind)).toEqual(['Role', 'Role', 'RoleBinding', 'RoleBinding']);
    expectValid(objects);
  });

  describe('rejects what the API server would reject', () => {
    const objects = synth((chart) => new CanaryApp(chart, 'App', {
      ...myAppProps(StepProfile.automatic()),
      trafficSplit: TrafficSplit.subset(),
    })).concat(synth((chart) => new RolloutsRbac(chart, 'Rbac', { namespace: 'x', readers: { groups: ['g'] } })));

    it.each(objects.map((o) => [`${o.kind}/${o.metadata.name}`, o] as const))('%s with an unknown spec field fails', (_id, obj) => {
      const mutated = structuredClone(obj);
      const body = mutated.spec ?? mutated.rules?.[0] ?? mutated.roleRef;
      body.notAField = true;
      expect(validator.validate(mutated).join('\n')).toMatch(/unknown field "notAField"/);
    });

    it('unknown field deep inside the Rollout (a step) fails', () => {
      const rollout = structuredClone(one(objects, 'Rollout'));
      rollout.spec.strategy.canary.steps[0].setWieght = 5;
      expect(validator.validate(rollout)).toEqual(['Rollout/my-app-rollout /spec/strategy/canary/steps/0: unknown field "setWieght"']);
    });

    it('unknown field in a VirtualService route fails', () => {
      const vs = structuredClone(one(objects, 'VirtualService'));
      vs.spec.http[0].route[0].wieght = 100;
      expect(validator.validate(vs)).toEqual(['VirtualService/my-app-vs /spec/http/0/route/0: unknown field "wieght"']);
    });

    it('unknown metadata field fails for CRD objects too', () => {
      const dr = structuredClone(one(objects, 'DestinationRule'));
      dr.metadata.lables = { a: 'b' };
      expect(validator.validate(dr)).toEqual(['DestinationRule/my-app-dr /metadata: unknown field "lables"']);
    });

    it('an unknown top-level field fails', () => {
      const vs = structuredClone(one(objects, 'VirtualService'));
      vs.specs = {};
      expect(validator.validate(vs)).toEqual(['VirtualService/my-app-vs /: unknown field "specs"']);
    });

    it('a wrong type fails (replicas as a string)', () => {
      const dep = structuredClone(one(objects, 'Deployment'));
      dep.spec.replicas = '2';
      expect(validator.validate(dep).join('\n')).toMatch(/\/spec\/replicas: must be integer/);
    });

    it('int-or-string fields take an integer or a string but nothing else', () => {
      const rollout = structuredClone(one(objects, 'Rollout'));
      rollout.spec.strategy.canary.maxSurge = '20%';
      rollout.spec.strategy.canary.maxUnavailable = 1;
      expect(validator.validate(rollout)).toEqual([]);
      rollout.spec.strategy.canary.maxSurge = true;
      expect(validator.validate(rollout).join('\n')).toMatch(/\/spec\/strategy\/canary\/maxSurge/);
    });

    it('preserve-unknown-fields sections still accept anything', () => {
      const vs = structuredClone(one(objects, 'VirtualService'));
      vs.status = { anything: { goes: true } };
      expect(validator.validate(vs)).toEqual([]);
    });

    it('a kind without a schema is an error, not a silent pass', () => {
      expect(() => validator.validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toThrow(/No schema for example.com\/v1\/Widget/);
    });
  });
});
