/**
 * CLI start-up: whole-process wall time of `cdk8s-canary --version`, `lint`, `plan` and `simulate`
 * of the example app (src/main.ts synthesized into a fresh folder, the repository's example
 * scenario), each a new node process, against `node -e 0` timed in the same interleaved rounds.
 * The command runs as installed: bin/cdk8s-canary.js next to the bundle `npm run build:cli`
 * writes (built here into .cache/bench-cli, laid out as the package). With the compiled runner,
 * the same commands through the unbundled tsc output are timed too (informative: what the
 * bundle buys).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Reported, figure, median, report, round } from '../harness';
import { RUNNER } from '../runner';
import { SuiteContext } from './suite';

interface Command {
  readonly label: string;
  readonly argv: readonly string[];
}

/** The package layout the bin expects: bin/, lib/cli/ and package.json, inside the repository (for node_modules). */
function buildPackage(ctx: SuiteContext): string {
  const pkg = path.join(ctx.root, '.cache', 'bench-cli');
  fs.rmSync(pkg, { recursive: true, force: true });
  fs.mkdirSync(path.join(pkg, 'bin'), { recursive: true });
  fs.copyFileSync(path.join(ctx.root, 'bin', 'cdk8s-canary.js'), path.join(pkg, 'bin', 'cdk8s-canary.js'));
  fs.copyFileSync(path.join(ctx.root, 'package.json'), path.join(pkg, 'package.json'));
  run(ctx, [process.execPath, path.join(ctx.root, 'scripts', 'bundle-cli.mjs'), '--outdir', path.join(pkg, 'lib', 'cli')]);
  return path.join(pkg, 'bin', 'cdk8s-canary.js');
}

/** Synthesizes the example app (src/main.ts) into a fresh folder; returns its my-app.k8s.yaml. */
function synthExample(ctx: SuiteContext): string {
  const out = ctx.tempDir();
  run(ctx, [process.execPath, '-r', 'tsx/cjs', path.join(ctx.root, 'src', 'main.ts')], { CDK8S_OUTDIR: out });
  return path.join(out, 'my-app.k8s.yaml');
}

function run(ctx: SuiteContext, argv: readonly string[], env: Record<string, string> = {}): string {
  const res = spawnSync(argv[0], argv.slice(1), { cwd: ctx.root, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (res.status !== 0) {
    throw new Error(`cli-cold-start: '${argv.join(' ')}' exited ${res.status}: ${res.stderr}${res.stdout}`);
  }
  return res.stdout;
}

/** Wall milliseconds of one process run to completion (its output is checked by a first, untimed run). */
function timeProcess(ctx: SuiteContext, argv: readonly string[]): number {
  const t0 = process.hrtime.bigint();
  const res = spawnSync(argv[0], argv.slice(1), { cwd: ctx.root, stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.status !== 0) {
    throw new Error(`cli-cold-start: '${argv.join(' ')}' exited ${res.status}`);
  }
  return ms;
}

function commandsOf(entry: string, manifest: string, scenario: string, suffix: string): Command[] {
  const node = process.execPath;
  return [
    { label: `--version${suffix}`, argv: [node, entry, '--version'] },
    { label: `lint${suffix}`, argv: [node, entry, 'lint', manifest] },
    { label: `plan${suffix}`, argv: [node, entry, 'plan', manifest] },
    { label: `simulate${suffix}`, argv: [node, entry, 'simulate', manifest, '--scenario', scenario] },
  ];
}

export function* cliColdStartSuite(ctx: SuiteContext): Generator<Reported> {
  ctx.log('cli-cold-start: bundling the CLI (scripts/bundle-cli.mjs) and synthesizing the example app');
  const bin = buildPackage(ctx);
  const manifest = synthExample(ctx);
  const scenario = path.join(ctx.root, 'examples', 'scenario-abort.yaml');
  const baseline: Command = { label: 'node -e 0', argv: [process.execPath, '-e', '0'] };
  const bundled = commandsOf(bin, manifest, scenario, '');
  // the tsc output bench/start.mjs compiled next to this suite (compiled runner only)
  const unbundled = RUNNER === 'compiled' ? commandsOf(path.join(__dirname, '..', '..', 'src', 'cli', 'main.js'), manifest, scenario, ' (unbundled tsc output)') : [];
  const all = [baseline, ...bundled, ...unbundled];
  for (const c of all) run(ctx, c.argv);
  const rounds = ctx.repeats ?? (ctx.quick ? 7 : 15);
  ctx.log(`cli-cold-start: ${all.length} commands x (1 warm-up + ${rounds} rounds), interleaved`);
  const samples = new Map<string, number[]>(all.map((c) => [c.label, []]));
  for (let round = 0; round <= rounds; round++) {
    for (let k = 0; k < all.length; k++) {
      const c = all[(round + k) % all.length];
      const ms = timeProcess(ctx, c.argv);
      if (round > 0) samples.get(c.label)!.push(ms);
    }
  }
  const base = median(samples.get(baseline.label)!);
  const spread = (xs: readonly number[]) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)} ms`;
  const method = (label: string) =>
    `median of ${rounds} processes, 1 warm-up, interleaved, wall clock; spread ${spread(samples.get(label)!)} (node -e 0: ${spread(samples.get(baseline.label)!)})`;
  for (const c of [...bundled, ...unbundled]) {
    const xs = samples.get(c.label)!;
    yield report(
      { ...figure(`cli-cold-start/${c.label}`, 1, median(xs), 'ms', baseline.label, base), spread: { min: round(Math.min(...xs)), max: round(Math.max(...xs)) } },
      method(c.label),
      unbundled.includes(c) ? undefined : { maxRatio: 3 },
    );
  }
}
