/** The Services of one tick (rollout/service.go): functions over the tick's {@link RolloutContext}. */
import { selectedHash } from './cluster-state';
import { ARGO_KEYS } from '../model/argo-defaults';
import { getCanaryStableServices } from './istio';
import { isFullyPromoted } from './phase';
import { isReplicaSetAvailable } from './replica-counts';
import type { RolloutContext } from './reconcile-context';
import { isDynamicallyRollingBackToStable } from './traffic-helpers';
import type { ReplicaSetState } from './types';

/** rollout/service.go ensureSVCTargets: points a Service's selector at `rs` (when ready, with `checkAvailability`). */
export function ensureServiceTarget(
  c: RolloutContext,
  serviceName: string | undefined,
  rs: ReplicaSetState | undefined,
  checkAvailability: boolean,
): void {
  if (!rs || !serviceName) return;
  const svc = c.services[serviceName];
  if (!svc) return;
  if (selectedHash(svc) === rs.podTemplateHash) return;
  const adopted = svc.annotations?.[ARGO_KEYS.managedByAnnotation] !== undefined;
  if (!adopted && checkAvailability && !isReplicaSetAvailable(rs)) return;
  if (checkAvailability && rs.availableReplicas === 0) return;
  const from = selectedHash(svc);
  c.writableServices()[serviceName] = {
    ...svc,
    selector: { ...svc.selector, [ARGO_KEYS.podTemplateHashLabel]: rs.podTemplateHash },
    annotations: { ...(svc.annotations ?? {}), [ARGO_KEYS.managedByAnnotation]: c.name },
  };
  c.actions.push({ kind: 'switchService', service: serviceName, from, to: rs.podTemplateHash });
  c.event('SwitchService', `Switched selector for service '${serviceName}' from '${from ?? ''}' to '${rs.podTemplateHash}'`);
}

/** rollout/service.go reconcilePingAndPongService: the canary of the pair follows the new RS until fully promoted. */
export function reconcilePingAndPongService(c: RolloutContext): void {
  if (!c.canary.pingPong || isFullyPromoted(c.ro)) return;
  ensureServiceTarget(c, getCanaryStableServices(c.ro).canaryService, c.newRS, false);
}

/** rollout/service.go reconcileStableAndCanaryService. */
export function reconcileStableAndCanaryService(c: RolloutContext): void {
  ensureServiceTarget(c, c.canary.stableService, c.stableRS, true);
  if (c.pause.isAborted() && !c.trafficRouted) {
    ensureServiceTarget(c, c.canary.canaryService, c.stableRS, true);
    return;
  }
  if (isDynamicallyRollingBackToStable(c.ro, c.newRS)) return;
  ensureServiceTarget(c, c.canary.canaryService, c.newRS, true);
}
