/**
 * Lists every place where `actual` does not contain `expected`: each scalar of `expected` must be
 * equal at the same path in `actual`; objects may have extra keys (server defaults), arrays must
 * have the same length. Returns human-readable differences, empty when `expected` is a subset.
 */
export function subsetDifferences(actual: unknown, expected: unknown, path = ''): string[] {
  if (expected === null || typeof expected !== 'object') {
    return Object.is(actual, expected) ? [] : [`${path || '.'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    if (actual.length !== expected.length) return [`${path}: expected ${expected.length} items, got ${actual.length}`];
    return expected.flatMap((e, i) => subsetDifferences(actual[i], e, `${path}[${i}]`));
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
    return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
  }
  return Object.entries(expected as Record<string, unknown>).flatMap(([k, v]) =>
    subsetDifferences((actual as Record<string, unknown>)[k], v, `${path}.${k}`),
  );
}
