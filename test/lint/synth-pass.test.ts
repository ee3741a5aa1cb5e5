/**
 * The synth-time lint renders each object once per synthesis and lints the very JSON cdk8s writes
 * (src/lint/synth-pass.ts). These tests hold it to what matters: the output is the same as with the
 * lint off, each object is rendered once, escape hatches are linted, nothing is stale across
 * synth calls, and the findings are those of `lintManifests` over the written YAML.
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
import { inSynthPass } from '../../src/lint/synth-pass';
import { myAppProps } from '../../src/main';
import { parseYaml } from '../support/manifests';
import { fixture } from './helpers';

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

  it('the pass is closed after synthesis, also when the lint fails it', () => {
    const app = Testing.app();
    addApp(new Chart(app, 'my-app')).rollout.addJsonPatch(allAtOnce);
    expect(() => app.synthYaml()).toThrow(/\[all-at-once\]/);
    expect(inSynthPass()).toBe(false);
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
