import { plainEqual } from '../runtime/plain-equal';

/**
 * True when every key of `expected` is present in `actual` with an equal value (recursively for
 * objects; arrays and scalars must be equal as a whole). Used where a vector lists only the
 * fields the upstream test asserted. Equality is the runtime's `plainEqual` (JSON semantics: key
 * order is irrelevant, a key whose value is `undefined` is absent).
 */
export function jsonSubsetEqual(actual: unknown, expected: unknown): boolean {
  if (isObject(expected) && isObject(actual)) {
    return definedKeys(expected).every((key) => jsonSubsetEqual(actual[key], expected[key]));
  }
  return plainEqual(actual, expected);
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
