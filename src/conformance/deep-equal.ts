import { isPlainObject } from '../model/records';
import { plainEqual } from '../runtime/plain-equal';

/** The placeholder a vector writes for "the time of this tick". */
export const NOW_PLACEHOLDER = '<now>';

/**
 * True when `actual` has everything `expected` lists: every key of an expected object is present
 * in `actual` with a matching value (keys `expected` does not list are not compared), an expected
 * list matches a list of the same length element by element, and the string `"<now>"` matches the
 * tick's clock `now` (seconds, or the same instant as an RFC 3339 string). Everything else is
 * compared with the runtime's `plainEqual` (JSON semantics: key order is irrelevant, a key whose
 * value is `undefined` is absent). Used where a vector lists only the fields the upstream test
 * asserted.
 */
export function jsonSubsetEqual(actual: unknown, expected: unknown, now?: number): boolean {
  if (expected === NOW_PLACEHOLDER && now !== undefined) return isInstant(actual, now);
  if (isPlainObject(expected) && isPlainObject(actual)) {
    return definedKeys(expected).every((key) => jsonSubsetEqual(actual[key], expected[key], now));
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return expected.length === actual.length && expected.every((item, i) => jsonSubsetEqual(actual[i], item, now));
  }
  return plainEqual(actual, expected);
}

function isInstant(actual: unknown, now: number): boolean {
  if (typeof actual === 'number') return actual === now;
  return typeof actual === 'string' && Date.parse(actual) === now * 1000;
}

/** Drops `undefined` values so a result prints and compares like JSON. */
export function toJsonValue(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function definedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}
