import { Duration } from 'cdk8s';
import { AnalysisTemplateSpecMetricsProviderPrometheus } from '../../../imports/argo-analysis-template-argoproj.io';
import { CANARY_ANALYSIS_DEFAULTS } from '../defaults';
import type { Problem } from '../canary-app-error';
import { positiveWholeSeconds } from './go-duration';

/**
 * Properties for `PrometheusSource`: where the Argo Rollouts controller sends the metric queries.
 * Any Prometheus-compatible HTTP API works: Prometheus, Grafana Mimir, Cortex, Thanos, VictoriaMetrics.
 */
export interface PrometheusSourceProps extends PrometheusSourceOptions {
  /**
   * Base URL of the Prometheus HTTP API; the controller appends `/api/v1/query`.
   * Grafana Mimir serves it under its prefix, e.g. `http://mimir-query-frontend.mimir.svc:8080/prometheus`.
   * @default - unset: the controller's `ARGO_ROLLOUTS_PROMETHEUS_ADDRESS` environment variable is used
   */
  readonly address?: string;

  /**
   * Tenant id sent as the `X-Scope-OrgID` header, which Grafana Mimir (multi-tenant) requires.
   * @default - no tenant header (single-tenant Prometheus, or Mimir with multitenancy disabled)
   */
  readonly tenant?: string;
}

/** The settings of a `PrometheusSource` besides its address and tenant (the options of `PrometheusSource.mimir`). */
export interface PrometheusSourceOptions {
  /**
   * Extra HTTP headers sent with every query (for example an `Authorization` header). Values may use
   * `{{args.NAME}}` only for arguments the template declares.
   * @default - none
   */
  readonly headers?: { [key: string]: string };

  /**
   * Query timeout (whole seconds).
   * @default - the controller's default, 30 seconds
   */
  readonly timeout?: Duration;

  /**
   * Skip TLS certificate verification of `address`.
   * @default false
   */
  readonly insecure?: boolean;
}

/** One HTTP header sent with the queries. */
export interface PrometheusHeader {
  /** Header name. */
  readonly key: string;
  /** Header value. */
  readonly value: string;
}

/** RFC 7230 token characters: what an HTTP header name may contain. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * A Prometheus-compatible metrics source (Argo's `prometheus` provider without the query).
 * Validation happens in `problems()`, so a template can report every problem in one error.
 */
export class PrometheusSource {
  /** A Grafana Mimir tenant: `address` plus the `X-Scope-OrgID` header. */
  public static mimir(address: string, tenant: string, options: PrometheusSourceOptions = {}): PrometheusSource {
    return new PrometheusSource({ ...options, address, tenant });
  }

  /** Settings as given. */
  public readonly props: PrometheusSourceProps;

  constructor(props: PrometheusSourceProps = {}) {
    this.props = props;
  }

  /** Every problem with these settings, each prefixed with `path`. Empty when valid. */
  public problems(path: string): Problem[] {
    const problems: Problem[] = [];
    const { address, tenant, headers, timeout } = this.props;
    if (address !== undefined) {
      let url: URL | undefined;
      try {
        url = new URL(address);
      } catch {
        url = undefined;
      }
      if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.host === '') {
        problems.push({ path: `${path}.address`, value: address, expected: 'must be an absolute http:// or https:// URL, e.g. "http://mimir-query-frontend.mimir.svc:8080/prometheus"' });
      } else if (url.pathname.replace(/\/+$/, '').endsWith('/api/v1/query')) {
        problems.push({ path: `${path}.address`, value: address, expected: 'must be the API base URL without "/api/v1/query" (the controller appends it)' });
      }
    }
    if (tenant !== undefined && (tenant.trim() === '' || /[\r\n]/.test(tenant))) {
      problems.push({ path: `${path}.tenant`, value: tenant, expected: 'must be a non-empty single-line tenant id' });
    }
    for (const [key, value] of Object.entries(headers ?? {})) {
      if (!HEADER_NAME.test(key)) {
        problems.push({ path: `${path}.headers`, value: key, expected: "is not a valid HTTP header name (letters, digits and !#$%&'*+.^_`|~- only)" });
      }
      if (/[\r\n]/.test(value)) {
        problems.push({ path: `${path}.headers[${JSON.stringify(key)}]`, value, expected: 'must be a single line' });
      }
      if (tenant !== undefined && key.toLowerCase() === CANARY_ANALYSIS_DEFAULTS.tenantHeader.toLowerCase()) {
        problems.push({ path: `${path}.headers`, value: key, expected: `duplicates ${path}.tenant (the tenant is sent as ${CANARY_ANALYSIS_DEFAULTS.tenantHeader}); set it once` });
      }
    }
    if (timeout !== undefined) {
      positiveWholeSeconds(`${path}.timeout`, timeout, problems);
    }
    return problems;
  }

  /** Header entries in render order: the tenant first, then the extra headers sorted by name. */
  public headerEntries(): PrometheusHeader[] {
    const out: PrometheusHeader[] = [];
    if (this.props.tenant !== undefined) {
      out.push({ key: CANARY_ANALYSIS_DEFAULTS.tenantHeader, value: this.props.tenant });
    }
    for (const key of Object.keys(this.props.headers ?? {}).sort()) {
      out.push({ key, value: this.props.headers![key]! });
    }
    return out;
  }

  /**
   * The `provider.prometheus` object for one query. Call only after `problems()` returned nothing.
   * @internal
   */
  public _toKube(query: string): AnalysisTemplateSpecMetricsProviderPrometheus {
    const headers = this.headerEntries();
    const timeoutSeconds = this.props.timeout?.toSeconds();
    return {
      address: this.props.address,
      query,
      headers: headers.length > 0 ? headers : undefined,
      timeout: timeoutSeconds,
      insecure: this.props.insecure,
    };
  }
}
