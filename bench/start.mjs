#!/usr/bin/env node
/**
 * `npm run bench [-- OPTIONS]`: compiles src/, imports/ and bench/ with tsc into .cache/bench-js
 * (incremental), then runs the compiled bench/run.js with --expose-gc. The library is measured in
 * the form it ships in (package.json "main" is tsc output), not through a development-time
 * transpiler: tsx's esbuild output wraps every named closure in a `__name()` call, which slows
 * this code's hot loops while the baselines (mostly cdk8s and yaml, plain JS) do not pay it
 * (README, "Benchmarks", has the figures of both runners).
 *
 * `--runner tsx` runs bench/run.ts through `node -r tsx/cjs` instead (no build), to compare.
 * Every other option is passed to bench/run.ts (see there).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const at = args.indexOf('--runner');
let runner = 'compiled';
if (at >= 0) {
  runner = args[at + 1];
  args.splice(at, 2);
  if (runner !== 'compiled' && runner !== 'tsx') {
    console.error(`--runner (${runner}) must be compiled or tsx`);
    process.exit(2);
  }
}

const env = { ...process.env, BENCH_REPO_ROOT: root };
let argv;
if (runner === 'tsx') {
  argv = ['--expose-gc', '-r', 'tsx/cjs', path.join(root, 'bench', 'run.ts'), ...args];
} else {
  const cache = path.join(root, '.cache');
  fs.mkdirSync(cache, { recursive: true });
  const tsconfig = path.join(cache, 'bench-js-tsconfig.json');
  fs.writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: '../tsconfig.json',
      compilerOptions: {
        outDir: './bench-js',
        rootDir: '..',
        declaration: false,
        incremental: true,
        tsBuildInfoFile: './bench-js.tsbuildinfo',
      },
      include: ['../src/**/*.ts', '../imports/**/*.ts', '../bench/**/*.ts'],
    }),
  );
  const started = Date.now();
  console.error('[bench] compiling src/, imports/ and bench/ with tsc into .cache/bench-js');
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig], {
    cwd: root,
    stdio: 'inherit',
  });
  if (tsc.status !== 0) {
    console.error(`[bench] tsc failed (exit ${tsc.status})`);
    process.exit(tsc.status ?? 1);
  }
  console.error(`[bench] compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  argv = ['--expose-gc', path.join(cache, 'bench-js', 'bench', 'run.js'), ...args];
}
const res = spawnSync(process.execPath, argv, { cwd: root, env, stdio: 'inherit' });
process.exit(res.status ?? 1);
