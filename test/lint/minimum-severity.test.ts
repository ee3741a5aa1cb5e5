/**
 * `minimumSeverity: 'error'` keeps the error-level findings of a full run and skips the rules that
 * can only warn; the synth-time lint (which drops warnings unless asked) uses it.
 */
import { ApiObject, Testing } from 'cdk8s';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lintConstructValidation } from '../../src/lint/construct-validation';
import { lintManifests } from '../../src/lint/lint-manifests';
import { RULE_CATALOGUE } from '../../src/lint/rule-catalogue';
import { fixture, pitfallFixtures } from './helpers';

const WARNING_RULES = RULE_CATALOGUE.filter((r) => r.severity === 'warning');

/** Spies on the check of every warning-level rule (calling through). */
function spyOnWarningRules() {
  return WARNING_RULES.map((rule) => vi.spyOn(rule, 'check'));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('lintManifests minimumSeverity', () => {
  it('there are warning-level rules to skip (min-two-pods, no-settle-pause, issue 22\'s pod-security-restricted, canary-without-readiness-probe, issue 18\'s managed-route rules)', () => {
    expect(WARNING_RULES.map((r) => r.id).sort()).toEqual([
      'canary-without-readiness-probe',
      'managed-route-before-canary-pods',
      'managed-route-left-in-place',
      'min-two-pods',
      'mirror-without-percentage',
      'no-settle-pause',
      'pod-security-restricted',
    ]);
  });

  it.each(['clean', ...pitfallFixtures()])('%s: "error" gives exactly the error findings of a full run', (name) => {
    const objects = fixture(name);
    for (const options of [{}, { replicas: 3 }, { disable: ['pod-surge'] }]) {
      const all = lintManifests(objects, options);
      expect(lintManifests(objects, { ...options, minimumSeverity: 'error' })).toEqual(all.filter((f) => f.severity === 'error'));
      expect(lintManifests(objects, { ...options, minimumSeverity: 'warning' })).toEqual(all);
    }
  });

  it('the warning fixtures still report their warnings by default', () => {
    expect(lintManifests(fixture('min-two-pods')).some((f) => f.rule === 'min-two-pods' && f.severity === 'warning')).toBe(true);
    expect(lintManifests(fixture('no-settle-pause')).some((f) => f.rule === 'no-settle-pause')).toBe(true);
  });

  it('"error" does not run the warning-level rules; the default does', () => {
    const spies = spyOnWarningRules();
    lintManifests(fixture('min-two-pods'), { minimumSeverity: 'error' });
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    lintManifests(fixture('min-two-pods'));
    for (const spy of spies) expect(spy).toHaveBeenCalledTimes(1);
  });

  it('rejects an unknown severity, naming the option, the value and the valid ones', () => {
    expect(() => lintManifests(fixture('clean'), { minimumSeverity: 'info' as never })).toThrow(
      'minimumSeverity ("info") must be "error" or "warning"',
    );
  });
});

describe('lintConstructValidation skips the warning-level rules unless warnings are included', () => {
  function synthWith(options: { includeWarnings?: boolean }) {
    const chart = Testing.chart();
    fixture('min-two-pods').forEach((doc, i) => new ApiObject(chart, `o${i}`, doc as never));
    chart.node.addValidation(lintConstructValidation(chart, options));
    return () => Testing.synth(chart);
  }

  it('default: the warning rules never run and the synth passes', () => {
    const spies = spyOnWarningRules();
    expect(synthWith({})).not.toThrow();
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('includeWarnings: they run and fail the synth', () => {
    const spies = spyOnWarningRules();
    expect(synthWith({ includeWarnings: true })).toThrow(/\[min-two-pods\]/);
    for (const spy of spies) expect(spy).toHaveBeenCalled();
  });
});
