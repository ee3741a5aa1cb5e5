/** Narrowing helpers for parsed YAML/JSON, which is `unknown` until proven otherwise. */

/** A plain JSON object. */
export type JsonRecord = Readonly<Record<string, unknown>>;

/** True for a non-null, non-array object (what a YAML mapping parses to). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `value`, or undefined when it is absent or not an object. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return isPlainObject(value) ? value : undefined;
}
