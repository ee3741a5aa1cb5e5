import { readFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

/** A Kubernetes object as plain JSON. */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
};

/** What the API server answered. */
export interface KubeResponse {
  /** HTTP status code. */
  readonly status: number;
  /** The parsed JSON body, or undefined when the body is not JSON (e.g. a watch stream). */
  readonly body: any;
  /** The raw body. */
  readonly text: string;
}

/** Options of one request. */
export interface KubeRequestOptions {
  /** Request body; objects are sent as JSON unless contentType says otherwise. @default - no body */
  readonly body?: unknown;
  /** Content-Type of the body. @default 'application/json' */
  readonly contentType?: string;
  /** Query parameters. @default - none */
  readonly query?: Record<string, string>;
  /** Act as this user (impersonation headers; the admin certificate may impersonate). @default - the admin itself */
  readonly impersonate?: { readonly user: string; readonly groups?: readonly string[] };
  /** Give up after this many milliseconds. @default 30000 */
  readonly timeoutMs?: number;
}

/** Where a kind is served: its plural resource name and whether it is namespaced. */
export interface ResourceInfo {
  /** e.g. 'rollouts'. */
  readonly plural: string;
  /** True for namespaced kinds. */
  readonly namespaced: boolean;
}

const FIELD_MANAGER = 'cdk8s-canary-e2e';

/**
 * A minimal client for the e2e cluster's API server: plain HTTPS with the kubeconfig's client
 * certificate, so every test sees the exact status code and message the API server sends.
 */
export class KubeClient {
  /** Reads server, CA and client certificate from a kubeconfig (the one e2e/cluster.sh writes). */
  static fromKubeconfig(path: string | undefined = process.env.KUBECONFIG): KubeClient {
    if (!path) {
      throw new Error('KUBECONFIG is not set: run the e2e suite with `npm run e2e`, which starts the cluster and sets it');
    }
    const config = parse(readFileSync(path, 'utf8'));
    const contextName = config['current-context'];
    const context = (config.contexts ?? []).find((c: any) => c.name === contextName)?.context;
    const cluster = (config.clusters ?? []).find((c: any) => c.name === context?.cluster)?.cluster;
    const user = (config.users ?? []).find((u: any) => u.name === context?.user)?.user;
    if (!cluster?.server || !cluster['certificate-authority'] || !user?.['client-certificate'] || !user?.['client-key']) {
      throw new Error(`kubeconfig ${path}: current-context '${contextName}' needs a server, a certificate-authority file and a client certificate/key pair`);
    }
    const file = (p: string) => readFileSync(isAbsolute(p) ? p : resolve(dirname(path), p));
    return new KubeClient(
      cluster.server,
      new Agent({
        ca: file(cluster['certificate-authority']),
        cert: file(user['client-certificate']),
        key: file(user['client-key']),
        keepAlive: true,
      }),
    );
  }

  private readonly resources = new Map<string, ResourceInfo>();

  private constructor(
    /** Base URL of the API server, e.g. https://127.0.0.1:6443. */
    readonly server: string,
    private readonly agent: Agent,
  ) {}

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  /** Sends one request and resolves with whatever the server answered (no throw on 4xx/5xx). */
  request(method: string, path: string, options: KubeRequestOptions = {}): Promise<KubeResponse> {
    const url = new URL(path, this.server);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string | string[]> = { Accept: 'application/json' };
    let payload: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    if (options.impersonate) {
      headers['Impersonate-User'] = options.impersonate.user;
      if (options.impersonate.groups?.length) headers['Impersonate-Group'] = [...options.impersonate.groups];
    }
    const timeoutMs = options.timeoutMs ?? 30_000;
    return new Promise((resolvePromise, reject) => {
      const req = httpsRequest(url, { method, headers, agent: this.agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          resolvePromise({ status: res.statusCode ?? 0, body, text });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname} timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /**
   * Opens a watch (`?watch=true`) on a collection path and calls `onEvent` for every event line
   * (ADDED, MODIFIED, DELETED...). Resolves once the server has answered 200; `close()` ends it.
   */
  watch(path: string, query: Record<string, string>, onEvent: (event: { type: string; object: any }) => void): Promise<{ close(): void }> {
    const url = new URL(path, this.server);
    for (const [k, v] of Object.entries({ ...query, watch: 'true', allowWatchBookmarks: 'false' })) url.searchParams.set(k, v);
    return new Promise((resolvePromise, reject) => {
      const req = httpsRequest(url, { method: 'GET', headers: { Accept: 'application/json' }, agent: this.agent }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`watch ${url.pathname} answered HTTP ${res.statusCode}`));
          return;
        }
        let buffered = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl).trim();
            buffered = buffered.slice(nl + 1);
            if (line) onEvent(JSON.parse(line));
          }
        });
        res.on('error', () => undefined);
        resolvePromise({ close: () => req.destroy() });
      });
      req.on('error', (err) => reject(err));
      req.end();
    });
  }

  /** Finds the plural resource and scope of a kind through API discovery (cached). */
  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const key = `${apiVersion}/${kind}`;
    const cached = this.resources.get(key);
    if (cached) return cached;
    const res = await this.request('GET', groupVersionPath(apiVersion));
    if (res.status !== 200) {
      throw new Error(`API discovery of ${apiVersion} failed with ${res.status}: ${res.text.slice(0, 300)}`);
    }
    const found = (res.body.resources as any[]).find((r) => r.kind === kind && !String(r.name).includes('/'));
    if (!found) {
      throw new Error(`kind ${kind} is not served by ${apiVersion} (served: ${(res.body.resources as any[]).map((r) => r.kind).join(', ')})`);
    }
    const info = { plural: found.name, namespaced: found.namespaced };
    this.resources.set(key, info);
    return info;
  }

  /** URL path of an object (or of its collection when name is omitted). */
  async pathOf(
    apiVersion: string,
    kind: string,
    ref: { namespace?: string; name?: string; subresource?: string },
  ): Promise<string> {
    const info = await this.resourceFor(apiVersion, kind);
    let path = groupVersionPath(apiVersion);
    if (info.namespaced) {
      if (!ref.namespace) throw new Error(`${kind} is namespaced: a namespace is required`);
      path += `/namespaces/${ref.namespace}`;
    }
    path += `/${info.plural}`;
    if (ref.name) path += `/${ref.name}`;
    if (ref.subresource) path += `/${ref.subresource}`;
    return path;
  }

  /**
   * Server-side apply with strict field validation (server-side apply also rejects any field its
   * typed schema lacks). Namespaced objects go to `namespace`, whatever their own metadata says.
   */
  async apply(obj: KubeObject, namespace: string, options: { dryRun?: boolean; impersonate?: KubeRequestOptions['impersonate'] } = {}): Promise<KubeResponse> {
    const info = await this.resourceFor(obj.apiVersion, obj.kind);
    const body = info.namespaced
      ? { ...obj, metadata: { ...obj.metadata, namespace } }
      : { ...obj, metadata: { ...obj.metadata, namespace: undefined } };
    const path = await this.pathOf(obj.apiVersion, obj.kind, { namespace, name: obj.metadata.name });
    const query: Record<string, string> = { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict', force: 'true' };
    if (options.dryRun) query.dryRun = 'All';
    return this.request('PATCH', path, {
      body: JSON.stringify(body),
      contentType: 'application/apply-patch+yaml',
      query,
      impersonate: options.impersonate,
    });
  }

  /**
   * POST (create) with strict field validation: unknown or duplicate fields are errors, not
   * warnings. Namespaced objects go to `namespace`, whatever their own metadata says.
   */
  async create(obj: KubeObject, namespace: string, options: { dryRun?: boolean } = {}): Promise<KubeResponse> {
    const info = await this.resourceFor(obj.apiVersion, obj.kind);
    const body = { ...obj, metadata: { ...obj.metadata, namespace: info.namespaced ? namespace : undefined } };
    const query: Record<string, string> = { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict' };
    if (options.dryRun) query.dryRun = 'All';
    return this.request('POST', await this.pathOf(obj.apiVersion, obj.kind, { namespace }), { body, query });
  }

  /** GET one object; resolves to undefined on 404. */
  async get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<any> {
    const res = await this.request('GET', await this.pathOf(apiVersion, kind, { namespace, name }));
    if (res.status === 404) return undefined;
    expectOk(res, `get ${kind} ${namespace ?? ''}/${name}`);
    return res.body;
  }

  /** Lists the objects of a kind in a namespace, optionally filtered by a label selector. */
  async list(apiVersion: string, kind: string, namespace: string, labelSelector?: string): Promise<any[]> {
    const res = await this.request('GET', await this.pathOf(apiVersion, kind, { namespace }), {
      query: labelSelector ? { labelSelector } : {},
    });
    expectOk(res, `list ${kind} in ${namespace}`);
    return res.body.items;
  }

  /** JSON merge patch of an object (or of one of its subresources). */
  async mergePatch(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
    patch: unknown,
    options: { subresource?: string; impersonate?: KubeRequestOptions['impersonate'] } = {},
  ): Promise<KubeResponse> {
    const path = await this.pathOf(apiVersion, kind, { namespace, name, subresource: options.subresource });
    return this.request('PATCH', path, { body: patch, contentType: 'application/merge-patch+json', impersonate: options.impersonate });
  }

  /** Creates a namespace (an existing one is fine). */
  async ensureNamespace(name: string): Promise<void> {
    const res = await this.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
    if (res.status !== 201 && res.status !== 409) expectOk(res, `create namespace ${name}`);
  }
}

/** Throws with the server's message unless the response is 2xx. */
export function expectOk(res: KubeResponse, what: string): void {
  if (res.status < 200 || res.status > 299) {
    throw new Error(`${what}: HTTP ${res.status}: ${res.body?.message ?? res.text.slice(0, 500)}`);
  }
}

function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** Suffix shared by every namespace of one suite run, so a re-run against a live cluster starts clean. */
const RUN_SUFFIX = Date.now().toString(36);

/** A namespace name unique to this suite run, e.g. 'rbac-m1x2y3z4'. */
export function runNamespace(base: string): string {
  return `${base}-${RUN_SUFFIX}`.slice(0, 63);
}
