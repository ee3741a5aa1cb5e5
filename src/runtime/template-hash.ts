/**
 * Deterministic hashes in the style of the controller: FNV-32a over a canonical JSON encoding,
 * rendered with Kubernetes' "safe" alphabet (no vowels, no digits that read as letters), the way
 * `controller.ComputeHash` / `rand.SafeEncodeString` produce `rollouts-pod-template-hash` values.
 *
 * The exact digits cannot match the real controller (it hashes the Go struct's JSON encoding, with
 * Go field order and defaulted fields), and nothing depends on that: the runtime only needs equal
 * templates to hash equal and different templates to hash differently.
 */

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bit, over the UTF-8 bytes of `text`. */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** `rand.SafeEncodeString(fmt.Sprint(hash))`: each decimal digit mapped through the safe alphabet. */
export function safeEncode(value: number): string {
  return String(value)
    .split('')
    .map((c) => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length])
    .join('');
}

/** JSON with object keys sorted at every level, so key order never changes a hash. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) {
    return 'null';
  }
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Stable hash of any plain value (pod templates, steps): safe-encoded FNV-32a of its canonical JSON. */
export function computeHash(value: unknown): string {
  return safeEncode(fnv32a(canonicalJson(value)));
}
