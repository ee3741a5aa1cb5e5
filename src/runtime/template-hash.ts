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
  // ASCII text (pod templates, steps) is its own UTF-8: hashed from the char codes, no byte buffer.
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return fnv32aBytes(text);
    hash ^= code;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** {@link fnv32a} over the encoder's UTF-8 bytes (any text). */
function fnv32aBytes(text: string): number {
  let hash = 0x811c9dc5;
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i];
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** `rand.SafeEncodeString(fmt.Sprint(hash))`: each decimal digit mapped through the safe alphabet. */
export function safeEncode(value: number): string {
  const digits = String(value);
  let out = '';
  for (let i = 0; i < digits.length; i++) out += SAFE_ALPHABET[digits.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** JSON with object keys sorted at every level, so key order never changes a hash. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) {
    return 'null';
  }
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value);
  }
  // (Built by concatenation, without entry arrays: every simulation hashes its pod templates.)
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      if (i in value) out += canonicalJson(value[i]); // a hole is left empty, as map + join do
    }
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  // Own enumerable string keys (what Object.entries lists), sorted by UTF-16 code units.
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(key) + ':' + canonicalJson(v);
  }
  return out + '}';
}

/** Stable hash of any plain value (pod templates, steps): safe-encoded FNV-32a of its canonical JSON. */
export function computeHash(value: unknown): string {
  return safeEncode(fnv32a(canonicalJson(value)));
}
