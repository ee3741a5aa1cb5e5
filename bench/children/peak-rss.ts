/**
 * Child process for figures that need a process of their own (peak memory, the largest lint):
 * `node bench/children/peak-rss.js <task> <n> [cpu|wall]` (compiled; or `node -r tsx/cjs ...peak-rss.ts`) runs one task once and prints
 * `{"task","n","maxRssMiB","seconds"}`: maxRSS from process.resourceUsage() (the peak resident
 * set of this whole process) and the time of the task's work on the given clock (module loading
 * and input preparation excluded).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { now, setClock } from '../clock';
import { CHILD_TASKS } from './tasks';

function main(): number {
  const [task, nArg, clock = 'cpu'] = process.argv.slice(2);
  const run = CHILD_TASKS[task];
  const n = Number(nArg);
  if (run === undefined || !(Number.isInteger(n) && n >= 1) || (clock !== 'cpu' && clock !== 'wall')) {
    console.error(`usage: peak-rss.ts <${Object.keys(CHILD_TASKS).join('|')}> <n >= 1> [cpu|wall] (got ${process.argv.slice(2).join(' ')})`);
    return 2;
  }
  setClock(clock);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-canary-bench-rss-'));
  try {
    const work = run(dir, n);
    const t0 = now();
    work();
    const seconds = now() - t0;
    const maxRssMiB = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify({ task, n, maxRssMiB, seconds }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}

process.exitCode = main();
