import { execFileSync } from 'child_process';
import { clockKind } from '../clock';
import { benchScriptArgs } from '../runner';

/** What a child task reports. */
export interface ChildResult {
  readonly maxRssMiB: number;
  /** The task's own time on the bench's clock (module loading excluded). */
  readonly seconds: number;
}

/** Runs one task of bench/children/tasks.ts in a fresh node process (`root` = repository root). */
export function runChildTask(root: string, task: string, n: number): ChildResult {
  const stdout = execFileSync(process.execPath, [...benchScriptArgs('children/peak-rss'), task, String(n), clockKind()], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
}
