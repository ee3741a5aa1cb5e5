import { describe, expect, it } from 'vitest';
import { compareQuantities, isNonNegativeQuantity, isPositiveQuantity, isQuantity, parseQuantity } from '../../src/constructs/_quantity';

/** The value as a JS number (exact enough for the small values below). */
const value = (text: string): number => {
  const q = parseQuantity(text);
  if (!q) throw new Error(`not a quantity: ${text}`);
  return Number(q.numerator) / Number(q.denominator);
};

describe('parseQuantity', () => {
  it.each([
    ['1', 1], ['0', 0], ['100m', 0.1], ['1.5', 1.5], ['.5', 0.5], ['2.', 2], ['+3', 3], ['-1', -1],
    ['1Ki', 1024], ['512Mi', 512 * 2 ** 20], ['1Gi', 2 ** 30], ['1.5Ki', 1536],
    ['1k', 1000], ['2M', 2e6], ['1G', 1e9], ['1E', 1e18], ['250u', 0.00025], ['5n', 5e-9],
    ['1e3', 1000], ['1E3', 1000], ['12e-2', 0.12], ['1e+2', 100],
  ])('%s = %d', (text, expected) => {
    expect(value(text)).toBeCloseTo(expected, 12);
  });

  it.each(['', ' 1', '1 ', '100 m', '1.2.3', 'm', '1KB', '1ki', '1mi', '1e', '1e1.5', 'one', '1Kii', '--1', '1e100000', '0x10'])('rejects %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
    expect(isQuantity(text)).toBe(false);
  });

  it('rejects what is not a string (the API server wants strings; numbers are the caller\'s to refuse)', () => {
    for (const v of [1, null, undefined, {}, ['1']]) expect(isQuantity(v)).toBe(false);
  });
});

describe('compareQuantities', () => {
  const cmp = (a: string, b: string) => compareQuantities(parseQuantity(a)!, parseQuantity(b)!);
  it('compares across suffixes exactly', () => {
    expect(cmp('100m', '0.1')).toBe(0);
    expect(cmp('1', '1000m')).toBe(0);
    expect(cmp('1Ki', '1024')).toBe(0);
    expect(cmp('1Ki', '1k')).toBe(1);
    expect(cmp('500m', '1')).toBe(-1);
    expect(cmp('1e3', '1k')).toBe(0);
    expect(cmp('1Gi', '1G')).toBe(1);
    expect(cmp('1.0000000000000000001', '1')).toBe(1);
    expect(cmp('-1', '0')).toBe(-1);
  });
});

describe('sign checks', () => {
  it('positive and non-negative', () => {
    expect(isPositiveQuantity('1m')).toBe(true);
    expect(isPositiveQuantity('0')).toBe(false);
    expect(isPositiveQuantity('-1')).toBe(false);
    expect(isNonNegativeQuantity('0')).toBe(true);
    expect(isNonNegativeQuantity('-0.5')).toBe(false);
  });
});
