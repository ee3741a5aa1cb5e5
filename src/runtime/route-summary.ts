import { getCanaryStableServices, getHost, type VirtualServiceObject, type VsRouteDestination } from './istio';
import type { RolloutState } from './types';

/**
 * One http route of a VirtualService as users read it: name, match conditions, weighted
 * destinations and mirror, with stable/canary destinations named by role. Used by `simulate`
 * (ticks of a Rollout with managed routes), the plan/simulate tables and the e2e comparison.
 */
export interface RouteSummary {
  /** The http route's name (`""` when unnamed). */
  readonly name: string;
  /**
   * For a route named in `trafficRouting.managedRoutes`: `mirror` when it mirrors, else `header`.
   * @default - not a managed route (the weighted route, or another route of the VirtualService)
   */
  readonly kind?: 'header' | 'mirror';
  /**
   * One entry per match (any may match); each lists its conditions (all must match), e.g.
   * `method=exact:GET uri=prefix:/api x-canary=exact:yes`.
   * @default - no match: every request
   */
  readonly match?: readonly string[];
  /** Weighted destinations, e.g. `stable:80 80`, `canary:80 20` (role or host, `:port` when set, weight). */
  readonly destinations: readonly string[];
  /**
   * The mirror destination and percentage, e.g. `canary:80 25%`.
   * @default - no mirror
   */
  readonly mirror?: string;
}

type Roles = (host: string, subset: string) => string;

function rolesOf(rollout: RolloutState): Roles {
  const { canaryService, stableService } = getCanaryStableServices(rollout);
  const dr = rollout.spec.strategy.canary?.trafficRouting?.istio?.destinationRule;
  return (host, subset) => {
    if (dr && subset !== '' && subset === dr.canarySubsetName) return 'canary';
    if (dr && subset !== '' && subset === dr.stableSubsetName) return 'stable';
    if (!dr && canaryService !== '' && host === canaryService) return 'canary';
    if (!dr && stableService !== '' && host === stableService) return 'stable';
    return subset === '' ? host : `${host}/${subset}`;
  };
}

function destinationText(d: VsRouteDestination, roles: Roles): string {
  const port = (d.destination?.port as { number?: number } | undefined)?.number;
  return `${roles(getHost(d), String(d.destination?.subset ?? ''))}${port !== undefined ? `:${port}` : ''}`;
}

/** `key=kind:value` of an Istio StringMatch (`{exact: 'yes'}` -> `exact:yes`). */
function stringMatchText(key: string, m: unknown): string {
  const entries = Object.entries((m ?? {}) as Record<string, unknown>);
  return `${key}=${entries.map(([k, v]) => `${k}:${String(v)}`).join(',')}`;
}

function matchText(match: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  for (const key of ['method', 'uri']) if (match[key] !== undefined) parts.push(stringMatchText(key, match[key]));
  const headers = (match.headers ?? {}) as Record<string, unknown>;
  for (const h of Object.keys(headers).sort()) parts.push(stringMatchText(h, headers[h]));
  return parts.join(' ');
}

/** Every http route of `virtualService`, in order, summarized for `rollout`'s Services or subsets. */
export function summarizeHttpRoutes(rollout: RolloutState, virtualService: VirtualServiceObject): RouteSummary[] {
  const roles = rolesOf(rollout);
  const managed = new Set((rollout.spec.strategy.canary?.trafficRouting?.managedRoutes ?? []).map((r) => r.name));
  return (virtualService.spec.http ?? []).map((route) => {
    const mirror = route.mirror as VsRouteDestination['destination'] | undefined;
    const percentage = (route.mirrorPercentage as { value?: number } | undefined)?.value;
    return {
      name: route.name ?? '',
      ...(managed.has(route.name ?? '') ? { kind: mirror ? ('mirror' as const) : ('header' as const) } : {}),
      ...(route.match && route.match.length > 0 ? { match: route.match.map(matchText) } : {}),
      destinations: (route.route ?? []).map((d) => `${destinationText(d, roles)} ${d.weight ?? 0}`),
      ...(mirror ? { mirror: `${destinationText({ destination: mirror }, roles)}${percentage !== undefined ? ` ${percentage}%` : ''}` } : {}),
    };
  });
}

/** A route in a few characters for a table cell: `testers(header)`, `shadow(mirror 50%)`, `primary`. */
export function routeCell(r: RouteSummary): string {
  if (r.kind === 'header') return `${r.name}(header)`;
  if (r.kind === 'mirror') return `${r.name}(mirror ${r.mirror?.split(' ')[1] ?? ''})`;
  return r.name || '(unnamed)';
}

/** One route as text: `<label> [match | match] -> destinations (mirror ...)`; the label defaults to the name. */
export function routeText(r: RouteSummary, label = r.name || '(unnamed)'): string {
  return `${label}${r.match ? ` [${r.match.join(' | ')}]` : ''} -> ${r.destinations.join(', ') || 'none'}${r.mirror ? ` (mirror ${r.mirror})` : ''}`;
}

/** Every route as {@link routeText}, in order, joined by `; `. */
export function routesText(routes: readonly RouteSummary[]): string {
  return routes.map((r) => routeText(r)).join('; ');
}
