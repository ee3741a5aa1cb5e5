import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_CATALOGUE } from '../../src/lint/rule-catalogue';

const docs = (name: string) => readFileSync(join(__dirname, '..', '..', 'docs', name), 'utf8');
const lintDoc = docs('lint.md');
const cliDoc = docs('cli.md');

describe('docs/lint.md and docs/cli.md', () => {
  it.each(RULE_CATALOGUE.map((r) => [r.id, r] as const))('documents rule %s with its severity and fix', (_id, rule) => {
    const row = lintDoc.split('\n').find((l) => l.startsWith(`| \`${rule.id}\` |`));
    expect(row).toBeDefined();
    expect(row).toContain(`| ${rule.severity} |`);
    expect(row).toContain(rule.fix.replace(/\|/g, '\\|'));
  });

  it.each(RULE_CATALOGUE.map((r) => [r.id] as const))('has an entry for rule %s with a bad example (its fixture, linted) and a good one', (id) => {
    const start = lintDoc.indexOf(`\n## ${id}\n`);
    expect(start).toBeGreaterThanOrEqual(0);
    const next = lintDoc.indexOf('\n## ', start + 1);
    const entry = lintDoc.slice(start, next < 0 ? undefined : next);
    expect(entry).toMatch(new RegExp(`<!-- test: cli[^>]*-->\\n\`\`\`console\\n\\$ cdk8s-canary lint test/fixtures/lint/${id}\\.yaml\\n`));
    expect(entry).toContain('**Good:**\n\n```yaml\n');
  });

  it('documents every option of plan, simulate and lint', () => {
    for (const option of ['--rollout', '--replicas', '--format', '--output', '--surge-threshold', '--scenario', '--disable']) {
      expect(cliDoc).toContain(`\`${option}`);
    }
  });
});
