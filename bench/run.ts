/**
 * `npm run bench [-- --quick] [--only a,b] [--repeats N] [--clock cpu|wall] [--runner compiled|tsx]`
 * (bench/start.mjs compiles this with tsc and runs the output; `--runner tsx` runs it through tsx)
 *
 * Prints one JSON line per figure on stdout as soon as it is measured:
 *   {"name","n","value","unit","baseline","baselineValue","ratio"}
 * then a human table (with the repeat counts and the targets). Progress goes to stderr.
 * Every value is a median of repeated, interleaved runs measured next to its baseline in the same
 * process (peak memory and CLI timings come from child processes, also measured in this run);
 * each suite runs in a node process of its own.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { cliColdStartSuite } from './suites/cli-cold-start';
import { canTimeChildrenCpu, clockKind, setClock } from './clock';
import { HAS_GC, Reported } from './harness';
import { RUNNER } from './runner';
import { fleetSuite } from './suites/fleet';
import { lintSuite } from './suites/lint';
import { memorySuite } from './suites/memory';
import { runtimeSuite } from './suites/runtime';
import { singleAppSuite } from './suites/single-app';
import { rootCauseSuite } from './suites/root-cause';
import { Suite, SuiteContext } from './suites/suite';
import { synthCliSuite } from './suites/synth-cli';
import { formatTable } from './table';

const SUITES: readonly Suite[] = [
  { name: 'root-cause', run: rootCauseSuite },
  { name: 'fleet', run: fleetSuite },
  { name: 'single-app', run: singleAppSuite },
  { name: 'runtime', run: runtimeSuite },
  { name: 'lint', run: lintSuite },
  { name: 'memory', run: memorySuite },
  { name: 'synth-cli', run: synthCliSuite },
  { name: 'cli-cold-start', run: cliColdStartSuite },
];

/** A suite child's stdout line carrying one Reported as JSON. */
const REPORT_PREFIX = 'REPORT ';

/** The options a suite child gets from its parent (everything but --only). */
function suiteArgs(values: { quick?: boolean; repeats?: string; clock?: string }): string[] {
  return [
    ...(values.quick ? ['--quick'] : []),
    ...(values.repeats !== undefined ? ['--repeats', values.repeats] : []),
    '--clock',
    values.clock ?? 'cpu',
  ];
}

function main(): number {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      repeats: { type: 'string' },
      clock: { type: 'string', default: 'cpu' },
      // internal: run the suites in this process and print each Reported as a REPORT line
      'in-process': { type: 'boolean', default: false },
    },
  });
  const only = values.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((o) => !SUITES.some((s) => s.name === o)) ?? [];
  if (unknown.length > 0) {
    console.error(`--only: unknown suite(s) ${unknown.join(', ')}; valid: ${SUITES.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const repeats = values.repeats === undefined ? undefined : Number(values.repeats);
  if (repeats !== undefined && !(Number.isInteger(repeats) && repeats >= 1)) {
    console.error(`--repeats (${values.repeats}) must be an integer >= 1`);
    return 2;
  }
  if (values.clock !== 'cpu' && values.clock !== 'wall') {
    console.error(`--clock (${values.clock}) must be cpu or wall`);
    return 2;
  }
  setClock(values.clock);
  const dirs: string[] = [];
  const ctx: SuiteContext = {
    quick: values.quick ?? false,
    repeats,
    // compiled into .cache/bench-js by bench/start.mjs, which names the repository root
    root: process.env.BENCH_REPO_ROOT ?? path.resolve(__dirname, '..'),
    log: (m) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`),
    tempDir: () => {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-canary-bench-'));
      dirs.push(d);
      return d;
    },
  };
  if (!HAS_GC) {
    ctx.log('note: run with node --expose-gc (npm run bench does) to collect garbage outside the timings');
  }
  const started = Date.now();
  const all: Reported[] = [];
  const selected = SUITES.filter((s) => only === undefined || only.includes(s.name));
  if (values['in-process']) {
    try {
      for (const suite of selected) {
        ctx.log(`suite ${suite.name}`);
        for (const r of suite.run(ctx)) {
          console.log(`${REPORT_PREFIX}${JSON.stringify(r)}`);
        }
      }
    } finally {
      for (const d of dirs) {
        fs.rmSync(d, { recursive: true, force: true });
      }
    }
    return 0;
  }
  // Each suite runs in a fresh node process, so that what one suite leaves behind (a heap grown by
  // the 2,000-app fleet, optimised code, caches) cannot change the timings of the next: every
  // suite's figures are the same whether it runs alone (--only) or in a full run.
  for (const suite of selected) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, __filename, ...suiteArgs(values), '--only', suite.name, '--in-process'],
      { env: process.env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    for (const line of child.stdout.split('\n')) {
      if (!line.startsWith(REPORT_PREFIX)) continue;
      const r = JSON.parse(line.slice(REPORT_PREFIX.length)) as Reported;
      all.push(r);
      console.log(JSON.stringify(r.figure));
    }
    if (child.status !== 0) {
      console.error(`suite ${suite.name} failed (exit ${child.status ?? child.signal})`);
      return 1;
    }
  }
  const cpus = os.cpus();
  console.log('');
  console.log(
    `cdk8s-canary bench: node ${process.version}, ${cpus.length} x ${cpus[0]?.model ?? 'cpu'}, ` +
      `load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${ctx.quick ? 'quick' : 'full'} run in ` +
      `${((Date.now() - started) / 1000).toFixed(0)} s; runner: ${RUNNER}; clock: ${clockKind()}` +
      (clockKind() === 'cpu' ? ` (user+system CPU time${canTimeChildrenCpu() ? ', children via /usr/bin/time' : '; children: wall, no /usr/bin/time'})` : ''),
  );
  console.log(formatTable(all));
  return 0;
}

process.exitCode = main();
