import { INT32_MAX } from '../int32';
import { asRecord } from '../records';
import { ManifestError } from './types';

/** Field readers shared by every kind the manifests reader reads. */

/** Reports a problem with the object being read; it does not return (it throws a `ManifestError`). */
export type Fail = (msg: string) => never;

/** A map of strings (labels, selectors): each value as a string; absent or not a map gives `{}`. */
export function stringRecord(v: unknown): Record<string, string> {
  const r = asRecord(v);
  const out: Record<string, string> = {};
  if (!r) return out;
  for (const k of Object.keys(r)) {
    // An own `__proto__` key stays an own property (as Object.fromEntries makes it), not the prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: String(r[k]), enumerable: true, writable: true, configurable: true });
    else out[k] = String(r[k]);
  }
  return out;
}

export function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The most replicas the controller handles: it computes `weight * replicas` in int32
 * (utils/replicaset/canary.go trafficWeightToReplicas), which wraps above (2^31 - 1) / 100.
 */
const MAX_REPLICAS = Math.floor((2 ** 31 - 1) / 100);

export function replicasInt(v: unknown, fail: Fail): number | undefined {
  const replicas = optionalInt(v, 'spec.replicas', 0, fail);
  if (replicas !== undefined && replicas > MAX_REPLICAS) {
    return fail(`spec.replicas (${replicas}) must be at most ${MAX_REPLICAS}: the controller computes weight * replicas in 32-bit integers, which overflow above that`);
  }
  return replicas;
}

/** An optional int32 field (every integer field the reader reads is int32 in the CRD or the Kubernetes API). */
export function optionalInt(v: unknown, field: string, min: number, fail: Fail): number | undefined {
  if (v === undefined || v === null) {
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    return fail(`${field} (${JSON.stringify(v)}) must be an integer >= ${min}`);
  }
  if (v > INT32_MAX) {
    return fail(`${field} (${v}) must be at most ${INT32_MAX} (an int32 in the CRD)`);
  }
  return v;
}

export function intOrString(v: unknown): number | string | undefined {
  return typeof v === 'number' || typeof v === 'string' ? v : undefined;
}

/** `read()`, or undefined with its problems added to `problems` when it reports any (a `ManifestError`). */
export function attempt<T>(problems: string[], read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    problems.push(...err.problems);
    return undefined;
  }
}
