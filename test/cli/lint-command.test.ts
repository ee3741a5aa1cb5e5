import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_CATALOGUE } from '../../src/lint/rule-catalogue';
import { LINT_FIXTURES, pitfallFixtures } from '../lint/helpers';
import { MemoryIo, runCli } from '../support/cli';

const fixtureFile = (name: string) => join(LINT_FIXTURES, `${name}.yaml`);

describe('cdk8s-canary lint', () => {
  it('exits 0 and says so on the clean baseline', async () => {
    const { code, out } = await runCli(['lint', fixtureFile('clean')]);
    expect(code).toBe(0);
    expect(out).toBe('No findings in 1 file.\n');
  });

  it.each(pitfallFixtures())('%s.yaml: JSON names only that rule; exit code follows its severity', async (name) => {
    const { code, out } = await runCli(['lint', fixtureFile(name), '--format', 'json']);
    const parsed = JSON.parse(out) as { findings: Record<string, string>[] };
    expect(parsed.findings.length).toBeGreaterThan(0);
    for (const f of parsed.findings) {
      expect(Object.keys(f)).toEqual(['rule', 'severity', 'object', 'path', 'message', 'fix']);
      expect(f.rule).toBe(name);
      expect(f.object).toMatch(/^[A-Za-z]+\/[a-z0-9-]+$/);
    }
    const severity = RULE_CATALOGUE.find((r) => r.id === name)?.severity;
    expect(code).toBe(severity === 'error' ? 1 : 0);
  });

  it('text output names the file, the object, the path, the rule and the fix', async () => {
    const { code, out } = await runCli(['lint', fixtureFile('short-scale-down-delay')]);
    expect(code).toBe(1);
    expect(out).toContain(`${fixtureFile('short-scale-down-delay')}: Rollout/my-app-rollout spec.strategy.canary.scaleDownDelaySeconds\n`);
    expect(out).toContain('  error [short-scale-down-delay] scaleDownDelaySeconds is 5;');
    expect(out).toContain('  fix: Set spec.strategy.canary.scaleDownDelaySeconds to 30 or more');
    expect(out).toContain('1 error, 0 warnings in 1 file.');
  });

  it('a warning-only result exits 0', async () => {
    const { code, out } = await runCli(['lint', fixtureFile('min-two-pods')]);
    expect(code).toBe(0);
    expect(out).toContain('warning [min-two-pods]');
    expect(out).toContain('0 errors, 1 warning in 1 file.');
  });

  it('--disable skips a rule; an unknown rule id is bad usage naming the valid ones', async () => {
    expect((await runCli(['lint', fixtureFile('shared-pdb'), '--disable', 'shared-pdb'])).code).toBe(0);
    const bad = await runCli(['lint', fixtureFile('clean'), '--disable', 'no-such-rule']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown rule "no-such-rule"');
    expect(bad.err).toContain('pod-surge');
  });

  it('an unreadable file exits 2 and names the file', async () => {
    const io = new MemoryIo({}, false);
    const { code, err } = await runCli(['lint', 'missing/app.k8s.yaml'], io);
    expect(code).toBe(2);
    expect(err).toContain('cannot read manifest file missing/app.k8s.yaml');
  });

  it('invalid YAML exits 2 and names the file and document', async () => {
    const io = new MemoryIo({ 'bad.yaml': 'kind: Service\n---\nkind: [unclosed\n' }, false);
    const { code, err } = await runCli(['lint', 'bad.yaml'], io);
    expect(code).toBe(2);
    expect(err).toContain('bad.yaml');
    expect(err).toContain('document 2');
  });

  it('an unknown --format value is bad usage listing the choices', async () => {
    const { code, err } = await runCli(['lint', fixtureFile('clean'), '--format', 'xml']);
    expect(code).toBe(2);
    expect(err).toContain("'xml' is invalid");
    expect(err).toContain('text, json');
  });

  it('--help lists every rule with its severity and the exit codes', async () => {
    const { code, out } = await runCli(['lint', '--help']);
    expect(code).toBe(0);
    for (const rule of RULE_CATALOGUE) expect(out).toMatch(new RegExp(`  ${rule.id} +${rule.severity}`));
    expect(out).toContain('Exit codes: 0');
  });

  it('findings across several files name the file each object came from', async () => {
    const docs = readFileSync(fixtureFile('workload-scaled-up'), 'utf8').split('\n---\n');
    const io = new MemoryIo({ 'deployment.yaml': docs[0], 'rest.yaml': docs.slice(1).join('\n---\n') }, false);
    const { code, out } = await runCli(['lint', 'rest.yaml', 'deployment.yaml'], io);
    expect(code).toBe(1);
    expect(out).toContain('deployment.yaml: Deployment/my-app-dep spec.replicas\n');
    expect(out).toContain('1 error, 0 warnings in 2 files.');
  });
});
