/**
 * Targeted behaviour of CanaryApp and its options (the article's values are also checked against
 * the article itself in article-golden.test.ts; these asserts do not need ../shared).
 */
import { Chart, Duration, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  ArgoRolloutsControllerValues,
  CanaryApp,
  CanaryStep,
  DisruptionBudget,
  HpaMetric,
  RolloutsRbac,
  StepProfile,
  TrafficSplit,
  WorkloadScaleDown,
  type CanaryAppProps,
} from '../../src/constructs';
import { myAppProps } from '../../src/main';
import { ids, one, synth } from '../support/manifests';

const article = (): CanaryAppProps => myAppProps(StepProfile.automatic());
/** The example's container as rendered: the article's fields, then requests, readiness probe and the secure defaults (issue 22). */
const EXAMPLE_CONTAINER = {
  name: 'app',
  image: 'my-image:1',
  ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
  readinessProbe: { tcpSocket: { port: 'http' } },
  resources: { limits: { memory: '256Mi' }, requests: { cpu: '250m', memory: '256Mi' } },
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
};
const render = (props: Partial<CanaryAppProps>, chartProps?: { namespace?: string }) =>
  synth((chart) => new CanaryApp(chart, 'App', { ...article(), ...props } as CanaryAppProps), chartProps);

describe('CanaryApp defaults (the article\'s)', () => {
  const out = render({});
  const rollout = one(out, 'Rollout');
  const canary = rollout.spec.strategy.canary;

  it('Deployment only holds the pod template: replicas 0, selector app: my-app', () => {
    const dep = one(out, 'Deployment', 'my-app-dep');
    expect(dep.spec.replicas).toBe(0);
    expect(dep.spec.selector).toEqual({ matchLabels: { app: 'my-app' } });
    expect(dep.spec.template.metadata.labels).toEqual({ app: 'my-app' });
    expect(dep.spec.template.spec.containers).toEqual([EXAMPLE_CONTAINER]);
  });

  it('Rollout references the Deployment (scaleDown never) with the opinionated values', () => {
    expect(rollout.metadata.name).toBe('my-app-rollout');
    expect(rollout.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'my-app-dep', scaleDown: 'never' });
    expect(rollout.spec.minReadySeconds).toBe(5);
    expect(canary.minPodsPerReplicaSet).toBe(2);
    expect(canary.scaleDownDelaySeconds).toBe(30);
    expect(canary.abortScaleDownDelaySeconds).toBe(30);
    expect(canary.stableMetadata).toEqual({ labels: { role: 'stable' }, annotations: { role: 'stable' } });
    expect(canary.canaryMetadata).toEqual({ labels: { role: 'canary' }, annotations: { role: 'canary' } });
    expect(canary.stableService).toBe('my-app-svc');
    expect(canary.canaryService).toBe('my-app-canary-svc');
    expect(canary.trafficRouting).toEqual({ istio: { virtualService: { name: 'my-app-vs', routes: ['primary'] } } });
  });

  it('no spec.replicas on the Rollout when the HPA owns the count; HPA aimed at the Rollout', () => {
    expect('replicas' in rollout.spec).toBe(false);
    const hpa = one(out, 'HorizontalPodAutoscaler', 'my-app-hpa');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'my-app-rollout' });
    expect(hpa.spec.minReplicas).toBe(2);
    expect(hpa.spec.maxReplicas).toBe(10);
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
  });

  it('VirtualService: named route, stable 100 / canary 0, gateways and hosts given', () => {
    const vs = one(out, 'VirtualService', 'my-app-vs');
    expect(vs.apiVersion).toBe('networking.istio.io/v1');
    expect(vs.spec.gateways).toEqual(['istio-system/ingress-gateway']);
    expect(vs.spec.hosts).toEqual(['www.example.com']);
    expect(vs.spec.http).toEqual([{
      name: 'primary',
      route: [
        { destination: { host: 'my-app-svc', port: { number: 80 } }, weight: 100 },
        { destination: { host: 'my-app-canary-svc', port: { number: 80 } }, weight: 0 },
      ],
    }]);
  });

  it('Services: ClusterIP, port 80 to the named port http, selecting app: my-app', () => {
    for (const name of ['my-app-svc', 'my-app-canary-svc']) {
      expect(one(out, 'Service', name).spec).toEqual({
        type: 'ClusterIP',
        ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }],
        selector: { app: 'my-app' },
      });
    }
  });

  it('split PDBs select the app\'s stable or canary pods, maxUnavailable 1', () => {
    expect(one(out, 'PodDisruptionBudget', 'my-app-stable-pdb').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { app: 'my-app', role: 'stable' } } });
    expect(one(out, 'PodDisruptionBudget', 'my-app-canary-pdb').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { app: 'my-app', role: 'canary' } } });
  });

  it('exposes the resolved names, steps and selector', () => {
    const chart = new Chart(Testing.app(), 'test');
    const app = new CanaryApp(chart, 'App', article());
    expect(app.names).toEqual({
      deployment: 'my-app-dep', rollout: 'my-app-rollout', stableService: 'my-app-svc', canaryService: 'my-app-canary-svc',
      rootService: 'my-app-root-svc', virtualService: 'my-app-vs', destinationRule: 'my-app-dr', hpa: 'my-app-hpa',
      stablePdb: 'my-app-stable-pdb', canaryPdb: 'my-app-canary-pdb',
    });
    expect(app.selectorLabels).toEqual({ app: 'my-app' });
    expect(app.replicas).toBeUndefined();
    expect(app.steps).toHaveLength(12);
    expect(app.rollout.name).toBe('my-app-rollout');
    expect(CanaryApp.isCanaryApp(app)).toBe(true);
    expect(CanaryApp.isCanaryApp(chart)).toBe(false);
  });
});

describe('replicas', () => {
  it('fixed replicas (default 2) when there is no HPA, and no HPA object', () => {
    const out = render({ autoscaling: undefined });
    expect(one(out, 'Rollout').spec.replicas).toBe(2);
    expect(ids(out)).not.toContain('HorizontalPodAutoscaler/my-app-hpa');
  });

  it('explicit fixed replicas', () => {
    expect(one(render({ autoscaling: undefined, replicas: 6 }), 'Rollout').spec.replicas).toBe(6);
  });

  it('an existing spec\'s replicas move to the Rollout; the Deployment gets 0', () => {
    const out = render({
      autoscaling: undefined,
      containers: undefined,
      deploymentSpec: { replicas: 7, template: { spec: { containers: [{ name: 'app', image: 'x:1', ports: [{ containerPort: 80, name: 'http' }] }] } } },
    });
    expect(one(out, 'Rollout').spec.replicas).toBe(7);
    expect(one(out, 'Deployment').spec.replicas).toBe(0);
  });

  it('HPA options: min, max, several metrics', () => {
    const out = render({ autoscaling: { minReplicas: 3, maxReplicas: 30, metrics: [HpaMetric.memoryUtilization(75), HpaMetric.pods('rps', '50'), HpaMetric.external('queue', '10', { q: 'jobs' }), HpaMetric.cpuAverageValue('500m')] } });
    const hpa = one(out, 'HorizontalPodAutoscaler');
    expect(hpa.spec.minReplicas).toBe(3);
    expect(hpa.spec.maxReplicas).toBe(30);
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 75 } } },
      { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '50' } } },
      { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { q: 'jobs' } } }, target: { type: 'AverageValue', averageValue: '10' } } },
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '500m' } } },
    ]);
  });
});

describe('step profiles', () => {
  it('automatic: setWeight 1, 10, 20, ..., 100 then pause 15s', () => {
    expect(StepProfile.automatic().steps.map((s) => s.toSpec())).toEqual([
      ...[1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((w) => ({ setWeight: w })),
      { pause: { duration: '15s' } },
    ]);
  });

  it('manual: the article\'s 14 steps', () => {
    expect(StepProfile.manual().steps.map((s) => s.toSpec())).toEqual([
      { setCanaryScale: { replicas: 2 } },
      { pause: {} },
      { setCanaryScale: { matchTrafficWeight: true } },
      { setWeight: 1 },
      { pause: {} },
      { setWeight: 10 },
      { pause: {} },
      { setWeight: 30 },
      { setWeight: 50 },
      { pause: {} },
      { setWeight: 70 },
      { setWeight: 90 },
      { setWeight: 100 },
      { pause: { duration: '15s' } },
    ]);
  });

  it('fromWeights: pauses between weights, a final settle pause, or none', () => {
    expect(StepProfile.fromWeights({ weights: [5, 50, 100], pauseBetween: Duration.minutes(5), settlePause: Duration.seconds(30) }).steps.map((s) => s.toSpec())).toEqual([
      { setWeight: 5 }, { pause: { duration: '5m' } }, { setWeight: 50 }, { pause: { duration: '5m' } }, { setWeight: 100 }, { pause: { duration: '30s' } },
    ]);
    expect(StepProfile.fromWeights({ weights: [20, 100], pauseBetween: 'indefinite', settlePause: false }).steps.map((s) => s.toSpec())).toEqual([
      { setWeight: 20 }, { pause: {} }, { setWeight: 100 },
    ]);
  });

  it('builder and value objects render the CRD shapes', () => {
    const profile = StepProfile.builder()
      .step(CanaryStep.setCanaryScaleWeight(25))
      .setWeight(10)
      .pause(Duration.hours(1))
      .pause('90')
      .pause(Duration.seconds(90))
      .pauseIndefinitely()
      .step(CanaryStep.matchTrafficWeight())
      .build();
    expect(profile.steps.map((s) => s.toSpec())).toEqual([
      { setCanaryScale: { weight: 25 } }, { setWeight: 10 }, { pause: { duration: '1h' } }, { pause: { duration: '90' } }, { pause: { duration: '90s' } }, { pause: {} }, { setCanaryScale: { matchTrafficWeight: true } },
    ]);
    expect(CanaryStep.setWeight(20).kind).toBe('setWeight');
    expect(CanaryStep.setWeight(20).weight).toBe(20);
  });

  it('a plain step list is accepted', () => {
    // 50 -> 100 adds pods in big jumps: the pod-surge lint (lint-validation.test.ts) would fail synth.
    const out = render({ steps: [CanaryStep.setWeight(50), CanaryStep.pauseIndefinitely(), CanaryStep.setWeight(100)], lint: { disable: ['pod-surge'] } });
    expect(one(out, 'Rollout').spec.strategy.canary.steps).toEqual([{ setWeight: 50 }, { pause: {} }, { setWeight: 100 }]);
  });
});

describe('options', () => {
  it('namespace applies to every object; the chart namespace is used otherwise', () => {
    for (const o of render({ namespace: 'shop' })) expect(o.metadata.namespace).toBe('shop');
    for (const o of render({}, { namespace: 'from-chart' })) expect(o.metadata.namespace).toBe('from-chart');
  });

  it('subset split: one Service, a DestinationRule, subsets in the VirtualService and the Rollout', () => {
    const out = render({ trafficSplit: TrafficSplit.subset() });
    expect(ids(out)).toEqual(['Deployment/my-app-dep', 'Service/my-app-svc', 'DestinationRule/my-app-dr', 'VirtualService/my-app-vs', 'Rollout/my-app-rollout', 'HorizontalPodAutoscaler/my-app-hpa', 'PodDisruptionBudget/my-app-stable-pdb', 'PodDisruptionBudget/my-app-canary-pdb']);
    expect(one(out, 'DestinationRule').spec).toEqual({ host: 'my-app-svc', subsets: [{ name: 'stable', labels: { app: 'my-app' } }, { name: 'canary', labels: { app: 'my-app' } }] });
    expect(one(out, 'VirtualService').spec.http[0].route).toEqual([
      { destination: { host: 'my-app-svc', subset: 'stable', port: { number: 80 } }, weight: 100 },
      { destination: { host: 'my-app-svc', subset: 'canary', port: { number: 80 } }, weight: 0 },
    ]);
    const canary = one(out, 'Rollout').spec.strategy.canary;
    expect(canary.trafficRouting.istio.destinationRule).toEqual({ name: 'my-app-dr', stableSubsetName: 'stable', canarySubsetName: 'canary' });
    expect(canary.stableService).toBeUndefined();
    expect(canary.canaryService).toBeUndefined();
  });

  it('inline template: no Deployment, the template sits in the Rollout', () => {
    const out = render({ inlineTemplate: true });
    expect(ids(out)).not.toContain('Deployment/my-app-dep');
    const rollout = one(out, 'Rollout');
    expect(rollout.spec.workloadRef).toBeUndefined();
    expect(rollout.spec.template).toEqual({ metadata: { labels: { app: 'my-app' } }, spec: { containers: [EXAMPLE_CONTAINER] } });
  });

  it('scaleDown modes', () => {
    expect(one(render({ scaleDown: WorkloadScaleDown.ON_SUCCESS }), 'Rollout').spec.workloadRef.scaleDown).toBe('onsuccess');
    expect(one(render({ scaleDown: WorkloadScaleDown.PROGRESSIVELY }), 'Rollout').spec.workloadRef.scaleDown).toBe('progressively');
  });

  it('root Service selects every pod of the app and is not routed to', () => {
    const out = render({ rootService: true });
    expect(one(out, 'Service', 'my-app-root-svc').spec.selector).toEqual({ app: 'my-app' });
    expect(JSON.stringify(one(out, 'VirtualService'))).not.toContain('my-app-root-svc');
    expect(JSON.stringify(one(out, 'Rollout'))).not.toContain('my-app-root-svc');
  });

  it('VirtualService extras: several hosts, mesh gateway, match, retries, timeout, route name', () => {
    const out = render({
      virtualService: {
        hosts: ['www.example.com', 'my-app-svc'],
        gateways: ['istio-system/ingress-gateway', 'mesh'],
        routeName: 'web',
        match: [{ uri: { prefix: '/api' } }],
        retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: '5xx,reset' },
        timeout: Duration.millis(1500),
      },
    });
    const http = one(out, 'VirtualService').spec.http[0];
    expect(one(out, 'VirtualService').spec.gateways).toEqual(['istio-system/ingress-gateway', 'mesh']);
    expect(one(out, 'VirtualService').spec.hosts).toEqual(['www.example.com', 'my-app-svc']);
    expect(http.name).toBe('web');
    expect(http.match).toEqual([{ uri: { prefix: '/api' } }]);
    expect(http.retries).toEqual({ attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset' });
    expect(http.timeout).toBe('1500ms');
    expect(one(out, 'Rollout').spec.strategy.canary.trafficRouting.istio.virtualService.routes).toEqual(['web']);
  });

  it('without gateways the VirtualService has none (in-mesh only)', () => {
    expect(one(render({ virtualService: { hosts: ['my-app-svc'] } }), 'VirtualService').spec.gateways).toBeUndefined();
  });

  it('PDB budgets: minAvailable, percentages, or no PDBs at all', () => {
    const out = render({ disruptionBudgets: { stable: DisruptionBudget.minAvailable(1), canary: DisruptionBudget.maxUnavailable('50%') } });
    expect(one(out, 'PodDisruptionBudget', 'my-app-stable-pdb').spec.minAvailable).toBe(1);
    expect(one(out, 'PodDisruptionBudget', 'my-app-canary-pdb').spec.maxUnavailable).toBe('50%');
    expect(ids(render({ disruptionBudgets: false })).filter((i) => i.startsWith('PodDisruptionBudget'))).toEqual([]);
  });

  it('timing overrides are rendered in seconds', () => {
    const canaryOf = (o: ReturnType<typeof render>) => one(o, 'Rollout');
    const r = canaryOf(render({ minReady: Duration.seconds(10), scaleDownDelay: Duration.minutes(1), abortScaleDownDelay: Duration.seconds(0), minPodsPerReplicaSet: 3, autoscaling: { minReplicas: 3 } }));
    expect(r.spec.minReadySeconds).toBe(10);
    expect(r.spec.strategy.canary.scaleDownDelaySeconds).toBe(60);
    expect(r.spec.strategy.canary.abortScaleDownDelaySeconds).toBe(0);
    expect(r.spec.strategy.canary.minPodsPerReplicaSet).toBe(3);
  });

  it('every name can be overridden, and the references follow', () => {
    const out = render({
      rootService: true,
      names: { deployment: 'd', rollout: 'r', stableService: 's', canaryService: 'c', rootService: 'all', virtualService: 'v', hpa: 'h', stablePdb: 'p1', canaryPdb: 'p2' },
    });
    expect(ids(out)).toEqual(['Deployment/d', 'Service/s', 'Service/c', 'Service/all', 'VirtualService/v', 'Rollout/r', 'HorizontalPodAutoscaler/h', 'PodDisruptionBudget/p1', 'PodDisruptionBudget/p2']);
    const rollout = one(out, 'Rollout');
    expect(rollout.spec.workloadRef.name).toBe('d');
    expect(rollout.spec.strategy.canary.stableService).toBe('s');
    expect(rollout.spec.strategy.canary.canaryService).toBe('c');
    expect(rollout.spec.strategy.canary.trafficRouting.istio.virtualService.name).toBe('v');
    expect(one(out, 'HorizontalPodAutoscaler').spec.scaleTargetRef.name).toBe('r');
    expect(one(out, 'VirtualService').spec.http[0].route.map((x: { destination: { host: string } }) => x.destination.host)).toEqual(['s', 'c']);
  });

  it('a whole Deployment keeps its name, labels and namespace', () => {
    const out = render({
      name: 'legacy',
      containers: undefined,
      deployment: {
        apiVersion: 'apps/v1', kind: 'Deployment',
        metadata: { name: 'legacy-web', namespace: 'shop', labels: { team: 'a' }, annotations: { note: 'kept' } },
        spec: { selector: { matchLabels: { svc: 'legacy' } }, template: { metadata: { labels: { svc: 'legacy' } }, spec: { containers: [{ name: 'web', image: 'web:3', ports: [{ containerPort: 80, name: 'http' }], resources: { requests: { cpu: '1' } } }] } } },
      },
    });
    const dep = one(out, 'Deployment');
    expect(dep.metadata).toEqual({ name: 'legacy-web', namespace: 'shop', labels: { team: 'a' }, annotations: { note: 'kept' } });
    expect(one(out, 'Rollout').spec.workloadRef.name).toBe('legacy-web');
    expect(one(out, 'Service', 'legacy-svc').spec.selector).toEqual({ svc: 'legacy' });
    expect(one(out, 'PodDisruptionBudget', 'legacy-canary-pdb').spec.selector.matchLabels).toEqual({ svc: 'legacy', role: 'canary' });
    for (const o of out) expect(o.metadata.namespace).toBe('shop');
  });

  it('new-app containers: env sorted, resources, probes, sidecars and pod metadata', () => {
    const out = render({
      containers: [
        { image: 'my-image:1', envVariables: { B: '2', A: '1' }, resources: { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '128Mi' } }, readiness: { httpGet: { path: '/healthz', port: 'http' } } },
        { name: 'proxy', image: 'proxy:1', portNumber: 0, resources: { cpu: { limit: '50m' } } },
      ],
      podMetadata: { labels: { team: 'web' }, annotations: { a: 'b' } },
    });
    const t = one(out, 'Deployment').spec.template;
    expect(t.metadata).toEqual({ labels: { team: 'web', app: 'my-app' }, annotations: { a: 'b' } });
    expect(t.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    expect(t.spec.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } });
    expect(t.spec.containers[0].readinessProbe).toEqual({ httpGet: { path: '/healthz', port: 'http' } });
    expect(t.spec.containers[1]).toEqual({ name: 'proxy', image: 'proxy:1', resources: { limits: { cpu: '50m' } }, securityContext: EXAMPLE_CONTAINER.securityContext });
  });

  it('two apps in one chart, or one name in two namespaces, are fine', () => {
    const chart = new Chart(Testing.app(), 'test');
    new CanaryApp(chart, 'A', article());
    new CanaryApp(chart, 'B', { ...article(), name: 'other' });
    new CanaryApp(chart, 'C', { ...article(), namespace: 'elsewhere' });
    expect(chart.toJson()).toHaveLength(24);
  });
});

describe('companions', () => {
  it('RolloutsRbac: the article\'s roles, with RoleBindings to groups, users and service accounts', () => {
    const out = synth((chart) => new RolloutsRbac(chart, 'Rbac', { readers: { groups: ['devs'], users: ['alice'] }, writers: { serviceAccounts: ['ci'] } }), { namespace: 'shop' });
    expect(ids(out)).toEqual(['Role/rollouts-reader', 'Role/rollouts-writer', 'RoleBinding/rollouts-reader-binding', 'RoleBinding/rollouts-writer-binding']);
    expect(one(out, 'Role', 'rollouts-writer').rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['rollouts', 'analysisruns', 'experiments'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['argoproj.io'], resources: ['rollouts', 'rollouts/status'], verbs: ['get', 'patch'] },
    ]);
    expect(one(out, 'RoleBinding', 'rollouts-reader-binding')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'rollouts-reader' },
      subjects: [
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' },
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' },
      ],
    });
    expect(one(out, 'RoleBinding', 'rollouts-writer-binding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'ci', namespace: 'shop' }]);
  });

  it('RolloutsRbac role names can be changed', () => {
    const out = synth((chart) => new RolloutsRbac(chart, 'Rbac', { readerRoleName: 'view-rollouts', writerRoleName: 'operate-rollouts', namespace: 'x' }));
    expect(ids(out)).toEqual(['Role/view-rollouts', 'Role/operate-rollouts']);
  });

  it('controller values: overrides replace the article\'s values', () => {
    const v = new ArgoRolloutsControllerValues({ memory: '1Gi', cpuRequest: '250m', pdbMinAvailable: 0, metrics: false }).values as any;
    expect(v.controller.resources).toEqual({ limits: { memory: '1Gi', 'ephemeral-storage': '1Gi' }, requests: { cpu: '250m', memory: '1Gi' } });
    expect(v.controller.pdb).toEqual({ enabled: true, minAvailable: 0 });
    expect(v.controller.metrics).toEqual({ enabled: false });
    expect(Object.entries(v.providerRBAC.providers).filter(([, on]) => on).map(([k]) => k)).toEqual(['istio']);
  });
});
