import type { VirtualServiceRouteFields } from '../../model/manifests';
import { arrayAt, recordAt, stringAt } from '../data';
import type { ManifestObject } from '../manifest-index';
import { type CanaryRolloutView, canaryRollouts, type LintRule, type RuleFinding } from '../rule';
import { type RoutedHttpRoute, type VirtualServiceRef, virtualServiceRefs } from '../virtual-services';

/** The VirtualService and routes a Rollout names must exist and carry both Services. */
export const virtualServiceRoutesRule: LintRule = {
  id: 'virtual-service-routes',
  severity: 'error',
  summary:
    'The VirtualService named in the Rollout is missing, a route listed in routes does not exist, routes is omitted ' +
    'while the VirtualService has several http routes, or a managed route lacks the stable or canary destination: ' +
    'the controller fails to set weights and the rollout stalls.',
  fix: 'Name the http route (e.g. "primary"), list it in trafficRouting.istio.virtualService.routes, and give it two destinations: the stable Service (weight 100) and the canary Service (weight 0).',
  check(context) {
    const findings: RuleFinding[] = [];
    for (const rollout of canaryRollouts(context)) {
      for (const ref of virtualServiceRefs(context.index, rollout)) {
        if (!ref.object) {
          findings.push({
            object: rollout.object,
            path: `${ref.path}.name`,
            message: `VirtualService/${stringAt(ref.ref.name) ?? ''} is not in the manifests.`,
          });
          continue;
        }
        findings.push(...routeSelectionFindings(rollout, ref, ref.object), ...destinationFindings(rollout, ref.object, ref.routes));
      }
    }
    return findings;
  },
};

/** The routes the Rollout selects exist: some route to weight, each listed name, or one unmanaged http route when none is listed. */
function routeSelectionFindings(rollout: CanaryRolloutView, ref: VirtualServiceRef, vs: ManifestObject): RuleFinding[] {
  const spec = recordAt(vs.raw.spec);
  const http = ref.http;
  const listed = arrayAt(ref.ref.routes);
  if (http.length === 0) {
    // The controller only looks at http routes when the VirtualService has some (TLS/TCP-only
    // services are weighted through tlsRoutes/tcpRoutes, as in Argo's TLS-only e2e fixture).
    if (arrayAt(spec.tls).length > 0 || arrayAt(spec.tcp).length > 0) return [];
    return [{ object: vs, path: 'spec.http', message: `${vs.ref} has no http, tls or tcp route for ${rollout.object.ref} to weight.` }];
  }
  return listed.length > 0 ? listedRouteFindings(rollout, ref, vs, http, listed) : unlistedRouteFindings(rollout, ref, vs, http);
}

/** Each name `routes` lists is an http route of the VirtualService. */
function listedRouteFindings(
  rollout: CanaryRolloutView,
  ref: VirtualServiceRef,
  vs: ManifestObject,
  http: readonly VirtualServiceRouteFields[],
  listed: readonly unknown[],
): RuleFinding[] {
  const names = http.map((r) => r.name);
  const findings: RuleFinding[] = [];
  listed.forEach((name, i) => {
    if (typeof name === 'string' && names.includes(name)) return;
    findings.push({
      object: rollout.object,
      path: `${ref.path}.routes[${i}]`,
      message: `route ${JSON.stringify(name)} is not an http route of ${vs.ref} (its routes: ${names.map((n) => n ?? '<unnamed>').join(', ') || 'none'}).`,
    });
  });
  return findings;
}

/** With no `routes` listed, the controller needs exactly one http route that `managedRoutes` does not claim. */
function unlistedRouteFindings(
  rollout: CanaryRolloutView,
  ref: VirtualServiceRef,
  vs: ManifestObject,
  http: readonly VirtualServiceRouteFields[],
): RuleFinding[] {
  const managedRoutes = arrayAt(rollout.canary.trafficRouting?.managedRoutes);
  const managed = new Set(managedRoutes.map((r) => stringAt(recordAt(r).name)));
  const candidates = http.filter((r) => !managed.has(r.name));
  if (candidates.length <= 1) return [];
  return [
    {
      object: rollout.object,
      path: `${ref.path}.routes`,
      message: `routes is not set and ${vs.ref} has ${candidates.length} http routes; the controller needs exactly one, or the route names listed.`,
    },
  ];
}

/** Each selected route has the stable and canary destinations (the subsets with a DestinationRule, else the Services). */
function destinationFindings(rollout: CanaryRolloutView, vs: ManifestObject, routes: readonly RoutedHttpRoute[]): RuleFinding[] {
  const dr = rollout.canary.trafficRouting?.istio?.destinationRule;
  const wanted = dr
    ? ([['stable subset', dr.stableSubsetName], ['canary subset', dr.canarySubsetName]] as const)
    : ([['stable Service', rollout.canary.stableService], ['canary Service', rollout.canary.canaryService]] as const);
  const findings: RuleFinding[] = [];
  for (const { index, destinations } of routes) {
    for (const [what, name] of wanted) {
      if (name === undefined || name === '') continue;
      if (destinations.some((d) => (dr ? d.subset : d.host) === name)) continue;
      findings.push({
        object: vs,
        path: `spec.http[${index}].route`,
        message: `${what} ${JSON.stringify(name)} of ${rollout.object.ref} is not a destination of this route (destinations: ${destinations.map((d) => d.subset ?? d.host).join(', ') || 'none'}).`,
      });
    }
  }
  return findings;
}
