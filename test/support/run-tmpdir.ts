/**
 * Vitest global setup: the whole test run gets one temporary directory, and TMPDIR points at it
 * for every test worker (and every process a test starts), so `os.tmpdir()` lands there.
 *
 * Why: cdk8s's `Testing.app()` / `Testing.chart()` make a fresh `cdk8s.outdir.*` directory in
 * `os.tmpdir()` on every call and never remove it: without this, each `npm test` left 1,503 empty
 * directories in /tmp (counted on 2026-11-26).
 * The directory is removed when the run ends, failed or not.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-canary-test-'));
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
