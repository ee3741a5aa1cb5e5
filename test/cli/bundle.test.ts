/**
 * The bundled CLI (`npm run build:cli`, what bin/cdk8s-canary.js runs from the package) behaves as
 * the sources do: for each command, the same exit code, stdout and stderr as `main()` in-process,
 * on good input and on bad input (a UsageError thrown in a command's bundle must still be exit 2
 * with one line, so the class must be one module shared by main.js and the commands).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { FIXTURES_DIR, REPO_ROOT } from '../support/paths';

let pkg: string;

beforeAll(() => {
  // inside the repository, so that node_modules (commander, cdk8s) resolves as in an install
  mkdirSync(join(REPO_ROOT, '.cache'), { recursive: true });
  pkg = mkdtempSync(join(REPO_ROOT, '.cache', 'test-bundle-'));
  mkdirSync(join(pkg, 'bin'));
  copyFileSync(join(REPO_ROOT, 'bin', 'cdk8s-canary.js'), join(pkg, 'bin', 'cdk8s-canary.js'));
  copyFileSync(join(REPO_ROOT, 'package.json'), join(pkg, 'package.json'));
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'bundle-cli.mjs'), '--outdir', join(pkg, 'lib', 'cli')], { stdio: 'pipe' });
}, 120_000);

afterAll(() => {
  if (pkg) rmSync(pkg, { recursive: true, force: true });
});

const manifest = join(FIXTURES_DIR, 'article-automatic.yaml');
const scenario = join(REPO_ROOT, 'examples', 'scenario-abort.yaml');
const missing = join(FIXTURES_DIR, 'no-such-file.yaml');

describe('the bundled CLI', () => {
  it.each([
    [['--version']],
    [['lint', manifest]],
    [['plan', manifest]],
    [['simulate', manifest, '--scenario', scenario]],
    [['lint', missing]],
    [['plan', missing]],
    [['simulate', manifest, '--scenario', missing]],
    [['convert', missing]],
    [['migrate', missing]],
    [['conformance', missing]],
    [['status', 'my-app-rollout', '--kubeconfig', missing]],
    [['lnit', manifest]],
  ])('%j: same exit code and output as the sources', async (argv) => {
    const bundled = spawnSync(process.execPath, [join(pkg, 'bin', 'cdk8s-canary.js'), ...argv], { cwd: REPO_ROOT, encoding: 'utf8' });
    const local = await runCli(argv);
    expect({ code: bundled.status, out: bundled.stdout, err: bundled.stderr }).toEqual(local);
    expect(bundled.stderr).not.toContain('internal error');
  }, 60_000);
});
