import { describe, expect, test } from 'vitest';
import { canonicalJson, computeHash, fnv32a } from '../../src/runtime/template-hash';

describe('fnv32a', () => {
  test('matches the published FNV-1a 32-bit vectors for ASCII text', () => {
    expect(fnv32a('')).toBe(0x811c9dc5);
    expect(fnv32a('a')).toBe(0xe40c292c);
    expect(fnv32a('foobar')).toBe(0xbf9cf968);
  });

  test('hashes the UTF-8 bytes of non-ASCII text (2- and 3-byte sequences)', () => {
    expect(fnv32a('é')).toBe(0x1e9de8c1);
    expect(fnv32a('naïve-日本')).toBe(0x3d28cfee);
  });
});

describe('canonicalJson', () => {
  test('sorts keys at every level and drops undefined values', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: undefined, b: null } })).toBe('{"a":{"b":null,"d":[1,"x"]},"b":1}');
  });

  test('encodes undefined as null, array holes as empty slots (as map + join do)', () => {
    expect(canonicalJson(undefined)).toBe('null');
    // eslint-disable-next-line no-sparse-arrays
    expect(canonicalJson([1, , 3])).toBe('[1,,3]');
    expect(canonicalJson([undefined])).toBe('[null]');
  });

  test('key order does not change the hash, content does', () => {
    expect(computeHash({ x: 1, y: [2] })).toBe(computeHash({ y: [2], x: 1 }));
    expect(computeHash({ x: 1, y: [2] })).not.toBe(computeHash({ x: 1, y: [3] }));
  });
});
