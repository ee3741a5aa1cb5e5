/**
 * Equality for vector comparisons: JSON semantics (object key order is irrelevant, a key whose
 * value is `undefined` is absent), numbers compared exactly.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keysA = definedKeys(a);
    const keysB = definedKeys(b);
    if (keysA.length !== keysB.length) return false;
    return keysA.every((key) => Object.prototype.hasOwnProperty.call(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}

/**
 * True when every key of `expected` is present in `actual` with an equal value (recursively for
 * objects; arrays and scalars must be equal as a whole). Used where a vector lists only the
 * fields the upstream test asserted.
 */
export function jsonSubsetEqual(actual: unknown, expected: unknown): boolean {
  if (isObject(expected) && isObject(actual)) {
    return definedKeys(expected).every((key) => jsonSubsetEqual(actual[key], expected[key]));
  }
  return jsonEqual(actual, expected);
}

/** Drops `undefined` values so a result prints and compares like JSON. */
export function toJsonValue(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function definedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}
