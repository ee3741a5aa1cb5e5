import { ApiObject, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { lintConstructValidation } from '../../src/lint/construct-validation';
import { fixture } from './helpers';

/** A chart holding a fixture's objects as ApiObjects, with the lint validation on the chart. */
function chartOf(name: string, options = {}) {
  const chart = Testing.chart();
  fixture(name).forEach((doc, i) => new ApiObject(chart, `o${i}`, doc as never));
  chart.node.addValidation(lintConstructValidation(chart, options));
  return chart;
}

describe('lintConstructValidation (construct validation at synth)', () => {
  it('lets the clean baseline synthesize', () => {
    expect(Testing.synth(chartOf('clean')).map((o) => o.kind)).toContain('Rollout');
  });

  it('fails the synth with one line per error finding, naming rule, object, path and fix', () => {
    expect(() => Testing.synth(chartOf('shared-pdb'))).toThrow(
      /Validation failed with the following errors:\n {2}\[test\] \[shared-pdb\] PodDisruptionBudget\/my-app-pdb spec\.selector: selector \{"app":"my-app"\} matches both the stable and the canary pods of Rollout\/my-app-rollout\. Fix: Split it in two PDBs/,
    );
  });

  it('ignores warnings unless asked to include them', () => {
    expect(() => Testing.synth(chartOf('min-two-pods'))).not.toThrow();
    expect(() => Testing.synth(chartOf('min-two-pods', { includeWarnings: true }))).toThrow(/\[min-two-pods\] HorizontalPodAutoscaler\/my-app-hpa spec\.minReplicas/);
  });
});
