import { arrayAt, recordAt, stringAt } from '../data';
import { canaryRollouts, type LintRule, type RuleFinding } from '../rule';
import { virtualServiceRefs } from '../virtual-services';

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
      const managedRoutes = arrayAt(rollout.canary.trafficRouting?.managedRoutes);
      for (const { ref, path, object: vs, routes } of virtualServiceRefs(context.index, rollout)) {
        if (!vs) {
          findings.push({
            object: rollout.object,
            path: `${path}.name`,
            message: `VirtualService/${stringAt(ref.name) ?? ''} is not in the manifests.`,
          });
          continue;
        }
        const spec = recordAt(vs.raw.spec);
        const http = arrayAt(spec.http).map(recordAt);
        const listed = arrayAt(ref.routes);
        if (http.length === 0) {
          // The controller only looks at http routes when the VirtualService has some (TLS/TCP-only
          // services are weighted through tlsRoutes/tcpRoutes, as in Argo's TLS-only e2e fixture).
          if (arrayAt(spec.tls).length === 0 && arrayAt(spec.tcp).length === 0) {
            findings.push({ object: vs, path: 'spec.http', message: `${vs.ref} has no http, tls or tcp route for ${rollout.object.ref} to weight.` });
          }
        } else if (listed.length > 0) {
          const names = http.map((r) => stringAt(r.name));
          listed.forEach((name, i) => {
            if (typeof name !== 'string' || !names.includes(name)) {
              findings.push({
                object: rollout.object,
                path: `${path}.routes[${i}]`,
                message: `route ${JSON.stringify(name)} is not an http route of ${vs.ref} (its routes: ${names.map((n) => n ?? '<unnamed>').join(', ') || 'none'}).`,
              });
            }
          });
        } else {
          const managed = new Set(managedRoutes.map((r) => stringAt(recordAt(r).name)));
          const candidates = http.filter((r) => !managed.has(stringAt(r.name)));
          if (candidates.length > 1) {
            findings.push({
              object: rollout.object,
              path: `${path}.routes`,
              message: `routes is not set and ${vs.ref} has ${candidates.length} http routes; the controller needs exactly one, or the route names listed.`,
            });
          }
        }
        const dr = rollout.canary.trafficRouting?.istio?.destinationRule;
        const wanted = dr
          ? ([['stable subset', dr.stableSubsetName], ['canary subset', dr.canarySubsetName]] as const)
          : ([['stable Service', rollout.canary.stableService], ['canary Service', rollout.canary.canaryService]] as const);
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
      }
    }
    return findings;
  },
};
