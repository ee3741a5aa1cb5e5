import type { CanaryStep as CanaryStepSpec } from '../runtime/types';
import { formatValue, type ProblemList } from './canary-app-error';
import { checkRouteName } from './route-steps';

/** The route a `setHeaderRoute` / `setMirrorRoute` step manages, with the field path of its name. */
interface RouteUse {
  readonly name: string;
  readonly path: string;
}

function routeUses(steps: readonly CanaryStepSpec[]): RouteUse[] {
  const uses: RouteUse[] = [];
  steps.forEach((s, i) => {
    if (s.setHeaderRoute) uses.push({ name: s.setHeaderRoute.name, path: `steps[${i}].setHeaderRoute.name` });
    if (s.setMirrorRoute) uses.push({ name: s.setMirrorRoute.name, path: `steps[${i}].setMirrorRoute.name` });
  });
  return uses;
}

/**
 * `trafficRouting.managedRoutes`: the names given, checked (each non-empty, listed once, not the
 * weighted route's name, and every route a step uses listed, as Argo's validation demands:
 * "Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes"),
 * or derived from the steps in the order of first use. Argo orders the managed routes first in the
 * VirtualService in this order (rollout/trafficrouting/istio/istio.go orderRoutes) and removes
 * them by name at full promotion or abort (RemoveManagedRoutes), hence the clash with the weighted route.
 */
export function resolveManagedRoutes(given: unknown, steps: readonly CanaryStepSpec[], weightedRoute: string, problems: ProblemList): string[] {
  const uses = routeUses(steps).filter((u) => typeof u.name === 'string' && u.name.trim() !== '');
  const clash = `must differ from the weighted route's name (virtualService.routeName ${formatValue(weightedRoute)}): Argo removes managed routes by name at promotion and abort, which would delete the weighted route`;
  if (given === undefined) {
    const names = [...new Set(uses.map((u) => u.name))];
    for (const u of uses) if (u.name === weightedRoute) problems.add(u.path, u.name, clash);
    return names;
  }
  if (!Array.isArray(given)) {
    problems.add('managedRoutes', given, 'must be a list of route names, e.g. ["canary-testers"], or omitted to derive it from the steps');
    return [];
  }
  const seen = new Set<string>();
  given.forEach((name: unknown, i: number) => {
    const path = `managedRoutes[${i}]`;
    checkRouteName(path, name, problems);
    if (typeof name !== 'string') return;
    if (seen.has(name)) problems.add(path, name, 'is listed twice; each managed route once (its position is its priority)');
    else if (name === weightedRoute) problems.add(path, name, clash);
    seen.add(name);
  });
  for (const u of uses) {
    if (!seen.has(u.name)) {
      problems.add(u.path, u.name, `is not listed in managedRoutes (${formatValue(given)}); Argo rejects the Rollout ("Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes"): add it, or omit managedRoutes to derive it from the steps`);
    }
  }
  return given.filter((n): n is string => typeof n === 'string');
}
