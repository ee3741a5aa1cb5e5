/**
 * The validation the API server (and Istio's webhook) applies to rendered objects beyond their
 * JSON schema, as a test oracle: object names, namespaces, label and annotation keys and values,
 * resource quantities (request <= limit), int-or-string fields, container name uniqueness,
 * selectors that select the template, VirtualService hosts and durations.
 *
 * Written from the rules themselves (`apimachinery/pkg/util/validation` `IsDNS1123Label`,
 * `IsDNS1123Subdomain`, `IsDNS1035Label`, `IsQualifiedName`, `IsValidLabelValue`;
 * `pkg/apis/core/validation` `ValidatePodSpec`, `ValidateResourceRequirements`; Istio
 * `validateVirtualService`), on purpose independent of the construct's own check helpers: the
 * oracle must not share a bug with the code it checks. Quantities are parsed with the construct's
 * `parseQuantity`, which has its own table test against known values.
 */
import { parseQuantity, compareQuantities } from '../../src/constructs/_quantity';

type Json = Record<string, any>;

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const PERCENT = /^\d+%$/;
const ISTIO_DURATION = /^\d+(ms|s|m|h)$/;

const dns1123Label = (v: unknown): boolean => typeof v === 'string' && v.length <= 63 && LABEL.test(v);
const dns1123Subdomain = (v: unknown): boolean =>
  typeof v === 'string' && v.length <= 253 && v.split('.').every((part) => part.length > 0 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(part));
const qualifiedName = (v: unknown): boolean => {
  if (typeof v !== 'string') return false;
  const parts = v.split('/');
  if (parts.length > 2) return false;
  if (parts.length === 2 && (parts[0].length === 0 || !dns1123Subdomain(parts[0]))) return false;
  const name = parts[parts.length - 1];
  return name.length > 0 && name.length <= 63 && QUALIFIED_NAME_PART.test(name);
};
const labelValue = (v: unknown): boolean => typeof v === 'string' && v.length <= 63 && LABEL_VALUE.test(v);
const portName = (v: unknown): boolean => typeof v === 'string' && v.length <= 15 && IANA_SVC_NAME.test(v) && /[a-z]/.test(v) && !v.includes('--');
const port = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535;

/** Every rule the objects break, as `Kind/name path: what`; empty when the API server would accept them. */
export function apiServerProblems(objects: readonly Json[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    const at = (path: string, what: string): void => {
      out.push(`${o.kind}/${o.metadata?.name} ${path}: ${what}`);
    };
    const nameOk = o.kind === 'Service' ? typeof o.metadata?.name === 'string' && o.metadata.name.length <= 63 && DNS1035.test(o.metadata.name) : dns1123Subdomain(o.metadata?.name);
    if (!nameOk) at('metadata.name', 'invalid object name');
    if (o.metadata?.namespace !== undefined && !dns1123Label(o.metadata.namespace)) at('metadata.namespace', 'not a DNS-1123 label');
    checkMeta(o.metadata ?? {}, 'metadata', at);
    if (o.kind === 'Deployment' || (o.kind === 'Rollout' && o.spec.template)) checkWorkload(o.spec, at);
    if (o.kind === 'Service') checkService(o.spec, at);
    if (o.kind === 'PodDisruptionBudget') for (const f of ['minAvailable', 'maxUnavailable']) checkIntOrPercent(o.spec[f], `spec.${f}`, at);
    if (o.kind === 'HorizontalPodAutoscaler') checkHpa(o.spec, at);
    if (o.kind === 'VirtualService') checkVirtualService(o.spec, at);
  }
  return out;
}

type At = (path: string, what: string) => void;

function checkMeta(meta: Json, path: string, at: At): void {
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    if (!qualifiedName(k)) at(`${path}.labels`, `invalid label key ${JSON.stringify(k)}`);
    if (!labelValue(v)) at(`${path}.labels.${k}`, `invalid label value ${JSON.stringify(v)}`);
  }
  let size = 0;
  for (const [k, v] of Object.entries(meta.annotations ?? {})) {
    if (!qualifiedName(k.toLowerCase())) at(`${path}.annotations`, `invalid annotation key ${JSON.stringify(k)}`);
    if (typeof v !== 'string') at(`${path}.annotations.${k}`, 'annotation value is not a string');
    size += k.length + String(v).length;
  }
  if (size > 256 * 1024) at(`${path}.annotations`, 'annotations larger than 256 KiB');
}

function checkIntOrPercent(v: unknown, path: string, at: At): void {
  if (v === undefined) return;
  const ok = (Number.isInteger(v) && (v as number) >= 0) || (typeof v === 'string' && PERCENT.test(v));
  if (!ok) at(path, `not an integer >= 0 or a percentage: ${JSON.stringify(v)}`);
}

function checkWorkload(spec: Json, at: At): void {
  const template = spec.template ?? {};
  checkMeta(template.metadata ?? {}, 'spec.template.metadata', at);
  const labels: Json = template.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(spec.selector?.matchLabels ?? {})) {
    if (labels[k] !== v) at('spec.selector', `template labels lack ${k}=${String(v)}`);
  }
  for (const e of spec.selector?.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const ok = e.operator === 'In' ? has && e.values.includes(labels[e.key]) : e.operator === 'NotIn' ? !has || !e.values.includes(labels[e.key]) : e.operator === 'Exists' ? has : !has;
    if (!ok) at('spec.selector.matchExpressions', `template labels do not satisfy ${JSON.stringify(e)}`);
  }
  const ru = spec.strategy?.rollingUpdate;
  if (ru) for (const f of ['maxSurge', 'maxUnavailable']) checkIntOrPercent(ru[f], `spec.strategy.rollingUpdate.${f}`, at);
  const pod = template.spec ?? {};
  const names = new Set<unknown>();
  for (const group of ['initContainers', 'containers']) {
    (pod[group] ?? []).forEach((c: Json, i: number) => {
      const path = `spec.template.spec.${group}[${i}]`;
      if (!dns1123Label(c.name)) at(`${path}.name`, 'not a DNS-1123 label');
      if (names.has(c.name)) at(`${path}.name`, 'duplicate container name');
      names.add(c.name);
      checkContainer(c, path, at);
    });
  }
}

function checkContainer(c: Json, path: string, at: At): void {
  for (const f of ['command', 'args']) {
    if (c[f] !== undefined && !(Array.isArray(c[f]) && c[f].every((s: unknown) => typeof s === 'string'))) at(`${path}.${f}`, 'not a list of strings');
  }
  for (const e of c.env ?? []) if (e.value !== undefined && typeof e.value !== 'string') at(`${path}.env`, `value of ${e.name} is not a string`);
  for (const p of c.ports ?? []) {
    if (!port(p.containerPort)) at(`${path}.ports`, `invalid containerPort ${JSON.stringify(p.containerPort)}`);
    if (p.name !== undefined && !portName(p.name)) at(`${path}.ports`, `invalid port name ${JSON.stringify(p.name)}`);
  }
  const requests: Json = c.resources?.requests ?? {};
  const limits: Json = c.resources?.limits ?? {};
  for (const [field, map] of [['requests', requests], ['limits', limits]] as const) {
    for (const [r, q] of Object.entries(map)) {
      const parsed = parseQuantity(q);
      if (!parsed || parsed.numerator < 0n) at(`${path}.resources.${field}.${r}`, `invalid quantity ${JSON.stringify(q)}`);
    }
  }
  for (const [r, q] of Object.entries(requests)) {
    const req = parseQuantity(q);
    const lim = parseQuantity(limits[r]);
    if (req && lim && compareQuantities(req, lim) > 0) at(`${path}.resources.requests.${r}`, `above the limit ${String(limits[r])}`);
  }
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const p = c[probe];
    if (p !== undefined && ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => p[h] !== undefined).length !== 1) at(`${path}.${probe}`, 'not exactly one handler');
  }
}

function checkService(spec: Json, at: At): void {
  for (const [i, p] of (spec.ports ?? []).entries()) {
    if (!port(p.port)) at(`spec.ports[${i}].port`, 'invalid port');
    const t = p.targetPort;
    if (t !== undefined && !(typeof t === 'string' ? portName(t) : port(t))) at(`spec.ports[${i}].targetPort`, `invalid int-or-string ${JSON.stringify(t)}`);
  }
  for (const [k, v] of Object.entries(spec.selector ?? {})) {
    if (!qualifiedName(k) || !labelValue(v)) at('spec.selector', `invalid selector ${k}=${String(v)}`);
  }
}

function checkHpa(spec: Json, at: At): void {
  if (!(Number.isInteger(spec.minReplicas) && spec.minReplicas >= 1 && spec.minReplicas <= spec.maxReplicas)) at('spec.minReplicas', 'not 1..maxReplicas');
  for (const [i, m] of (spec.metrics ?? []).entries()) {
    const source = m.resource ?? m.pods ?? m.external ?? {};
    const t = source.target ?? {};
    const average = t.averageValue === undefined ? undefined : parseQuantity(t.averageValue);
    if (t.averageValue !== undefined && (average === undefined || average.numerator <= 0n)) at(`spec.metrics[${i}].target.averageValue`, 'not a quantity above 0');
    if (t.averageUtilization !== undefined && !(Number.isInteger(t.averageUtilization) && t.averageUtilization > 0)) at(`spec.metrics[${i}].target.averageUtilization`, 'not above 0');
    for (const [k, v] of Object.entries(source.metric?.selector?.matchLabels ?? {})) {
      if (!qualifiedName(k) || !labelValue(v)) at(`spec.metrics[${i}].metric.selector`, `invalid label ${k}=${String(v)}`);
    }
  }
}

function checkVirtualService(spec: Json, at: At): void {
  const mesh = !spec.gateways || spec.gateways.length === 0 || spec.gateways.includes('mesh');
  for (const h of spec.hosts ?? []) {
    const name = h.startsWith('*.') ? h.slice(2) : h;
    const ok = h === '*' ? !mesh : h.length <= 255 && name.split('.').every((l: string) => dns1123Label(l));
    if (!ok) at('spec.hosts', `invalid host ${JSON.stringify(h)}`);
  }
  for (const g of spec.gateways ?? []) {
    const parts = g.split('/');
    const ok = parts.length <= 2 && (parts.length === 1 || dns1123Label(parts[0])) && parts[parts.length - 1].split('.').every((l: string) => dns1123Label(l));
    if (!ok) at('spec.gateways', `invalid gateway ${JSON.stringify(g)}`);
  }
  for (const [i, route] of (spec.http ?? []).entries()) {
    for (const d of [route.timeout, route.retries?.perTryTimeout]) {
      if (d !== undefined && !(ISTIO_DURATION.test(d) && parseInt(d, 10) > 0)) at(`spec.http[${i}]`, `invalid duration ${JSON.stringify(d)}`);
    }
  }
}
