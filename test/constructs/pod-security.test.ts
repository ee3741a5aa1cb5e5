/**
 * Issue 22: secure defaults of CanaryApp's pods. New apps get the restricted profile's fields plus a
 * read-only root filesystem (overridable per container, or all off); existing Deployments keep
 * their template exactly unless `securityDefaults: true` fills in the unset fields.
 */
import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { CONTAINER_SECURITY_DEFAULTS, CanaryApp, SeccompProfileType, StepProfile, type CanaryAppProps } from '../../src/constructs';
import { lintManifests } from '../../src/lint/lint-manifests';
import { buildExampleApp, myAppProps } from '../../src/main';
import { one, synth } from '../support/manifests';

const example = (): CanaryAppProps => myAppProps(StepProfile.automatic());
const containersOf = (props: Partial<CanaryAppProps>) =>
  one(synth((chart) => new CanaryApp(chart, 'App', { ...example(), ...props } as CanaryAppProps)), 'Deployment').spec.template.spec.containers;

const DEFAULTS = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

describe('secure defaults of new apps (containers)', () => {
  it('every container gets the restricted fields and a read-only root filesystem', () => {
    const containers = containersOf({ containers: [{ image: 'a:1', resources: { cpu: { request: '1' } } }, { name: 'side', image: 'b:1', portNumber: 0, resources: { cpu: { request: '1' } } }] });
    expect(containers.map((c: { securityContext: unknown }) => c.securityContext)).toEqual([DEFAULTS, DEFAULTS]);
    expect(CONTAINER_SECURITY_DEFAULTS).toEqual(DEFAULTS);
  });

  it('a container prop overrides one field for that container only', () => {
    const containers = containersOf({
      containers: [
        { image: 'a:1', resources: { cpu: { request: '1' } }, securityContext: { readOnlyRootFilesystem: false, runAsUser: 10001, capabilitiesAdd: ['NET_BIND_SERVICE'] } },
        { name: 'side', image: 'b:1', portNumber: 0, resources: { cpu: { request: '1' } }, securityContext: { seccompProfile: SeccompProfileType.LOCALHOST, seccompLocalhostProfile: 'p.json' } },
      ],
    });
    expect(containers[0].securityContext).toEqual({ ...DEFAULTS, readOnlyRootFilesystem: false, runAsUser: 10001, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } });
    expect(containers[1].securityContext).toEqual({ ...DEFAULTS, seccompProfile: { localhostProfile: 'p.json', type: 'Localhost' } });
  });

  it('securityDefaults: false drops every default; explicit props are still rendered', () => {
    const containers = containersOf({
      securityDefaults: false,
      containers: [{ image: 'a:1', resources: { cpu: { request: '1' } } }, { name: 'side', image: 'b:1', portNumber: 0, resources: { cpu: { request: '1' } }, securityContext: { runAsNonRoot: true } }],
    });
    expect(containers[0].securityContext).toBeUndefined();
    expect(containers[1].securityContext).toEqual({ runAsNonRoot: true });
  });

  it('the example app and an opted-out app, as the pod-security-restricted lint sees them', () => {
    const app = new App({ outdir: '/nonexistent-not-written' });
    buildExampleApp(app);
    const objects = app.charts.flatMap((c) => c.toJson());
    expect(lintManifests(objects).filter((f) => f.rule === 'pod-security-restricted' || f.rule === 'canary-without-readiness-probe')).toEqual([]);
    const optedOut = synth((chart) => new CanaryApp(chart, 'App', { ...example(), securityDefaults: false }));
    expect(lintManifests(optedOut).filter((f) => f.rule === 'pod-security-restricted').map((f) => `${f.object} ${f.path}`)).toEqual([
      'Deployment/my-app-dep spec.template.spec.containers[0]',
    ]);
  });
});

describe('existing Deployments (deploymentSpec / deployment)', () => {
  const template = {
    metadata: { labels: { app: 'my-app' } },
    spec: {
      securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } },
      initContainers: [{ name: 'setup', image: 'setup:1', securityContext: { privileged: true } }],
      containers: [
        { name: 'app', image: 'my-image:2', ports: [{ containerPort: 8080, name: 'http' }], resources: { requests: { cpu: '1' } }, securityContext: { runAsUser: 0, readOnlyRootFilesystem: false } },
        { name: 'tool', image: 'tool:1', resources: { requests: { cpu: '1' } }, securityContext: { capabilities: { add: ['SYS_ADMIN'] } } },
        { name: 'plain', image: 'plain:1', resources: { requests: { cpu: '1' } } },
      ],
    },
  };
  const render = (extra: Partial<CanaryAppProps>) =>
    one(synth((chart) => new CanaryApp(chart, 'App', { ...example(), containers: undefined, deploymentSpec: { template: structuredClone(template) }, ...extra } as CanaryAppProps)), 'Deployment').spec.template;

  it('are kept exactly by default: nothing added, nothing lost', () => {
    expect(render({})).toEqual(template);
  });

  it('securityDefaults: true fills only the unset fields and never changes a set one', () => {
    const out = render({ securityDefaults: true });
    expect(out.spec.securityContext).toEqual(template.spec.securityContext);
    expect(out.spec.initContainers[0].securityContext).toEqual({
      privileged: true, // no allowPrivilegeEscalation: false next to privileged (the API server rejects it)
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    });
    expect(out.spec.containers.map((c: { securityContext: unknown }) => c.securityContext)).toEqual([
      // runAsUser 0 stays, so no runAsNonRoot (the kubelet would refuse the container); seccomp comes from the pod
      { runAsUser: 0, readOnlyRootFilesystem: false, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      // adds SYS_ADMIN: no allowPrivilegeEscalation: false (the API server rejects the pair); add is kept
      { capabilities: { add: ['SYS_ADMIN'], drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true },
      { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true },
    ]);
    // every other field of the template is as given
    const strip = (t: typeof template) => JSON.parse(JSON.stringify(t, (k, v) => (k === 'securityContext' ? undefined : v)));
    expect(strip(out)).toEqual(strip(template));
  });

  it('a pod-level runAsNonRoot or seccompProfile is left to apply (not shadowed per container); Windows pods are left alone', () => {
    const pod = { ...template.spec, securityContext: { runAsNonRoot: false }, initContainers: undefined, containers: [{ ...template.spec.containers[2], ports: [{ containerPort: 8080, name: 'http' }] }] };
    const out = one(synth((chart) => new CanaryApp(chart, 'App', { ...example(), containers: undefined, securityDefaults: true, deploymentSpec: { template: { ...template, spec: pod } } } as CanaryAppProps)), 'Deployment');
    expect(out.spec.template.spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, seccompProfile: { type: 'RuntimeDefault' } });
    const windows = { ...pod, os: { name: 'windows' }, securityContext: undefined };
    const win = one(synth((chart) => new CanaryApp(chart, 'App', { ...example(), containers: undefined, securityDefaults: true, deploymentSpec: { template: { ...template, spec: windows } } } as CanaryAppProps)), 'Deployment');
    expect(win.spec.template.spec.containers[0].securityContext).toBeUndefined();
  });

  it('the input object is not changed', () => {
    const input = structuredClone(template);
    synth((chart: Chart) => new CanaryApp(chart, 'App', { ...example(), containers: undefined, securityDefaults: true, deploymentSpec: { template: input } } as CanaryAppProps));
    expect(input).toEqual(template);
  });
});
