import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, ChartProps, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { describe, expect, test } from 'vitest';
import { readDir, useTempDirs } from './temp-dirs';
import { CanaryFleet, FleetAppBuilder, FleetSynthError } from '../../src/fleet';

const tempDir = useTempDirs('fleet-test');

/**
 * An app that exercises what cdk8s does at synthesis: an explicit dependency that reorders
 * objects (the Service is created first but depends on the Deployment), a Lazy value, a construct
 * id that is not a DNS label, keys out of order, and an object without metadata.name.
 */
function sampleApp(name: string, image = 'nginx:1'): FleetAppBuilder {
  return (chart) => {
    const group = new Construct(chart, 'Group_1');
    const svc = new ApiObject(group, 'svc', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `${name}-svc` },
      spec: { selector: { app: name }, ports: [{ port: 80 }] },
    });
    const dep = new ApiObject(chart, 'dep', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `${name}-dep` },
      spec: {
        template: { spec: { containers: [{ name: 'app', image }] } },
        replicas: Lazy.any({ produce: () => 3 }),
      },
    });
    svc.addDependency(dep);
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', data: { z: '1', a: '2' } });
  };
}

const APPS: ReadonlyArray<[string, FleetAppBuilder, ChartProps?]> = [
  ['web', sampleApp('web')],
  ['api', sampleApp('api', 'api:2'), { namespace: 'prod', labels: { team: 'core' } }],
  ['Not_A_DNS_Label', sampleApp('odd')],
];

/** What cdk8s writes for each app synthesized on its own (`new App(); new Chart(); app.synth()`). */
function cdk8sPerApp(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [id, build, props] of APPS) {
    const outdir = tempDir();
    const app = new App({ outdir, recordConstructMetadata: false });
    build(new Chart(app, id, props));
    app.synth();
    Object.assign(files, readDir(outdir));
  }
  return files;
}

function fleetOf(outdir: string, apps = APPS, recordConstructMetadata = false): CanaryFleet {
  const fleet = new CanaryFleet({ outdir, recordConstructMetadata });
  for (const [id, build, props] of apps) {
    fleet.addApp(id, build, props);
  }
  return fleet;
}

describe('CanaryFleet output equals cdk8s synthesis', () => {
  test('each app file is byte-identical to synthesizing that app alone with cdk8s', () => {
    // GIVEN
    const outdir = tempDir();
    // WHEN
    fleetOf(outdir).synth();
    // THEN
    const fleetFiles = readDir(outdir);
    const expected = cdk8sPerApp();
    expect(Object.keys(fleetFiles)).toEqual(Object.keys(expected).sort());
    for (const f of Object.keys(expected)) {
      expect(fleetFiles[f], f).toBe(expected[f]);
    }
  });

  test('the output equals one cdk8s App holding one chart per app (the quadratic path)', () => {
    const outdir = tempDir();
    fleetOf(outdir).synth();
    const appDir = tempDir();
    const app = new App({ outdir: appDir, recordConstructMetadata: false });
    for (const [id, build, props] of APPS) {
      build(new Chart(app, id, props));
    }
    app.synth();
    expect(readDir(outdir)).toEqual(readDir(appDir));
  });

  test('cdk8s semantics are kept: dependency order, lazy values, sorted keys, chart namespace and labels', () => {
    const outdir = tempDir();
    fleetOf(outdir).synth();
    const api = fs.readFileSync(path.join(outdir, 'api.k8s.yaml'), 'utf8');
    // the Deployment is written before the Service that depends on it, though created after it
    expect(api.indexOf('kind: Deployment')).toBeGreaterThan(-1);
    expect(api.indexOf('kind: Deployment')).toBeLessThan(api.indexOf('kind: Service'));
    expect(api).toContain('replicas: 3');
    expect(api).toContain('namespace: prod');
    expect(api).toContain('team: core');
    // generated name for the unnamed ConfigMap, keys sorted as cdk8s sorts them
    expect(api).toMatch(/name: api-cm-[0-9a-f]{8}\n/);
    expect(api).toContain('data:\n  a: "2"\n  z: "1"\n');
  });

  test('files are named as cdk8s names chart files, including ids that are not DNS labels', () => {
    const result = fleetOf(tempDir()).synth();
    expect(result.files.map((f) => path.basename(f))).toEqual([
      'web.k8s.yaml',
      'api.k8s.yaml',
      expect.stringMatching(/^not_a_dns_label-[0-9a-f]{8}\.k8s\.yaml$/),
    ]);
  });

  test('construct-metadata.json (read by cdk8s synth validation plugins) equals cdk8s', () => {
    const outdir = tempDir();
    fleetOf(outdir, APPS, true).synth();
    const appDir = tempDir();
    const app = new App({ outdir: appDir, recordConstructMetadata: true });
    for (const [id, build, props] of APPS) {
      build(new Chart(app, id, props));
    }
    app.synth();
    const metadata = fs.readFileSync(path.join(outdir, 'construct-metadata.json'), 'utf8');
    expect(metadata).toBe(fs.readFileSync(path.join(appDir, 'construct-metadata.json'), 'utf8'));
    expect(JSON.parse(metadata).resources['web-svc']).toEqual({ path: 'web/Group_1/svc' });
  });
});

describe('CanaryFleet is deterministic', () => {
  test('two syntheses of the same fleet write the same bytes, in addApp order', () => {
    const a = tempDir();
    const b = tempDir();
    const ra = fleetOf(a).synth();
    const rb = fleetOf(b).synth();
    expect(readDir(a)).toEqual(readDir(b));
    expect(ra.files.map((f) => path.basename(f))).toEqual(rb.files.map((f) => path.basename(f)));
  });

  test('render() returns the files in addApp order without writing anything', () => {
    const outdir = path.join(tempDir(), 'not-created');
    const rendered = fleetOf(outdir).render();
    expect(rendered.map((r) => r.id)).toEqual(['web', 'api', 'Not_A_DNS_Label']);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('changing one app changes only that app file', () => {
    const a = tempDir();
    const b = tempDir();
    fleetOf(a).synth();
    const changed: typeof APPS = APPS.map(([id, build, props]) => [id, id === 'web' ? sampleApp('web', 'nginx:2') : build, props]);
    fleetOf(b, changed).synth();
    const fa = readDir(a);
    const fb = readDir(b);
    expect(Object.keys(fa).filter((f) => fa[f] !== fb[f])).toEqual(['web.k8s.yaml']);
  });
});

describe('CanaryFleet errors', () => {
  test('validation errors of every failing app are reported together, and nothing is written', () => {
    const outdir = path.join(tempDir(), 'out');
    const failing =
      (msg: string): FleetAppBuilder =>
      (chart) => {
        new ApiObject(chart, 'obj', { apiVersion: 'v1', kind: 'ConfigMap' });
        chart.node.addValidation({ validate: () => [msg] });
      };
    const fleet = new CanaryFleet({ outdir })
      .addApp('ok', sampleApp('ok'))
      .addApp('bad-1', failing('replicas (-1) must be >= 0'))
      .addApp('bad-2', failing('image is required'));
    let error: unknown;
    try {
      fleet.synth();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FleetSynthError);
    const err = error as FleetSynthError;
    expect(err.failures.map((f) => [f.id, f.index])).toEqual([
      ['bad-1', 1],
      ['bad-2', 2],
    ]);
    expect(err.message).toContain('Fleet synthesis failed for 2 of 3 apps; nothing was written');
    expect(err.message).toContain('[bad-1] (app #1) Validation failed with the following errors:');
    expect(err.message).toContain('[bad-1] replicas (-1) must be >= 0');
    expect(err.message).toContain('[bad-2] image is required');
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('an error thrown by a builder names the app', () => {
    const fleet = new CanaryFleet({ outdir: tempDir() }).addApp('boom', () => {
      throw new Error("'replicas' (-1) must be >= 0");
    });
    expect(() => fleet.render()).toThrow("[boom] (app #0) 'replicas' (-1) must be >= 0");
  });

  test('duplicate, empty and slash ids are rejected with the id and what is valid', () => {
    const fleet = new CanaryFleet({ outdir: tempDir() }).addApp('web', sampleApp('web'));
    expect(() => fleet.addApp('web', sampleApp('web'))).toThrow("addApp: id 'web' is already used by app #0; app ids must be unique");
    expect(() => fleet.addApp('', sampleApp('x'))).toThrow('addApp: id ("") must be a non-empty string without \'/\'');
    expect(() => fleet.addApp('a/b', sampleApp('x'))).toThrow('addApp: id ("a/b") must be a non-empty string without \'/\'');
    expect(fleet.size).toBe(1);
  });

  test('a nested chart is rejected, naming the app and the chart', () => {
    const fleet = new CanaryFleet({ outdir: tempDir() }).addApp('web', (chart) => {
      new Chart(chart, 'inner');
    });
    expect(() => fleet.render()).toThrow("app 'web': nested chart 'web/inner' is not supported in a fleet");
  });

  test('a dependency on another app is rejected, naming both constructs', () => {
    let first: ApiObject | undefined;
    const fleet = new CanaryFleet({ outdir: tempDir() })
      .addApp('a', (chart) => {
        first = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap' });
      })
      .addApp('b', (chart) => {
        new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap' }).addDependency(first!);
      });
    expect(() => fleet.render()).toThrow("app 'b': 'b/cm' depends on 'a/cm', which belongs to another app");
  });
});

describe('CanaryFleet defaults follow cdk8s App', () => {
  test('outdir comes from CDK8S_OUTDIR (set by cdk8s synth), then "dist"', () => {
    const saved = process.env.CDK8S_OUTDIR;
    try {
      process.env.CDK8S_OUTDIR = '/tmp/from-env';
      expect(new CanaryFleet().outdir).toBe('/tmp/from-env');
      delete process.env.CDK8S_OUTDIR;
      expect(new CanaryFleet().outdir).toBe('dist');
    } finally {
      if (saved === undefined) {
        delete process.env.CDK8S_OUTDIR;
      } else {
        process.env.CDK8S_OUTDIR = saved;
      }
    }
  });

  test('the file extension can be changed as in cdk8s', () => {
    const outdir = tempDir();
    new CanaryFleet({ outdir, outputFileExtension: '.yaml' }).addApp('web', sampleApp('web')).synth();
    expect(fs.readdirSync(outdir)).toEqual(['web.yaml']);
  });
});
