import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';
import { allBlocks, type DocBlock } from './doc-blocks';
import { exampleDist } from './docs-io';

/**
 * Every TypeScript snippet of README.md and docs/*.md is type-checked with the repository's
 * compiler options, importing the package by name (`cdk8s-canary`, `cdk8s-canary/runtime`...,
 * mapped to the sources), then run in a folder of its own (with `examples/` linked in, as in a
 * clone): it must finish without error. The
 * README's first example must write exactly what `npm run synth` writes to dist/my-app.k8s.yaml.
 */
const PKG = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  exports?: Record<string, unknown>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};
/** Outside the repository: inside it, Node resolves `cdk8s-canary` to the package itself (lib/, maybe not built). */
const WORK = mkdtempSync(join(tmpdir(), 'cdk8s-canary-doc-snippets-'));
const TSX = createRequire(join(REPO_ROOT, 'package.json')).resolve('tsx/cjs');
const snippets = allBlocks().filter((b) => b.kind === 'ts');
const dirOf = (b: DocBlock): string => join(WORK, `${b.file.replace(/[^\w]+/g, '-')}-L${b.line}`);

/**
 * The package's entry points as a user imports them, each mapped to its source: the `exports` map
 * of package.json when there is one (so a snippet cannot import what the package does not export),
 * else the root and every `src/<dir>/index.ts`.
 */
function entryPoints(): Map<string, string> {
  const pkg = PKG;
  const entries = new Map<string, string>();
  if (pkg.exports) {
    for (const [key, value] of Object.entries(pkg.exports)) {
      const target = typeof value === 'string' ? value : (value as Record<string, string>).default ?? (value as Record<string, string>).require;
      if (!target?.endsWith('.js')) continue;
      entries.set(join(pkg.name, key).replace(/\/\.$/, '').replace(/\/$/, ''), join(REPO_ROOT, target.replace(/^\.\/lib\//, '').replace(/\.js$/, '.ts')));
    }
  } else {
    entries.set(pkg.name, join(REPO_ROOT, 'src', 'index.ts'));
    for (const d of readdirSync(join(REPO_ROOT, 'src'))) {
      if (existsSync(join(REPO_ROOT, 'src', d, 'index.ts'))) entries.set(`${pkg.name}/${d}`, join(REPO_ROOT, 'src', d, 'index.ts'));
    }
  }
  return entries;
}

/**
 * WORK/node_modules as a user's project has it: cdk8s-canary (one stub per entry point, requiring
 * its source; run with tsx) and the package's dependencies (links to the repository's copies, so
 * the snippet and the sources share one cdk8s).
 */
function writeNodeModules(entries: Map<string, string>): void {
  const dir = join(WORK, 'node_modules', 'cdk8s-canary');
  mkdirSync(dir, { recursive: true });
  for (const dep of [...Object.keys(PKG.dependencies), ...Object.keys(PKG.peerDependencies)]) {
    // a scoped dependency (@scope/name) needs its scope folder first
    mkdirSync(dirname(join(WORK, 'node_modules', dep)), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules', dep), join(WORK, 'node_modules', dep), 'dir');
  }
  const exportsMap: Record<string, string> = {};
  for (const [name, source] of entries) {
    const sub = name.split('/').slice(1).join('/');
    const stub = `${sub === '' ? 'index' : sub.replace(/\//g, '-')}.js`;
    writeFileSync(join(dir, stub), `module.exports = require(${JSON.stringify(source)});\n`);
    exportsMap[sub === '' ? '.' : `./${sub}`] = `./${stub}`;
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cdk8s-canary', exports: exportsMap }, null, 2));
}

/** Type errors of the snippets, compiled together with the repository's options. */
function typeErrors(files: string[], entries: Map<string, string>): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(REPO_ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const paths = Object.fromEntries([...entries].map(([name, source]) => [name, [source]]));
  const program = ts.createProgram(files, { ...config.options, noEmit: true, rootDir: undefined, paths });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** The environment without CDK8S_OUTDIR (set when the tests run under `cdk8s synth`): snippets write to ./dist. */
function withoutOutdir(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.CDK8S_OUTDIR;
  return env;
}

/** Runs a snippet with tsx in its folder: exit code and output. */
function run(dir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['-r', TSX, 'snippet.ts'], { cwd: dir, env: withoutOutdir() });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    // Without stack frames: vitest would try to read source maps of the snippet's transpiled files.
    child.on('close', (code) => done({ code, output: output.split('\n').filter((l) => !/^\s+at /.test(l)).join('\n') }));
  });
}

describe('TypeScript snippets of README.md and docs/', () => {
  const entries = entryPoints();

  afterAll(() => rmSync(WORK, { recursive: true, force: true }));

  beforeAll(() => {
    writeNodeModules(entries);
    for (const b of snippets) {
      mkdirSync(dirOf(b), { recursive: true });
      writeFileSync(join(dirOf(b), 'snippet.ts'), `${b.body}\n`);
      // Snippets run as from a clone's root: examples/ is there to read.
      symlinkSync(join(REPO_ROOT, 'examples'), join(dirOf(b), 'examples'));
    }
  });

  it('there are snippets, and the README has one that writes dist/my-app.k8s.yaml', () => {
    expect(snippets.length).toBeGreaterThan(5);
    expect(snippets.find((b) => b.file === 'README.md')?.options.writes).toBe('dist/my-app.k8s.yaml');
  });

  it('all type-check against the package entry points', () => {
    expect(typeErrors(snippets.map((b) => join(dirOf(b), 'snippet.ts')), entries)).toEqual([]);
  }, 240_000);

  it.each(snippets.map((b) => [`${b.file}:${b.line}`, b] as const))('%s runs without error', async (_name, b) => {
    const { code, output } = await run(dirOf(b));
    expect(code, output).toBe(0);
    if (b.options.writes) {
      const written = join(dirOf(b), b.options.writes);
      expect(existsSync(written), `${b.file}:${b.line} should write ${b.options.writes}`).toBe(true);
      expect(readFileSync(written, 'utf8')).toBe(exampleDist().get(b.options.writes));
    }
  }, 120_000);
});
