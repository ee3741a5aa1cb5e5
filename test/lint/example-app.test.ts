import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { REPO_ROOT as REPO } from '../support/paths';

/**
 * Issue 4, "must hold": `lint` on the example app's synth output reports no error. The example app
 * (src/main.ts) comes from the constructs branch; until it is merged this test is skipped, loudly.
 */
const APP = join(REPO, 'src', 'main.ts');
const hasApp = existsSync(APP);
if (!hasApp) console.warn('\n*** SKIPPED example-app lint test: src/main.ts (the example app) is not on this branch ***\n');

describe('lint on the example app (dist/)', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk8s-canary-example-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it.skipIf(!hasApp)(`reports no error-level finding${hasApp ? '' : ' (SKIPPED: no src/main.ts)'}`, async () => {
    const synth = spawnSync(join(REPO, 'node_modules', '.bin', 'tsx'), [APP], {
      cwd: REPO,
      env: { ...process.env, CDK8S_OUTDIR: outdir },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(synth.status, synth.stderr).toBe(0);
    const files = readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).map((f) => join(outdir, f));
    expect(files.length).toBeGreaterThan(0);
    const { code, out } = await runCli(['lint', ...files, '--format', 'json']);
    const findings = (JSON.parse(out) as { findings: { severity: string }[] }).findings;
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(code).toBe(0);
  });
});
