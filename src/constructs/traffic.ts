import { isPlainObject } from '../model/records';
import { Duration } from 'cdk8s';

import type { VirtualServiceSpecHttpMatch, VirtualServiceSpecHttpMatchUri } from '../../imports/istio-virtual-service-networking.istio.io';
import { CANARY_APP_DEFAULTS } from './defaults';

import { DNS1123_LABEL_RULE, GATEWAY_RULE, PORT_NUMBER_RULE, VIRTUAL_SERVICE_HOST_RULE, isDns1123Label, isGatewayRef, isPortNumber, isVirtualServiceHost, isWholeNumber } from './_checks';
import { ISTIO_DURATION_RULE, isIstioDuration } from './_durations';

import { checkLabels } from './_pod-checks';

import type { ProblemList } from './canary-app-error';

/** Retries of the weighted http route. */
export interface HttpRetryOptions {
  /** Number of retries (0 disables Istio's default of 2). */
  readonly attempts: number;
  /**
   * Timeout of each try.
   * @default - Istio's: the route timeout
   */
  readonly perTryTimeout?: Duration;
  /**
   * Conditions to retry on, e.g. `'5xx,connect-failure,reset'`.
   * @default - Istio's: connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes
   */
  readonly retryOn?: string;
}

/** The Istio VirtualService with the weighted route the Rollout moves. */
export interface VirtualServiceOptions {
  /** Hosts the VirtualService answers for (at least one), e.g. `['www.example.com']`. */
  readonly hosts: string[];
  /**
   * Gateways (`namespace/name`), plus `'mesh'` to also route in-mesh callers (sidecars), who then
   * must use one of `hosts` (add the stable Service name for them).
   * @default - none: Istio applies the VirtualService to in-mesh traffic only (`mesh`)
   */
  readonly gateways?: string[];
  /**
   * Name of the weighted http route; the Rollout lists it in `trafficRouting.istio.virtualService.routes`.
   * @default 'primary'
   */
  readonly routeName?: string;
  /**
   * Match conditions of the weighted route (Istio `HTTPMatchRequest`s).
   * @default - match every request
   */
  readonly match?: VirtualServiceSpecHttpMatch[];
  /**
   * Retries of the weighted route.
   * @default - Istio's default retry policy
   */
  readonly retries?: HttpRetryOptions;
  /**
   * Timeout of the weighted route.
   * @default - no timeout
   */
  readonly timeout?: Duration;
}

/** The stable and canary Services (and the optional root Service). */
export interface ServiceOptions {
  /**
   * Service port; the VirtualService routes to it.
   * @default 80
   */
  readonly port?: number;
  /**
   * Container port the Services send traffic to: a port name (recommended) or number.
   * @default 'http'
   */
  readonly targetPort?: string | number;
  /**
   * Name of the Service port (Istio reads the protocol from a `http` / `http-*` prefix).
   * @default 'http'
   */
  readonly portName?: string;
}

/** Options of subset-level traffic splitting. */
export interface SubsetSplitOptions {
  /**
   * DestinationRule subset of the stable pods.
   * @default 'stable'
   */
  readonly stableSubset?: string;
  /**
   * DestinationRule subset of the canary pods.
   * @default 'canary'
   */
  readonly canarySubset?: string;
}

/**
 * How Istio splits traffic: between two Services (`host`, the write-up's) or between two subsets of
 * one Service through a DestinationRule (`subset`; needs Argo Rollouts >= 1.8, see argo-rollouts#2507).
 */
export class TrafficSplit {
  /** Host-level split: stable and canary Services, the VirtualService weighs the two hosts. */
  public static host(): TrafficSplit {
    return new TrafficSplit('host', CANARY_APP_DEFAULTS.stableSubset, CANARY_APP_DEFAULTS.canarySubset);
  }

  /** Subset-level split: one Service, a DestinationRule with a stable and a canary subset. */
  public static subset(options: SubsetSplitOptions = {}): TrafficSplit {
    return new TrafficSplit(
      'subset',
      options.stableSubset ?? CANARY_APP_DEFAULTS.stableSubset,
      options.canarySubset ?? CANARY_APP_DEFAULTS.canarySubset,
    );
  }

  private constructor(
    /** `host` or `subset`. */
    public readonly mode: 'host' | 'subset',
    /** Stable subset name (subset mode). */
    public readonly stableSubset: string,
    /** Canary subset name (subset mode). */
    public readonly canarySubset: string,
  ) {}
}

/** Keys of an Istio `HTTPMatchRequest` (the L1 `VirtualServiceSpecHttpMatch`); any other key is a typo. */
const MATCH_KEYS = [
  'authority', 'gateways', 'headers', 'ignoreUriCase', 'method', 'name', 'port', 'queryParams',
  'scheme', 'sourceLabels', 'sourceNamespace', 'statPrefix', 'uri', 'withoutHeaders',
] as const satisfies readonly (keyof VirtualServiceSpecHttpMatch)[];
/** Compile-time guard: a field added to the L1 match must be added to MATCH_KEYS (it would be refused). */
const MATCH_KEYS_COVERED: [Exclude<keyof VirtualServiceSpecHttpMatch, (typeof MATCH_KEYS)[number]>] extends [never] ? true : never = true;
void MATCH_KEYS_COVERED;
const STRING_MATCH_KEYS = ['exact', 'prefix', 'regex'] as const satisfies readonly (keyof VirtualServiceSpecHttpMatchUri)[];
const STRING_MATCH_RULE = `must be a string match with exactly one of ${STRING_MATCH_KEYS.join(', ')}, e.g. { prefix: "/api" }`;

/**
 * Records every problem of the VirtualService options (Istio's `validateVirtualService` rules for
 * what CanaryApp renders) and returns the route name.
 */
export function checkVirtualServiceOptions(vs: VirtualServiceOptions, problems: ProblemList): string {
  const meshBound = vs.gateways === undefined || (Array.isArray(vs.gateways) && (vs.gateways.length === 0 || vs.gateways.includes('mesh')));
  if (!Array.isArray(vs.hosts) || vs.hosts.length === 0) {
    problems.add('virtualService.hosts', vs.hosts, 'must list at least one host, e.g. "www.example.com"');
  } else {
    const seen = new Set<string>();
    vs.hosts.forEach((h, i) => {
      if (!isVirtualServiceHost(h)) problems.add(`virtualService.hosts[${i}]`, h, VIRTUAL_SERVICE_HOST_RULE);
      else if (seen.has(h)) problems.add(`virtualService.hosts[${i}]`, h, 'is listed twice');
      else if (h === '*' && meshBound) {
        problems.add(`virtualService.hosts[${i}]`, h, 'is refused by Istio on a VirtualService bound to the mesh (gateways unset or listing "mesh"): name the hosts, or list only ingress gateways');
      }
      seen.add(h);
    });
  }
  if (vs.gateways !== undefined) {
    if (!Array.isArray(vs.gateways)) problems.add('virtualService.gateways', vs.gateways, 'must be a list of gateways ("namespace/name", "name" or "mesh")');
    else checkGateways('virtualService.gateways', vs.gateways, problems);
  }
  const routeName = vs.routeName ?? CANARY_APP_DEFAULTS.routeName;
  if (!isDns1123Label(routeName)) problems.add('virtualService.routeName', routeName, DNS1123_LABEL_RULE);
  if (vs.timeout !== undefined && !isIstioDuration(vs.timeout)) problems.add('virtualService.timeout', vs.timeout, ISTIO_DURATION_RULE);
  if (vs.retries !== undefined) {
    if (!isWholeNumber(vs.retries.attempts, 0)) problems.add('virtualService.retries.attempts', vs.retries.attempts, 'must be a whole number >= 0');
    if (vs.retries.perTryTimeout !== undefined && !isIstioDuration(vs.retries.perTryTimeout)) {
      problems.add('virtualService.retries.perTryTimeout', vs.retries.perTryTimeout, ISTIO_DURATION_RULE);
    }
    if (vs.retries.retryOn !== undefined && !/^[a-z0-9-]+(,[a-z0-9-]+)*$/.test(vs.retries.retryOn)) {
      problems.add('virtualService.retries.retryOn', vs.retries.retryOn, 'must be comma-separated conditions without spaces, e.g. "5xx,connect-failure"');
    }
  }
  if (vs.match !== undefined) {
    if (!Array.isArray(vs.match) || vs.match.length === 0) {
      problems.add('virtualService.match', vs.match, 'must list at least one match condition (omit it to match every request)');
    } else {
      vs.match.forEach((m, i) => checkMatch(`virtualService.match[${i}]`, m, problems));
    }
  }
  return routeName;
}

function checkGateways(path: string, gateways: readonly unknown[], problems: ProblemList): void {
  const seen = new Set<unknown>();
  gateways.forEach((g, i) => {
    if (!isGatewayRef(g)) problems.add(`${path}[${i}]`, g, GATEWAY_RULE);
    else if (seen.has(g)) problems.add(`${path}[${i}]`, g, 'is listed twice');
    seen.add(g);
  });
}

/** One `HTTPMatchRequest`: known keys only (a typo would make the route match every request), typed values. */
function checkMatch(path: string, match: unknown, problems: ProblemList): void {
  if (!isPlainObject(match)) {
    problems.add(path, match, 'must be an object of match conditions, e.g. { uri: { prefix: "/api" } }');
    return;
  }
  for (const [key, value] of Object.entries(match)) {
    const here = `${path}.${key}`;
    if (!(MATCH_KEYS as readonly string[]).includes(key)) {
      problems.add(here, value, `is not a match condition: the route would match every request; valid keys are ${MATCH_KEYS.join(', ')}`);
    } else if (key === 'authority' || key === 'method' || key === 'scheme' || key === 'uri') {
      checkStringMatch(here, value, problems);
    } else if (key === 'headers' || key === 'queryParams' || key === 'withoutHeaders') {
      if (!isPlainObject(value)) problems.add(here, value, 'must be a map of names to string matches, e.g. { "x-canary": { exact: "1" } }');
      else for (const [name, m] of Object.entries(value)) checkStringMatch(`${here}.${name}`, m, problems);
    } else if (key === 'sourceLabels') {
      checkLabels(here, value, problems);
    } else if (key === 'gateways') {
      if (!Array.isArray(value)) problems.add(here, value, 'must be a list of gateways ("namespace/name", "name" or "mesh")');
      else checkGateways(here, value, problems);
    } else if (key === 'port' && !isPortNumber(value)) {
      problems.add(here, value, PORT_NUMBER_RULE);
    } else if (key === 'ignoreUriCase' && typeof value !== 'boolean') {
      problems.add(here, value, 'must be true or false');
    } else if ((key === 'name' || key === 'sourceNamespace' || key === 'statPrefix') && typeof value !== 'string') {
      problems.add(here, value, 'must be a string');
    }
  }
}

function checkStringMatch(path: string, value: unknown, problems: ProblemList): void {
  const keys = isPlainObject(value) ? Object.keys(value) : [];
  const ok = keys.length === 1 && (STRING_MATCH_KEYS as readonly string[]).includes(keys[0]) && typeof (value as Record<string, unknown>)[keys[0]] === 'string';
  if (!ok) problems.add(path, value, STRING_MATCH_RULE);
}
