/**
 * The clock of every timing. `cpu` (default) is the process's user+system CPU time: on a machine
 * shared with other jobs it is far less noisy than wall time, and for this single-threaded,
 * synchronous work it equals wall time on an idle machine (plus a little parallel-GC time).
 * `wall` (--clock wall) is elapsed real time.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export type ClockKind = 'cpu' | 'wall';

let kind: ClockKind = 'cpu';

export function setClock(k: ClockKind): void {
  kind = k;
}

export function clockKind(): ClockKind {
  return kind;
}

/** Seconds on the selected clock (only differences are meaningful). */
export function now(): number {
  if (kind === 'cpu') {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
  return Number(process.hrtime.bigint()) / 1e9;
}

const GNU_TIME = '/usr/bin/time';

/** Whether child processes can be timed on the CPU clock (GNU time reports their rusage). */
export function canTimeChildrenCpu(): boolean {
  return fs.existsSync(GNU_TIME);
}

/** What the clock measured for a child process. */
export interface ChildTiming {
  readonly seconds: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a child to completion and times it: wall clock, or with the cpu clock the user+system
 * time of the child and every descendant it waited for (GNU time's rusage), when available.
 */
export function timeChild(argv: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): ChildTiming {
  const useCpu = kind === 'cpu' && canTimeChildrenCpu();
  const report = useCpu ? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-time-')), 'rusage') : '';
  const full = useCpu ? [GNU_TIME, '-f', '%U %S', '-o', report, ...argv] : [...argv];
  const t0 = process.hrtime.bigint();
  const res = spawnSync(full[0], full.slice(1), { ...options, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  let seconds = wall;
  if (useCpu) {
    const [user, sys] = fs.readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    fs.rmSync(path.dirname(report), { recursive: true, force: true });
    seconds = user + sys;
  }
  return { seconds, status: res.status, stdout: res.stdout, stderr: res.stderr };
}
