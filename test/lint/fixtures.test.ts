import { describe, expect, it } from 'vitest';
import { lintManifests } from '../../src/lint/lint-manifests';
import { RULE_CATALOGUE } from '../../src/lint/rule-catalogue';
import { fixture, pitfallFixtures } from './helpers';

describe('lint fixtures', () => {
  it('the clean baseline (the article after migration) has no finding at all', () => {
    expect(lintManifests(fixture('clean'))).toEqual([]);
  });

  it('there is one pitfall fixture per rule of the catalogue', () => {
    expect(pitfallFixtures()).toEqual(RULE_CATALOGUE.map((r) => r.id).sort());
  });

  it.each(pitfallFixtures())('%s.yaml reports exactly that rule', (name) => {
    const findings = lintManifests(fixture(name));
    expect(findings.length).toBeGreaterThan(0);
    expect([...new Set(findings.map((f) => f.rule))]).toEqual([name]);
  });
});
