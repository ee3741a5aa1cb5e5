/** CanaryApp's names concern: the namespace, every object name, and name clashes in the app and in its chart. */
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { API_VERSIONS } from '../model/argo-defaults';
import { DNS1035_LABEL_RULE, DNS1123_LABEL_RULE, isDns1035Label, isDns1123Label } from './_checks';
import type { ResolvedWorkload } from './_workload';
import { isCanaryApp } from './_app-brand';
import type { CanaryAppNames } from './canary-app-props';
import { formatValue, type ProblemList } from './canary-app-error';
import { NAME_SUFFIXES } from './defaults';
import { TrafficSplit } from './traffic';

export type NameKey = keyof CanaryAppNames;

/** Kind of the object each name belongs to (for clash checks and messages). */
const NAME_KINDS: Record<NameKey, { kind: string; apiVersion: string }> = {
  deployment: { kind: 'Deployment', apiVersion: API_VERSIONS.deployment },
  rollout: { kind: 'Rollout', apiVersion: API_VERSIONS.rollout },
  stableService: { kind: 'Service', apiVersion: API_VERSIONS.service },
  canaryService: { kind: 'Service', apiVersion: API_VERSIONS.service },
  rootService: { kind: 'Service', apiVersion: API_VERSIONS.service },
  virtualService: { kind: 'VirtualService', apiVersion: API_VERSIONS.virtualService },
  destinationRule: { kind: 'DestinationRule', apiVersion: API_VERSIONS.destinationRule },
  hpa: { kind: 'HorizontalPodAutoscaler', apiVersion: API_VERSIONS.hpa },
  stablePdb: { kind: 'PodDisruptionBudget', apiVersion: API_VERSIONS.pdb },
  canaryPdb: { kind: 'PodDisruptionBudget', apiVersion: API_VERSIONS.pdb },
};

/**
 * Name keys whose suffix keeps a valid DNS-1123 label valid when appended (label characters,
 * ending in a letter or digit): `<valid name><suffix>` is then a valid DNS-1123 label exactly when
 * it has at most 63 characters, and a valid DNS-1035 label when the name also starts with a letter.
 */
const SAFE_SUFFIX_KEYS: ReadonlySet<NameKey> = new Set(
  (Object.keys(NAME_KINDS) as NameKey[]).filter((k) => /^[-a-z0-9]*[a-z0-9]$/.test(NAME_SUFFIXES[k])),
);

/** The namespace: props, then the chart's (cdk8s applies it), then a whole Deployment input's. */
export function resolveNamespace(self: Construct, given: string | undefined, workload: ResolvedWorkload | undefined, problems: ProblemList): string | undefined {
  let namespace = given;
  if (namespace !== undefined && !isDns1123Label(namespace)) problems.add('namespace', namespace, DNS1123_LABEL_RULE);
  if (workload?.inputNamespace !== undefined) {
    if (namespace !== undefined && namespace !== workload.inputNamespace) {
      problems.add('namespace', namespace, `must match deployment.metadata.namespace (${formatValue(workload.inputNamespace)}) or be omitted`);
    }
    const chartNamespace = namespace === undefined ? chartOf(self)?.namespace : undefined;
    if (chartNamespace !== undefined && chartNamespace !== workload.inputNamespace) {
      problems.add('deployment.metadata.namespace', workload.inputNamespace, `conflicts with the chart's namespace (${formatValue(chartNamespace)}): the objects could go to only one of them; make the two the same or remove one`);
    }
    namespace ??= workload.inputNamespace;
  }
  return namespace;
}

/** Every object name: given, a whole Deployment input's, or `<name><suffix>`; a derived name too long is reported once, on `name`. */
export function resolveNames(
  name: unknown,
  appName: string,
  nameOk: boolean,
  given: CanaryAppNames,
  workload: ResolvedWorkload | undefined,
  problems: ProblemList,
): Record<NameKey, string> {
  const names = {} as Record<NameKey, string>;
  let derivedTooLong: { key: NameKey; value: string } | undefined;
  for (const key of Object.keys(NAME_KINDS) as NameKey[]) {
    const explicit = given[key];
    const fromInput = key === 'deployment' ? workload?.inputName : undefined;
    const value = explicit ?? fromInput ?? `${appName}${NAME_SUFFIXES[key]}`;
    names[key] = value;
    const service = NAME_KINDS[key].kind === 'Service';
    const derived = explicit === undefined && fromInput === undefined && nameOk && SAFE_SUFFIX_KEYS.has(key);
    const valid = derived
      ? value.length <= 63 && (!service || (appName.charCodeAt(0) >= 97 && appName.charCodeAt(0) <= 122))
      : service ? isDns1035Label(value) : isDns1123Label(value);
    if (valid) continue;
    if (explicit !== undefined) problems.add(`names.${key}`, explicit, service ? DNS1035_LABEL_RULE : DNS1123_LABEL_RULE);
    else if (fromInput === undefined && nameOk && (derivedTooLong === undefined || value.length > derivedTooLong.value.length)) {
      derivedTooLong = { key, value };
    }
  }
  if (derivedTooLong) {
    problems.add('name', name, `is too long: the derived ${NAME_KINDS[derivedTooLong.key].kind} name "${derivedTooLong.value}" has ${derivedTooLong.value.length} characters, at most 63 are allowed (shorten name or set names.${derivedTooLong.key})`);
  }
  return names;
}

export function renderedNameKeys(inline: boolean, split: unknown, root: boolean, hpa: boolean, pdb: boolean): NameKey[] {
  const subset = split instanceof TrafficSplit && split.mode === 'subset';
  const keys: NameKey[] = ['rollout', 'stableService', 'virtualService'];
  if (!inline) keys.push('deployment');
  if (!subset) keys.push('canaryService');
  if (subset) keys.push('destinationRule');
  if (root && !subset) keys.push('rootService');
  if (hpa) keys.push('hpa');
  if (pdb) keys.push('stablePdb', 'canaryPdb');
  return keys;
}

export function checkOwnClashes(names: Record<NameKey, string>, given: CanaryAppNames, keys: NameKey[], problems: ProblemList): void {
  for (let i = 0; i < keys.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = keys[j];
      const b = keys[i];
      if (NAME_KINDS[a].kind === NAME_KINDS[b].kind && names[a] === names[b]) {
        const key = given[b] !== undefined ? b : a;
        const other = key === b ? a : b;
        problems.add(`names.${key}`, names[key], `must differ from names.${other}: two ${NAME_KINDS[a].kind}s cannot share a name`);
      }
    }
  }
}

export function checkChartClashes(
  self: Construct,
  appName: string,
  nameOk: boolean,
  namespace: string | undefined,
  names: Record<NameKey, string>,
  given: CanaryAppNames,
  keys: NameKey[],
  problems: ProblemList,
): void {
  const chart = chartOf(self);
  if (chart === undefined) return;
  const ns = namespace ?? chart.namespace;
  const others = chart.node.findAll().filter((c) => c !== self);
  if (nameOk) {
    const twin = others.find((c) => isCanaryApp(c) && c.appName === appName && (c.namespace ?? chart.namespace) === ns);
    if (twin) {
      problems.add('name', appName, `is already used by the CanaryApp at "${twin.node.path}" in this chart${ns ? ` and namespace "${ns}"` : ''}; app names must be unique`);
      return;
    }
  }
  const objects = others.filter((c): c is ApiObject => ApiObject.isApiObject(c));
  for (const key of keys) {
    const { kind, apiVersion } = NAME_KINDS[key];
    const clash = objects.find((o) => o.kind === kind && o.apiVersion === apiVersion && o.name === names[key] && o.metadata.namespace === ns);
    if (clash) {
      const path = given[key] !== undefined ? `names.${key}` : 'name';
      const value = given[key] !== undefined ? names[key] : appName;
      problems.add(path, value, `gives ${kind} "${names[key]}", which already exists in this chart at "${clash.node.path}"; object names must be unique per kind and namespace`);
    }
  }
}

/** The chart the app is in, if any. */
function chartOf(self: Construct): Chart | undefined {
  try {
    return Chart.of(self);
  } catch {
    return undefined;
  }
}
