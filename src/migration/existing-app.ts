import { selectsSome } from '../model/label-selector';
import { API_VERSIONS } from '../model/argo-defaults';
import { NAME_SUFFIXES } from '../constructs/defaults';
import { MigrationProblems } from './migration-error';
import {
  asArray,
  asRecord,
  asStringMap,
  describeSource,
  formatLabels,
  getPath,
  type ManifestObject,
  refOf,
  type SourcedManifest,
} from './manifest-object';

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

/** Short host of a VirtualService destination: up to the first dot (Argo's `getHost`). */
export function shortHost(host: string): string {
  return host.split('.')[0];
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
  checkHpas(hpas, deployment, problems);
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

/** The Deployment's shape: a matchLabels selector matching its pods, whole replicas, no other Deployment over the same pods. */
function checkDeployment(
  chosen: SourcedManifest,
  deployments: readonly SourcedManifest[],
  problems: MigrationProblems,
): { selector: Record<string, string>; podLabels: Record<string, string>; replicas: number | undefined } {
  const deployment = chosen.object;
  const depRef = refOf(deployment);
  const selector = asStringMap(getPath(deployment, 'spec', 'selector', 'matchLabels')) ?? {};
  const podLabels = asStringMap(getPath(deployment, 'spec', 'template', 'metadata', 'labels')) ?? {};
  if (getPath(deployment, 'spec', 'selector', 'matchExpressions') !== undefined) {
    problems.add(`${depRef}: spec.selector.matchExpressions is not supported; use spec.selector.matchLabels only`);
  }
  if (Object.keys(selector).length === 0) {
    problems.add(`${depRef}: spec.selector.matchLabels (${JSON.stringify(getPath(deployment, 'spec', 'selector') ?? null)}) must name at least one label`);
  } else if (!selectsSome(selector, podLabels)) {
    problems.add(
      `${depRef}: spec.selector.matchLabels (${formatLabels(selector)}) does not match spec.template.metadata.labels (${formatLabels(podLabels) || 'none'})`,
    );
  }
  const replicasValue = getPath(deployment, 'spec', 'replicas');
  if (replicasValue !== undefined && (typeof replicasValue !== 'number' || !Number.isInteger(replicasValue) || replicasValue < 1)) {
    problems.add(
      `${depRef}: spec.replicas (${JSON.stringify(replicasValue)}) must be a whole number >= 1: the Rollout takes over the Deployment's pods ` +
        '(with 0 no pod serves the traffic and an HPA stays idle); scale the Deployment up before migrating',
    );
  }
  for (const d of deployments) {
    if (d === chosen) continue;
    if (selectsSome(asStringMap(getPath(d.object, 'spec', 'selector', 'matchLabels')) ?? {}, podLabels)) {
      problems.add(`${describeSource(d)} selects the same pods as ${depRef}; migrate one Deployment at a time`);
    }
  }
  return { selector, podLabels, replicas: typeof replicasValue === 'number' ? replicasValue : undefined };
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
    const svcSelector = asStringMap(getPath(s.object, 'spec', 'selector')) ?? {};
    if (!selectsSome(svcSelector, podLabels)) {
      problems.add(
        `${describeSource(s)}: spec.selector (${formatLabels(svcSelector) || 'none'}) does not select the pods of ${depRef} (${formatLabels(podLabels)})`,
      );
    }
  }
  if (services.length === 0) problems.add(`no Service in the input; the VirtualService must route to a Service selecting the pods of ${depRef}`);
}

/** HPAs: at most one, and it must scale this Deployment (autoscaling/v2). */
function checkHpas(hpas: readonly SourcedManifest[], deployment: ManifestObject, problems: MigrationProblems): void {
  const depRef = refOf(deployment);
  for (const h of hpas) {
    const target = asRecord(getPath(h.object, 'spec', 'scaleTargetRef')) ?? {};
    const targetRef = `${String(target.kind)}/${String(target.name)}`;
    if (h.object.apiVersion !== API_VERSIONS.hpa) {
      problems.add(`${describeSource(h)}: apiVersion ${h.object.apiVersion} is not supported; write it as ${API_VERSIONS.hpa}`);
    }
    if (target.kind !== 'Deployment' || target.name !== deployment.metadata.name) {
      problems.add(`${describeSource(h)}: spec.scaleTargetRef (${targetRef}) is not ${depRef}; the HPA must scale the Deployment being migrated`);
    }
  }
  if (hpas.length > 1) problems.add(`${hpas.length} HorizontalPodAutoscalers (${hpas.map((h) => h.object.metadata.name).join(', ')}): at most one may scale ${depRef}`);
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
 * recorded.
 */
function findRoute(vss: readonly SourcedManifest[], services: readonly SourcedManifest[], depRef: string, problems: MigrationProblems): RouteToApp {
  const serviceNames = new Set(services.map((s) => s.object.metadata.name));
  const routed: RouteToApp[] = [];
  for (const vs of vss) {
    const routesHere = httpRoutesToApp(vs, serviceNames, problems);
    routed.push(...routesHere);
    checkTlsTcpRoutes(vs, serviceNames, problems);
    if (routesHere.length === 0) {
      const http = asArray(getPath(vs.object, 'spec', 'http')) ?? [];
      const hosts = http.flatMap((r) => (asArray(getPath(r, 'route')) ?? []).map((d) => String(getPath(d, 'destination', 'host') ?? '?')));
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

/** The http routes of a VirtualService that reach one of the Services; one that already splits traffic is a problem. */
function httpRoutesToApp(vs: SourcedManifest, serviceNames: ReadonlySet<string>, problems: MigrationProblems): RouteToApp[] {
  const routed: RouteToApp[] = [];
  const http = asArray(getPath(vs.object, 'spec', 'http')) ?? [];
  http.forEach((route, index) => {
    const dests = asArray(getPath(route, 'route')) ?? [];
    const hosts = dests.map((d) => shortHost(String(getPath(d, 'destination', 'host') ?? '')));
    const ours = hosts.filter((h) => serviceNames.has(h));
    if (ours.length === 0) return;
    if (dests.length > 1) {
      problems.add(
        `${describeSource(vs)}: spec.http[${index}] already splits traffic (${hosts.join(', ')}); start the migration from a route with one destination`,
      );
    }
    routed.push({ vs, index, host: ours[0] });
  });
  return routed;
}

/** tls and tcp routes to the app cannot be migrated (only http routes are). */
function checkTlsTcpRoutes(vs: SourcedManifest, serviceNames: ReadonlySet<string>, problems: MigrationProblems): void {
  for (const section of ['tls', 'tcp'] as const) {
    const routes = asArray(getPath(vs.object, 'spec', section)) ?? [];
    routes.forEach((route, index) => {
      const hosts = (asArray(getPath(route, 'route')) ?? []).map((d) => shortHost(String(getPath(d, 'destination', 'host') ?? '')));
      if (hosts.some((h) => serviceNames.has(h))) {
        problems.add(`${describeSource(vs)}: spec.${section}[${index}] routes to the app; only http routes are migrated`);
      }
    });
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
