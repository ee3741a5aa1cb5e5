import { getHttpRouteIndexesToPatch, orderRoutes, type VirtualServiceObject, type VirtualServiceResult, type VsRoute } from './istio';
import type { CanaryStep, IstioVirtualServiceRef, RolloutState } from './types';

/**
 * Header and mirror routes (`setHeaderRoute` / `setMirrorRoute` steps) on an Istio VirtualService,
 * as rollout/trafficrouting/istio/istio.go `SetHeaderRoute` / `SetMirrorRoute` build them
 * (called from rollout/trafficrouting.go reconcileTrafficRouting). Written here because the Istio module only removes and orders managed routes.
 */

type StringMatch = { readonly exact?: string; readonly regex?: string; readonly prefix?: string };

function stringMatch(value: unknown): Record<string, string> {
  const v = (value ?? {}) as StringMatch;
  const out: Record<string, string> = {};
  for (const key of ['exact', 'regex', 'prefix'] as const) {
    if (v[key] !== undefined && v[key] !== '') out[key] = v[key] as string;
  }
  return out;
}

/** The route whose weights the Rollout manages: the first one `routes` selects. */
function weightedRoute(virtualService: VirtualServiceObject, ref: IstioVirtualServiceRef): VsRoute | undefined {
  const http = virtualService.spec.http ?? [];
  const { indexes } = getHttpRouteIndexesToPatch(ref.routes ?? [], http);
  return indexes.length > 0 ? http[indexes[0]] : undefined;
}

/** Canary host and subset: the DestinationRule host + canary subset, else the canary Service. */
function canaryTarget(rollout: RolloutState, destinationRuleHost: string | undefined): { host: string; subset?: string } {
  const canary = rollout.spec.strategy.canary;
  const dr = canary?.trafficRouting?.istio?.destinationRule;
  const host = destinationRuleHost && destinationRuleHost !== '' ? destinationRuleHost : (canary?.canaryService ?? '');
  return dr ? { host, subset: dr.canarySubsetName } : { host };
}

/**
 * Applies the current `setHeaderRoute` / `setMirrorRoute` step to one VirtualService: the route of
 * that name is removed, then (when the step has matches) re-created: a header route is appended and
 * sends 100 % to the canary; a mirror route is prepended, copies the weighted route's destinations
 * and mirrors `percentage` (default 100) to the canary. Managed routes are then ordered first.
 */
export function applyManagedRouteStep(
  rollout: RolloutState,
  virtualService: VirtualServiceObject,
  ref: IstioVirtualServiceRef,
  step: CanaryStep,
  destinationRuleHost?: string,
): VirtualServiceResult {
  const header = step.setHeaderRoute;
  const mirror = step.setMirrorRoute;
  const name = header?.name ?? mirror?.name;
  if (name === undefined) return { virtualService, modified: false };
  const http = virtualService.spec.http ?? [];
  const weighted = weightedRoute(virtualService, ref);
  const port = weighted?.route?.[0]?.destination?.port?.number;
  const target = canaryTarget(rollout, destinationRuleHost);
  const destination = {
    host: target.host,
    ...(target.subset !== undefined ? { subset: target.subset } : {}),
    ...(port !== undefined ? { port: { number: port } } : {}),
  };
  let routes: VsRoute[] = http.filter((route) => (route.name ?? '') !== name);
  const matches = (header?.match ?? mirror?.match ?? []) as readonly Record<string, unknown>[];
  if (matches.length > 0) {
    if (header) {
      routes.push({
        name,
        match: matches.map((m) => ({ headers: { [String(m.headerName ?? '')]: stringMatch(m.headerValue) } })),
        route: [{ destination, weight: 100 }],
      });
    } else if (mirror) {
      if (!weighted) {
        return { virtualService, modified: false, error: `mirror route '${name}': no weighted http route to copy in the VirtualService` };
      }
      routes = [
        {
          name,
          match: matches.map((m) => {
            const out: Record<string, unknown> = {};
            if (m.method !== undefined) out.method = stringMatch(m.method);
            if (m.path !== undefined) out.uri = stringMatch(m.path);
            if (m.headers !== undefined) {
              out.headers = Object.fromEntries(
                Object.entries(m.headers as Record<string, unknown>).map(([k, v]) => [k, stringMatch(v)]),
              );
            }
            return out;
          }),
          route: (weighted.route ?? []).map((d) => ({ ...d })),
          mirror: destination,
          mirrorPercentage: { value: mirror.percentage ?? 100 },
        },
        ...routes,
      ];
    }
  }
  const next = orderRoutes(rollout, { ...virtualService, spec: { ...virtualService.spec, http: routes } });
  const modified = JSON.stringify(next.spec.http) !== JSON.stringify(http);
  return { virtualService: modified ? next : virtualService, modified };
}
