/**
 * Regression tests for the convert / migrate defects of issue 20 (items 1, 2, 4, 5), on a plain
 * Deployment + Service + VirtualService as `kubectl get -o yaml` or a kustomize build writes them:
 * ports without `protocol`, a numbered and a named targetPort, ServiceSpec fields CanaryApp has
 * no prop for.
 */
import { describe, expect, it } from 'vitest';
import { convertExistingApp } from '../../src/migration/convert';
import { type ManifestObject, parseManifestTexts } from '../../src/migration/manifest-object';
import { MigrationError } from '../../src/migration/migration-error';
import { planMigration } from '../../src/migration/migration-plan';
import { MemoryIo, runCli } from '../support/cli';
import { thrownBy } from '../support/thrown-by';
import { readUnderYaml11And12 } from '../support/yaml-strings';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  minReadySeconds: 10
  progressDeadlineSeconds: 300
  revisionHistoryLimit: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]
`;
const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  clusterIP: 10.0.0.12
  clusterIPs: [10.0.0.12]
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 100}}
  trafficDistribution: PreferClose
  ports:
  - {name: metrics, port: 9090, targetPort: metrics}
  - {name: http, port: 80, targetPort: 8080}
`;
const VIRTUAL_SERVICE = `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: [web.example.com]
  http:
  - route:
    - destination: {host: web, port: {number: 80}}
`;

const parse = (...texts: string[]) => parseManifestTexts([{ text: texts.join('---\n'), file: 'web.yaml' }]);
const find = (objects: readonly ManifestObject[], kind: string, name: string): ManifestObject & { spec: Record<string, any> } =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) as ManifestObject & { spec: Record<string, any> };

describe('convert keeps a Service exactly (issue 20, item 1)', () => {
  const result = convertExistingApp(parse(DEPLOYMENT, SERVICE, VIRTUAL_SERVICE));
  const input = find(parse(SERVICE).map((m) => m.object), 'Service', 'web');

  it('the stable Service equals the input: targetPorts, clusterIP, sessionAffinityConfig.clientIP, trafficDistribution', () => {
    const svc = find(result.objects, 'Service', 'web');
    expect(svc).toEqual(input);
    expect(svc.spec.ports).toEqual([
      { name: 'metrics', port: 9090, targetPort: 'metrics' },
      { name: 'http', port: 80, targetPort: 8080 },
    ]);
  });

  it('every "kept" note names a field the output holds with the input value', () => {
    const kept = result.report.filter((l) => l.startsWith('Service/web: ') && l.includes(' kept '));
    expect(kept.map((l) => l.split(' ')[1])).toEqual([
      '/spec/clusterIP',
      '/spec/clusterIPs',
      '/spec/ports',
      '/spec/sessionAffinity',
      '/spec/sessionAffinityConfig',
      '/spec/trafficDistribution',
    ]);
    const svc = find(result.objects, 'Service', 'web');
    for (const line of kept) {
      const field = line.split(' ')[1].split('/').pop()!;
      expect(svc.spec[field], line).toEqual((input.spec as Record<string, unknown>)[field]);
    }
  });
});

describe('migrate takes the simplest app (issue 20, item 2)', () => {
  it('plans the migration of the converted set instead of refusing the Service', () => {
    const converted = convertExistingApp(parse(DEPLOYMENT, SERVICE, VIRTUAL_SERVICE));
    const plan = planMigration({ after: converted.objects, existing: converted.existing });
    expect(plan.set.stableService.metadata.name).toBe('web');
  });

  it('the CLI prints a runbook, exit 0', async () => {
    const r = await runCli(['migrate', 'web.yaml'], new MemoryIo({ 'web.yaml': [DEPLOYMENT, SERVICE, VIRTUAL_SERVICE].join('---\n') }, false));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Zero-downtime migration of Deployment/web to Rollout/web-rollout');
  });
});

describe('the canary and root Services carry every port (issue 20, item 4)', () => {
  const result = convertExistingApp(parse(DEPLOYMENT, SERVICE, VIRTUAL_SERVICE));

  it('ports [9090 metrics, 80 http] with the route on 80: both Services have both ports, as the stable one', () => {
    for (const name of ['web-canary-svc', 'web-root-svc']) {
      expect(find(result.objects, 'Service', name).spec.ports, name).toEqual([
        { name: 'metrics', port: 9090, targetPort: 'metrics' },
        { name: 'http', port: 80, targetPort: 8080 },
      ]);
    }
    expect(result.props.service).toEqual({ port: 80, targetPort: 8080, portName: 'http' });
    const route = find(result.objects, 'VirtualService', 'web').spec.http[0].route;
    expect(route.map((r: { destination: unknown }) => r.destination)).toEqual([
      { host: 'web', port: { number: 80 } },
      { host: 'web-canary-svc', port: { number: 80 } },
    ]);
    expect(result.report).toContain(
      "Service/web-canary-svc: /spec/ports copied from Service/web with a JSON patch (every port; CanaryApp's service props describe the routed one)",
    );
  });

  it('a NodePort stays on the stable Service only', () => {
    const nodePort = SERVICE.replace('  selector:', '  type: NodePort\n  selector:').replace('targetPort: 8080}', 'targetPort: 8080, nodePort: 30080}');
    const r = convertExistingApp(parse(DEPLOYMENT, nodePort, VIRTUAL_SERVICE));
    expect(find(r.objects, 'Service', 'web').spec.ports[1]).toEqual({ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 });
    expect(find(r.objects, 'Service', 'web-canary-svc').spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 9090 }, { name: 'http', port: 80, targetPort: 8080 }] });
  });

  it('a port without targetPort goes to the same pod port, as Kubernetes does', () => {
    const noTarget = SERVICE.replace('{name: http, port: 80, targetPort: 8080}', '{port: 8080}').replace('- {name: metrics, port: 9090, targetPort: metrics}\n', '');
    const vs = VIRTUAL_SERVICE.replace('number: 80', 'number: 8080');
    const r = convertExistingApp(parse(DEPLOYMENT, noTarget, vs));
    expect(r.props.service).toEqual({ port: 8080, targetPort: 8080 });
    expect(find(r.objects, 'Service', 'web-canary-svc').spec.ports).toEqual([{ port: 8080 }]);
  });
});

describe("the Rollout keeps the Deployment's timing (issue 20, item 5)", () => {
  it('minReadySeconds, progressDeadlineSeconds and revisionHistoryLimit come from the Deployment', () => {
    const result = convertExistingApp(parse(DEPLOYMENT, SERVICE, VIRTUAL_SERVICE));
    const rollout = find(result.objects, 'Rollout', 'web-rollout');
    expect(rollout.spec).toMatchObject({ minReadySeconds: 10, progressDeadlineSeconds: 300, revisionHistoryLimit: 4 });
    expect(result.snippet).toContain('minReady: Duration.seconds(10)');
    expect(result.report).toContain(
      'Rollout/web-rollout: /spec/progressDeadlineSeconds taken from Deployment/web with a JSON patch (CanaryApp has no prop for it)',
    );
  });

  it("without minReadySeconds the Rollout's 5 s default is noted", () => {
    const result = convertExistingApp(parse(DEPLOYMENT.replace('  minReadySeconds: 10\n', ''), SERVICE, VIRTUAL_SERVICE));
    expect(find(result.objects, 'Rollout', 'web-rollout').spec.minReadySeconds).toBe(5);
    expect(result.report).toContain("Rollout/web-rollout: /spec/minReadySeconds is 5 (CanaryApp's default; Deployment/web has none, which Kubernetes reads as 0)");
  });

  it('replicas: 0 names Deployment/web spec.replicas and what is valid', () => {
    const err = thrownBy(() => convertExistingApp(parse(DEPLOYMENT.replace('replicas: 3', 'replicas: 0'), SERVICE, VIRTUAL_SERVICE)), MigrationError);
    expect(err.problems).toEqual([
      "Deployment/web: spec.replicas (0) must be a whole number >= 1: the Rollout takes over the Deployment's pods " +
        '(with 0 no pod serves the traffic and an HPA stays idle); scale the Deployment up before migrating',
    ]);
    expect(err.message).not.toContain('minPodsPerReplicaSet');
  });
});

describe('convert and migrate write YAML that reads the same under YAML 1.1 and 1.2 (issue 20, item 3)', () => {
  const deployment = DEPLOYMENT.replace(
    '        image: nginx\n',
    '        image: nginx\n        env: [{name: A, value: "on"}, {name: B, value: "no"}, {name: C, value: "yes"}, {name: D, value: "0644"}]\n',
  ).replace('  template:\n    metadata: {labels: {app: web}}\n', '  template:\n    metadata: {labels: {app: web}, annotations: {sidecar.istio.io/inject: "yes", x: "off"}}\n') +
    '      volumes: [{name: c, configMap: {name: c, defaultMode: 0644}}]\n';
  // A port named "on" is a valid port name (IANA_SVC_NAME) that YAML 1.1 reads as true when bare.
  const service = SERVICE.replace('{name: metrics, port: 9090', '{name: "on", port: 9090');
  const files = { 'web.yaml': [deployment, service, VIRTUAL_SERVICE].join('---\n') };

  it('defaultMode 0644 (YAML 1.1 octal) is 420, "on" / "no" / "yes" stay strings, in every reader', async () => {
    const io = new MemoryIo(files, false);
    const r = await runCli(['convert', 'web.yaml', '--out', 'out'], io);
    expect(r.code, r.err).toBe(0);
    const text = io.written.get('out/web.k8s.yaml')!;
    expect(text).toContain('defaultMode: 420\n');
    expect(text).toContain('value: "on"\n');
    const { yaml11, yaml12 } = readUnderYaml11And12(text);
    expect(yaml11).toBe(yaml12);
    const dep = (JSON.parse(yaml11) as ManifestObject[]).find((o) => o.kind === 'Deployment') as any;
    expect(dep.spec.template.spec.volumes[0].configMap.defaultMode).toBe(420);
    expect(dep.spec.template.spec.containers[0].env.map((e: { value: string }) => e.value)).toEqual(['on', 'no', 'yes', '0644']);
    expect(dep.spec.template.metadata.annotations).toEqual({ 'sidecar.istio.io/inject': 'yes', x: 'off' });
  });

  it('the runbook manifests and the Argo CD snippet too', async () => {
    const json = await runCli(['migrate', 'web.yaml', '--format', 'json'], new MemoryIo(files, false));
    expect(json.code, json.err).toBe(0);
    const heredocs = json.out.match(/<<'[A-Z]+'\\n[\s\S]*?\\n[A-Z]+"/g) ?? [];
    expect(heredocs.length).toBeGreaterThan(0);
    for (const h of heredocs) {
      const body = (JSON.parse(`"${h.slice(0, -1)}"`) as string).split('\n').slice(1, -1).join('\n');
      const { yaml11, yaml12 } = readUnderYaml11And12(body);
      expect(yaml11).toBe(yaml12);
      if (/^kind: Service$/m.test(body)) expect(body).toContain('- name: "on"\n');
    }
    const argocd = await runCli(['migrate', 'web.yaml', '--format', 'argocd'], new MemoryIo(files, false));
    const { yaml11, yaml12 } = readUnderYaml11And12(argocd.out);
    expect(yaml11).toBe(yaml12);
  });
});
