/** Reusable checks on names and values; each returns whether the value is valid. */

export const DNS1123_LABEL_RULE =
  'must be a DNS-1123 label: at most 63 lower-case letters, digits or "-", starting and ending with a letter or digit';
export const DNS1035_LABEL_RULE =
  'must be a DNS-1035 label (a Service name): at most 63 lower-case letters, digits or "-", starting with a letter and ending with a letter or digit';
export const PORT_NAME_RULE =
  'must be an IANA service name: at most 15 lower-case letters, digits or "-", with a letter, without "--" and not starting or ending with "-"';
export const PORT_NUMBER_RULE = 'must be a whole number between 1 and 65535';

export function isDns1123Label(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value);
}

export function isDns1035Label(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(value);
}

/** IANA_SVC_NAME, as Kubernetes checks container port names. */
export function isPortName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= 1 &&
    value.length <= 15 &&
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) &&
    /[a-z]/.test(value) &&
    !value.includes('--')
  );
}

export function isPortNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

export function isWholeNumber(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min;
}

/** A VirtualService host: a DNS name, optionally with a leading `*.`, or `*`. */
export function isVirtualServiceHost(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= 253 &&
    /^(\*|(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/.test(value)
  );
}

/** A VirtualService gateway: `mesh`, `name` or `namespace/name`. */
export function isGatewayRef(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value)
  );
}

/** A label key (optional DNS prefix + name) and value, as Kubernetes checks them. */
export function isLabelKey(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const slash = value.lastIndexOf('/');
  const prefix = slash >= 0 ? value.slice(0, slash) : undefined;
  const name = slash >= 0 ? value.slice(slash + 1) : value;
  if (prefix !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix)) return false;
  if (prefix !== undefined && prefix.length > 253) return false;
  return name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
}

export function isLabelValue(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
