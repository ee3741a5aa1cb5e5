import type { CanaryStep } from '../../runtime/types';
import { canaryRollouts, findingsOf, type CanaryRolloutView, type LintRule, type RuleFinding } from '../rule';

/** A `setHeaderRoute` / `setMirrorRoute` step: its index, kind, route name and whether it sets (has matches) or removes. */
interface RouteStep {
  readonly index: number;
  readonly kind: 'setHeaderRoute' | 'setMirrorRoute';
  readonly name: string;
  readonly sets: boolean;
  readonly percentage?: number;
}

function routeSteps(steps: readonly CanaryStep[]): RouteStep[] {
  const out: RouteStep[] = [];
  steps.forEach((s, index) => {
    for (const kind of ['setHeaderRoute', 'setMirrorRoute'] as const) {
      const route = s[kind] as { name?: unknown; match?: unknown; percentage?: unknown } | undefined;
      if (!route || typeof route !== 'object') continue;
      const sets = Array.isArray(route.match) && route.match.length > 0;
      out.push({ index, kind, name: String(route.name ?? ''), sets, ...(typeof route.percentage === 'number' ? { percentage: route.percentage } : {}) });
    }
  });
  return out;
}

const path = (r: RouteStep, field = 'name') => `spec.strategy.canary.steps[${r.index}].${r.kind}.${field}`;

function check(context: Parameters<LintRule['check']>[0], find: (rollout: CanaryRolloutView, routes: RouteStep[]) => RuleFinding[]): RuleFinding[] {
  return findingsOf(canaryRollouts(context), (rollout) => {
    const routes = routeSteps(rollout.canary.steps ?? []);
    return routes.length === 0 ? [] : find(rollout, routes);
  });
}

/** A route step names a route missing from `trafficRouting.managedRoutes`: Argo refuses the Rollout. */
export const managedRouteNotListedRule: LintRule = {
  id: 'managed-route-not-listed',
  severity: 'error',
  summary:
    'A setHeaderRoute or setMirrorRoute step names a route that spec.strategy.canary.trafficRouting.managedRoutes does not list: ' +
    'the controller refuses the Rollout (InvalidSpec "Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes") and no step runs.',
  fix: 'List every route name the steps use under trafficRouting.managedRoutes (- name: <route>), in the priority order the routes should have in the VirtualService.',
  check: (context) =>
    check(context, (rollout, routes) => {
      const listed = new Set((rollout.canary.trafficRouting?.managedRoutes ?? []).map((r) => r?.name));
      return routes
        .filter((r) => !listed.has(r.name))
        .map((r) => ({
          object: rollout.object,
          path: path(r),
          message: `route "${r.name}" is not in trafficRouting.managedRoutes (${listed.size === 0 ? 'none listed' : [...listed].map((n) => `"${n}"`).join(', ')}).`,
        }));
    }),
};

/** A header or mirror route still set after the last step. */
export const managedRouteLeftInPlaceRule: LintRule = {
  id: 'managed-route-left-in-place',
  severity: 'warning',
  summary:
    'A header or mirror route is still in place after the last step: the controller only removes managed routes at full promotion or abort, ' +
    'so through every step after it the matching requests go 100 % to the canary (header route) or are copied to canary pods sized for the current weight (mirror route).',
  fix: 'Remove the route with a step once its test is done: "- setHeaderRoute: {name: <route>}" or "- setMirrorRoute: {name: <route>}" (CanaryStep.removeHeaderRoute / removeMirrorRoute).',
  check: (context) =>
    check(context, (rollout, routes) => {
      const last = new Map<string, RouteStep>();
      for (const r of routes) last.set(r.name, r);
      return [...last.values()]
        .filter((r) => r.sets)
        .map((r) => ({
          object: rollout.object,
          path: `spec.strategy.canary.steps[${r.index}].${r.kind}`,
          message: `${r.kind === 'setHeaderRoute' ? 'header' : 'mirror'} route "${r.name}" set at step ${r.index} is never removed by a later step; it stays until the rollout is fully promoted or aborted.`,
        }));
    }),
};

/** A mirror route without `percentage`: Argo mirrors every matching request. */
export const mirrorWithoutPercentageRule: LintRule = {
  id: 'mirror-without-percentage',
  severity: 'warning',
  summary:
    'A setMirrorRoute step has no percentage: the controller then mirrors 100 % of the matching requests (rollout/trafficrouting/istio/istio.go SetMirrorRoute), ' +
    'a full copy of that traffic on canary pods sized for the current weight.',
  fix: 'Set percentage on the setMirrorRoute step (a whole number 0-100, e.g. percentage: 10), sized to what the canary pods can take.',
  check: (context) =>
    check(context, (rollout, routes) =>
      routes
        .filter((r) => r.kind === 'setMirrorRoute' && r.sets && r.percentage === undefined)
        .map((r) => ({ object: rollout.object, path: `spec.strategy.canary.steps[${r.index}].setMirrorRoute`, message: `mirror route "${r.name}" mirrors 100 % of the matching requests to the canary (no percentage).` })),
    ),
};

/** True when a step before `index` gives the canary pods (a weight or an explicit canary scale above 0). */
function canaryHasPodsBefore(steps: readonly CanaryStep[], index: number): boolean {
  return steps.slice(0, index).some((s) => (s.setWeight ?? 0) > 0 || (s.setCanaryScale?.replicas ?? 0) > 0 || (s.setCanaryScale?.weight ?? 0) > 0);
}

/** A route set before the canary has pods: the controller removes it again at the next reconcile. */
export const managedRouteBeforeCanaryPodsRule: LintRule = {
  id: 'managed-route-before-canary-pods',
  severity: 'warning',
  summary:
    'A header or mirror route is set before any step gives the canary pods: while the new ReplicaSet has no available pod the controller removes every managed route on each reconcile ' +
    '(rollout/trafficrouting.go reconcileTrafficRouting, RemoveManagedRoutes), so the route is gone again before anyone can use it, and the step is not run again.',
  fix: 'Put a step that starts canary pods before the route step: setCanaryScale: {replicas: 1} (pods, no traffic) or a setWeight above 0.',
  check: (context) =>
    check(context, (rollout, routes) => {
      const steps = rollout.canary.steps ?? [];
      return routes
        .filter((r) => r.sets && !canaryHasPodsBefore(steps, r.index))
        .map((r) => ({
          object: rollout.object,
          path: `spec.strategy.canary.steps[${r.index}].${r.kind}`,
          message: `route "${r.name}" is set at step ${r.index}, before any step gives the canary pods; the controller removes it again while the canary has no available pod.`,
        }));
    }),
};
