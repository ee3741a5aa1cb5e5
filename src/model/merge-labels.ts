/**
 * `{ ...base, ...extra }` for label maps, as an explicit copy: an object spread of a map built at
 * run time is off V8's fast path, and this runs for every Rollout the reader or the lint reads.
 * Same result as the spread for every input it takes: own enumerable string keys, values as they
 * are, an own `__proto__` key kept as an own key, and an `extra` that is absent or not an object
 * adding nothing but what a spread of it adds (a string's characters).
 */
export function mergeLabels<T>(base: Readonly<Record<string, T>>, extra: Readonly<Record<string, T>> | undefined): Record<string, T>;
export function mergeLabels(base: Readonly<Record<string, unknown>>, extra: unknown): Record<string, unknown>;
export function mergeLabels(base: Readonly<Record<string, unknown>>, extra: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  copyOwn(out, base);
  if (extra !== undefined && extra !== null) copyOwn(out, Object(extra) as Record<string, unknown>);
  return out;
}

function copyOwn(out: Record<string, unknown>, from: Readonly<Record<string, unknown>>): void {
  for (const k of Object.keys(from)) {
    if (k === '__proto__') Object.defineProperty(out, k, { value: from[k], enumerable: true, writable: true, configurable: true });
    else out[k] = from[k];
  }
}
