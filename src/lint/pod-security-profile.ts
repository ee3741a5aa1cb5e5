import { isPlainObject } from '../model/records';
/**
 * The Pod Security Standards' `restricted` profile (which includes `baseline`), as the Pod Security
 * admission plugin checks it (k8s.io/pod-security-admission `policy/check_*.go`, v0.34), over
 * parsed pod templates. Pure: no I/O. Not modelled: the relaxations for user-namespace pods
 * (an alpha feature gate) and the per-version differences before Kubernetes 1.25.
 */
import { arrayAt, recordAt, show, stringAt, type JsonRecord } from './data';
import type { PodTemplate, TemplateContainer } from './pod-templates';

/** One violation: where it is and what is wrong. */
export interface ProfileViolation {
  readonly path: string;
  readonly message: string;
}

/** Volume sources `restricted` allows (policy/check_restrictedVolumes.go). */
const ALLOWED_VOLUMES: ReadonlySet<string> = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret',
]);
/** Sysctls `baseline` allows (policy/check_sysctls.go, Kubernetes >= 1.32). */
const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem',
]);
const SELINUX_TYPES: ReadonlySet<string> = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const GOOD_PROFILE_TYPES: ReadonlySet<unknown> = new Set(['RuntimeDefault', 'Localhost']);
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/** Problems of SELinux, AppArmor and hostProcess settings, shared by the pod and its containers. */
function sharedContextProblems(sc: JsonRecord): string[] {
  const out: string[] = [];
  const selinux = recordAt(sc.seLinuxOptions);
  if (isPlainObject(sc.seLinuxOptions)) {
    if (!SELINUX_TYPES.has(stringAt(selinux.type) ?? '')) out.push(`seLinuxOptions.type is ${show(selinux.type)} (allowed: container_t, container_init_t, container_kvm_t, container_engine_t)`);
    if (selinux.user) out.push('seLinuxOptions.user is set (must be unset)');
    if (selinux.role) out.push('seLinuxOptions.role is set (must be unset)');
  }
  if (isPlainObject(sc.appArmorProfile) && !GOOD_PROFILE_TYPES.has(sc.appArmorProfile.type)) {
    out.push(`appArmorProfile.type is ${show(sc.appArmorProfile.type)} (must be RuntimeDefault or Localhost)`);
  }
  if (recordAt(sc.windowsOptions).hostProcess === true) out.push('windowsOptions.hostProcess is true');
  if (sc.runAsUser === 0) out.push('runAsUser is 0 (root)');
  return out;
}

/** Pod-level violations: host namespaces, the pod securityContext, volumes, AppArmor annotations. */
export function podLevelViolations(t: PodTemplate): ProfileViolation[] {
  const out: ProfileViolation[] = [];
  const at = (field: string, message: string) => out.push({ path: `${t.specPath}.${field}`, message });
  for (const ns of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (t.spec[ns] === true) at(ns, `${ns} is true: the pod shares the node's ${ns.slice(4)} namespace`);
  const sc = recordAt(t.spec.securityContext);
  const problems = sharedContextProblems(sc);
  if (sc.runAsNonRoot === false) problems.push('runAsNonRoot is false');
  if (isPlainObject(sc.seccompProfile) && !GOOD_PROFILE_TYPES.has(sc.seccompProfile.type) && !windows(t)) {
    problems.push(`seccompProfile.type is ${show(sc.seccompProfile.type)} (must be RuntimeDefault or Localhost)`);
  }
  const sysctls = arrayAt(sc.sysctls).map((s) => stringAt(recordAt(s).name)).filter((n) => n !== undefined && !SAFE_SYSCTLS.has(n));
  if (sysctls.length > 0) problems.push(`sysctls ${sysctls.join(', ')} are not in the safe set`);
  if (problems.length > 0) at('securityContext', `pod securityContext: ${problems.join('; ')}.`);
  arrayAt(t.spec.volumes).forEach((v, i) => {
    const source = Object.keys(recordAt(v)).find((k) => k !== 'name');
    if (source !== undefined && !ALLOWED_VOLUMES.has(source)) {
      at(`volumes[${i}]`, `volume ${show(recordAt(v).name)} is a ${source} volume; restricted allows only ${[...ALLOWED_VOLUMES].join(', ')}.`);
    }
  });
  const metadataPath = t.specPath === 'spec' ? 'metadata' : `${t.specPath.slice(0, -'.spec'.length)}.metadata`;
  for (const [key, value] of Object.entries(recordAt(t.metadata.annotations))) {
    if (key.startsWith(APPARMOR_ANNOTATION) && !(value === '' || value === 'runtime/default' || String(value).startsWith('localhost/'))) {
      out.push({ path: `${metadataPath}.annotations`, message: `annotation ${key} is ${show(value)} (must be runtime/default or localhost/<profile>).` });
    }
  }
  return out;
}

function windows(t: PodTemplate): boolean {
  return recordAt(t.spec.os).name === 'windows';
}

/** Linux-only checks of one container (skipped for `spec.os.name: windows`, as admission does). */
function linuxProblems(t: PodTemplate, sc: JsonRecord): string[] {
  const out: string[] = [];
  if (sc.allowPrivilegeEscalation !== false) out.push(`allowPrivilegeEscalation is ${show(sc.allowPrivilegeEscalation)} (must be false)`);
  const caps = recordAt(sc.capabilities);
  if (!arrayAt(caps.drop).includes('ALL')) out.push(`capabilities.drop is ${show(caps.drop)} (must include "ALL")`);
  const added = arrayAt(caps.add).filter((c) => c !== 'NET_BIND_SERVICE');
  if (added.length > 0) out.push(`capabilities.add has ${added.map((c) => show(c)).join(', ')} (only "NET_BIND_SERVICE" is allowed)`);
  const podSeccomp = recordAt(recordAt(t.spec.securityContext).seccompProfile);
  if (isPlainObject(sc.seccompProfile)) {
    if (!GOOD_PROFILE_TYPES.has(sc.seccompProfile.type)) out.push(`seccompProfile.type is ${show(sc.seccompProfile.type)} (must be RuntimeDefault or Localhost)`);
  } else if (!GOOD_PROFILE_TYPES.has(podSeccomp.type)) {
    out.push('seccompProfile.type is unset here and in the pod securityContext (must be RuntimeDefault or Localhost)');
  }
  return out;
}

/** Every problem of one container under `restricted`, as short phrases. */
export function containerProblems(t: PodTemplate, c: TemplateContainer): string[] {
  const sc = recordAt(c.raw.securityContext);
  const out = sharedContextProblems(sc);
  if (sc.privileged === true) out.push('privileged is true');
  if (sc.runAsNonRoot === false) out.push('runAsNonRoot is false');
  else if (sc.runAsNonRoot === undefined && recordAt(t.spec.securityContext).runAsNonRoot !== true) {
    out.push('runAsNonRoot is unset here and in the pod securityContext (must be true)');
  }
  if (sc.procMount !== undefined && sc.procMount !== 'Default') out.push(`procMount is ${show(sc.procMount)} (must be Default)`);
  if (!windows(t)) out.push(...linuxProblems(t, sc));
  const hostPorts = arrayAt(c.raw.ports).map((p) => recordAt(p).hostPort).filter((p) => p !== undefined && p !== 0);
  if (hostPorts.length > 0) out.push(`hostPort ${hostPorts.join(', ')} is set (must be unset or 0)`);
  const hosts = probeHosts(c.raw);
  if (hosts.length > 0) out.push(`probes or lifecycle hooks set host ${hosts.map((h) => show(h)).join(', ')} (must be unset)`);
  return out;
}

/** `host` fields of the container's probes and lifecycle handlers (policy/check_hostProbesAndhostLifecycle.go). */
function probeHosts(container: JsonRecord): unknown[] {
  const lifecycle = recordAt(container.lifecycle);
  const handlers = [container.livenessProbe, container.readinessProbe, container.startupProbe, lifecycle.postStart, lifecycle.preStop];
  const out: unknown[] = [];
  for (const h of handlers) {
    for (const kind of ['httpGet', 'tcpSocket']) {
      const host = recordAt(recordAt(h)[kind]).host;
      if (host !== undefined && host !== '') out.push(host);
    }
  }
  return out;
}
