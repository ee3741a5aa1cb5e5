import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_CATALOGUE } from '../../src/lint/rule-catalogue';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const start = README.indexOf('<!-- section: cli -->');
const section = README.slice(start, README.indexOf('<!-- section:', start + 1));

describe('README cli section', () => {
  it.each(RULE_CATALOGUE.map((r) => [r.id, r] as const))('documents rule %s with its severity and fix', (_id, rule) => {
    const row = section.split('\n').find((l) => l.startsWith(`| \`${rule.id}\` |`));
    expect(row).toBeDefined();
    expect(row).toContain(`| ${rule.severity} |`);
    expect(row).toContain(rule.fix.replace(/\|/g, '\\|'));
  });

  it('documents every option of plan, simulate and lint', () => {
    for (const option of ['--rollout', '--replicas', '--format', '--output', '--surge-threshold', '--scenario', '--disable']) {
      expect(section).toContain(`\`${option}`);
    }
  });
});
