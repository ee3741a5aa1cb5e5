/** Narrowing helpers for parsed YAML, which is `unknown` until proven otherwise. */
import { isPlainObject } from '../model/records';

/** A plain JSON object. */
export type JsonRecord = Readonly<Record<string, unknown>>;

/** The object at `value`, or an empty object when it is absent or not an object. */
export function recordAt(value: unknown): JsonRecord {
  return isPlainObject(value) ? value : {};
}

/** The array at `value`, or an empty array when it is absent or not an array. */
export function arrayAt(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The string at `value`, or undefined. */
export function stringAt(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The number at `value`, or undefined. */
export function numberAt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A string-to-string map (labels, selectors); entries with non-string values are dropped. */
export function stringMapAt(value: unknown): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  const record = recordAt(value);
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (typeof v === 'string') out[key] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
  }
  return out;
}

/** Renders a value for a message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  return value === undefined ? 'unset' : JSON.stringify(value);
}
