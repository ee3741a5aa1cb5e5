/** Reusable checks on names and values; each returns whether the value is valid. */

export const DNS1123_LABEL_RULE =
  'must be a DNS-1123 label: at most 63 lower-case letters, digits or "-", starting and ending with a letter or digit';
export const DNS1035_LABEL_RULE =
  'must be a DNS-1035 label (a Service name): at most 63 lower-case letters, digits or "-", starting with a letter and ending with a letter or digit';
export const PORT_NAME_RULE =
  'must be an IANA service name: at most 15 lower-case letters, digits or "-", with a letter, without "--" and not starting or ending with "-"';
export const PORT_NUMBER_RULE = 'must be a whole number between 1 and 65535';

export function isDns1123Label(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && DNS1123_LABEL.test(value);
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

export const DNS1123_SUBDOMAIN_RULE =
  'must be a DNS-1123 subdomain: at most 253 lower-case letters, digits, "-" or ".", each dot-separated part starting and ending with a letter or digit';
export const VIRTUAL_SERVICE_HOST_RULE =
  'must be a lower-case DNS name (at most 253 characters, each dot-separated label at most 63), optionally starting with "*.", or "*"';
export const GATEWAY_RULE =
  'must be "namespace/name", "name" or "mesh" (namespace a DNS-1123 label of at most 63 characters, name a DNS name with labels of at most 63)';
export const QUALIFIED_NAME_RULE =
  'must be a qualified name: an optional DNS-1123 subdomain prefix (at most 253 characters) and "/", then a name of at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
export const LABEL_VALUE_RULE =
  'must be a label value: a string of at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (or empty)';
export const STRING_VALUE_RULE = 'must be a string: Kubernetes reads no numbers or booleans here (quote the value)';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `IsDNS1123Subdomain` (object names of most kinds, label-key prefixes): at most 253 characters. */
export function isDns1123Subdomain(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** A DNS name whose every dot-separated label is a DNS-1123 label (at most 63 characters). */
function isDnsName(value: string, maxLength: number): boolean {
  return value.length <= maxLength && value.split('.').every((label) => label.length <= 63 && DNS1123_LABEL.test(label));
}

/** A VirtualService host: a DNS name, optionally with a leading `*.`, or `*` (Istio `ValidateWildcardDomain`). */
export function isVirtualServiceHost(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (value === '*') return true;
  return value.length <= 253 && isDnsName(value.startsWith('*.') ? value.slice(2) : value, 253);
}

/** A VirtualService gateway: `mesh`, `name` or `namespace/name` (Istio `validateGatewayNames`). */
export function isGatewayRef(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const parts = value.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  return (parts.length === 1 || isDns1123Label(parts[0])) && isDnsName(name, 253);
}

/** `IsQualifiedName`: a label key (optional DNS-1123 subdomain prefix + "/" + name of at most 63). */
export function isLabelKey(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const parts = value.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 2 && !isDns1123Subdomain(parts[0])) return false;
  return name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
}

/** An annotation key: a qualified name once lower-cased (`ValidateAnnotations`). */
export function isAnnotationKey(value: unknown): value is string {
  return typeof value === 'string' && isLabelKey(value.toLowerCase());
}

/** `IsValidLabelValue`: a string of at most 63 characters, possibly empty. */
export function isLabelValue(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(value);
}

