import { asRecord } from '../records';
import type { CanaryStrategy } from '../rollout-spec';
import { findObject, type RolloutReadContext } from './context';
import { stringRecord } from './fields';
import type { KubeObject, RolloutModel, ServiceModel } from './types';

/** The Services the canary strategy names (stable and canary, or ping and pong); each must be in the input. */
export function readServices(ctx: RolloutReadContext, canary: CanaryStrategy): RolloutModel['services'] {
  return {
    stable: readService(ctx, 'spec.strategy.canary.stableService', canary.stableService),
    canary: readService(ctx, 'spec.strategy.canary.canaryService', canary.canaryService),
    ping: readService(ctx, 'spec.strategy.canary.pingPong.pingService', canary.pingPong?.pingService),
    pong: readService(ctx, 'spec.strategy.canary.pingPong.pongService', canary.pingPong?.pongService),
  };
}

function readService(ctx: RolloutReadContext, field: string, svcName: string | undefined): ServiceModel | undefined {
  if (!svcName) {
    return undefined;
  }
  const found = findObject(ctx, 'Service', svcName, ctx.ns);
  if (!found) {
    return ctx.fail(`${field} names Service/${svcName}, which is not in the input`);
  }
  return {
    name: svcName,
    namespace: found.object.metadata?.namespace,
    selector: serviceSelector(found.object),
    object: found.object,
  };
}

/** A Service's `spec.selector` (`{}` when absent): the one reading of it, for the Rollout reader and migration. */
export function serviceSelector(service: KubeObject): Record<string, string> {
  return stringRecord(asRecord(service.spec)?.selector);
}
