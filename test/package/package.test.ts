/**
 * The package as a user gets it (issue 14): `npm pack` of this checkout, installed with
 * `npm install --omit=dev` into a new cdk8s TypeScript project laid out as `cdk8s init typescript-app`
 * makes it (its tsconfig.json is copied from cdk8s-cli's own template), then compiled and run there.
 *
 * Run by `npm run test:package` (CI runs it after `npm test`). Slow by nature: the pack builds lib/.
 * The user's tools (typescript, cdk8s-cli) are this repository's devDependencies, run from here; the
 * project's node_modules holds only cdk8s-canary and its declared dependencies.
 */
import { execFileSync, spawnSync, type ExecFileSyncOptions, type SpawnSyncOptions } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { REPO_ROOT } from '../support/paths';

const PKG = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};
const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const CDK8S = join(REPO_ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
const TSX = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const TEMPLATE = join(REPO_ROOT, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app');

/** Runs a command; on failure the error carries its exit status, stdout and stderr. */
function run(file: string, args: string[], options: ExecFileSyncOptions = {}): string {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: 'pipe', ...options }) as string;
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} exited ${e.status}\n--- stdout\n${e.stdout}\n--- stderr\n${e.stderr}`);
  }
}

/** Runs a command and returns its exit status and both outputs, whatever the status. */
function runStatus(file: string, args: string[], options: SpawnSyncOptions): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(file, args, { encoding: 'utf8', ...options });
  if (r.error) throw r.error;
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** The README's first TypeScript example: the first ```ts block that imports cdk8s-canary and builds an App. */
function readmeFirstExample(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  const example = blocks.find((code) => code.includes("from 'cdk8s-canary'") && code.includes('new App('));
  if (!example) throw new Error("README.md has no ```ts block importing 'cdk8s-canary' and making an App");
  return example;
}

/**
 * Uses the public subpaths the way the docs do: plan and lint the synthesized file, name a migration class.
 * (`process` and `console` are declared here: the project has no @types/node installed.)
 */
const SUBPATHS_TS = `import { Yaml } from 'cdk8s';
import { plan, readManifests } from 'cdk8s-canary/runtime';
import { lintManifests } from 'cdk8s-canary/lint';
import { CanaryMigration } from 'cdk8s-canary/migration';

declare const process: { argv: string[] };
declare const console: { log(text: string): void };
const objects = Yaml.load(process.argv[2]);
const planned = plan(readManifests(objects, { rollout: 'my-app-rollout' }), { replicas: 10 });
console.log(JSON.stringify({ steps: planned.rows.length, findings: lintManifests(objects).length, migration: typeof CanaryMigration }));
`;

/** A Rollout written by hand (no CanaryApp, so only the validation plugin lints it) whose first step sends all traffic to the canary. */
const BAD_TS = `import { ApiObject, App, Chart } from 'cdk8s';

const app = new App();
const chart = new Chart(app, 'bad');
new ApiObject(chart, 'Rollout', {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'bad-rollout' },
  spec: {
    replicas: 4,
    selector: { matchLabels: { app: 'bad' } },
    template: { metadata: { labels: { app: 'bad' } }, spec: { containers: [{ name: 'app', image: 'bad:1' }] } },
    strategy: { canary: { steps: [{ setWeight: 100 }] } },
  },
});
app.synth();
`;

function cdk8sYaml(app: string, pluginPackage: string): string {
  return [
    'language: typescript',
    `app: ${app}`,
    'output: dist',
    `pluginsDirectory: ${join(project, 'plugins')}`, // cdk8s-cli requires it absolute
    'validations:',
    `  - package: ${pluginPackage}`,
    `    version: ${PKG.version}`,
    '    class: CanaryLintValidation',
    '',
  ].join('\n');
}

let work: string;
let project: string;
let tarball: string;
let reference: string;

/** Packs this checkout (prepack builds lib/) and lists the tarball. */
function pack(): string[] {
  const out = run('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
  const [info] = JSON.parse(out.slice(out.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
  tarball = join(work, info.filename);
  return info.files.map((f) => f.path);
}

/** A new cdk8s TypeScript project (cdk8s init's tsconfig.json) with the README example as main.ts, and the tarball installed. */
function makeProject(): void {
  project = join(work, 'my-project');
  mkdirSync(project);
  const deps = { cdk8s: PKG.peerDependencies.cdk8s, constructs: PKG.peerDependencies.constructs };
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-project', version: '1.0.0', main: 'main.js', private: true, dependencies: deps }, null, 2));
  cpSync(join(TEMPLATE, 'tsconfig.json'), join(project, 'tsconfig.json'));
  writeFileSync(join(project, 'cdk8s.yaml'), cdk8sYaml('node main.js', 'cdk8s-canary'));
  writeFileSync(join(project, 'main.ts'), readmeFirstExample());
  writeFileSync(join(project, 'subpaths.ts'), SUBPATHS_TS);
  writeFileSync(join(project, 'bad.ts'), BAD_TS);
  run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: project });
}

/** The repository's own synthesis of the example app (src/main.ts), into a fresh folder. */
function synthesizeReference(): string {
  const outdir = join(work, 'reference');
  run(process.execPath, [TSX, join(REPO_ROOT, 'src', 'main.ts')], { cwd: REPO_ROOT, env: { ...process.env, CDK8S_OUTDIR: outdir } });
  return readFileSync(join(outdir, 'my-app.k8s.yaml'), 'utf8');
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cdk8s-canary-package-'));
  packedFiles = pack();
  makeProject();
  reference = synthesizeReference();
}, 600_000);

let packedFiles: string[];

describe('npm pack', () => {
  it('ships the compiled library, its declarations, the jsii assembly, the command (with its bundle) and the changelog, and nothing else', () => {
    const unexpected = packedFiles.filter(
      (f) =>
        !/^lib\/(src|imports)\/.+\.(js|d\.ts)$/.test(f) &&
        !f.startsWith('node_modules/') &&
        !/^lib\/cli\/(commands\/)?[a-z-]+\.js$/.test(f) &&
        !['package.json', 'README.md', 'CHANGELOG.md', 'bin/cdk8s-canary.js', '.jsii'].includes(f),
    );
    expect(unexpected).toEqual([]);
    // Our own files only: the bundled dependencies' files are theirs (some ship their tests).
    expect(packedFiles.filter((f) => !f.startsWith('node_modules/') && /(^|\/)(test|bench|e2e|fixtures|scripts)\//.test(f))).toEqual([]);
    expect(packedFiles).toContain('lib/src/index.js');
    expect(packedFiles).toContain('lib/src/cli/main.js');
    // the bundle bin/cdk8s-canary.js runs (npm run build:cli): one file per command
    expect(packedFiles).toEqual(expect.arrayContaining(['lib/cli/main.js', 'lib/cli/commands/lint.js', 'lib/cli/commands/plan.js']));
    expect(packedFiles).toContain('.jsii');
  });

  it('bundles its non-jsii dependencies (jsii needs them inside the package), never the cdk8s peers or dev tools', () => {
    const bundled = new Set(packedFiles.filter((f) => f.startsWith('node_modules/')).map((f) => f.split('/').slice(1, f.startsWith('node_modules/@') ? 3 : 2).join('/')));
    for (const name of ['commander', 'yaml', '@kubernetes/client-node']) expect(bundled).toContain(name);
    for (const name of ['cdk8s', 'constructs', 'cdk8s-plus-28', 'typescript', 'jsii', 'vitest', 'tsx', 'cdk8s-cli']) expect(bundled).not.toContain(name);
  });

  it('is a jsii assembly of the root entry point: every export but the documented TypeScript-only ones', () => {
    const assembly = JSON.parse(readFileSync(join(REPO_ROOT, '.jsii'), 'utf8')) as { name: string; types: Record<string, unknown> };
    expect(assembly.name).toBe('cdk8s-canary');
    const types = Object.keys(assembly.types).map((fqn) => fqn.replace(/^cdk8s-canary\./, '')).sort();
    expect(types).toContain('CanaryApp');
    expect(types).toContain('CanaryRuntime');
    for (const tsOnly of ['CanaryAppError', 'FleetSynthError', 'CanaryMigration', 'CanaryLintValidation', 'ValidationContextLike']) {
      expect(types).not.toContain(tsOnly);
    }
  });

  it('installs with its declared dependencies only (the bundled ones and the peers cdk8s, constructs, cdk8s-plus-28)', () => {
    const installed = readdirSync(join(project, 'node_modules'));
    for (const name of Object.keys(PKG.peerDependencies)) expect(installed).toContain(name);
    // The bundled dependencies come inside the package.
    for (const name of Object.keys(PKG.dependencies)) expect(existsSync(join(project, 'node_modules', 'cdk8s-canary', 'node_modules', name))).toBe(true);
    for (const devOnly of ['tsx', 'typescript', 'vitest', 'cdk8s-cli']) expect(installed).not.toContain(devOnly);
  });
});

describe('docs/api', () => {
  it('is what `npm run docs:api` generates from the packed sources (jsii-docgen per language, TypeDoc for the subpaths)', () => {
    // After the pack: its prepack wrote the .jsii assembly jsii-docgen reads.
    const out = join(work, 'api-docs');
    run(process.execPath, [join(REPO_ROOT, 'scripts', 'api-docs.mjs'), '--out', out], { cwd: REPO_ROOT });
    const files = ['API.typescript.md', 'API.python.md', 'API.java.md', 'API.go.md', 'subpaths.typescript.md'];
    expect(readdirSync(out).sort()).toEqual([...files].sort());
    for (const file of files) {
      if (readFileSync(join(out, file), 'utf8') !== readFileSync(join(REPO_ROOT, 'docs', 'api', file), 'utf8')) {
        throw new Error(`docs/api/${file} is stale: run \`npm run build && npm run docs:api\` and commit the result`);
      }
    }
    expect(readFileSync(join(out, 'API.python.md'), 'utf8')).toContain('cdk8s_canary.CanaryApp(');
    expect(readFileSync(join(out, 'subpaths.typescript.md'), 'utf8')).toContain('readManifests');
  }, 900_000);
});

describe('a cdk8s TypeScript project using the installed package', () => {
  it("compiles with cdk8s init's tsconfig.json (moduleResolution node), subpath imports included", () => {
    run(process.execPath, [TSC, '-p', project]);
    expect(existsSync(join(project, 'main.js'))).toBe(true);
  }, 180_000);

  it("synthesizes the README's first example byte for byte like the repository's dist/my-app.k8s.yaml", () => {
    run(process.execPath, ['main.js'], { cwd: project, env: { ...process.env, CDK8S_OUTDIR: 'dist' } });
    expect(readFileSync(join(project, 'dist', 'my-app.k8s.yaml'), 'utf8')).toBe(reference);
  });

  it('resolves cdk8s-canary/runtime, /lint and /migration at run time', () => {
    const out = run(process.execPath, ['subpaths.js', join(project, 'dist', 'my-app.k8s.yaml')], { cwd: project });
    expect(JSON.parse(out)).toEqual({ steps: expect.any(Number), findings: 0, migration: 'function' });
    expect(JSON.parse(out).steps).toBeGreaterThan(5);
  });

  it('keeps the internals out of reach: a deep import is refused by the exports map', () => {
    const r = runStatus(process.execPath, ['-e', "require('cdk8s-canary/lib/src/constructs/_checks')"], { cwd: project });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});

describe('the cdk8s-canary command from the install', () => {
  // `npx cdk8s-canary ...` as a user types it (`npx --no` would take `--version` for npm's own flag).
  const npx = (args: string[]) => runStatus('npx', ['cdk8s-canary', ...args], { cwd: project });

  it('is installed as node_modules/.bin/cdk8s-canary', () => {
    expect(existsSync(join(project, 'node_modules', '.bin', 'cdk8s-canary'))).toBe(true);
  });

  it('--version prints the package.json version and exits 0', () => {
    expect(npx(['--version'])).toEqual({ status: 0, stdout: `${PKG.version}\n`, stderr: '' });
  });

  it('runs the bundle (lib/cli), loading the one command asked for and neither cdk8s nor the generated imports', () => {
    const bin = join(project, 'node_modules', '.bin', 'cdk8s-canary');
    const file = join(project, 'dist', 'my-app.k8s.yaml');
    // the bin run in a process that prints, at exit, every module it loaded
    const code = `process.on('exit', () => console.error(JSON.stringify(Object.keys(require.cache)))); require(${JSON.stringify(bin)})`;
    const r = runStatus(process.execPath, ['-e', code, '--', 'bin', 'lint', file], { cwd: project });
    expect(r.status).toBe(0);
    const loaded = (JSON.parse(r.stderr.trim().split('\n').pop()!) as string[]).map((m) => m.replace(/\\/g, '/'));
    // its own files, not its bundled dependencies (node_modules/cdk8s-canary/node_modules/...)
    const ours = loaded.filter((m) => m.includes('/node_modules/cdk8s-canary/') && !m.includes('/node_modules/cdk8s-canary/node_modules/')).map((m) => m.replace(/.*\/node_modules\/cdk8s-canary\//, ''));
    expect(ours.sort()).toEqual(['bin/cdk8s-canary.js', 'lib/cli/commands/lint.js', 'lib/cli/main.js', 'lib/cli/usage-error.js']);
    expect(loaded.filter((m) => /\/node_modules\/(cdk8s|cdk8s-plus-28|constructs)\//.test(m))).toEqual([]);
  });

  it.each([['plan'], ['lint']])('%s prints what the repository CLI prints for the same file', async (command) => {
    const file = join(project, 'dist', 'my-app.k8s.yaml');
    const installed = runStatus(join(project, 'node_modules', '.bin', 'cdk8s-canary'), [command, file], { cwd: project });
    const local = await runCli([command, file]);
    expect(installed).toEqual({ status: local.code, stdout: local.out, stderr: local.err });
    expect(installed.status).toBe(0);
  });
});

describe('the validation plugin in cdk8s.yaml', () => {
  /** `cdk8s synth` in the project with `app` and the plugin entry `pluginPackage`. */
  function synth(app: string, pluginPackage: string) {
    writeFileSync(join(project, 'cdk8s.yaml'), cdk8sYaml(app, pluginPackage));
    return runStatus(process.execPath, [CDK8S, 'synth', '--no-check-upgrade'], { cwd: project });
  }

  beforeAll(() => {
    // cdk8s-cli loads `package: cdk8s-canary` from <pluginsDirectory>/cdk8s-canary/<version>/node_modules/cdk8s-canary,
    // running `npm install cdk8s-canary@<version>` there when it is missing: put the tarball's install there instead.
    const dir = join(project, 'plugins', 'cdk8s-canary', PKG.version, 'node_modules');
    mkdirSync(dir, { recursive: true });
    symlinkSync(join(project, 'node_modules', 'cdk8s-canary'), join(dir, 'cdk8s-canary'));
  });

  it('by package name: a clean app synthesizes, a pitfall fails the synth', () => {
    const good = synth('node main.js', 'cdk8s-canary');
    expect(good.stdout).toMatch(/Validation Report \(cdk8s-canary@[^)]+\)[\s\S]*Status\s+│ success/);
    expect(good.status).toBe(0);

    const bad = synth('node bad.js', 'cdk8s-canary');
    expect(bad.stdout).toMatch(/Status\s+│ failure[\s\S]*all-at-once \(1 occurrences\)[\s\S]*Resource Name: bad-rollout/);
    expect(bad.status).not.toBe(0);
  }, 120_000);

  it('by local path ./node_modules/cdk8s-canary: the plugin loads and reports', () => {
    const good = synth('node main.js', './node_modules/cdk8s-canary');
    expect(good.stdout).toMatch(/Validation Report \(.*node_modules\/cdk8s-canary@[^)]+\)[\s\S]*Status\s+│ success/);
    expect(good.status).toBe(0);
  }, 120_000);
});
