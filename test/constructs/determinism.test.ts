/**
 * Deterministic output: two syntheses are byte-identical, and changing only the image changes
 * only the image line(s). Also runs the example app the way `npm run synth` does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Chart, Testing, Yaml } from 'cdk8s';
import { afterAll, describe, expect, it } from 'vitest';
import { CanaryApp, StepProfile, TrafficSplit, type CanaryAppProps } from '../../src/constructs';
import { buildExampleApp, myAppProps } from '../../src/main';
import { REPO_ROOT } from '../support/schema-validator';

function yamlOf(props: CanaryAppProps): string {
  const app: App = Testing.app();
  new CanaryApp(new Chart(app, 'test'), 'App', props);
  return app.synthYaml();
}

/** Lines that differ between two texts of the same length in lines. */
function changedLines(a: string, b: string): [string, string][] {
  const la = a.split('\n');
  const lb = b.split('\n');
  expect(lb.length).toBe(la.length);
  return la.flatMap((line, i) => (line === lb[i] ? [] : [[line, lb[i]] as [string, string]]));
}

describe('deterministic output', () => {
  it('two syntheses of the example app are byte-identical', () => {
    const once = () => {
      const app = Testing.app();
      buildExampleApp(app);
      return app.synthYaml();
    };
    const first = once();
    expect(first.length).toBeGreaterThan(1000);
    expect(once()).toBe(first);
  });

  it('no generated names: every object name is the explicit one', () => {
    const text = yamlOf(myAppProps(StepProfile.automatic()));
    const names = [...text.matchAll(/^ {2}name: (.+)$/gm)].map((m) => m[1]);
    expect(names).toEqual(['my-app-dep', 'my-app-svc', 'my-app-canary-svc', 'my-app-vs', 'my-app-rollout', 'my-app-hpa', 'my-app-stable-pdb', 'my-app-canary-pdb']);
  });

  it.each([
    ['new app (containers)', (image: string): CanaryAppProps => ({ ...myAppProps(StepProfile.manual()), containers: [{ image, resources: { cpu: { request: '100m' } } }] })],
    ['new app, inline template, subset split', (image: string): CanaryAppProps => ({ ...myAppProps(StepProfile.automatic()), containers: [{ image, resources: { cpu: { request: '100m' } } }], inlineTemplate: true, trafficSplit: TrafficSplit.subset() })],
    ['existing app (deploymentSpec)', (image: string): CanaryAppProps => ({
      ...myAppProps(StepProfile.automatic()),
      containers: undefined,
      deploymentSpec: { template: { spec: { containers: [{ name: 'app', image, ports: [{ containerPort: 8080, name: 'http' }], resources: { requests: { cpu: '100m' } } }] } } },
    })],
  ])('%s: changing only the image changes only the image line', (_name, props) => {
    const before = yamlOf(props('registry.example.com/my-image:1'));
    const after = yamlOf(props('registry.example.com/my-image:2'));
    expect(changedLines(before, after)).toEqual([
      ['        - image: registry.example.com/my-image:1', '        - image: registry.example.com/my-image:2'],
    ]);
  });
});

describe('npm run synth (src/main.ts as cdk8s runs it)', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk8s-canary-synth-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('writes one file per chart plus the controller values, equal to the in-process synthesis', () => {
    execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(REPO_ROOT, 'src', 'main.ts')], {
      cwd: REPO_ROOT,
      env: { ...process.env, CDK8S_OUTDIR: outdir },
      stdio: 'pipe',
    });
    expect(readdirSync(outdir).sort()).toEqual(['argo-rollouts-values.yaml', 'my-app-gated.k8s.yaml', 'my-app-manual.k8s.yaml', 'my-app.k8s.yaml', 'rollouts-rbac.k8s.yaml']);
    const app = Testing.app();
    buildExampleApp(app);
    for (const chart of app.charts) {
      expect(readFileSync(join(outdir, `${chart.node.id}.k8s.yaml`), 'utf8')).toBe(Yaml.stringify(...chart.toJson()));
    }
    expect(readFileSync(join(outdir, 'argo-rollouts-values.yaml'), 'utf8')).toMatch(/^# Argo Rollouts controller values/);
  }, 180_000); // starts a tsx process: slow on a busy shared machine
});
