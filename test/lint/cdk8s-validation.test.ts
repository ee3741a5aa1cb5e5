import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationContext, type Validation } from 'cdk8s-cli/plugins';
import { afterAll, describe, expect, it } from 'vitest';
import { CanaryLintValidation } from '../../src/lint/canary-lint-validation';
import { REPO_ROOT as REPO } from '../support/paths';
import { LINT_FIXTURES } from './helpers';

const PLUGIN = join(REPO, 'src', 'lint', 'cdk8s-plugin.cjs');

function runPlugin(fixtureName: string, props = {}) {
  const plugin: Validation = new CanaryLintValidation(props);
  const context = new ValidationContext([join(LINT_FIXTURES, `${fixtureName}.yaml`)], 'cdk8s-canary', '0.0.0', {}, false);
  return plugin.validate(context).then(() => context.report.toJson());
}

describe('CanaryLintValidation (cdk8s-cli validation plugin)', () => {
  it('implements the cdk8s-cli Validation interface and passes the clean baseline', async () => {
    const report = await runPlugin('clean');
    expect(report.summary.status).toBe('success');
    expect(report.violations).toEqual([]);
  });

  it('reports each finding as a violation with rule, object, field path and manifest, and fails on errors', async () => {
    const report = await runPlugin('hpa-targets-deployment');
    expect(report.summary.status).toBe('failure');
    expect(report.summary.metadata).toEqual({ errors: '1', warnings: '0' });
    expect(report.violations).toHaveLength(1);
    const [v] = report.violations;
    expect(v.ruleName).toBe('hpa-targets-deployment');
    expect(v.recommendation).toMatch(/^\[error\] HorizontalPodAutoscaler\/my-app-hpa: scaleTargetRef is Deployment\/my-app-dep/);
    expect(v.fix).toContain('kind: Rollout, name: my-app-rollout');
    expect(v.violatingConstructs).toEqual([
      expect.objectContaining({ resourceName: 'my-app-hpa', locations: ['spec.scaleTargetRef'], manifestPath: join(LINT_FIXTURES, 'hpa-targets-deployment.yaml') }),
    ]);
  });

  it('warnings pass unless failOnWarnings is set', async () => {
    expect((await runPlugin('min-two-pods')).summary.status).toBe('success');
    expect((await runPlugin('min-two-pods', { failOnWarnings: true })).summary.status).toBe('failure');
  });

  it('takes the lint options as plugin properties', async () => {
    const report = await runPlugin('shared-pdb', { disable: ['shared-pdb'] });
    expect(report.summary.status).toBe('success');
  });
});

describe('cdk8s synth with the plugin in cdk8s.yaml validations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cdk8s-canary-synth-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A minimal "app": copies a fixture into the output folder, as a cdk8s app's synth would.
  writeFileSync(
    join(dir, 'app.js'),
    "const fs = require('node:fs');\nconst out = process.env.CDK8S_OUTDIR || 'dist';\nfs.mkdirSync(out, { recursive: true });\nfs.copyFileSync(process.env.FIXTURE, out + '/app.k8s.yaml');\n",
  );
  writeFileSync(
    join(dir, 'cdk8s.yaml'),
    `language: typescript\napp: node app.js\noutput: dist\nvalidations:\n  - package: ${PLUGIN}\n    version: 0.0.0\n    class: CanaryLintValidation\n`,
  );
  const synth = (fixtureName: string) =>
    spawnSync(join(REPO, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade'], {
      cwd: dir,
      env: { ...process.env, FIXTURE: join(LINT_FIXTURES, `${fixtureName}.yaml`) },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('succeeds on the clean baseline and fails the synth on a pitfall, naming rule and object', () => {
    const ok = synth('clean');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Validations finished');
    const bad = synth('shared-pdb');
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toContain('shared-pdb (1 occurrences)');
    expect(bad.stdout).toContain('Resource Name: my-app-pdb');
    expect(bad.stderr).toContain('Validation failed');
  });
});
