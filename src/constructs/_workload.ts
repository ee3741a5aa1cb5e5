import { isPlainObject } from '../model/records';
import { CANARY_APP_DEFAULTS } from './defaults';
import { CANARY_CONVENTIONS } from '../lint/conventions';

import { DNS1123_LABEL_RULE, PORT_NAME_RULE, STRING_VALUE_RULE, isDns1123Label, isPortName, isPortNumber } from './_checks';
import { clonePlain } from './_clone';

import {
  checkAnnotations,
  checkContainerJson,
  checkLabels,
  checkProbe,
  checkResourceAmounts,
  checkSelector,
  checkStringList,
  checkUniqueNames,
} from './_pod-checks';

import type { ProblemList } from './canary-app-error';
import {
  SERVER_SET_METADATA_FIELDS,
  type CanaryContainerProps,
  type DeploymentInput,
  type DeploymentSpecInput,
  type PodMetadataProps,
} from './workload-input';

type Json = Record<string, unknown>;

/**
 * The pods of an app, normalized from any of the three inputs. Every object in it is new (built
 * here or cloned from the input), so it can be rendered without another copy.
 */
export interface ResolvedWorkload {
  /** Which input was used: `containers`, `deploymentSpec` or `deployment`. */
  readonly source: 'containers' | 'deploymentSpec' | 'deployment';
  /** Deployment metadata from the input other than name and namespace (labels, annotations...). */
  readonly extraMetadata: Json;
  /** `metadata.name` of a whole Deployment input. */
  readonly inputName?: string;
  /** `metadata.namespace` of a whole Deployment input. */
  readonly inputNamespace?: string;
  /** The Deployment spec to render, without `replicas` (the construct sets it). */
  readonly spec: Json;
  /** The pod selector (as rendered). */
  readonly selector: Json;
  /** Its `matchLabels`: what the Services and PDBs select. */
  readonly selectorLabels: Record<string, string>;
  /** The pod template (as rendered). */
  readonly template: Json;
  /** `spec.replicas` of the input, if any. */
  readonly inputReplicas?: number;
}

/** Inputs of `resolveWorkload` (a subset of CanaryAppProps). */
export interface WorkloadInputs {
  readonly containers?: CanaryContainerProps[];
  readonly podMetadata?: PodMetadataProps;
  readonly deploymentSpec?: DeploymentSpecInput;
  readonly deployment?: DeploymentInput;
}

/**
 * Normalizes the workload input and records its problems. Returns undefined when the input is
 * too broken to render (problems are then recorded).
 */
export function resolveWorkload(appName: string, props: WorkloadInputs, problems: ProblemList): ResolvedWorkload | undefined {
  const given = (['containers', 'deploymentSpec', 'deployment'] as const).filter((k) => props[k] !== undefined);
  if (given.length === 0) {
    problems.add('containers', undefined, 'is required: give containers (a new app), or deploymentSpec or deployment (an existing app)');
    return undefined;
  }
  if (given.length > 1) {
    problems.add(given[1], props[given[1]], `cannot be combined with ${given[0]}: give exactly one of containers, deploymentSpec or deployment`);
    return undefined;
  }
  if (props.podMetadata !== undefined && props.containers === undefined) {
    problems.add('podMetadata', props.podMetadata, `only applies to containers; put pod labels and annotations in ${given[0]}'s template`);
  }
  if (props.containers !== undefined) return fromContainers(appName, props.containers, props.podMetadata, problems);
  if (props.deploymentSpec !== undefined) return fromSpec(appName, 'deploymentSpec', props.deploymentSpec, problems, {});
  return fromDeployment(appName, props.deployment!, problems);
}

function fromContainers(
  appName: string,
  containers: CanaryContainerProps[],
  podMetadata: PodMetadataProps | undefined,
  problems: ProblemList,
): ResolvedWorkload | undefined {
  if (!Array.isArray(containers) || containers.length === 0) {
    problems.add('containers', containers, 'must list at least one container');
    return undefined;
  }
  const selectorLabels = { [CANARY_APP_DEFAULTS.appLabel]: appName };
  const rendered = containers.map((c, i) => renderContainer(c, i, problems));
  checkUniqueNames([{ base: 'containers', containers: rendered }], problems);
  checkUniquePorts(
    'containers',
    rendered.map((c) => c as ContainerJson),
    problems,
  );
  const labels: Record<string, string> = { ...(podMetadata?.labels ?? {}) };
  checkLabels('podMetadata.labels', labels, problems);
  for (const [k, v] of Object.entries(selectorLabels)) {
    if (labels[k] !== undefined && labels[k] !== v) {
      problems.add(`podMetadata.labels.${k}`, labels[k], `must be "${v}" or absent: it is the app's selector label`);
    }
    labels[k] = v;
  }
  const metadata: Json = { labels };
  checkAnnotations('podMetadata.annotations', podMetadata?.annotations, problems);
  if (podMetadata?.annotations && Object.keys(podMetadata.annotations).length > 0) {
    metadata.annotations = { ...podMetadata.annotations };
  }
  const selector = { matchLabels: { ...selectorLabels } };
  return {
    source: 'containers',
    extraMetadata: {},
    spec: {
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: {
          maxSurge: CANARY_APP_DEFAULTS.deploymentMaxSurge,
          maxUnavailable: CANARY_APP_DEFAULTS.deploymentMaxUnavailable,
        },
      },
    },
    selector,
    selectorLabels,
    template: { metadata, spec: { containers: rendered } },
  };
}

function renderContainer(c: CanaryContainerProps, i: number, problems: ProblemList): Json {
  const path = `containers[${i}]`;
  if (!isPlainObject(c)) {
    problems.add(path, c, 'must be an object with at least an image');
    return {};
  }
  const name = c.name ?? (i === 0 ? CANARY_APP_DEFAULTS.containerName : undefined);
  if (name === undefined) {
    problems.add(`${path}.name`, undefined, 'is required for every container but the first');
  } else if (!isDns1123Label(name)) {
    problems.add(`${path}.name`, name, DNS1123_LABEL_RULE);
  }
  checkImage(`${path}.image`, c.image, problems);
  const out: Json = { name, image: c.image };
  const portNumber = c.portNumber ?? CANARY_APP_DEFAULTS.containerPort;
  const portName = c.portName ?? CANARY_APP_DEFAULTS.targetPortName;
  if (portNumber !== 0) {
    if (!isPortNumber(portNumber)) problems.add(`${path}.portNumber`, portNumber, 'must be a whole number between 1 and 65535 (or 0 for no port)');
    if (!isPortName(portName)) problems.add(`${path}.portName`, portName, PORT_NAME_RULE);
    out.ports = [{ containerPort: portNumber, name: portName, protocol: 'TCP' }];
  } else if (c.portName !== undefined) {
    problems.add(`${path}.portName`, c.portName, 'needs a portNumber (the container has no port)');
  }
  if (c.envVariables !== undefined) {
    out.env = Object.keys(c.envVariables)
      .sort()
      .map((k) => ({ name: k, value: c.envVariables![k] }));
    for (const [k, v] of Object.entries(c.envVariables)) {
      if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(k)) {
        problems.add(`${path}.envVariables`, k, 'keys must be environment variable names: letters, digits, "_", "-" or ".", not starting with a digit');
      } else if (typeof v !== 'string') {
        problems.add(`${path}.envVariables.${k}`, v, STRING_VALUE_RULE);
      }
    }
  }
  checkStringList(`${path}.command`, c.command, '["npm", "start"]', problems);
  checkStringList(`${path}.args`, c.args, '["--port=8080"]', problems);
  if (Array.isArray(c.command)) out.command = [...c.command];
  if (Array.isArray(c.args)) out.args = [...c.args];
  if (c.imagePullPolicy !== undefined) {
    if (!['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy)) {
      problems.add(`${path}.imagePullPolicy`, c.imagePullPolicy, 'must be "Always", "IfNotPresent" or "Never"');
    }
    out.imagePullPolicy = c.imagePullPolicy;
  }
  if (c.resources !== undefined) out.resources = renderResources(`${path}.resources`, c.resources, problems);
  for (const probe of ['readiness', 'liveness', 'startup'] as const) checkProbe(`${path}.${probe}`, c[probe], problems);
  if (c.readiness !== undefined) out.readinessProbe = clonePlain(c.readiness);
  if (c.liveness !== undefined) out.livenessProbe = clonePlain(c.liveness);
  if (c.startup !== undefined) out.startupProbe = clonePlain(c.startup);
  return out;
}

function renderResources(path: string, r: NonNullable<CanaryContainerProps['resources']>, problems: ProblemList): Json {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  for (const res of ['cpu', 'memory'] as const) {
    const q = r[res];
    if (q === undefined) continue;
    checkResourceAmounts([{ resource: res, request: q.request, requestPath: `${path}.${res}.request`, limit: q.limit, limitPath: `${path}.${res}.limit` }], problems);
    if (q.request !== undefined) requests[res] = q.request;
    if (q.limit !== undefined) limits[res] = q.limit;
  }
  const out: Json = {};
  if (Object.keys(limits).length > 0) out.limits = limits;
  if (Object.keys(requests).length > 0) out.requests = requests;
  return out;
}

function checkImage(path: string, image: unknown, problems: ProblemList): void {
  if (image === undefined || image === null || image === '') {
    problems.add(path, image, 'is required: the container image, e.g. "my-image:1"');
  } else if (typeof image !== 'string' || /\s/.test(image)) {
    problems.add(path, image, 'must be an image reference without whitespace, e.g. "registry.example.com/team/app:1.2.3"');
  }
}

interface ContainerJson {
  readonly name?: unknown;
  readonly image?: unknown;
  readonly ports?: unknown;
}

/** Port names are unique in a pod. */
function checkUniquePorts(base: string, containers: readonly ContainerJson[], problems: ProblemList): void {
  const portNames = new Map<unknown, string>();
  containers.forEach((c, i) => {
    if (!Array.isArray(c.ports)) return;
    c.ports.forEach((p: unknown, j: number) => {
      if (!isPlainObject(p) || p.name === undefined) return;
      const here = `${base}[${i}].ports[${j}].name`;
      if (portNames.has(p.name)) {
        problems.add(here, p.name, `duplicates ${portNames.get(p.name)}: port names must be unique in a pod`);
      } else {
        portNames.set(p.name, here);
      }
    });
  });
}

function fromDeployment(appName: string, d: DeploymentInput, problems: ProblemList): ResolvedWorkload | undefined {
  if (!isPlainObject(d)) {
    problems.add('deployment', d, 'must be a Deployment object (apiVersion apps/v1, kind Deployment, metadata, spec)');
    return undefined;
  }
  if (d.apiVersion !== undefined && d.apiVersion !== 'apps/v1') {
    problems.add('deployment.apiVersion', d.apiVersion, 'must be "apps/v1"');
  }
  if (d.kind !== undefined && d.kind !== 'Deployment') {
    problems.add('deployment.kind', d.kind, 'must be "Deployment"');
  }
  const extra = Object.keys(d).filter((k) => !['apiVersion', 'kind', 'metadata', 'spec', 'status'].includes(k));
  for (const k of extra) problems.add(`deployment.${k}`, d[k], 'is not a Deployment field (expected apiVersion, kind, metadata, spec)');
  const metadata: Json = isPlainObject(d.metadata) ? clonePlain(d.metadata) : {};
  for (const f of SERVER_SET_METADATA_FIELDS) delete metadata[f];
  const inputName = metadata.name;
  const inputNamespace = metadata.namespace;
  delete metadata.name;
  delete metadata.namespace;
  if (inputName !== undefined && !isDns1123Label(inputName)) problems.add('deployment.metadata.name', inputName, DNS1123_LABEL_RULE);
  if (inputNamespace !== undefined && !isDns1123Label(inputNamespace)) problems.add('deployment.metadata.namespace', inputNamespace, DNS1123_LABEL_RULE);
  checkLabels('deployment.metadata.labels', metadata.labels, problems);
  checkAnnotations('deployment.metadata.annotations', metadata.annotations, problems);
  return fromSpec(appName, 'deployment.spec', d.spec, problems, {
    extraMetadata: metadata,
    inputName: typeof inputName === 'string' ? inputName : undefined,
    inputNamespace: typeof inputNamespace === 'string' ? inputNamespace : undefined,
    source: 'deployment',
  });
}

function fromSpec(
  appName: string,
  base: string,
  input: DeploymentSpecInput,
  problems: ProblemList,
  from: { extraMetadata?: Json; inputName?: string; inputNamespace?: string; source?: 'deployment' },
): ResolvedWorkload | undefined {
  if (!isPlainObject(input)) {
    problems.add(base, input, 'must be a DeploymentSpec object with at least a template');
    return undefined;
  }
  const spec: Json = clonePlain(input) as Json;
  const template = spec.template;
  if (!isPlainObject(template)) {
    problems.add(`${base}.template`, template, 'is required: the pod template (metadata.labels and spec.containers)');
    return undefined;
  }
  if (!checkPodSpec(base, template.spec, problems)) return undefined;
  if (template.metadata !== undefined && !isPlainObject(template.metadata)) {
    problems.add(`${base}.template.metadata`, template.metadata, 'must be an object (labels, annotations)');
    return undefined;
  }
  const templateMeta: Json = (template.metadata as Json | undefined) ?? {};
  checkLabels(`${base}.template.metadata.labels`, templateMeta.labels, problems);
  checkAnnotations(`${base}.template.metadata.annotations`, templateMeta.annotations, problems);
  const selection = resolveSelector(appName, base, spec.selector, template, templateMeta, problems);
  if (selection === undefined) return undefined;
  const { selector, selectorLabels } = selection;
  checkNoRoleLabel(base, templateMeta, problems);

  const inputReplicas = spec.replicas;
  if (inputReplicas !== undefined && !(typeof inputReplicas === 'number' && Number.isInteger(inputReplicas) && inputReplicas >= 0)) {
    problems.add(`${base}.replicas`, inputReplicas, 'must be a whole number >= 0');
  }
  delete spec.replicas;
  delete spec.selector;
  delete spec.template;
  return {
    source: from.source ?? 'deploymentSpec',
    extraMetadata: from.extraMetadata ?? {},
    inputName: from.inputName,
    inputNamespace: from.inputNamespace,
    spec,
    selector,
    selectorLabels,
    template,
    inputReplicas: typeof inputReplicas === 'number' ? inputReplicas : undefined,
  };
}

/** The pod spec of the template: at least one container, each well formed, names and ports unique. False when it has no container list. */
function checkPodSpec(base: string, podSpec: unknown, problems: ProblemList): boolean {
  if (!isPlainObject(podSpec) || !Array.isArray(podSpec.containers) || podSpec.containers.length === 0) {
    problems.add(`${base}.template.spec.containers`, isPlainObject(podSpec) ? podSpec.containers : undefined, 'must list at least one container');
    return false;
  }
  podSpec.containers.forEach((c: unknown, i: number) => checkInputContainer(`${base}.template.spec.containers[${i}]`, c, problems));
  const initContainers = checkInitContainers(`${base}.template.spec.initContainers`, podSpec.initContainers, problems);
  checkUniqueNames([
    { base: `${base}.template.spec.containers`, containers: podSpec.containers },
    { base: `${base}.template.spec.initContainers`, containers: initContainers },
  ], problems);
  checkUniquePorts(`${base}.template.spec.containers`, podSpec.containers as ContainerJson[], problems);
  return true;
}

/**
 * The selector and the labels it selects by: the given one, which the pod labels must match, or
 * (a documented addition) `app: <name>`, added to the pod labels too. Undefined when the given
 * selector has no matchLabels.
 */
function resolveSelector(
  appName: string,
  base: string,
  given: unknown,
  template: Json,
  templateMeta: Json,
  problems: ProblemList,
): { selector: Json; selectorLabels: Record<string, string> } | undefined {
  const labels = isPlainObject(templateMeta.labels) ? (templateMeta.labels as Record<string, string>) : {};
  if (given === undefined) {
    const appLabel = CANARY_APP_DEFAULTS.appLabel;
    const selectorLabels = { [appLabel]: appName };
    const current = labels[appLabel];
    if (current !== undefined && current !== appName) {
      problems.add(`${base}.template.metadata.labels.${appLabel}`, current, `must be "${appName}" when ${base}.selector is not given (the selector becomes ${appLabel}=${appName}); or give ${base}.selector`);
    }
    templateMeta.labels = { ...labels, [appLabel]: appName };
    template.metadata = templateMeta;
    return { selector: { matchLabels: { ...selectorLabels } }, selectorLabels };
  }
  const selector = given as Json;
  const ml = isPlainObject(selector) ? selector.matchLabels : undefined;
  if (!isPlainObject(ml) || Object.keys(ml).length === 0) {
    problems.add(`${base}.selector.matchLabels`, ml, 'must have at least one label: the Services and PodDisruptionBudgets select pods by these labels');
    return undefined;
  }
  const selectorLabels = ml as Record<string, string>;
  const missing = Object.entries(selectorLabels).filter(([k, v]) => labels[k] !== v).map(([k, v]) => `${k}=${v}`);
  if (missing.length > 0) {
    problems.add(`${base}.template.metadata.labels`, templateMeta.labels, `must contain every selector.matchLabels entry (missing ${missing.join(', ')})`);
  }
  checkSelector(`${base}.selector`, selector, labels, problems);
  return { selector, selectorLabels };
}

/** The pods' role label is Argo's to set (stableMetadata / canaryMetadata), not the input's. */
function checkNoRoleLabel(base: string, templateMeta: Json, problems: ProblemList): void {
  const roleKey = CANARY_CONVENTIONS.roleKey;
  const labels = isPlainObject(templateMeta.labels) ? (templateMeta.labels as Record<string, string>) : {};
  if (labels[roleKey] !== undefined) {
    problems.add(`${base}.template.metadata.labels.${roleKey}`, labels[roleKey], `must not be set: Argo Rollouts sets "${roleKey}" to stable or canary on the pods (the split PodDisruptionBudgets select it)`);
  }
}

/** One container of a Deployment input: an object, with an image and well-formed ports. */
function checkInputContainer(path: string, c: unknown, problems: ProblemList): void {
  if (!isPlainObject(c)) {
    problems.add(path, c, 'must be a container object with a name and an image');
    return;
  }
  checkContainerJson(path, c, problems);
  checkImage(`${path}.image`, c.image, problems);
  if (c.ports !== undefined && !Array.isArray(c.ports)) problems.add(`${path}.ports`, c.ports, 'must be a list of ports');
  if (Array.isArray(c.ports)) {
    c.ports.forEach((p: unknown, j: number) => {
      if (!isPlainObject(p)) return;
      if (!isPortNumber(p.containerPort)) problems.add(`${path}.ports[${j}].containerPort`, p.containerPort, 'must be a whole number between 1 and 65535');
      if (p.name !== undefined && !isPortName(p.name)) problems.add(`${path}.ports[${j}].name`, p.name, PORT_NAME_RULE);
    });
  }
}

/** Init containers as in YAML (same checks as containers); returns the list, or [] when absent or not a list. */
function checkInitContainers(path: string, value: unknown, problems: ProblemList): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.add(path, value, 'must be a list of containers');
    return [];
  }
  value.forEach((c: unknown, i: number) => {
    if (!isPlainObject(c)) problems.add(`${path}[${i}]`, c, 'must be a container object with a name and an image');
    else {
      checkContainerJson(`${path}[${i}]`, c, problems);
      checkImage(`${path}[${i}].image`, c.image, problems);
    }
  });
  return value;
}

/** Port names and numbers the pod template exposes, for checking the Services' target port. */
export function templatePorts(template: Json): { names: string[]; numbers: number[]; unnamed: number[] } {
  const names: string[] = [];
  const numbers: number[] = [];
  const unnamed: number[] = [];
  const spec = template.spec as Json | undefined;
  const containers = Array.isArray(spec?.containers) ? spec!.containers : [];
  for (const c of containers) {
    if (!isPlainObject(c) || !Array.isArray(c.ports)) continue;
    for (const p of c.ports) {
      if (!isPlainObject(p)) continue;
      if (typeof p.containerPort === 'number') numbers.push(p.containerPort);
      if (typeof p.name === 'string') names.push(p.name);
      else if (typeof p.containerPort === 'number') unnamed.push(p.containerPort);
    }
  }
  return { names, numbers, unnamed };
}
