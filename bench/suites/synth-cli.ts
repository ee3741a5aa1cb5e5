/**
 * The single-app `synth` path (issue item 3): how long `cdk8s synth` of the example app
 * (src/main.ts) takes with each way of running TypeScript, against the same program compiled by
 * tsc and run directly by node (the floor for "run a cdk8s program"). Every variant is a child
 * process timed by wall clock, interleaved, after one warm-up round (which also fills tsx's
 * on-disk transform cache, as any second synth on a developer machine or CI cache would).
 */
import * as fs from 'fs';
import * as path from 'path';
import { timeChild } from '../clock';
import { Reported, figure, median, report } from '../harness';
import { SuiteContext } from './suite';

interface Runner {
  /** Short id used in the figure name. */
  readonly id: string;
  readonly label: string;
  /** argv run with cwd = repo root; `{out}` is replaced by a fresh output directory. */
  readonly argv: readonly string[];
  /** Environment additions. */
  readonly env?: Record<string, string>;
}

const CDK8S_CLI = ['node_modules/cdk8s-cli/bin/cdk8s', 'synth', '--no-check-upgrade', '--output', '{out}', '--app'];

function runOnce(ctx: SuiteContext, r: Runner): number {
  const out = path.join(ctx.tempDir(), 'dist');
  const argv = r.argv.map((a) => a.replace('{out}', out));
  const res = timeChild(argv, { cwd: ctx.root, env: { ...process.env, CDK8S_OUTDIR: out, ...r.env } });
  if (res.status !== 0) {
    throw new Error(`synth-cli: '${argv.join(' ')}' exited ${res.status}: ${res.stderr || res.stdout}`);
  }
  if (!fs.existsSync(out) || !fs.readdirSync(out).some((f) => f.endsWith('.k8s.yaml'))) {
    throw new Error(`synth-cli: '${argv.join(' ')}' wrote no manifests into ${out}`);
  }
  return res.seconds;
}

/** Compiles src/main.ts and what it imports (only) into .cache/bench-lib; returns seconds taken. */
function compileMain(ctx: SuiteContext): { seconds: number; mainJs: string } {
  const cacheDir = path.join(ctx.root, '.cache');
  const outDir = path.join(cacheDir, 'bench-lib');
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(cacheDir, { recursive: true });
  const tsconfig = path.join(cacheDir, 'bench-tsconfig.json');
  fs.writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: '../tsconfig.json',
      compilerOptions: { outDir: './bench-lib', rootDir: '..', declaration: false },
      files: ['../src/main.ts'],
      include: [],
    }),
  );
  const res = timeChild([process.execPath, 'node_modules/typescript/bin/tsc', '-p', tsconfig], { cwd: ctx.root, env: process.env });
  if (res.status !== 0) {
    throw new Error(`synth-cli: tsc failed (${res.status}): ${res.stdout}${res.stderr}`);
  }
  return { seconds: res.seconds, mainJs: path.join(outDir, 'src', 'main.js') };
}

export function* synthCliSuite(ctx: SuiteContext): Generator<Reported> {
  const main = path.join(ctx.root, 'src', 'main.ts');
  if (!fs.existsSync(main)) {
    ctx.log('synth-cli: skipped, src/main.ts does not exist yet');
    return;
  }
  ctx.log('synth-cli: compiling src/main.ts with tsc');
  const build = compileMain(ctx);
  const mainJs = path.relative(ctx.root, build.mainJs);
  const node = process.execPath;
  const runners: Runner[] = [
    { id: 'cdk8s-synth+npx-tsx', label: 'cdk8s synth, app: npx tsx src/main.ts (original cdk8s.yaml)', argv: [node, ...CDK8S_CLI, 'npx tsx src/main.ts'] },
    { id: 'cdk8s-synth+node-r-tsx-cjs', label: 'cdk8s synth, app: node -r tsx/cjs src/main.ts (cdk8s.yaml now)', argv: [node, ...CDK8S_CLI, 'node -r tsx/cjs src/main.ts'] },
    { id: 'cdk8s-synth+compiled-js', label: `cdk8s synth, app: node ${mainJs} (compiled)`, argv: [node, ...CDK8S_CLI, `node ${mainJs}`] },
    { id: 'node-r-tsx-cjs', label: 'node -r tsx/cjs src/main.ts (no cdk8s CLI)', argv: [node, '-r', 'tsx/cjs', 'src/main.ts'] },
    { id: 'compiled-js', label: `node ${mainJs} (no cdk8s CLI)`, argv: [node, mainJs] },
  ];
  const wanted = ctx.repeats ?? (ctx.quick ? 2 : 5);
  const budgetSeconds = ctx.quick ? 20 : 40;
  ctx.log(`synth-cli: ${runners.length} runners x (1 warm-up + up to ${wanted} rounds) child processes`);
  const samples = new Map<string, number[]>(runners.map((r) => [r.label, []]));
  let repeats = 0;
  let started = 0;
  for (let round = 0; round < 1 + wanted; round++) {
    if (round === 1) {
      started = Date.now();
    }
    for (let k = 0; k < runners.length; k++) {
      const r = runners[(round + k) % runners.length];
      const s = runOnce(ctx, r);
      if (round > 0) {
        samples.get(r.label)!.push(s);
      }
    }
    if (round > 0) {
      repeats++;
      const elapsed = (Date.now() - started) / 1000;
      if (elapsed + elapsed / repeats > budgetSeconds) {
        break;
      }
    }
  }
  const med = new Map([...samples].map(([l, xs]) => [l, median(xs)]));
  const floorLabel = runners[runners.length - 1].label;
  const floor = med.get(floorLabel)!;
  const method = `median of ${repeats} child processes, 1 warm-up, interleaved`;
  for (const r of runners.slice(0, -1)) {
    yield report(figure(`single-app-synth/${r.id}`, 1, med.get(r.label)!, 's', floorLabel, floor), `${method}; ${r.label}`);
  }
  const original = runners[0].label;
  for (const r of runners.slice(1, 3)) {
    yield report(figure(`single-app-synth/${r.id}`, 1, med.get(r.label)!, 's', original, med.get(original)!), `${method}; ${r.label}`);
  }
  yield report(
    figure('single-app-synth/tsc-build-of-main', 1, build.seconds, 's', floorLabel, floor),
    'one tsc run (src/main.ts and its imports only), needed before every compiled synth after a change',
  );
}
