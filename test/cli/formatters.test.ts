import { describe, expect, it } from 'vitest';
import { formatLintText } from '../../src/cli/format/lint-text';
import { formatPlanSvg } from '../../src/cli/format/plan-svg';
import { formatPlanTable } from '../../src/cli/format/plan-table';
import { presentPlan } from '../../src/cli/format/present-plan';
import { formatSeconds, replicaSetsCell } from '../../src/cli/format/simulate-table';
import { renderTextTable, truncate, wrapWords } from '../../src/cli/format/text-table';

describe('text table', () => {
  it('aligns columns, right-aligns numbers, and cuts capped columns with an ellipsis', () => {
    const out = renderTextTable(
      [
        { header: 'N', align: 'right' },
        { header: 'NAME', align: 'left', maxWidth: 6 },
      ],
      [
        ['1', 'short'],
        ['10', 'much too long'],
      ],
    );
    expect(out).toBe(' N  NAME\n--  ------\n 1  short\n10  much …\n');
    expect(truncate('abc', 3)).toBe('abc');
  });
});

describe('wrapWords', () => {
  it('breaks at spaces within the width, splits a word longer than the width, keeps every character', () => {
    expect(wrapWords('aa bb cc', 5)).toEqual(['aa bb', 'cc']);
    expect(wrapWords('x abcdefghij y', 4)).toEqual(['x', 'abcd', 'efgh', 'ij y']);
    expect(wrapWords('', 10)).toEqual(['']);
    const text = 'the quick  brown fox jumps over the lazy dog';
    const lines = wrapWords(text, 9);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(9);
    expect(lines.join(' ')).toBe(text.replace(/ +/g, ' '));
  });
});

describe('plan table width', () => {
  it('stays within 100 columns with the longest labels a step can have', () => {
    const steps = [
      { setMirrorRoute: { name: 'mirror-route-with-a-really-long-name', percentage: 10 } },
      { pause: {} },
      { pause: { duration: '1h30m15s' } },
      { setCanaryScale: { matchTrafficWeight: true } },
    ];
    const rows = steps.map((s, i) => ({
      step: 100 + i,
      action: 'x',
      canaryWeight: 100,
      stableWeight: 0,
      canaryReplicas: 1000,
      stableReplicas: 1000,
      totalPods: 3000,
      podsAdded: 1000,
      pause: s.pause ? (s.pause.duration ?? 'indefinite') : null,
    }));
    const out = formatPlanTable(presentPlan({ rollout: 'r', replicas: 1000, minPodsPerReplicaSet: 1, rows, steps: Array(100).fill({}).concat(steps) }, { surgeThresholdPercent: 30 }));
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(out).toContain('remove mirror route mirror-…'); // no match: a removal (the longest label)
    expect(out).toContain('+1000!');
  });

  it('a Rollout without steps prints no table, only what happens', () => {
    const plan = presentPlan({ rollout: 'r', replicas: 3, minPodsPerReplicaSet: 1, rows: [], steps: [] }, { surgeThresholdPercent: 30 });
    expect(formatPlanTable(plan)).toBe('Rollout r: 0 steps with 3 replicas (pods after each step)\n\nNo steps: the controller goes to 100% at once.\n');
    expect(formatPlanSvg(plan)).toContain('<desc id="plan-desc">Canary plan of Rollout r with 3 replicas: no steps, the controller goes to 100% at once.</desc>');
  });
});

describe('surge flags follow the pod-surge allowance', () => {
  it('allows the first canary pods up to minPodsPerReplicaSet and one pod per step, flags more than the threshold', () => {
    const row = (step: number, canary: number, added: number) => ({
      step, action: '', canaryWeight: 0, stableWeight: 100, canaryReplicas: canary, stableReplicas: 10, totalPods: 10 + canary, podsAdded: added, pause: null,
    });
    const plan = presentPlan(
      { rollout: 'r', replicas: 10, minPodsPerReplicaSet: 4, rows: [row(0, 4, 4), row(1, 7, 3), row(2, 11, 4)], steps: [] },
      { surgeThresholdPercent: 30 },
    );
    expect(plan.rows.map((r) => r.surge)).toEqual([false, false, true]);
  });
});

describe('simulate table helpers', () => {
  it('formats seconds and ReplicaSet cells', () => {
    expect([formatSeconds(0), formatSeconds(59), formatSeconds(60), formatSeconds(125)]).toEqual(['0s', '59s', '1m00s', '2m05s']);
    expect(
      replicaSetsCell([
        { revision: 2, role: 'canary', replicas: 2, available: 1 },
        { revision: 1, role: 'stable', replicas: 10, available: 10 },
        { revision: 3, role: 'old', replicas: 0, available: 0 },
      ]),
    ).toBe('r1:S 10/10  r2:C 1/2');
  });
});

describe('lint text', () => {
  it('pluralises the summary and leaves the file out when unknown', () => {
    const f = { rule: 'x', severity: 'warning' as const, object: 'Rollout/r', path: 'spec', message: 'm', fix: 'f' };
    expect(formatLintText([f], 2)).toBe('Rollout/r spec\n  warning [x] m\n  fix: f\n\n0 errors, 1 warning in 2 files.\n');
  });
});
