import { isPlainObject } from '../model/records';
/**
 * Secure defaults of a `CanaryApp`'s pods: what the Pod Security Standards' `restricted` profile
 * requires of each container (`runAsNonRoot`, `allowPrivilegeEscalation: false`,
 * `capabilities.drop: [ALL]`, `seccompProfile: RuntimeDefault`) plus a read-only root filesystem.
 * Containers of a new app get them unless overridden; an existing Deployment's template is kept
 * as given unless `securityDefaults: true` asks to fill in the fields it leaves unset.
 */
import { isWholeNumber } from './_checks';
import type { ProblemList } from './canary-app-error';

type Json = Record<string, unknown>;

/** `seccompProfile.type` values. */
export enum SeccompProfileType {
  /** The container runtime's default profile (what `restricted` asks for). */
  RUNTIME_DEFAULT = 'RuntimeDefault',
  /** A profile file on the node (`localhostProfile`); also allowed by `restricted`. */
  LOCALHOST = 'Localhost',
  /** No seccomp filtering (rejected by `baseline` and `restricted`). */
  UNCONFINED = 'Unconfined',
}

/**
 * The `securityContext` of one container of a new app. Every field has a secure default; set one
 * to override it for this container only (`CanaryAppProps.securityDefaults: false` drops the
 * defaults of every container).
 */
export interface ContainerSecurityProps {
  /**
   * Refuse to start the container if its user is root (UID 0). An image whose `USER` is root then
   * needs `runAsUser` (any non-zero UID).
   * @default true
   */
  readonly runAsNonRoot?: boolean;
  /**
   * UID of the container's process.
   * @default - the image's user
   */
  readonly runAsUser?: number;
  /**
   * GID of the container's process.
   * @default - the image's group
   */
  readonly runAsGroup?: number;
  /**
   * Whether a process may gain more privileges than its parent (setuid binaries).
   * @default false
   */
  readonly allowPrivilegeEscalation?: boolean;
  /**
   * Mount the root filesystem read-only. An app that writes files (e.g. to /tmp) needs `false`
   * here, or a writable volume in a Deployment input.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Linux capabilities removed from the container.
   * @default ['ALL']
   */
  readonly capabilitiesDrop?: string[];
  /**
   * Linux capabilities added back (`restricted` allows only `NET_BIND_SERVICE`, to listen on ports below 1024).
   * @default - none
   */
  readonly capabilitiesAdd?: string[];
  /**
   * The seccomp profile.
   * @default SeccompProfileType.RUNTIME_DEFAULT
   */
  readonly seccompProfile?: SeccompProfileType;
  /**
   * Path of the profile file on the node, with `seccompProfile: SeccompProfileType.LOCALHOST` only.
   * @default - not set
   */
  readonly seccompLocalhostProfile?: string;
}

/** The defaults, in the order they are rendered (a container's `securityContext`, keys sorted). */
export const CONTAINER_SECURITY_DEFAULTS = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: SeccompProfileType.RUNTIME_DEFAULT },
} as const;

const PROP_KEYS: ReadonlySet<string> = new Set([
  'runAsNonRoot', 'runAsUser', 'runAsGroup', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem',
  'capabilitiesDrop', 'capabilitiesAdd', 'seccompProfile', 'seccompLocalhostProfile',
]);
const SECCOMP_TYPES: ReadonlySet<unknown> = new Set(Object.values(SeccompProfileType));
const CAPABILITY = /^[A-Z][A-Z0-9_]*$/;

/** Adding CAP_SYS_ADMIN with allowPrivilegeEscalation false is rejected by the API server (ValidateSecurityContext). */
function addsSysAdmin(add: unknown): boolean {
  return Array.isArray(add) && add.some((c) => c === 'SYS_ADMIN' || c === 'CAP_SYS_ADMIN');
}

function checkProps(path: string, p: Json, problems: ProblemList): void {
  for (const key of Object.keys(p)) {
    if (!PROP_KEYS.has(key)) problems.add(`${path}.${key}`, p[key], `is not a securityContext prop (valid: ${[...PROP_KEYS].join(', ')})`);
  }
  for (const key of ['runAsNonRoot', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem'] as const) {
    if (p[key] !== undefined && typeof p[key] !== 'boolean') problems.add(`${path}.${key}`, p[key], 'must be true or false');
  }
  for (const key of ['runAsUser', 'runAsGroup'] as const) {
    if (p[key] !== undefined && !isWholeNumber(p[key], 0)) problems.add(`${path}.${key}`, p[key], 'must be a whole number >= 0 (a UID/GID)');
  }
  for (const key of ['capabilitiesDrop', 'capabilitiesAdd'] as const) {
    const v = p[key];
    if (v !== undefined && (!Array.isArray(v) || !v.every((c) => typeof c === 'string' && CAPABILITY.test(c)))) {
      problems.add(`${path}.${key}`, v, 'must be a list of capability names such as "ALL" or "NET_BIND_SERVICE"');
    }
  }
  if (p.seccompProfile !== undefined && !SECCOMP_TYPES.has(p.seccompProfile)) {
    problems.add(`${path}.seccompProfile`, p.seccompProfile, 'must be SeccompProfileType.RUNTIME_DEFAULT, LOCALHOST or UNCONFINED');
  }
  const localhost = p.seccompProfile === SeccompProfileType.LOCALHOST;
  if (localhost !== (p.seccompLocalhostProfile !== undefined)) {
    problems.add(`${path}.seccompLocalhostProfile`, p.seccompLocalhostProfile, localhost
      ? 'is required with seccompProfile LOCALHOST: the profile file on the node'
      : 'only applies with seccompProfile: SeccompProfileType.LOCALHOST');
  } else if (localhost && (typeof p.seccompLocalhostProfile !== 'string' || p.seccompLocalhostProfile === '')) {
    problems.add(`${path}.seccompLocalhostProfile`, p.seccompLocalhostProfile, 'must be a non-empty path');
  }
}

/**
 * The `securityContext` of one container of a new app: the defaults (unless `defaults` is false)
 * with the container's props over them. Undefined when nothing is set. Problems go under `path`
 * (e.g. `containers[0].securityContext`).
 */
export function containerSecurityContext(path: string, props: unknown, defaults: boolean, problems: ProblemList): Json | undefined {
  if (props !== undefined && !isPlainObject(props)) {
    problems.add(path, props, 'must be an object of securityContext props (runAsNonRoot, readOnlyRootFilesystem, ...)');
    return defaults ? renderContext({}, true) : undefined;
  }
  const p = (props ?? {}) as ContainerSecurityProps & Json;
  checkProps(path, p, problems);
  const out = renderContext(p, defaults);
  if (out.runAsNonRoot === true && out.runAsUser === 0) {
    problems.add(`${path}.runAsUser`, 0, 'must not be 0 while runAsNonRoot is true (the kubelet refuses to start the container); use a non-zero UID or set runAsNonRoot: false');
  }
  if (out.allowPrivilegeEscalation === false && addsSysAdmin(p.capabilitiesAdd)) {
    problems.add(`${path}.capabilitiesAdd`, p.capabilitiesAdd, 'cannot add SYS_ADMIN while allowPrivilegeEscalation is false (the API server rejects it); set allowPrivilegeEscalation: true too');
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function renderContext(p: ContainerSecurityProps, defaults: boolean): Json {
  const d = defaults ? CONTAINER_SECURITY_DEFAULTS : undefined;
  const drop = p.capabilitiesDrop ?? d?.capabilities.drop;
  const capabilities: Json = {};
  if (p.capabilitiesAdd !== undefined) capabilities.add = [...p.capabilitiesAdd];
  if (drop !== undefined) capabilities.drop = [...drop];
  const seccompType = p.seccompProfile ?? d?.seccompProfile.type;
  const out: Json = {
    allowPrivilegeEscalation: p.allowPrivilegeEscalation ?? d?.allowPrivilegeEscalation,
    capabilities: Object.keys(capabilities).length > 0 ? capabilities : undefined,
    readOnlyRootFilesystem: p.readOnlyRootFilesystem ?? d?.readOnlyRootFilesystem,
    runAsGroup: p.runAsGroup,
    runAsNonRoot: p.runAsNonRoot ?? d?.runAsNonRoot,
    runAsUser: p.runAsUser,
    seccompProfile: seccompType === undefined ? undefined : p.seccompLocalhostProfile === undefined ? { type: seccompType } : { localhostProfile: p.seccompLocalhostProfile, type: seccompType },
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/**
 * Fills the secure defaults into an existing pod spec where it leaves them unset, never changing
 * a field that is set: each container (init containers too) gets `allowPrivilegeEscalation: false`
 * (unless it is privileged or adds SYS_ADMIN, which the API server would then reject),
 * `capabilities.drop: [ALL]` (when it drops nothing), `readOnlyRootFilesystem: true`, and
 * `runAsNonRoot: true` / `seccompProfile: RuntimeDefault` when neither the container nor the pod
 * sets them (`runAsNonRoot` not when a UID of 0 is set). Windows pods (`os.name: windows`) are
 * left alone: these fields are Linux-only. Mutates `podSpec`, which must be the construct's own copy.
 */
export function fillSecurityDefaults(podSpec: Json): void {
  if (isPlainObject(podSpec.os) && podSpec.os.name === 'windows') return;
  const pod = isPlainObject(podSpec.securityContext) ? podSpec.securityContext : {};
  for (const list of ['initContainers', 'containers'] as const) {
    const containers = podSpec[list];
    if (!Array.isArray(containers)) continue;
    for (const c of containers) {
      if (!isPlainObject(c)) continue;
      if (c.securityContext !== undefined && !isPlainObject(c.securityContext)) continue;
      const sc: Json = { ...(c.securityContext ?? {}) };
      const caps = isPlainObject(sc.capabilities) ? sc.capabilities : undefined;
      if (sc.allowPrivilegeEscalation === undefined && sc.privileged !== true && !addsSysAdmin(caps?.add)) sc.allowPrivilegeEscalation = false;
      if (sc.capabilities === undefined) sc.capabilities = { drop: ['ALL'] };
      else if (caps && caps.drop === undefined) sc.capabilities = { ...caps, drop: ['ALL'] };
      if (sc.readOnlyRootFilesystem === undefined) sc.readOnlyRootFilesystem = true;
      const uid = sc.runAsUser ?? pod.runAsUser;
      if (sc.runAsNonRoot === undefined && pod.runAsNonRoot === undefined && uid !== 0) sc.runAsNonRoot = true;
      if (sc.seccompProfile === undefined && pod.seccompProfile === undefined) sc.seccompProfile = { type: SeccompProfileType.RUNTIME_DEFAULT };
      c.securityContext = sc;
    }
  }
}

/** The inputs `applyPodSecurity` reads (a subset of `CanaryAppProps`). */
export interface PodSecurityInputs {
  readonly containers?: readonly unknown[];
  readonly securityDefaults?: boolean;
}

/**
 * Applies the secure defaults to the resolved pod template (the construct's own copy): with
 * `containers`, each container's `securityContext` from the defaults (unless `securityDefaults`
 * is false) and its `securityContext` props; with a Deployment input, nothing unless
 * `securityDefaults` is true, which fills in only the unset fields (`fillSecurityDefaults`).
 */
export function applyPodSecurity(source: string, template: Json, props: PodSecurityInputs, problems: ProblemList): void {
  const setting = props.securityDefaults;
  if (setting !== undefined && typeof setting !== 'boolean') {
    problems.add('securityDefaults', setting, 'must be true or false');
    return;
  }
  const podSpec = isPlainObject(template.spec) ? template.spec : undefined;
  if (!podSpec || !Array.isArray(podSpec.containers)) return;
  if (source !== 'containers') {
    if (setting === true) fillSecurityDefaults(podSpec);
    return;
  }
  const rendered = podSpec.containers;
  (props.containers ?? []).forEach((c, i) => {
    if (!isPlainObject(c) || !isPlainObject(rendered[i])) return;
    const sc = containerSecurityContext(`containers[${i}].securityContext`, c.securityContext, setting ?? true, problems);
    if (sc) rendered[i].securityContext = sc;
  });
}
