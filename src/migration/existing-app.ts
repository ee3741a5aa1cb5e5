import { selectsSome } from '../model/label-selector';
import { API_VERSIONS } from '../model/argo-defaults';
import { NAME_SUFFIXES } from '../constructs/defaults';
import {
  type HpaFields,
  readHpaFields,
  readVirtualServiceRoutes,
  readWorkloadFields,
  serviceSelector,
  shortHost,
  type VirtualServiceRouteFields,
} from '../model/manifests';
import { failNaming, MigrationProblems } from './migration-error';
import { asKube, asRecord, describeSource, formatLabels, type ManifestObject, refOf, type SourcedManifest } from './manifest-object';

/**
 * The app as it runs before the migration: a Deployment, the Service that selects its pods, the
 * VirtualService route that sends traffic to that Service, and optionally the HPA that scales the
 * Deployment (the write-up's "before" manifests).
 */
export interface ExistingApp {
  /** Namespace written in the manifests. @default - none (the kubectl context's) */
  readonly namespace?: string;
  /** The app's name: the Deployment selector's `app` label, else the Deployment name without `-dep`. */
  readonly appName: string;
  /**
   * The Deployment.
   */
  readonly deployment: ManifestObject;
  /** `spec.selector.matchLabels` of the Deployment. */
  readonly selector: Readonly<Record<string, string>>;
  /** `spec.template.metadata.labels` of the Deployment. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** `spec.replicas` of the Deployment when written. @default - absent (the HPA owns it, or 1) */
  readonly replicas?: number;
  /** The Service the VirtualService routes to (it becomes the stable Service). */
  readonly service: ManifestObject;
  /** The HPA scaling the Deployment. @default - none */
  readonly hpa?: ManifestObject;
  /** The HPA's fields as the model's reader reads them (`readHpaFields`). @default - none */
  readonly hpaFields?: HpaFields;
  /**
   * The VirtualService routing to the Service.
   */
  readonly virtualService: ManifestObject;
  /** Index in `spec.http` of the route to the Service. */
  readonly routeIndex: number;
  /** Every other input object, passed through unchanged (and reported). */
  readonly others: readonly SourcedManifest[];
  /** Things a reviewer should know (not errors). */
  readonly notes: readonly string[];
}

/** Options of `readExistingApp`. */
export interface ReadExistingAppOptions {
  /** Name of the Deployment to migrate when the input holds several. @default - the only one */
  readonly deployment?: string;
}

/**
 * Finds the app in the "before" manifests and checks that it can be migrated. Every problem is
 * collected and thrown at once as a `MigrationError` naming the object: no Deployment, an HPA
 * aimed at something else, a Service that selects other pods, a VirtualService without a route to
 * the Service, or a shape the canary set cannot express.
 */
export function readExistingApp(manifests: readonly SourcedManifest[], options: ReadExistingAppOptions = {}): ExistingApp {
  const problems = new MigrationProblems();
  const ofKind = (kind: string): SourcedManifest[] => manifests.filter((m) => m.object.kind === kind);
  const deployments = ofKind('Deployment');
  const chosen = chooseDeployment(manifests, deployments, options, problems);
  const deployment = chosen.object;
  const { selector, podLabels, replicas } = checkDeployment(chosen, deployments, problems);
  const namespace = commonNamespace(manifests, problems);
  const services = ofKind('Service');
  checkServices(services, podLabels, refOf(deployment), problems);
  const hpas = ofKind('HorizontalPodAutoscaler');
  const hpaFields = checkHpas(hpas, deployment, problems);
  const route = findRoute(ofKind('VirtualService'), services, refOf(deployment), problems);
  problems.throwIfAny(SUBJECT);

  const service = services.find((s) => s.object.metadata.name === route.host)!;
  const hpa = hpas[0];
  const used = new Set<SourcedManifest>([chosen, service, route.vs, ...(hpa ? [hpa] : [])]);
  const others = manifests.filter((m) => !used.has(m));
  return {
    namespace,
    appName: appNameOf(selector, deployment.metadata.name),
    deployment,
    selector,
    podLabels,
    replicas,
    service: service.object,
    hpa: hpa?.object,
    hpaFields: hpaFields[0],
    virtualService: route.vs.object,
    routeIndex: route.index,
    others,
    notes: others.map(passThroughNote),
  };
}

const SUBJECT = 'cannot migrate these manifests';

/** The Deployment to migrate: the named one, or the only one (throws when there is none or no choice). */
function chooseDeployment(
  manifests: readonly SourcedManifest[],
  deployments: readonly SourcedManifest[],
  options: ReadExistingAppOptions,
  problems: MigrationProblems,
): SourcedManifest {
  if (deployments.length === 0) {
    const kindsSeen = manifests.map((m) => refOf(m.object)).join(', ') || 'nothing';
    problems.add(`no Deployment in the input (found: ${kindsSeen}); the migration starts from a running Deployment`);
    problems.throwIfAny(SUBJECT);
  }
  let chosen: SourcedManifest | undefined;
  if (options.deployment !== undefined) {
    chosen = deployments.find((d) => d.object.metadata.name === options.deployment);
    if (!chosen) {
      problems.add(
        `Deployment/${options.deployment} is not in the input (Deployments found: ${deployments.map((d) => d.object.metadata.name).join(', ')})`,
      );
    }
  } else if (deployments.length > 1) {
    problems.add(
      `${deployments.length} Deployments in the input (${deployments.map((d) => d.object.metadata.name).join(', ')}): name the one to migrate (--deployment NAME)`,
    );
  } else {
    chosen = deployments[0];
  }
  problems.throwIfAny(SUBJECT);
  return chosen!;
}

/**
 * The Deployment's shape: a matchLabels selector matching its pods, whole replicas, no other
 * Deployment over the same pods. Its fields are read by the model's reader (`readWorkloadFields`):
 * a value it refuses is reported in its words; the migration's own rules follow.
 */
function checkDeployment(
  chosen: SourcedManifest,
  deployments: readonly SourcedManifest[],
  problems: MigrationProblems,
): { selector: Record<string, string>; podLabels: Record<string, string>; replicas: number | undefined } {
  const deployment = chosen.object;
  const depRef = refOf(deployment);
  const refused: string[] = [];
  const fields = readWorkloadFields(asKube(deployment), failNaming(depRef), refused);
  const { matchLabels: selector, templateLabels: podLabels, replicas } = fields;
  if (fields.selector?.matchExpressions !== undefined) {
    problems.add(`${depRef}: spec.selector.matchExpressions is not supported; use spec.selector.matchLabels only`);
  }
  if (Object.keys(selector).length === 0) {
    problems.add(`${depRef}: spec.selector.matchLabels (${JSON.stringify(fields.selector ?? null)}) must name at least one label`);
  } else if (!selectsSome(selector, podLabels)) {
    problems.add(
      `${depRef}: spec.selector.matchLabels (${formatLabels(selector)}) does not match spec.template.metadata.labels (${formatLabels(podLabels) || 'none'})`,
    );
  }
  problems.addAll(refused);
  // The migration's own rule (>= 1) is reported with the reader's (>= 0) for a negative count, so
  // that both are known at once rather than one after the other.
  const written = asRecord(deployment.spec)?.replicas;
  if (typeof written === 'number' && written < 1) {
    problems.add(
      `${depRef}: spec.replicas (${written}) must be a whole number >= 1: the Rollout takes over the Deployment's pods ` +
        '(with 0 no pod serves the traffic and an HPA stays idle); scale the Deployment up before migrating',
    );
  }
  for (const d of deployments) {
    if (d === chosen) continue;
    if (selectsSome(readWorkloadFields(asKube(d.object), failNaming(refOf(d.object)), []).matchLabels, podLabels)) {
      problems.add(`${describeSource(d)} selects the same pods as ${depRef}; migrate one Deployment at a time`);
    }
  }
  return { selector, podLabels, replicas };
}

/** The namespace every object of the app agrees on, if any is written. */
function commonNamespace(manifests: readonly SourcedManifest[], problems: MigrationProblems): string | undefined {
  const namespaces = new Map<string, string[]>();
  for (const m of manifests) {
    const ns = m.object.metadata.namespace;
    if (ns !== undefined) namespaces.set(ns, [...(namespaces.get(ns) ?? []), refOf(m.object)]);
  }
  if (namespaces.size > 1) {
    const parts = [...namespaces.entries()].map(([ns, refs]) => `${ns}: ${refs.join(', ')}`);
    problems.add(`the objects are in different namespaces (${parts.join('; ')}); migrate one namespace at a time`);
  }
  return namespaces.size === 1 ? [...namespaces.keys()][0] : undefined;
}

/** Services: each must select the Deployment's pods, and there must be one. */
function checkServices(services: readonly SourcedManifest[], podLabels: Record<string, string>, depRef: string, problems: MigrationProblems): void {
  for (const s of services) {
    const svcSelector = serviceSelector(asKube(s.object));
    if (!selectsSome(svcSelector, podLabels)) {
      problems.add(
        `${describeSource(s)}: spec.selector (${formatLabels(svcSelector) || 'none'}) does not select the pods of ${depRef} (${formatLabels(podLabels)})`,
      );
    }
  }
  if (services.length === 0) problems.add(`no Service in the input; the VirtualService must route to a Service selecting the pods of ${depRef}`);
}

/** HPAs: at most one, and it must scale this Deployment (autoscaling/v2); each read by the model's reader (`readHpaFields`). */
function checkHpas(hpas: readonly SourcedManifest[], deployment: ManifestObject, problems: MigrationProblems): HpaFields[] {
  const depRef = refOf(deployment);
  const read = hpas.map((h) => {
    const refused: string[] = [];
    const fields = readHpaFields(asKube(h.object), failNaming(describeSource(h)), refused);
    const target = fields.scaleTargetRef;
    const targetRef = `${String(target.kind)}/${String(target.name)}`;
    if (h.object.apiVersion !== API_VERSIONS.hpa) {
      problems.add(`${describeSource(h)}: apiVersion ${h.object.apiVersion} is not supported; write it as ${API_VERSIONS.hpa}`);
    }
    if (target.kind !== 'Deployment' || target.name !== deployment.metadata.name) {
      problems.add(`${describeSource(h)}: spec.scaleTargetRef (${targetRef}) is not ${depRef}; the HPA must scale the Deployment being migrated`);
    }
    problems.addAll(refused);
    return fields;
  });
  if (hpas.length > 1) problems.add(`${hpas.length} HorizontalPodAutoscalers (${hpas.map((h) => h.object.metadata.name).join(', ')}): at most one may scale ${depRef}`);
  return read;
}

/** An http route of a VirtualService to one of the Services. */
interface RouteToApp {
  readonly vs: SourcedManifest;
  readonly index: number;
  readonly host: string;
}

/**
 * The one http route to exactly one of the Services (problems recorded otherwise: none, several,
 * one already split, tls/tcp routes to the app). Its value is meaningful only when no problem was
 * recorded. The routes are read by the model's reader (`readVirtualServiceRoutes`).
 */
function findRoute(vss: readonly SourcedManifest[], services: readonly SourcedManifest[], depRef: string, problems: MigrationProblems): RouteToApp {
  const serviceNames = new Set(services.map((s) => s.object.metadata.name));
  const routed: RouteToApp[] = [];
  for (const vs of vss) {
    const refused: string[] = [];
    const routesOf = (section: 'http' | 'tls' | 'tcp') => readVirtualServiceRoutes(asKube(vs.object), section, failNaming(describeSource(vs)), refused);
    const http = routesOf('http');
    const routesHere = httpRoutesToApp(vs, http, serviceNames, problems);
    routed.push(...routesHere);
    checkTlsTcpRoutes(vs, { tls: routesOf('tls'), tcp: routesOf('tcp') }, serviceNames, problems);
    problems.addAll(refused);
    if (routesHere.length === 0) {
      const hosts = http.flatMap((r) => r.destinations.map((d) => d.host ?? '?'));
      problems.add(
        `${describeSource(vs)} has no http route to a Service of the input (${[...serviceNames].join(', ') || 'none'}); routes go to: ${hosts.join(', ') || 'nothing'}`,
      );
    }
  }
  if (vss.length === 0) problems.add(`no VirtualService in the input; the canary needs the VirtualService that routes to ${depRef}'s Service`);
  if (routed.length > 1) {
    const where = routed.map((r) => `${refOf(r.vs.object)} spec.http[${r.index}]`).join(', ');
    problems.add(`more than one http route reaches the app (${where}); the canary manages exactly one weighted route`);
  }
  return routed[0];
}

/** Short hosts of a route's destinations (Argo's `getHost`). */
function shortHosts(route: VirtualServiceRouteFields): string[] {
  return route.destinations.map((d) => shortHost(d.host ?? ''));
}

/** The http routes of a VirtualService that reach one of the Services; one that already splits traffic is a problem. */
function httpRoutesToApp(
  vs: SourcedManifest,
  http: readonly VirtualServiceRouteFields[],
  serviceNames: ReadonlySet<string>,
  problems: MigrationProblems,
): RouteToApp[] {
  const routed: RouteToApp[] = [];
  for (const route of http) {
    const hosts = shortHosts(route);
    const ours = hosts.filter((h) => serviceNames.has(h));
    if (ours.length === 0) continue;
    if (route.destinations.length > 1) {
      problems.add(
        `${describeSource(vs)}: spec.http[${route.index}] already splits traffic (${hosts.join(', ')}); start the migration from a route with one destination`,
      );
    }
    routed.push({ vs, index: route.index, host: ours[0] });
  }
  return routed;
}

/** tls and tcp routes to the app cannot be migrated (only http routes are). */
function checkTlsTcpRoutes(
  vs: SourcedManifest,
  sections: Readonly<Record<'tls' | 'tcp', readonly VirtualServiceRouteFields[]>>,
  serviceNames: ReadonlySet<string>,
  problems: MigrationProblems,
): void {
  for (const section of ['tls', 'tcp'] as const) {
    for (const route of sections[section]) {
      if (shortHosts(route).some((h) => serviceNames.has(h))) {
        problems.add(`${describeSource(vs)}: spec.${section}[${route.index}] routes to the app; only http routes are migrated`);
      }
    }
  }
}

/** What the reviewer should know about an input object the migration passes through. */
function passThroughNote(o: SourcedManifest): string {
  if (o.object.kind === 'PodDisruptionBudget') {
    return `${describeSource(o)} is kept as is; after the migration one PDB over stable and canary pods lets a drain evict every canary pod: prefer the split stable/canary PDBs and delete it`;
  }
  if (o.object.kind === 'Service') return `${describeSource(o)} also selects the app's pods; it is kept as is and is not part of the canary routing`;
  return `${describeSource(o)} is not part of the migration; it is kept as is`;
}

/** The app's name: the selector's `app` label, else the Deployment name without `-dep`. */
function appNameOf(selector: Readonly<Record<string, string>>, depName: string): string {
  const appLabel = selector.app;
  return appLabel ?? (depName.endsWith(NAME_SUFFIXES.deployment) ? depName.slice(0, -NAME_SUFFIXES.deployment.length) : depName);
}
