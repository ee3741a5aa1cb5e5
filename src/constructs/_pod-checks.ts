import { isPlainObject } from '../model/records';
/**
 * Checks of pod-level input the API server applies beyond the schema (`pkg/apis/core/validation`
 * `ValidatePodSpec`, `ValidateObjectMeta`, `apps/validation` `ValidateDeploymentSpec`): metadata
 * keys and values, container names, string lists, probes, resource quantities, selectors.
 */
import { DNS1123_LABEL_RULE, LABEL_VALUE_RULE, QUALIFIED_NAME_RULE, STRING_VALUE_RULE, isAnnotationKey, isDns1123Label, isLabelKey, isLabelValue } from './_checks';
import { QUANTITY_RULE, compareQuantities, parseQuantity } from './_quantity';

import { formatValue, type ProblemList } from './canary-app-error';

/** `TotalAnnotationSizeLimitB`: keys and values of one object's annotations together. */
const ANNOTATIONS_SIZE_LIMIT = 256 * 1024;
const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/** Labels: qualified-name keys, label values. */
export function checkLabels(path: string, labels: unknown, problems: ProblemList): void {
  if (labels === undefined) return;
  if (!isPlainObject(labels)) {
    problems.add(path, labels, 'must be a map of label keys to string values');
    return;
  }
  for (const [k, v] of Object.entries(labels)) {
    if (!isLabelKey(k)) problems.add(path, k, `keys ${QUALIFIED_NAME_RULE}`);
    else if (!isLabelValue(v)) problems.add(`${path}.${k}`, v, LABEL_VALUE_RULE);
  }
}

/** Annotations: qualified-name keys (checked lower-cased), string values, at most 256 KiB in all. */
export function checkAnnotations(path: string, annotations: unknown, problems: ProblemList): void {
  if (annotations === undefined) return;
  if (!isPlainObject(annotations)) {
    problems.add(path, annotations, 'must be a map of annotation keys to string values');
    return;
  }
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    if (!isAnnotationKey(k)) problems.add(path, k, `keys ${QUALIFIED_NAME_RULE}`);
    else if (typeof v !== 'string') problems.add(`${path}.${k}`, v, STRING_VALUE_RULE);
    size += k.length + (typeof v === 'string' ? v.length : 0);
  }
  if (size > ANNOTATIONS_SIZE_LIMIT) problems.add(path, `${size} bytes`, `must be at most ${ANNOTATIONS_SIZE_LIMIT} bytes in all (keys and values)`);
}

/** `command` / `args`: a list of strings (a string would be split into characters). */
export function checkStringList(path: string, value: unknown, example: string, problems: ProblemList): void {
  if (value === undefined) return;
  if (typeof value === 'string') {
    problems.add(path, value, `must be a list of strings, e.g. ${example}: a single string is not split into words`);
  } else if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    problems.add(path, value, `must be a list of strings, e.g. ${example}`);
  }
}

/** A probe: an object with exactly one handler (`exec`, `httpGet`, `tcpSocket` or `grpc`). */
export function checkProbe(path: string, value: unknown, problems: ProblemList): void {
  if (value === undefined) return;
  const handlers = isPlainObject(value) ? PROBE_HANDLERS.filter((h) => value[h] !== undefined) : [];
  if (handlers.length !== 1) {
    problems.add(path, value, `must be a probe object with exactly one of ${PROBE_HANDLERS.join(', ')}, e.g. { httpGet: { path: "/healthz", port: "http" } }`);
  }
}

/** One resource's request and limit: valid, non-negative quantities, the request at most the limit. */
export interface ResourceAmounts {
  readonly resource: string;
  readonly request?: unknown;
  readonly requestPath: string;
  readonly limit?: unknown;
  readonly limitPath: string;
}

/** Checks requests and limits (`ValidateResourceRequirements`). */
export function checkResourceAmounts(amounts: readonly ResourceAmounts[], problems: ProblemList): void {
  for (const a of amounts) {
    const request = checkAmount(a.requestPath, a.request, problems);
    const limit = checkAmount(a.limitPath, a.limit, problems);
    if (request && limit && compareQuantities(request, limit) > 0) {
      problems.add(a.requestPath, a.request, `must be at most the ${a.resource} limit (${formatValue(a.limit)}): the API server refuses a request above its limit`);
    }
  }
}

function checkAmount(path: string, value: unknown, problems: ProblemList): ReturnType<typeof parseQuantity> {
  if (value === undefined) return undefined;
  const q = parseQuantity(value);
  if (q === undefined) problems.add(path, value, QUANTITY_RULE);
  else if (q.numerator < 0n) problems.add(path, value, 'must be a quantity of 0 or more');
  return q;
}

/** `resources` of a container as in YAML (`requests` / `limits` maps). */
export function checkResourcesJson(path: string, resources: unknown, problems: ProblemList): void {
  if (resources === undefined) return;
  if (!isPlainObject(resources)) {
    problems.add(path, resources, 'must be an object with requests and/or limits');
    return;
  }
  const requests = isPlainObject(resources.requests) ? resources.requests : {};
  const limits = isPlainObject(resources.limits) ? resources.limits : {};
  const names = [...new Set([...Object.keys(requests), ...Object.keys(limits)])];
  checkResourceAmounts(
    names.map((r) => ({ resource: r, request: requests[r], requestPath: `${path}.requests.${r}`, limit: limits[r], limitPath: `${path}.limits.${r}` })),
    problems,
  );
}

/** A container as in YAML: name, command/args, env values, probes, resources. */
export function checkContainerJson(path: string, c: Record<string, unknown>, problems: ProblemList): void {
  if (!isDns1123Label(c.name)) problems.add(`${path}.name`, c.name, c.name === undefined ? 'is required' : DNS1123_LABEL_RULE);
  checkStringList(`${path}.command`, c.command, '["npm", "start"]', problems);
  checkStringList(`${path}.args`, c.args, '["--port=8080"]', problems);
  if (Array.isArray(c.env)) {
    c.env.forEach((e: unknown, i: number) => {
      if (isPlainObject(e) && e.value !== undefined && typeof e.value !== 'string') problems.add(`${path}.env[${i}].value`, e.value, STRING_VALUE_RULE);
    });
  }
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) checkProbe(`${path}.${probe}`, c[probe], problems);
  checkResourcesJson(`${path}.resources`, c.resources, problems);
}

/** Container names are unique across the containers and init containers of a pod. */
export function checkUniqueNames(groups: readonly { base: string; containers: readonly unknown[] }[], problems: ProblemList): void {
  const seen = new Map<unknown, string>();
  for (const { base, containers } of groups) {
    containers.forEach((c, i) => {
      const name = isPlainObject(c) ? c.name : undefined;
      if (name === undefined) return;
      const first = seen.get(name);
      if (first !== undefined) problems.add(`${base}[${i}].name`, name, `duplicates ${first}: container names must be unique in a pod (init containers included)`);
      else seen.set(name, `${base}[${i}].name`);
    });
  }
}

/**
 * `selector.matchLabels` and `selector.matchExpressions`: valid keys, values and operators, and
 * satisfied by the template labels (the API server refuses a Deployment whose selector does not
 * select its own pods).
 */
export function checkSelector(base: string, selector: Record<string, unknown>, templateLabels: Record<string, unknown>, problems: ProblemList): void {
  checkLabels(`${base}.matchLabels`, selector.matchLabels, problems);
  const expressions = selector.matchExpressions;
  if (expressions === undefined) return;
  if (!Array.isArray(expressions)) {
    problems.add(`${base}.matchExpressions`, expressions, 'must be a list of { key, operator, values } requirements');
    return;
  }
  expressions.forEach((e: unknown, i: number) => {
    const path = `${base}.matchExpressions[${i}]`;
    const problem = requirementProblem(e);
    if (problem) problems.add(path, e, problem);
    else if (!satisfies(e as Requirement, templateLabels)) {
      const r = e as Requirement;
      const have = templateLabels[r.key] === undefined ? `${r.key} is absent` : `${r.key}=${formatValue(templateLabels[r.key])}`;
      problems.add(path, e, `is not satisfied by the template labels (${have}): the selector must select the Deployment's own pods`);
    }
  });
}

interface Requirement {
  readonly key: string;
  readonly operator: (typeof SELECTOR_OPERATORS)[number];
  readonly values?: readonly string[];
}

function requirementProblem(e: unknown): string | undefined {
  if (!isPlainObject(e)) return 'must be a { key, operator, values } requirement';
  if (!isLabelKey(e.key)) return `key ${QUALIFIED_NAME_RULE}`;
  if (!(SELECTOR_OPERATORS as readonly unknown[]).includes(e.operator)) return `operator must be one of ${SELECTOR_OPERATORS.join(', ')}`;
  const values = e.values;
  const withValues = e.operator === 'In' || e.operator === 'NotIn';
  if (withValues && (!Array.isArray(values) || values.length === 0 || !values.every(isLabelValue))) {
    return `values must list at least one label value for ${e.operator as string}`;
  }
  if (!withValues && values !== undefined && !(Array.isArray(values) && values.length === 0)) return `values must be empty for ${e.operator as string}`;
  return undefined;
}

function satisfies(r: Requirement, labels: Record<string, unknown>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'In':
      return has && r.values!.includes(labels[r.key] as string);
    case 'NotIn':
      return !has || !r.values!.includes(labels[r.key] as string);
  }
}
