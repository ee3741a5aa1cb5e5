import type { HeaderRouteStep, MirrorRouteStep } from '../runtime/types';
import type { ProblemList } from './canary-app-error';

/**
 * How a request value is matched (Istio `StringMatch`). Set exactly one field, to a non-empty string.
 */
export interface RouteStringMatch {
  /**
   * The value must equal this string.
   * @default - not set
   */
  readonly exact?: string;
  /**
   * The value must start with this string.
   * @default - not set
   */
  readonly prefix?: string;
  /**
   * The value must match this RE2 regular expression (whole value, as Envoy matches it).
   * @default - not set
   */
  readonly regex?: string;
}

/** A header condition: `headerName` must match `headerValue`. */
export interface RouteHeaderMatch {
  /** Lowercase HTTP header name, e.g. `x-canary` (Istio requires lowercase header keys). */
  readonly headerName: string;
  /** How the header's value is matched. */
  readonly headerValue: RouteStringMatch;
}

/** A header route: requests matching any of `match` go 100 % to the canary (`setHeaderRoute`). */
export interface SetHeaderRouteOptions {
  /**
   * Name of the VirtualService http route Argo creates (one of `managedRoutes`). It must differ
   * from the weighted route's name.
   */
  readonly name: string;
  /**
   * Header conditions; a request matching any one of them is routed to the canary. At least one:
   * `CanaryStep.removeHeaderRoute(name)` removes the route.
   */
  readonly match: RouteHeaderMatch[];
}

/** A request condition of a mirror route (Istio `HTTPMatchRequest`): every field set must match. */
export interface RouteRequestMatch {
  /**
   * The HTTP method, e.g. `{ exact: 'GET' }`.
   * @default - any method
   */
  readonly method?: RouteStringMatch;
  /**
   * The request path (Istio `uri`), e.g. `{ prefix: '/' }` for every request.
   * @default - any path
   */
  readonly path?: RouteStringMatch;
  /**
   * Header conditions, all of which must match (one per header name).
   * @default - no header condition
   */
  readonly headers?: RouteHeaderMatch[];
}

/**
 * A mirror route: requests matching any of `match` keep going to stable and canary by the current
 * weights, and `percentage` % of them are also copied to the canary (`setMirrorRoute`).
 */
export interface SetMirrorRouteOptions {
  /**
   * Name of the VirtualService http route Argo creates (one of `managedRoutes`). It must differ
   * from the weighted route's name.
   */
  readonly name: string;
  /**
   * Request conditions; a request matching any one of them is mirrored. At least one:
   * `CanaryStep.removeMirrorRoute(name)` removes the route.
   */
  readonly match: RouteRequestMatch[];
  /**
   * Share (whole percent, 0-100) of the matching requests copied to the canary.
   * @default 100 (Argo's default: every matching request is mirrored)
   */
  readonly percentage?: number;
}

const STRING_MATCH_KEYS = ['exact', 'prefix', 'regex'] as const;
/** Istio's header names (pkg/config/validation ValidateHTTPHeaderName), lowercase as its HTTPMatchRequest docs require. */
const HEADER_NAME = /^[-_a-z0-9]+$/;
const HEADER_NAME_RULE = 'must be a lowercase HTTP header name (letters a-z, digits, "-" or "_"), e.g. "x-canary"';
const ROUTE_NAME_RULE = 'must be a non-empty route name';

/** Checks a route name (not listed in managedRoutes and the like are checked by the app). */
export function checkRouteName(path: string, name: unknown, problems: ProblemList): void {
  if (typeof name !== 'string' || name.trim() === '') problems.add(path, name, ROUTE_NAME_RULE);
}

/**
 * A string match sets exactly one of exact, prefix, regex to a non-empty string, as Argo's
 * validation (pkg/apis/rollouts/validation/validation.go hasMultipleMatchValues) demands.
 */
function checkStringMatch(path: string, match: unknown, problems: ProblemList): void {
  const m = (match ?? undefined) as Record<string, unknown> | undefined;
  const set = typeof m === 'object' ? STRING_MATCH_KEYS.filter((k) => m[k] !== undefined && m[k] !== '') : [];
  const bad = set.filter((k) => typeof m?.[k] !== 'string');
  if (set.length !== 1 || bad.length > 0) {
    const got = set.length === 0 ? 'none' : set.join(' and ');
    problems.add(path, match, `must set exactly one of exact, prefix or regex to a non-empty string (got ${got})`);
  }
}

function checkHeaderMatches(path: string, matches: unknown, problems: ProblemList, unique: boolean): void {
  if (!Array.isArray(matches)) {
    problems.add(path, matches, 'must be a list of { headerName, headerValue }');
    return;
  }
  const seen = new Set<string>();
  matches.forEach((m: unknown, j: number) => {
    const here = `${path}[${j}]`;
    if (typeof m !== 'object' || m === null) {
      problems.add(here, m, 'must be { headerName, headerValue }');
      return;
    }
    const { headerName, headerValue } = m as RouteHeaderMatch;
    if (typeof headerName !== 'string' || !HEADER_NAME.test(headerName)) problems.add(`${here}.headerName`, headerName, HEADER_NAME_RULE);
    else if (unique && seen.has(headerName)) problems.add(`${here}.headerName`, headerName, 'is listed twice in this match; one condition per header (Istio keys them by name)');
    seen.add(headerName);
    checkStringMatch(`${here}.headerValue`, headerValue, problems);
  });
}

/** Records every problem of a `setHeaderRoute` step's options under `path` (`steps[i].setHeaderRoute`). */
export function checkHeaderRoute(path: string, options: SetHeaderRouteOptions, problems: ProblemList): void {
  if (typeof options !== 'object' || options === null) {
    problems.add(path, options, 'must be { name, match: [{ headerName, headerValue }] }');
    return;
  }
  checkRouteName(`${path}.name`, options.name, problems);
  if (!Array.isArray(options.match) || options.match.length === 0) {
    problems.add(`${path}.match`, options.match, `must list at least one header match; to remove the route use CanaryStep.removeHeaderRoute(${JSON.stringify(options.name)})`);
  } else {
    checkHeaderMatches(`${path}.match`, options.match, problems, false);
  }
}

/** Records every problem of a `setMirrorRoute` step's options under `path` (`steps[i].setMirrorRoute`). */
export function checkMirrorRoute(path: string, options: SetMirrorRouteOptions, problems: ProblemList): void {
  if (typeof options !== 'object' || options === null) {
    problems.add(path, options, 'must be { name, match: [{ method?, path?, headers? }], percentage? }');
    return;
  }
  checkRouteName(`${path}.name`, options.name, problems);
  const matches: unknown = options.match;
  if (!Array.isArray(matches) || matches.length === 0) {
    problems.add(`${path}.match`, matches, `must list at least one request match, e.g. [{ path: { prefix: '/' } }]; to remove the route use CanaryStep.removeMirrorRoute(${JSON.stringify(options.name)})`);
  } else {
    matches.forEach((m: unknown, j: number) => checkRequestMatch(`${path}.match[${j}]`, m, problems));
  }
  const p = options.percentage;
  if (p !== undefined && (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 100)) {
    problems.add(`${path}.percentage`, p, 'must be a whole number between 0 and 100 (Argo mirrors an int32 percentage)');
  }
}

function checkRequestMatch(path: string, m: unknown, problems: ProblemList): void {
  const r = (typeof m === 'object' && m !== null ? m : {}) as RouteRequestMatch;
  if (r.method === undefined && r.path === undefined && r.headers === undefined) {
    problems.add(path, m, "must set at least one of method, path or headers (to mirror every request: { path: { prefix: '/' } })");
    return;
  }
  if (r.method !== undefined) checkStringMatch(`${path}.method`, r.method, problems);
  if (r.path !== undefined) checkStringMatch(`${path}.path`, r.path, problems);
  if (r.headers !== undefined) checkHeaderMatches(`${path}.headers`, r.headers, problems, true);
}

function stringMatchSpec(m: RouteStringMatch): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of STRING_MATCH_KEYS) if (m[k] !== undefined && m[k] !== '') out[k] = m[k] as string;
  return out;
}

/** The `setHeaderRoute` step as rendered (CRD field names); no `match` removes the route. */
export function headerRouteSpec(name: string, match?: RouteHeaderMatch[]): HeaderRouteStep {
  if (match === undefined) return { name };
  return { name, match: match.map((m) => ({ headerName: m.headerName, headerValue: stringMatchSpec(m.headerValue) })) };
}

/** The `setMirrorRoute` step as rendered (CRD field names; headers become a map); no `match` removes the route. */
export function mirrorRouteSpec(name: string, match?: RouteRequestMatch[], percentage?: number): MirrorRouteStep {
  if (match === undefined) return { name };
  const rendered = match.map((m) => ({
    ...(m.headers !== undefined ? { headers: Object.fromEntries(m.headers.map((h) => [h.headerName, stringMatchSpec(h.headerValue)])) } : {}),
    ...(m.method !== undefined ? { method: stringMatchSpec(m.method) } : {}),
    ...(m.path !== undefined ? { path: stringMatchSpec(m.path) } : {}),
  }));
  return { name, match: rendered, ...(percentage !== undefined ? { percentage } : {}) };
}
