/**
 * The synth-time lint renders each object once per synthesis and lints the very JSON cdk8s writes
 * (LintedApiObject in src/lint/construct-validation.ts). These tests hold it to what matters: the
 * output is the same as with the lint off, each object is rendered once, escape hatches are linted,
 * nothing is stale across synth calls, the findings are those of `lintManifests` over the written
 * YAML, and no method of a cdk8s object is replaced to get there.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing, YamlOutputType } from 'cdk8s';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CanaryApp, StepProfile } from '../../src/constructs';
import { CanaryFleet } from '../../src/fleet';
import { lintConstructValidation } from '../../src/lint/construct-validation';
import { lintManifests } from '../../src/lint/lint-manifests';
import { myAppProps } from '../../src/main';
import { parseYaml } from '../support/manifests';
import { clone, fixture, pitfallFixtures } from './helpers';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-pass-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  vi.restoreAllMocks();
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

const addApp = (chart: Chart, lint = true) => new CanaryApp(chart, 'App', { ...myAppProps(StepProfile.automatic()), lint });

/** Everything `app.synth()` wrote, file name -> text. */
function synthFiles(build: (app: App) => void, props: { yamlOutputType?: YamlOutputType } = {}): Record<string, string> {
  const outdir = tempDir();
  const app = new App({ outdir, recordConstructMetadata: false, ...props });
  build(app);
  app.synth();
  const files: Record<string, string> = {};
  const walk = (dir: string) =>
    fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files[path.relative(outdir, p)] = fs.readFileSync(p, 'utf8');
    });
  walk(outdir);
  return files;
}

/** Replaces the Rollout's steps with one `setWeight: 100` (the all-at-once pitfall). */
const allAtOnce = JsonPatch.replace('/spec/strategy/canary/steps', [{ setWeight: 100 }]);

describe('synth-time lint: one render per synthesis', () => {
  it('app.synth() renders each API object once with the lint on, as with it off', () => {
    const renders = vi.spyOn(ApiObject.prototype, 'toJson');
    synthFiles((app) => addApp(new Chart(app, 'my-app'), false));
    const off = renders.mock.calls.length;
    renders.mockClear();
    synthFiles((app) => addApp(new Chart(app, 'my-app'), true));
    expect(off).toBeGreaterThanOrEqual(8);
    expect(renders.mock.calls.length).toBe(off);
  });

  it('writes byte for byte what the same app writes with the lint off, for every output type and synth call', () => {
    for (const yamlOutputType of [YamlOutputType.FILE_PER_CHART, YamlOutputType.FILE_PER_APP, YamlOutputType.FILE_PER_RESOURCE, YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE]) {
      const build = (lint: boolean) => (app: App) => {
        addApp(new Chart(app, 'my-app'), lint);
        new ApiObject(new Chart(app, 'other'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', data: { b: '1', a: '2' } });
      };
      const on = synthFiles(build(true), { yamlOutputType });
      expect(Object.values(on).join('')).toContain('kind: Rollout');
      expect(on).toEqual(synthFiles(build(false), { yamlOutputType }));
    }
    const yaml = (lint: boolean) => {
      const app = Testing.app();
      addApp(new Chart(app, 'my-app'), lint);
      return app.synthYaml();
    };
    expect(yaml(true)).toBe(yaml(false));
    const json = (lint: boolean) => {
      const chart = new Chart(Testing.app(), 'my-app');
      addApp(chart, lint);
      return Testing.synth(chart);
    };
    expect(json(true)).toEqual(json(false));
  });

  it('a CanaryFleet writes the same files with the lint on as with it off', () => {
    const fleetFiles = (lint: boolean) => {
      const outdir = tempDir();
      const fleet = new CanaryFleet({ outdir, recordConstructMetadata: false });
      for (const name of ['a', 'b']) fleet.addApp(name, (chart) => new CanaryApp(chart, 'App', { ...myAppProps(StepProfile.automatic()), name, lint }));
      return fleet.synth().files.map((f) => fs.readFileSync(f, 'utf8'));
    };
    expect(fleetFiles(true)).toEqual(fleetFiles(false));
  });

  it('keeps no render past a synthesis the lint failed: the next one renders the object as it is then', () => {
    const app = Testing.app();
    const canary = addApp(new Chart(app, 'my-app'));
    canary.rollout.addJsonPatch(allAtOnce);
    expect(() => app.synthYaml()).toThrow(/\[all-at-once\]/);
    canary.rollout.metadata.addLabel('fixed', 'yes');
    canary.rollout.addJsonPatch(JsonPatch.replace('/spec/strategy/canary/steps', canary.steps));
    const rollout = parseYaml(app.synthYaml()).find((o) => o.kind === 'Rollout')!;
    expect(rollout.spec.strategy.canary.steps).toEqual(canary.steps);
    expect(rollout.metadata.labels).toMatchObject({ fixed: 'yes' });
  });

  it('a metadata change after node.validate() is written (the write renders the object again)', () => {
    const app = Testing.app();
    const canary = addApp(new Chart(app, 'my-app'));
    expect(canary.node.validate()).toEqual([]);
    canary.rollout.metadata.addAnnotation('changed', 'after-validate');
    const rollout = parseYaml(app.synthYaml()).find((o) => o.kind === 'Rollout')!;
    expect(rollout.metadata.annotations).toMatchObject({ changed: 'after-validate' });
  });
});

describe('synth-time lint: what is linted is what is written', () => {
  it('a pitfall added through an escape hatch fails app.synth(), chart.toJson() and a CanaryFleet', () => {
    expect(() => synthFiles((app) => addApp(new Chart(app, 'my-app')).rollout.addJsonPatch(allAtOnce))).toThrow(
      /Validation failed[\s\S]*\[all-at-once\] Rollout\/my-app-rollout spec\.strategy\.canary\.steps/,
    );
    const chart = new Chart(Testing.app(), 'my-app');
    addApp(chart).rollout.addJsonPatch(allAtOnce);
    expect(() => chart.toJson()).toThrow(/\[all-at-once\]/);
    const fleet = new CanaryFleet({ outdir: tempDir() }).addApp('my-app', (c) => addApp(c).rollout.addJsonPatch(allAtOnce));
    expect(() => fleet.synth()).toThrow(/\[my-app\] \(app #0\) Validation failed[\s\S]*\[all-at-once\]/);
  });

  it('sees changes made between two synth calls (nothing is kept from one synthesis to the next)', () => {
    const outdir = tempDir();
    const app = new App({ outdir, recordConstructMetadata: false });
    const chart = new Chart(app, 'my-app');
    const canary = addApp(chart);
    app.synth();
    expect(() => Testing.synth(chart)).not.toThrow();
    canary.rollout.addJsonPatch(allAtOnce);
    expect(() => app.synth()).toThrow(/\[all-at-once\]/);
    expect(() => chart.toJson()).toThrow(/\[all-at-once\]/);
    // A later patch restoring 10% steps: clean again, and the file shows the restored steps.
    canary.rollout.addJsonPatch(JsonPatch.replace('/spec/strategy/canary/steps', canary.steps));
    app.synth();
    const written = parseYaml(fs.readFileSync(path.join(outdir, 'my-app.k8s.yaml'), 'utf8'));
    expect(written.find((o) => o.kind === 'Rollout')!.spec.strategy.canary.steps).toEqual(canary.steps);
  });

  it('node.validate() outside any synthesis still renders and lints', () => {
    const canary = addApp(new Chart(Testing.app(), 'my-app'));
    expect(canary.node.validate()).toEqual([]);
    canary.rollout.addJsonPatch(allAtOnce);
    expect(canary.node.validate().join('\n')).toMatch(/^\[all-at-once\] Rollout\/my-app-rollout/);
  });

  it('reports exactly the findings of lintManifests over the YAML it would write', () => {
    for (const name of ['shared-pdb', 'min-two-pods', 'pod-surge', 'pdb-blocks-eviction']) {
      const outdir = tempDir();
      const app = new App({ outdir, recordConstructMetadata: false });
      const chart = new Chart(app, 'test');
      fixture(name).forEach((doc, i) => new ApiObject(chart, `o${i}`, doc as never));
      chart.node.addValidation(lintConstructValidation(chart, { includeWarnings: true }));
      // The same objects, rendered by cdk8s with no lint, parsed back from YAML.
      const plain = new Chart(Testing.app(), 'test');
      fixture(name).forEach((doc, i) => new ApiObject(plain, `o${i}`, doc as never));
      const expected = lintManifests(parseYaml((plain.node.root as App).synthYaml())).map(
        (f) => `[test] [${f.rule}] ${f.object} ${f.path}: ${f.message} Fix: ${f.fix}`,
      );
      expect(expected.length, name).toBeGreaterThan(0);
      let message = '';
      try {
        app.synth();
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message.split('\n').slice(1).map((l) => l.trim()), name).toEqual(expected);
      expect(fs.readdirSync(outdir), name).toEqual([]);
    }
  });
});

describe('synth-time lint: a kept render is read again only where the lint cannot tell', () => {
  /** Every kind LintedApiObject renders (CanaryApp's own objects). */
  const LINTED_KINDS = new Set(['Deployment', 'Service', 'DestinationRule', 'VirtualService', 'Rollout', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']);
  /** `objects` with the top-level metadata a user can change through `ApiObject.metadata` changed on every LintedApiObject kind. */
  const retouched = (objects: readonly Record<string, unknown>[]) =>
    clone(objects).map((o) => {
      if (!LINTED_KINDS.has(String(o.kind))) return o;
      const metadata = (o.metadata ?? {}) as Record<string, unknown>;
      return {
        ...o,
        metadata: {
          ...metadata,
          labels: { ...(metadata.labels as object), 'app.kubernetes.io/part-of': 'x', app: 'other', role: 'canary' },
          annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined', 'rollouts.argoproj.io/x': 'y' },
          finalizers: ['example.com/f'],
          ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '1' }],
          extra: 'added',
        },
      };
    });

  it('the findings do not depend on the top-level labels, annotations, finalizers or owners of those kinds (what a kept render may not have seen)', () => {
    const chart = new Chart(Testing.app(), 'my-app');
    addApp(chart, false).rollout.addJsonPatch(allAtOnce);
    const inputs: (readonly [string, Record<string, unknown>[]])[] = [...pitfallFixtures(), 'clean'].map((name) => [name, fixture(name)] as const);
    inputs.push(['CanaryApp with a patch', Testing.synth(chart)]);
    let findings = 0;
    for (const [name, objects] of inputs) {
      const expected = lintManifests(objects);
      findings += expected.length;
      expect(lintManifests(retouched(objects)), name).toEqual(expected);
    }
    expect(findings).toBeGreaterThan(20);
  });
});

describe('synth-time lint: no method of a cdk8s object is replaced', () => {
  /** Own properties of `object` that are functions shadowing a method of its prototype chain. */
  const shadowedMethods = (object: object): string[] =>
    Reflect.ownKeys(object)
      .filter((key) => typeof (object as Record<PropertyKey, unknown>)[key] === 'function')
      .filter((key) => typeof (Object.getPrototypeOf(object) as Record<PropertyKey, unknown>)?.[key] === 'function')
      .map(String);

  it('App, Chart, CanaryApp and every ApiObject keep their class methods through construction and synthesis', () => {
    const outdir = tempDir();
    const app = new App({ outdir, recordConstructMetadata: false });
    const chart = new Chart(app, 'my-app');
    const canary = addApp(chart);
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } });
    app.synth();
    app.synthYaml();
    chart.toJson();
    canary.node.validate();
    const everything = [app, ...app.node.findAll()];
    expect(everything.filter((c) => ApiObject.isApiObject(c)).length).toBeGreaterThanOrEqual(9);
    for (const construct of everything) expect(shadowedMethods(construct), construct.node.path || 'App').toEqual([]);
  });

  it('no source file assigns or defines a method on an object (a source scan of src/)', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void =>
      fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return walk(p);
        if (!/\.(ts|cjs|mjs|js)$/.test(e.name)) return;
        const text = fs.readFileSync(p, 'utf8');
        const patterns = [
          /\.(toJson|synth|synthYaml|validate|addJsonPatch)\s*=[^=]/,
          /defineProperty\([^,]+,\s*['"](toJson|synth|synthYaml|validate|addJsonPatch)['"]/,
          /prototype\.(toJson|synth|synthYaml|validate|addJsonPatch)\s*=[^=]/,
        ];
        for (const pattern of patterns) if (pattern.test(text)) offenders.push(`${path.relative(process.cwd(), p)}: ${pattern}`);
      });
    walk(path.join(__dirname, '../../src'));
    expect(offenders).toEqual([]);
  });
});
