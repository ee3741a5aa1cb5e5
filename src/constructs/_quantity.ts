/**
 * Kubernetes resource quantities (`100m`, `1.5`, `512Mi`, `1e3`), parsed exactly as the API server
 * reads them (`k8s.io/apimachinery/pkg/api/resource/quantity.go` `ParseQuantity`):
 * a signed decimal number, then one suffix: binary (`Ki` .. `Ei`), decimal (`n`, `u`, `m`, none,
 * `k`, `M` .. `E`) or a decimal exponent (`e3`, `E-2`).
 */

/** A parsed quantity as an exact fraction: `numerator / denominator`, denominator > 0. */
export interface Quantity {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/** Text shown to users for a valid quantity. */
export const QUANTITY_RULE = 'must be a Kubernetes quantity such as "100m", "1" or "512Mi"';

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;
const BINARY: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
/** Largest decimal exponent accepted (the API server's own values stay far below it). */
const MAX_EXPONENT = 1000;

/** Parses a quantity string; undefined when it is not one (or is not a string). */
export function parseQuantity(value: unknown): Quantity | undefined {
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value);
  if (!m) return undefined;
  const [, sign, number, suffix, exponentText] = m;
  const [whole, fraction = ''] = number.split('.');
  let numerator = BigInt(`${whole}${fraction}` || '0') * (sign === '-' ? -1n : 1n);
  let denominator = 10n ** BigInt(fraction.length);
  let exponent = exponentText !== undefined ? Number(exponentText) : 0;
  if (suffix !== undefined && suffix in BINARY) numerator *= 2n ** BigInt(BINARY[suffix]);
  else if (suffix !== undefined) exponent = DECIMAL[suffix];
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > MAX_EXPONENT) return undefined;
  if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
  else denominator *= 10n ** BigInt(-exponent);
  return { numerator, denominator };
}

/** True for a quantity string. */
export function isQuantity(value: unknown): value is string {
  return parseQuantity(value) !== undefined;
}

/** -1, 0 or 1 as `a` is smaller than, equal to or larger than `b`. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** True for a quantity string above zero. */
export function isPositiveQuantity(value: unknown): value is string {
  const q = parseQuantity(value);
  return q !== undefined && q.numerator > 0n;
}

/** True for a quantity string of zero or more. */
export function isNonNegativeQuantity(value: unknown): value is string {
  const q = parseQuantity(value);
  return q !== undefined && q.numerator >= 0n;
}
