/**
 * Issue 22's lint rules on hand-written manifests: pod-security-restricted (every check of the
 * restricted profile, with the path of the offending container), hpa-utilization-without-requests
 * and canary-without-readiness-probe.
 */
import { describe, expect, it } from 'vitest';
import { lintManifests } from '../../src/lint/lint-manifests';

type Doc = Record<string, any>;

const SECURE = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

const container = (extra: Doc = {}): Doc => ({ name: 'app', image: 'my-image:1', securityContext: { ...SECURE }, ...extra });

const deployment = (podSpec: Doc, metadata: Doc = {}): Doc => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' }, ...metadata }, spec: podSpec } },
});

/** [path, message] of the pod-security-restricted findings. */
function security(objects: Doc[]): [string, string, string][] {
  return lintManifests(objects)
    .filter((f) => f.rule === 'pod-security-restricted')
    .map((f) => [f.object, f.path, f.message]);
}

const P = 'spec.template.spec';

describe('pod-security-restricted', () => {
  it('accepts a container with the four restricted fields, or runAsNonRoot and seccomp at pod level', () => {
    expect(security([deployment({ containers: [container()] })])).toEqual([]);
    const podLevel = { runAsNonRoot: true, seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } };
    const c = container({ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } });
    expect(security([deployment({ securityContext: podLevel, containers: [c] })])).toEqual([]);
  });

  it('reports a bare container once, at its path, with every missing field', () => {
    expect(security([deployment({ containers: [{ name: 'app', image: 'my-image:1' }] })])).toEqual([
      [
        'Deployment/web',
        `${P}.containers[0]`,
        'container "app": runAsNonRoot is unset here and in the pod securityContext (must be true); allowPrivilegeEscalation is unset (must be false); ' +
          'capabilities.drop is unset (must include "ALL"); seccompProfile.type is unset here and in the pod securityContext (must be RuntimeDefault or Localhost).',
      ],
    ]);
  });

  it('names the offending container among several, init and sidecar containers included', () => {
    const found = security([
      deployment({
        initContainers: [container({ name: 'init', securityContext: { ...SECURE, runAsUser: 0 } })],
        containers: [container(), container({ name: 'proxy', securityContext: { ...SECURE, privileged: true, allowPrivilegeEscalation: true } })],
      }),
    ]);
    expect(found).toEqual([
      ['Deployment/web', `${P}.initContainers[0]`, 'container "init": runAsUser is 0 (root).'],
      ['Deployment/web', `${P}.containers[1]`, 'container "proxy": privileged is true; allowPrivilegeEscalation is true (must be false).'],
    ]);
  });

  it('capabilities: drop must include ALL, add only NET_BIND_SERVICE', () => {
    const c = container({ securityContext: { ...SECURE, capabilities: { drop: ['NET_RAW'], add: ['NET_BIND_SERVICE', 'SYS_TIME'] } } });
    expect(security([deployment({ containers: [c] })])).toEqual([
      ['Deployment/web', `${P}.containers[0]`, 'container "app": capabilities.drop is ["NET_RAW"] (must include "ALL"); capabilities.add has "SYS_TIME" (only "NET_BIND_SERVICE" is allowed).'],
    ]);
  });

  it('explicit bad values: runAsNonRoot false, seccomp Unconfined, procMount, hostPort, probe host', () => {
    const c = container({
      securityContext: { ...SECURE, runAsNonRoot: false, seccompProfile: { type: 'Unconfined' }, procMount: 'Unmasked' },
      ports: [{ containerPort: 8080, hostPort: 8080 }],
      readinessProbe: { httpGet: { host: '10.0.0.1', path: '/', port: 8080 } },
    });
    expect(security([deployment({ containers: [c] })])).toEqual([
      [
        'Deployment/web',
        `${P}.containers[0]`,
        'container "app": runAsNonRoot is false; procMount is "Unmasked" (must be Default); seccompProfile.type is "Unconfined" (must be RuntimeDefault or Localhost); ' +
          'hostPort 8080 is set (must be unset or 0); probes or lifecycle hooks set host "10.0.0.1" (must be unset).',
      ],
    ]);
  });

  it('pod level: host namespaces, hostPath and other restricted volume types, pod securityContext, AppArmor annotation', () => {
    const podSpec = {
      hostNetwork: true,
      hostPID: true,
      hostIPC: false,
      securityContext: { runAsUser: 0, sysctls: [{ name: 'kernel.msgmax', value: '1' }, { name: 'net.ipv4.tcp_syncookies', value: '1' }] },
      volumes: [{ name: 'cache', emptyDir: {} }, { name: 'host', hostPath: { path: '/var/run' } }, { name: 'share', nfs: { server: 'nfs', path: '/' } }],
      containers: [container()],
    };
    const annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' };
    expect(security([deployment(podSpec, { annotations })])).toEqual([
      ['Deployment/web', `${P}.hostNetwork`, 'hostNetwork is true: the pod shares the node\'s Network namespace'],
      ['Deployment/web', `${P}.hostPID`, 'hostPID is true: the pod shares the node\'s PID namespace'],
      ['Deployment/web', `${P}.securityContext`, 'pod securityContext: runAsUser is 0 (root); sysctls kernel.msgmax are not in the safe set.'],
      ['Deployment/web', `${P}.volumes[1]`, 'volume "host" is a hostPath volume; restricted allows only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret.'],
      ['Deployment/web', `${P}.volumes[2]`, 'volume "share" is a nfs volume; restricted allows only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret.'],
      ['Deployment/web', 'spec.template.metadata.annotations', 'annotation container.apparmor.security.beta.kubernetes.io/app is "unconfined" (must be runtime/default or localhost/<profile>).'],
    ]);
  });

  it('a pod runAsNonRoot false is reported even when the container sets true', () => {
    const found = security([deployment({ securityContext: { runAsNonRoot: false }, containers: [container()] })]);
    expect(found).toEqual([['Deployment/web', `${P}.securityContext`, 'pod securityContext: runAsNonRoot is false.']]);
  });

  it('windows pods skip the Linux-only checks but not runAsNonRoot', () => {
    const found = security([deployment({ os: { name: 'windows' }, containers: [{ name: 'app', image: 'win:1' }] })]);
    expect(found).toEqual([['Deployment/web', `${P}.containers[0]`, 'container "app": runAsNonRoot is unset here and in the pod securityContext (must be true).']]);
  });

  it('finds pod templates of every workload kind, and of Pods, at their own paths', () => {
    const bad = { containers: [{ name: 'c', image: 'i', securityContext: { ...SECURE, privileged: true } }] };
    const objects = [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: bad },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj' }, spec: { jobTemplate: { spec: { template: { spec: bad } } } } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { template: { spec: bad } } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { template: { spec: bad } } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: bad } } },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r' }, spec: { template: { spec: bad } } },
      // a Rollout with workloadRef runs the Deployment's template, not this one
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'ref' }, spec: { workloadRef: { kind: 'Deployment', name: 'x' }, template: { spec: bad } } },
    ];
    expect(security(objects).map(([o, p]) => `${o} ${p}`)).toEqual([
      'Pod/p spec.containers[0]',
      'CronJob/cj spec.jobTemplate.spec.template.spec.containers[0]',
      'StatefulSet/s spec.template.spec.containers[0]',
      'DaemonSet/d spec.template.spec.containers[0]',
      'Job/j spec.template.spec.containers[0]',
      'Rollout/r spec.template.spec.containers[0]',
    ]);
  });

  it('is a warning', () => {
    const [finding] = lintManifests([deployment({ containers: [{ name: 'app', image: 'i' }] })]);
    expect(finding.severity).toBe('warning');
  });
});

const hpa = (metrics: Doc[], target: Doc = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web' }): Doc => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web-hpa' },
  spec: { scaleTargetRef: target, minReplicas: 2, maxReplicas: 10, metrics },
});
const cpu70 = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } };
const rolloutRef: Doc = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'web' },
  spec: { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, strategy: { canary: { steps: [{ setWeight: 10 }] } } },
};

function requestFindings(objects: Doc[]): [string, string, string, string][] {
  return lintManifests(objects)
    .filter((f) => f.rule === 'hpa-utilization-without-requests')
    .map((f) => [f.severity, f.object, f.path, f.message]);
}

describe('hpa-utilization-without-requests', () => {
  const withRequests = (c: Doc, requests: Doc) => ({ ...c, resources: { requests } });

  it('flags a CPU utilization target when a container of the Rollout\'s workloadRef Deployment requests no CPU (error)', () => {
    const dep = deployment({ containers: [withRequests(container(), { cpu: '100m' }), withRequests(container({ name: 'sidecar' }), { memory: '64Mi' })] });
    expect(requestFindings([dep, rolloutRef, hpa([cpu70])])).toEqual([
      [
        'error',
        'HorizontalPodAutoscaler/web-hpa',
        'spec.metrics[0]',
        'targets 70% cpu utilization of Deployment/web, but container "sidecar" (spec.template.spec.containers[1]) requests no cpu: the HPA reports "missing request for cpu" and never scales.',
      ],
    ]);
  });

  it('accepts requests, limits (copied into the request), a pod-level request and AverageValue targets', () => {
    const requested = deployment({ containers: [withRequests(container(), { cpu: '100m' })] });
    expect(requestFindings([requested, rolloutRef, hpa([cpu70])])).toEqual([]);
    const limited = deployment({ containers: [{ ...container(), resources: { limits: { cpu: '1' } } }] });
    expect(requestFindings([limited, rolloutRef, hpa([cpu70])])).toEqual([]);
    const podLevel = deployment({ resources: { requests: { cpu: '1' } }, containers: [container(), container({ name: 'b' })] });
    expect(requestFindings([podLevel, rolloutRef, hpa([cpu70])])).toEqual([]);
    const bare = deployment({ containers: [container()] });
    const average = { type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '500m' } } };
    expect(requestFindings([bare, rolloutRef, hpa([average])])).toEqual([]);
  });

  it('counts restartable init containers (sidecars) but not plain init containers; a ContainerResource metric only its container', () => {
    const spec = (sidecarRequests: boolean) =>
      deployment({
        initContainers: [container({ name: 'setup' }), { ...container({ name: 'mesh' }), restartPolicy: 'Always', ...(sidecarRequests ? { resources: { requests: { cpu: '10m' } } } : {}) }],
        containers: [withRequests(container(), { cpu: '100m' })],
      });
    expect(requestFindings([spec(true), rolloutRef, hpa([cpu70])])).toEqual([]);
    expect(requestFindings([spec(false), rolloutRef, hpa([cpu70])]).map((f) => f[3])).toEqual([
      'targets 70% cpu utilization of Deployment/web, but container "mesh" (spec.template.spec.initContainers[1]) requests no cpu: the HPA reports "missing request for cpu" and never scales.',
    ]);
    const perContainer = { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } };
    expect(requestFindings([spec(false), rolloutRef, hpa([perContainer])])).toEqual([]);
  });

  it('a pod-level request without the metric\'s resource is reported at the pod level', () => {
    const dep = deployment({ resources: { requests: { memory: '1Gi' } }, containers: [withRequests(container(), { cpu: '100m' })] });
    expect(requestFindings([dep, rolloutRef, hpa([cpu70])]).map((f) => f[3])).toEqual([
      'targets 70% cpu utilization of Deployment/web, but the pod-level resources requests no cpu: the HPA reports "missing request for cpu" and never scales.',
    ]);
  });

  it('follows a scaleTargetRef to a Deployment or a Rollout with its own template; ignores targets not in the manifests', () => {
    const bare = deployment({ containers: [container()] });
    const direct = hpa([cpu70], { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    expect(requestFindings([bare, direct]).map((f) => f[2])).toEqual(['spec.metrics[0]']);
    const inline = { ...rolloutRef, spec: { ...rolloutRef.spec, workloadRef: undefined, template: bare.spec.template } };
    expect(requestFindings([inline, hpa([cpu70])]).map((f) => f[3])).toEqual([
      'targets 70% cpu utilization of Rollout/web, but container "app" (spec.template.spec.containers[0]) requests no cpu: the HPA reports "missing request for cpu" and never scales.',
    ]);
    expect(requestFindings([hpa([cpu70])])).toEqual([]);
  });
});

describe('canary-without-readiness-probe', () => {
  const findings = (objects: Doc[]) =>
    lintManifests(objects)
      .filter((f) => f.rule === 'canary-without-readiness-probe')
      .map((f) => [f.severity, f.object, f.path]);
  const port = { ports: [{ containerPort: 8080, name: 'http' }] };

  it('flags each serving container without a readiness probe, on the Deployment the canary Rollout references (warning)', () => {
    const dep = deployment({ containers: [container(port), container({ name: 'metrics', ports: [{ containerPort: 9090 }], readinessProbe: { tcpSocket: { port: 9090 } } }), container({ name: 'log' })] });
    expect(findings([dep, rolloutRef])).toEqual([['warning', 'Deployment/web', `${P}.containers[0]`]]);
  });

  it('accepts probed serving containers; without any port, needs one probe in the pod', () => {
    const probed = deployment({ containers: [container({ ...port, readinessProbe: { httpGet: { path: '/healthz', port: 'http' } } }), container({ name: 'log' })] });
    expect(findings([probed, rolloutRef])).toEqual([]);
    const portless = deployment({ containers: [container(), container({ name: 'worker' })] });
    expect(findings([portless, rolloutRef])).toEqual([['warning', 'Deployment/web', `${P}.containers[0]`]]);
    const onePortlessProbe = deployment({ containers: [container(), container({ name: 'worker', readinessProbe: { exec: { command: ['true'] } } })] });
    expect(findings([onePortlessProbe, rolloutRef])).toEqual([]);
  });

  it('applies to canary Rollouts only: a blue-green Rollout or a Deployment alone is not flagged', () => {
    const dep = deployment({ containers: [container(port)] });
    expect(findings([dep])).toEqual([]);
    const blueGreen = { ...rolloutRef, spec: { ...rolloutRef.spec, strategy: { blueGreen: { activeService: 'web' } } } };
    expect(findings([dep, blueGreen])).toEqual([]);
    const inline = { ...rolloutRef, spec: { ...rolloutRef.spec, workloadRef: undefined, template: dep.spec.template } };
    expect(findings([inline])).toEqual([['warning', 'Rollout/web', `${P}.containers[0]`]]);
  });
});
