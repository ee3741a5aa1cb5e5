import { ARGO_KEYS } from '../../model/argo-defaults';
import { recordAt, show, stringMapAt } from '../data';
import { labelsMatch } from '../../model/label-selector';
import { canaryRollouts, findingsOf, type LintRule, type RuleFinding } from '../rule';

/** Stable/canary Services: named, distinct, present, and selecting the Rollout's pods. */
export const canaryServicesRule: LintRule = {
  id: 'canary-services',
  severity: 'error',
  summary:
    'The stable or canary Service is not set, is the same Service twice, is missing from the manifests, or its ' +
    'selector does not match the Rollout\'s pods: the controller cannot split traffic (Degraded) or routes to other pods.',
  fix: 'Declare two Services (e.g. <app>-svc and <app>-canary-svc) whose selector is the pod template\'s app label, and name them in stableService/canaryService.',
  check(context) {
    return findingsOf(canaryRollouts(context), (rollout): RuleFinding[] => {
      const { canary, object } = rollout;
      const findings: RuleFinding[] = [];
      // Host-level split needs both Services; subset-level split (a DestinationRule) and ping-pong do not.
      const routed = canary.trafficRouting !== undefined && canary.pingPong === undefined && canary.trafficRouting.istio?.destinationRule === undefined;
      const roles = [
        { field: 'stableService', name: canary.stableService, labels: rollout.stablePodLabels },
        { field: 'canaryService', name: canary.canaryService, labels: rollout.canaryPodLabels },
      ] as const;
      for (const role of roles) {
        const path = `spec.strategy.canary.${role.field}`;
        if (role.name === undefined || role.name === '') {
          if (routed) {
            findings.push({ object, path, message: `${role.field} is not set; Istio traffic routing needs both a stable and a canary Service.` });
          }
          continue;
        }
        const service = context.index.find('Service', role.name, object.namespace);
        if (!service) {
          findings.push({ object, path, message: `${role.field} names Service/${role.name}, which is not in the manifests.` });
          continue;
        }
        const selector = { ...stringMapAt(recordAt(service.raw.spec).selector) };
        delete selector[ARGO_KEYS.podTemplateHashLabel];
        if (Object.keys(selector).length > 0 && !labelsMatch(selector, role.labels)) {
          findings.push({
            object: service,
            path: 'spec.selector',
            message: `selector ${show(selector)} does not match the pods of ${object.ref} (labels ${show(role.labels)}), so it sends traffic to other pods or to none.`,
            fix: `Select the Rollout's pods, e.g. ${show(rollout.podLabels)}; the controller adds the pod-template-hash itself.`,
          });
        }
      }
      if (canary.stableService && canary.stableService === canary.canaryService) {
        findings.push({
          object,
          path: 'spec.strategy.canary.canaryService',
          message: `stableService and canaryService are both ${show(canary.stableService)}; the controller needs two Services to split traffic.`,
        });
      }
      return findings;
    });
  },
};
