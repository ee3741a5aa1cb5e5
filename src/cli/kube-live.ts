import type { LiveObjects } from '../runtime/live-objects';
import type { KubeObject } from '../model/manifests';

/**
 * Reading a Rollout and what it drives from a live cluster, read-only (get and list only), through
 * `@kubernetes/client-node`. The library is loaded on first use, never at CLI start-up (it is a
 * large ES module only `status` needs).
 */

/** Where to connect: `--kubeconfig`, `--context`; without them KUBECONFIG or ~/.kube/config. */
export interface KubeTarget {
  readonly kubeconfig?: string;
  readonly context?: string;
}

/** A connection to one cluster. */
export interface LiveSource {
  /** The API server's URL (named in errors). */
  readonly server: string;
  /** The kubeconfig context's namespace, or `default`. */
  readonly defaultNamespace: string;
  /** Reads the Rollout and the objects `status` judges it with; throws a {@link KubeReadError}. */
  read(namespace: string, name: string): Promise<LiveObjects>;
}

/** Opens a {@link LiveSource}; throws a {@link KubeReadError} when the kubeconfig is unusable. */
export type KubeConnector = (target: KubeTarget) => Promise<LiveSource>;

/** Why the cluster could not be read; `status` prints the message on one line (exit code 2). */
export class KubeReadError extends Error {
  constructor(
    readonly kind: 'kubeconfig' | 'unreachable' | 'not-found' | 'forbidden' | 'no-crd' | 'api',
    message: string,
  ) {
    super(message);
    this.name = 'KubeReadError';
  }
}

/** A resource `status` reads: API group, version and plural. */
interface Resource {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
}

const ROLLOUTS: Resource = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' };
const ANALYSIS_RUNS: Resource = { group: 'argoproj.io', version: 'v1alpha1', plural: 'analysisruns' };
const REPLICA_SETS: Resource = { group: 'apps', version: 'v1', plural: 'replicasets' };
const VIRTUAL_SERVICES: Resource = { group: 'networking.istio.io', version: 'v1beta1', plural: 'virtualservices' };
const DESTINATION_RULES: Resource = { group: 'networking.istio.io', version: 'v1beta1', plural: 'destinationrules' };
const HPAS: Resource = { group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers' };
const PDBS: Resource = { group: 'policy', version: 'v1', plural: 'poddisruptionbudgets' };
const WORKLOADS: Readonly<Record<string, Resource>> = {
  Deployment: { group: 'apps', version: 'v1', plural: 'deployments' },
  ReplicaSet: REPLICA_SETS,
};

type ClientNode = typeof import('@kubernetes/client-node');

/** The real connector: a kubeconfig through `@kubernetes/client-node`. */
export const nodeKubeConnector: KubeConnector = async (target) => {
  const k8s: ClientNode = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  try {
    if (target.kubeconfig !== undefined) kc.loadFromFile(target.kubeconfig);
    else kc.loadFromDefault();
    if (target.context !== undefined) {
      if (!kc.getContextObject(target.context)) {
        throw new Error(`context ${target.context} is not in it (contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
      }
      kc.setCurrentContext(target.context);
    }
  } catch (err) {
    const where = target.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config';
    throw new KubeReadError('kubeconfig', `kubeconfig ${where}: ${firstLine(err)}`);
  }
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new KubeReadError('kubeconfig', `kubeconfig: the current context (${kc.getCurrentContext() || 'none'}) names no cluster server`);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const api: RawApi = {
    get: (r, namespace, name) => custom.getNamespacedCustomObject({ ...r, namespace, name }) as Promise<KubeObject>,
    list: async (r, namespace) => ((await custom.listNamespacedCustomObject({ ...r, namespace })) as { items: KubeObject[] }).items,
    // Services are in the core group, which the custom-objects paths (/apis/...) do not reach.
    getService: async (namespace, name) => plainJson(await core.readNamespacedService({ namespace, name })),
  };
  return {
    server,
    defaultNamespace: kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default',
    read: (namespace, name) => readLive(api, server, namespace, name),
  };
};

/** The few calls `status` makes; plain JSON in, plain JSON out. */
export interface RawApi {
  get(resource: Resource, namespace: string, name: string): Promise<KubeObject>;
  list(resource: Resource, namespace: string): Promise<KubeObject[]>;
  getService(namespace: string, name: string): Promise<KubeObject>;
}

/** Reads the Rollout, then everything it names or owns, in parallel. */
export async function readLive(api: RawApi, server: string, namespace: string, name: string): Promise<LiveObjects> {
  const call = <T>(verb: 'get' | 'list', resource: string, what: string, p: Promise<T>) => p.catch((err: unknown) => Promise.reject(toReadError(err, verb, resource, what, namespace, server)));
  const rollout = await call('get', 'rollouts.argoproj.io', `Rollout ${name}`, api.get(ROLLOUTS, namespace, name));
  const spec = (rollout.spec ?? {}) as Record<string, any>;
  const canary = (spec.strategy?.canary ?? {}) as Record<string, any>;
  const istio = (canary.trafficRouting?.istio ?? {}) as Record<string, any>;
  const serviceNames = [canary.stableService, canary.canaryService, canary.pingPong?.pingService, canary.pingPong?.pongService].filter((s): s is string => typeof s === 'string' && s !== '');
  const vsNames = [istio.virtualService?.name, ...((istio.virtualServices ?? []) as { name?: string }[]).map((v) => v.name)].filter((s): s is string => typeof s === 'string');
  const drName: unknown = istio.destinationRule?.name;
  const ref = (spec.workloadRef ?? {}) as Record<string, unknown>;
  const workloadResource = typeof ref.kind === 'string' ? WORKLOADS[ref.kind] : undefined;
  const [workload, replicaSets, services, virtualServices, destinationRules, hpas, pdbs, analysisRuns] = await Promise.all([
    workloadResource && typeof ref.name === 'string'
      ? call('get', `${workloadResource.plural}.${workloadResource.group}`, `${String(ref.kind)} ${ref.name}`, api.get(workloadResource, namespace, ref.name))
      : Promise.resolve(undefined),
    call('list', 'replicasets.apps', 'ReplicaSets', api.list(REPLICA_SETS, namespace)),
    Promise.all(serviceNames.map((s) => call('get', 'services', `Service ${s}`, api.getService(namespace, s)))),
    Promise.all(vsNames.map((v) => call('get', 'virtualservices.networking.istio.io', `VirtualService ${v}`, api.get(VIRTUAL_SERVICES, ...splitName(v, namespace))))),
    typeof drName === 'string' ? call('get', 'destinationrules.networking.istio.io', `DestinationRule ${drName}`, api.get(DESTINATION_RULES, namespace, drName)).then((d) => [d]) : Promise.resolve([]),
    call('list', 'horizontalpodautoscalers.autoscaling', 'HorizontalPodAutoscalers', api.list(HPAS, namespace)),
    call('list', 'poddisruptionbudgets.policy', 'PodDisruptionBudgets', api.list(PDBS, namespace)),
    call('list', 'analysisruns.argoproj.io', 'AnalysisRuns', api.list(ANALYSIS_RUNS, namespace)),
  ]);
  return { rollout, ...(workload ? { workload } : {}), replicaSets, services, virtualServices, destinationRules, hpas, pdbs, analysisRuns };
}

/** `name` or `name.namespace` of a VirtualService reference, as [namespace, name]. */
function splitName(ref: string, namespace: string): [string, string] {
  const dot = ref.indexOf('.');
  return dot < 0 ? [namespace, ref] : [ref.slice(dot + 1), ref.slice(0, dot)];
}

/** A typed client-node model as the API server's JSON (dates back to RFC 3339 strings). */
function plainJson(value: unknown): KubeObject {
  return JSON.parse(JSON.stringify(value)) as KubeObject;
}

/** One-line error for a failed call: unreachable, not found, forbidden (verb and resource), CRD missing. */
export function toReadError(err: unknown, verb: 'get' | 'list', resource: string, what: string, namespace: string, server: string): KubeReadError {
  const e = err as { code?: unknown; body?: unknown; cause?: { code?: unknown }; message?: string };
  const status = typeof e.code === 'number' ? e.code : undefined;
  if (status === undefined) {
    const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : undefined;
    return new KubeReadError('unreachable', `no cluster reachable at ${server}: ${code ?? firstLine(err)}`);
  }
  const body = parseBody(e.body);
  const message = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
  if (status === 403) {
    return new KubeReadError(
      'forbidden',
      `forbidden: cannot ${verb} ${resource} in namespace ${namespace} (${message}); grant ${verb} on ${resource} ` +
        '(status reads with the rollouts-reader Role plus the rollouts-status-reader ClusterRole, docs/status.md#rbac)',
    );
  }
  if (status === 404) {
    const named = typeof (body.details as Record<string, unknown> | undefined)?.name === 'string';
    if (!named && resource.endsWith('.argoproj.io')) {
      return new KubeReadError('no-crd', `the Argo Rollouts CRDs are not installed at ${server}: ${resource} is not served (${message})`);
    }
    if (!named) return new KubeReadError('no-crd', `${resource} is not served at ${server} (its CRD is not installed): cannot read ${what}`);
    return new KubeReadError('not-found', `${what} not found in namespace ${namespace}`);
  }
  if (status === 401) return new KubeReadError('forbidden', `unauthorized at ${server}: the kubeconfig's credentials were refused (${message})`);
  return new KubeReadError('api', `${verb} ${resource} (${what}) failed: HTTP ${status} ${message}`);
}

function parseBody(body: unknown): Record<string, unknown> {
  if (typeof body === 'object' && body !== null) return body as Record<string, unknown>;
  if (typeof body !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
