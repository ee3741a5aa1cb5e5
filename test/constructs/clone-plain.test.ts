import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clonePlain } from '../../src/constructs/_clone';

describe('clonePlain', () => {
  it('gives what structuredClone gives for plain data, and shares nothing with the input', () => {
    const value = fc.anything({ withNullPrototype: true, withObjectString: true, withDate: true, withMap: true, withSet: true, withBigInt: true, withSparseArray: true, withBoxedValues: true });
    fc.assert(
      fc.property(value, (v) => {
        const copy = clonePlain(v);
        expect(copy).toStrictEqual(structuredClone(v));
        if (typeof v === 'object' && v !== null) expect(copy).not.toBe(v);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps undefined values, key order, shared objects, cycles and an own __proto__ key', () => {
    const shared = { a: 1 };
    const input: Record<string, unknown> = { z: undefined, b: [shared, shared], c: shared };
    input.self = input;
    Object.defineProperty(input, '__proto__', { value: { x: 1 }, enumerable: true, writable: true, configurable: true });
    const copy = clonePlain(input) as Record<string, any>;
    expect(Object.keys(copy)).toEqual(['z', 'b', 'c', 'self', '__proto__']);
    expect('z' in copy && copy.z === undefined).toBe(true);
    expect(copy.b[0]).toBe(copy.b[1]);
    expect(copy.c).toBe(copy.b[0]);
    expect(copy.c).not.toBe(shared);
    expect(copy.self).toBe(copy);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ x: 1 });
  });

  it('rejects functions as structuredClone does', () => {
    expect(() => clonePlain({ f: () => 1 })).toThrow(/could not be cloned/);
  });
});
