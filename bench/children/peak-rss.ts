/**
 * Child process for peak-memory figures: `node -r tsx/cjs bench/children/peak-rss.ts <task> <n>`
 * runs one task once and prints `{"task","n","maxRssMiB","seconds"}` (maxRSS from
 * process.resourceUsage(), i.e. the peak resident set of this whole process).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CHILD_TASKS } from './tasks';

function main(): number {
  const [task, nArg] = process.argv.slice(2);
  const run = CHILD_TASKS[task];
  const n = Number(nArg);
  if (run === undefined || !(Number.isInteger(n) && n >= 1)) {
    console.error(`usage: peak-rss.ts <${Object.keys(CHILD_TASKS).join('|')}> <n >= 1> (got ${task} ${nArg})`);
    return 2;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-canary-bench-rss-'));
  try {
    const t0 = process.hrtime.bigint();
    run(dir, n);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const maxRssMiB = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify({ task, n, maxRssMiB, seconds }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}

process.exitCode = main();
