import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The e2e Prometheus (started by e2e/cluster.sh with its remote-write receiver on): the Istio
 * request series the AnalysisRuns query are written to it with `promwrite` (built beside it by
 * e2e/build.sh), and the controller reaches it through a proxy that checks the Mimir tenant header.
 */

/** Where the e2e Prometheus and its tools are (environment set by e2e/run.sh). */
export interface PrometheusEnv {
  /** Base URL of the Prometheus HTTP API, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** The promwrite binary. */
  readonly promwrite: string;
  /** Prometheus's query log (every query it answered, one JSON object a line). */
  readonly queryLog: string;
}

/** Reads the environment e2e/run.sh exports; throws naming what is missing. */
export function prometheusEnv(): PrometheusEnv {
  const url = process.env.E2E_PROMETHEUS_URL;
  const promwrite = process.env.E2E_PROMWRITE;
  const run = process.env.E2E_RUN_DIR;
  if (!url || !promwrite || !run) {
    throw new Error('E2E_PROMETHEUS_URL, E2E_PROMWRITE and E2E_RUN_DIR must be set: run the analysis scenarios with `npm run e2e`, which starts Prometheus');
  }
  if (!existsSync(promwrite)) throw new Error(`E2E_PROMWRITE ${promwrite} does not exist: run e2e/build.sh prometheus`);
  return { url, promwrite, queryLog: join(run, 'logs', 'prometheus-queries.log') };
}

/** One Istio request counter series: what a sidecar or gateway exports for one response code. */
export interface IstioSeries {
  /** `reporter`: the calling proxy (`source`) or the called one (`destination`). */
  readonly reporter: 'source' | 'destination';
  /** Destination Service name (`destination_service_name`). */
  readonly service: string;
  /** Namespace of the Service and its workload. */
  readonly namespace: string;
  /** `response_code`, e.g. '200', '503'. */
  readonly responseCode: string;
  /** Requests added to the counter every second. */
  readonly perSecond: number;
}

/** The Istio labels of a series, as Istio's standard metrics name them. */
export function istioLabels(s: IstioSeries): Record<string, string> {
  return {
    __name__: 'istio_requests_total',
    reporter: s.reporter,
    source_workload: 'istio-ingressgateway',
    source_workload_namespace: 'istio-system',
    destination_service: `${s.service}.${s.namespace}.svc.cluster.local`,
    destination_service_name: s.service,
    destination_service_namespace: s.namespace,
    destination_workload_namespace: s.namespace,
    request_protocol: 'http',
    response_code: s.responseCode,
  };
}

/**
 * Synthetic Istio traffic: counters that grow by `perSecond` every second, each tick written to
 * Prometheus's remote-write receiver (all series of a tick with the same timestamp, so rates of
 * equal counters are equal floats). A series keeps being written once started (a counter does not
 * vanish when its rate drops to 0). Writes are acknowledged one by one; a failed write fails
 * {@link IstioTraffic.stop} and {@link IstioTraffic.check}.
 */
export class IstioTraffic {
  /** Starts promwrite and the 1 s tick. */
  static start(env: PrometheusEnv): IstioTraffic {
    return new IstioTraffic(spawn(env.promwrite, [`${env.url}/api/v1/write`], { stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  private readonly counters = new Map<string, { labels: Record<string, string>; value: number; perSecond: number }>();
  private readonly pending: ((line: string) => void)[] = [];
  private readonly failures: string[] = [];
  private readonly timer: NodeJS.Timeout;
  private stderr = '';
  private inFlight: Promise<void> = Promise.resolve();
  /** Ticks written and acknowledged. */
  public written = 0;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => this.pending.shift()?.(line));
    child.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    child.on('exit', (code) => {
      for (const resolve of this.pending.splice(0)) resolve(`error: promwrite exited with ${code}: ${this.stderr.trim()}`);
    });
    this.timer = setInterval(() => {
      this.inFlight = this.inFlight.then(() => this.tick());
    }, 1_000);
  }

  /** Sets the per-second rate of each series (new series start at 0 on the next tick). */
  set(series: readonly IstioSeries[]): void {
    for (const s of series) {
      const labels = istioLabels(s);
      const key = JSON.stringify(labels);
      const counter = this.counters.get(key);
      if (counter) counter.perSecond = s.perSecond;
      else this.counters.set(key, { labels, value: 0, perSecond: s.perSecond });
    }
  }

  /** Throws when a write failed. */
  check(): void {
    if (this.failures.length > 0) throw new Error(`remote write to Prometheus failed ${this.failures.length} times, first: ${this.failures[0]}`);
  }

  /** Stops writing (after the write in flight) and checks that every write succeeded. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
    this.child.stdin.end();
    await new Promise((resolve) => (this.child.exitCode !== null ? resolve(undefined) : this.child.on('exit', resolve)));
    this.check();
  }

  private async tick(): Promise<void> {
    if (this.counters.size === 0) return;
    const timestampMs = Date.now();
    const timeseries = [...this.counters.values()].map((c) => {
      c.value += c.perSecond;
      return { labels: c.labels, samples: [{ value: c.value, timestampMs }] };
    });
    const answer = new Promise<string>((resolve) => this.pending.push(resolve));
    this.child.stdin.write(`${JSON.stringify({ timeseries })}\n`);
    const line = await answer;
    if (line === 'ok') this.written++;
    else this.failures.push(line);
  }
}

/** One request the tenant proxy forwarded (or refused). */
export interface ProxiedRequest {
  readonly method: string;
  /** Path as received, with the /prometheus prefix. */
  readonly path: string;
  /** The `X-Scope-OrgID` header, undefined when absent. */
  readonly tenant: string | undefined;
  /** Status code answered. */
  readonly status: number;
  /** The PromQL `query` parameter (form body or URL), undefined when absent. */
  readonly query: string | undefined;
}

/**
 * A Mimir-like front for the e2e Prometheus: serves the Prometheus API under `/prometheus` (as
 * Mimir's query-frontend does), refuses a request without `X-Scope-OrgID` with 401 "no org id"
 * (what Mimir answers), and records every request with its tenant header, which Prometheus's own
 * logs cannot show.
 */
export class TenantProxy {
  /** Starts listening on a free loopback port. */
  static async start(prometheusUrl: string): Promise<TenantProxy> {
    const proxy = new TenantProxy(new URL(prometheusUrl));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** Every request received, in order. */
  public readonly requests: ProxiedRequest[] = [];
  private readonly server: Server;

  private constructor(private readonly target: URL) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.forward(req, res, Buffer.concat(chunks)));
    });
  }

  private forward(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const tenant = req.headers['x-scope-orgid'];
    const path = req.url ?? '/';
    const url = new URL(path, 'http://proxy');
    const query = url.searchParams.get('query') ?? new URLSearchParams(body.toString('utf8')).get('query') ?? undefined;
    const record = (status: number) => this.requests.push({ method: req.method ?? '', path: url.pathname, tenant: Array.isArray(tenant) ? tenant.join(',') : tenant, status, query });
    if (!url.pathname.startsWith('/prometheus/')) {
      record(404);
      res.writeHead(404).end('not under /prometheus\n');
      return;
    }
    if (!tenant) {
      record(401);
      res.writeHead(401).end('no org id\n');
      return;
    }
    const upstream = httpRequest(
      { host: this.target.hostname, port: this.target.port, method: req.method, path: path.slice('/prometheus'.length), headers: { ...req.headers, host: this.target.host } },
      (up) => {
        record(up.statusCode ?? 0);
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      record(502);
      res.writeHead(502).end(`upstream: ${err.message}\n`);
    });
    upstream.end(body);
  }

  /** Base URL to give the AnalysisTemplate, e.g. http://127.0.0.1:40001/prometheus. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/prometheus`;
  }

  /** Stops listening. */
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** One entry of Prometheus's query log that the scenarios use. */
export interface LoggedQuery {
  readonly query: string;
  readonly path: string | undefined;
}

/** The queries Prometheus logged whose PromQL contains `needle` (e.g. a namespace). */
export function loggedQueries(env: PrometheusEnv, needle: string): LoggedQuery[] {
  if (!existsSync(env.queryLog)) return [];
  return readFileSync(env.queryLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { params?: { query?: string }; httpRequest?: { path?: string } })
    .filter((e) => e.params?.query?.includes(needle))
    .map((e) => ({ query: e.params?.query ?? '', path: e.httpRequest?.path }));
}

/** Runs an instant query against Prometheus directly; resolves to the vector's values. */
export async function instantQuery(env: PrometheusEnv, query: string): Promise<number[]> {
  const res = await fetch(`${env.url}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query }) });
  const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: { value: [number, string] }[] } };
  if (body.status !== 'success' || body.data?.resultType !== 'vector') throw new Error(`query failed (${res.status}): ${body.error ?? JSON.stringify(body).slice(0, 300)}`);
  return body.data.result.map((r) => Number(r.value[1]));
}
