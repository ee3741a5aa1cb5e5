import { describe, expect, it } from 'vitest';
import { maxSurge, maxUnavailable, resolveFenceposts, valueFromIntOrPercent } from '../../src/runtime/fenceposts';
import type { IntOrPercent, RolloutState } from '../../src/runtime/types';
import { canaryRollout } from './function-fixtures';

// Spec §5.1 (utils/replicaset/replicaset.go resolveFenceposts / MaxSurge / MaxUnavailable).
describe('resolveFenceposts', () => {
  const rows: { name: string; surge?: IntOrPercent; unavailable?: IntOrPercent; n: number; want: [number, number] }[] = [
    { name: 'ints are absolute', surge: 3, unavailable: 2, n: 10, want: [3, 2] },
    { name: 'percent surge rounds up, unavailable down', surge: '15%', unavailable: '15%', n: 10, want: [2, 1] },
    { name: 'a string without % is still a percentage ("25" == "25%")', surge: '25', unavailable: '25', n: 10, want: [3, 2] },
    { name: 'every % is stripped', surge: '50%%', unavailable: 0, n: 4, want: [2, 0] },
    { name: 'absent values are int 0, then unavailable becomes 1', n: 10, want: [0, 1] },
    { name: '0/0 after rounding down gives unavailable 1', surge: '0%', unavailable: '5%', n: 10, want: [0, 1] },
    { name: 'surge is not clamped to N', surge: '300%', unavailable: 0, n: 2, want: [6, 0] },
  ];
  it.each(rows)('$name', ({ surge, unavailable, n, want }) => {
    const result = resolveFenceposts(surge, unavailable, n);
    expect([result.surge, result.unavailable]).toEqual(want);
    expect(result.error).toBeUndefined();
  });

  it('a non-numeric string is an error naming the field and value; both resolve to 0', () => {
    const result = resolveFenceposts('2', 'lots', 10);
    expect(result).toMatchObject({ surge: 0, unavailable: 0 });
    expect(result.error).toContain('maxUnavailable ("lots")');
  });

  it('valueFromIntOrPercent rejects a fractional int with the field name', () => {
    expect(() => valueFromIntOrPercent(1.5, 10, true, 'maxSurge')).toThrow('maxSurge (1.5) must be an integer');
  });
});

describe('maxSurge / maxUnavailable', () => {
  const rows: { name: string; rollout: RolloutState; surge: number; unavailable: number }[] = [
    { name: 'defaults are "25" (percent) of N=10', rollout: canaryRollout(10, {}), surge: 3, unavailable: 2 },
    { name: 'defaults with N nil read N=1: surge ceil(0.25)=1, unavailable floor=0', rollout: canaryRollout(undefined, {}), surge: 1, unavailable: 0 },
    { name: 'maxUnavailable is clamped to N', rollout: canaryRollout(3, { maxSurge: 0, maxUnavailable: 7 }), surge: 0, unavailable: 3 },
    { name: 'N=0 gives maxUnavailable 0', rollout: canaryRollout(0, { maxSurge: 1, maxUnavailable: 1 }), surge: 1, unavailable: 0 },
    { name: 'explicit 0/0 resolves to unavailable 1', rollout: canaryRollout(10, { maxSurge: 0, maxUnavailable: 0 }), surge: 0, unavailable: 1 },
  ];
  it.each(rows)('$name', ({ rollout, surge, unavailable }) => {
    expect(maxSurge(rollout)).toBe(surge);
    expect(maxUnavailable(rollout)).toBe(unavailable);
  });

  it('blue-green: no surge; maxUnavailable alone, without the 0/0 -> 1 rule', () => {
    const rollout: RolloutState = { spec: { replicas: 3, strategy: { blueGreen: {} } }, status: {} };
    expect(maxSurge(rollout)).toBe(0);
    expect(maxUnavailable(rollout)).toBe(0);
  });
});
