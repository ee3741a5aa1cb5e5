/**
 * `npm run diff-argo`: feeds the same seeded cases to the TypeScript port and to the real Argo
 * Rollouts v1.9.1 functions (the Go harness built by diff-argo/build.sh) and compares the answers.
 *
 *   npx tsx test/diff-argo/run.ts [--seed N]... [--cases N] [--only fn,fn] [--harness PATH]
 *
 * Defaults: seeds 1 and 2, 20,000 cases per function per seed, the harness in
 * $CDK8S_CANARY_DIFF_ARGO_CACHE/bin/diffargo (~/.cache/cdk8s-canary-diff-argo). A case is valid
 * or outside the valid domain (see inputs.ts); a mismatch on a valid case fails the run, and so
 * does a mismatch outside the domain whose reason id is not listed in docs/runtime.md
 * ("Deliberate differences"). Prints the smallest mismatching inputs, then `N passed, N failed`.
 * Exit 0 when nothing failed, 1 on a failure, 2 when the harness is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { SPECS, commonOutside, goArgs, tryTs, type Args, type FunctionSpec } from './functions';
import { ISTIO_SPECS } from './istio-functions';
import { LIFECYCLE_SPECS, lifecycleGoArgs, tidyGo } from './lifecycle-functions';
import { Random } from './random';

const ALL_SPECS: readonly FunctionSpec[] = [...SPECS, ...ISTIO_SPECS, ...LIFECYCLE_SPECS];
const SHOWN_PER_FUNCTION = 3;

interface Options {
  seeds: number[];
  cases: number;
  only?: string[];
  harness: string;
}

function parseOptions(argv: readonly string[]): Options {
  const seeds: number[] = [];
  let cases = 20_000;
  let only: string[] | undefined;
  const cache = process.env['CDK8S_CANARY_DIFF_ARGO_CACHE'] ?? join(homedir(), '.cache', 'cdk8s-canary-diff-argo');
  let harness = join(cache, 'bin', 'diffargo');
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--seed') seeds.push(Number(value));
    else if (argv[i] === '--cases') cases = Number(value);
    else if (argv[i] === '--only') only = value.split(',');
    else if (argv[i] === '--harness') harness = value;
    else throw new Error(`unknown option ${argv[i]} (valid: --seed N, --cases N, --only fn,fn, --harness PATH)`);
    i++;
  }
  if (seeds.length === 0) seeds.push(1, 2);
  for (const seed of seeds) if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${seed}`);
  if (!Number.isInteger(cases) || cases <= 0) throw new Error(`--cases must be a positive integer, got ${cases}`);
  const unknown = (only ?? []).filter((name) => !ALL_SPECS.some((spec) => spec.name === name));
  if (unknown.length > 0) throw new Error(`--only names unknown functions: ${unknown.join(', ')}`);
  return { seeds, cases, only, harness };
}

/** A stable 32-bit seed per (run seed, function). */
function functionSeed(seed: number, name: string): number {
  let h = seed >>> 0;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

interface Mismatch {
  readonly args: Args;
  readonly ts: unknown;
  readonly go: unknown;
  readonly outside?: string;
  readonly size: number;
}

interface Tally {
  valid: number;
  outside: number;
  validMismatches: Mismatch[];
  outsideMismatches: Mismatch[];
}

function runHarness(harness: string, name: string, cases: readonly Args[]): Record<string, unknown>[] {
  const input = cases.map((args) => JSON.stringify({ fn: name, args: lifecycleGoArgs(name, args, goArgs(args)) })).join('\n') + '\n';
  const result = spawnSync(harness, [], { input, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`harness failed on ${name}: ${result.stderr || result.error?.message}`);
  const lines = result.stdout.trimEnd().split('\n');
  if (lines.length !== cases.length) throw new Error(`harness answered ${lines.length} of ${cases.length} ${name} cases`);
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

function compareFunction(spec: FunctionSpec, seed: number, count: number, harness: string): Tally {
  const r = new Random(functionSeed(seed, spec.name));
  const cases = Array.from({ length: count }, () => spec.generate(r));
  const answers = runHarness(harness, spec.name, cases);
  const tally: Tally = { valid: 0, outside: 0, validMismatches: [], outsideMismatches: [] };
  cases.forEach((args, i) => {
    const outside = spec.outside ? spec.outside(args) : commonOutside(args);
    if (outside) tally.outside++;
    else tally.valid++;
    const ts = JSON.parse(JSON.stringify(tryTs(() => spec.ts(args)) ?? null)) as unknown;
    const answer = tidyGo(spec.name, answers[i]);
    if ('ok' in answer && isDeepStrictEqual(ts, answer['ok'])) return;
    const mismatch = { args, ts, go: answer, outside, size: JSON.stringify(args).length };
    (outside ? tally.outsideMismatches : tally.validMismatches).push(mismatch);
  });
  return tally;
}

/** Reason ids (the text before the first colon) that docs/runtime.md lists as deliberate. */
function documentedReasons(): Set<string> {
  const docs = resolve(__dirname, '..', '..', 'docs', 'runtime.md');
  const text = existsSync(docs) ? readFileSync(docs, 'utf8') : '';
  return new Set([...text.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]));
}

function reasonId(outside: string): string {
  return outside.split(':')[0];
}

function show(label: string, mismatches: readonly Mismatch[]): void {
  const smallest = [...mismatches].sort((a, b) => a.size - b.size).slice(0, SHOWN_PER_FUNCTION);
  for (const m of smallest) {
    console.log(`  ${label}${m.outside ? ` (${m.outside})` : ''}`);
    console.log(`    input: ${JSON.stringify(m.args)}`);
    console.log(`    ts:    ${JSON.stringify(m.ts)}`);
    console.log(`    go:    ${JSON.stringify(m.go)}`);
  }
}

function main(): number {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(options.harness)) {
    console.error(`diff-argo: harness not found at ${options.harness}; build it with diff-argo/build.sh (needs Go)`);
    return 2;
  }
  const documented = documentedReasons();
  const specs = ALL_SPECS.filter((spec) => !options.only || options.only.includes(spec.name));
  let passed = 0;
  let failed = 0;
  for (const seed of options.seeds) {
    for (const spec of specs) {
      const t = compareFunction(spec, seed, options.cases, options.harness);
      const undocumented = t.outsideMismatches.filter((m) => !documented.has(reasonId(m.outside!)));
      const bad = t.validMismatches.length + undocumented.length;
      failed += bad;
      passed += t.valid + t.outside - bad;
      const reasons = [...new Set(t.outsideMismatches.map((m) => reasonId(m.outside!)))].sort();
      console.log(
        `seed ${seed} ${spec.name}: ${t.valid} valid (${t.validMismatches.length} differ), ${t.outside} outside (${t.outsideMismatches.length} differ${reasons.length > 0 ? `: ${reasons.join(', ')}` : ''})`,
      );
      show('VALID MISMATCH', t.validMismatches);
      show('UNDOCUMENTED OUTSIDE MISMATCH', undocumented);
      if (process.env['DIFF_ARGO_SHOW_OUTSIDE']) show('outside mismatch', t.outsideMismatches);
    }
  }
  console.log(`${specs.length} functions, seeds ${options.seeds.join(', ')}, ${options.cases} cases per function per seed`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = main();
