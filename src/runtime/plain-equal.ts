/**
 * Structural equality of plain data (JSON-like values), with a key whose value is `undefined`
 * treated as absent, the way a JSON encoding would see it.
 */
export function plainEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return (a === undefined && b === undefined) || (Number.isNaN(a) && Number.isNaN(b));
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (i in a && !plainEqual(a[i], bb[i])) return false; // holes skipped, as every() does
    return true;
  }
  // Every defined key of a is a key of b with an equal value, and b has as many defined keys.
  // (Plain loops: this runs on every controller tick.)
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  // (for-in over own keys visits what Object.keys lists, without allocating the key array.)
  let definedA = 0;
  for (const k in ra) {
    if (!Object.hasOwn(ra, k)) continue;
    const v = ra[k];
    if (v === undefined) continue;
    definedA += 1;
    if (!Object.hasOwn(rb, k) || !plainEqual(v, rb[k])) return false;
  }
  let definedB = 0;
  for (const k in rb) if (Object.hasOwn(rb, k) && rb[k] !== undefined) definedB += 1;
  return definedA === definedB;
}

/**
 * `stored` when `fresh` has the same keys in the same order with the same (`===`) values, else
 * `fresh`: a tick that writes what is stored then hands on the stored object, which the next
 * comparison (`plainEqual`) matches by reference, and the JSON of both is the same.
 */
export function storedIfSame<T extends object>(stored: T | undefined, fresh: T): T {
  if (stored === undefined || stored === fresh) return fresh;
  const keys = Object.keys(fresh);
  const storedKeys = Object.keys(stored);
  if (keys.length !== storedKeys.length) return fresh;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (storedKeys[i] !== key || (stored as Record<string, unknown>)[key] !== (fresh as Record<string, unknown>)[key]) return fresh;
  }
  return stored;
}
