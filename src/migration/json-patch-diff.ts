import { plainEqual } from '../runtime/plain-equal';
import { asRecord } from './manifest-object';

/** One RFC 6902 operation, as cdk8s `JsonPatch` writes it. */
export interface JsonPatchOp {
  readonly op: 'add' | 'remove' | 'replace';
  readonly path: string;
  readonly value?: unknown;
}

/** Escapes one JSON pointer token (`~` -> `~0`, `/` -> `~1`). */
export function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The value at a JSON pointer (`/spec/ports/0`), undefined when a level is missing. */
export function pointerValue(value: unknown, pointer: string): unknown {
  let current = value;
  for (const raw of pointer.split('/').slice(1)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return current;
}

/**
 * The operations that turn `from` into `to`: objects are compared key by key (removals, then
 * additions and changes, keys sorted so the result is deterministic); an array or scalar that
 * differs is replaced whole.
 */
export function jsonPatchDiff(from: unknown, to: unknown, path = ''): JsonPatchOp[] {
  if (plainEqual(from, to)) return [];
  const a = asRecord(from);
  const b = asRecord(to);
  if (!a || !b) return [{ op: 'replace', path, value: structuredClone(to) }];
  const ops: JsonPatchOp[] = [];
  for (const key of Object.keys(a).sort()) {
    if (a[key] !== undefined && b[key] === undefined) ops.push({ op: 'remove', path: `${path}/${pointerToken(key)}` });
  }
  for (const key of Object.keys(b).sort()) {
    if (b[key] === undefined) continue;
    if (a[key] === undefined) ops.push({ op: 'add', path: `${path}/${pointerToken(key)}`, value: structuredClone(b[key]) });
    else ops.push(...jsonPatchDiff(a[key], b[key], `${path}/${pointerToken(key)}`));
  }
  return ops;
}
