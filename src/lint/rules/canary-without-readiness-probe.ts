import { isPlainObject } from '../../model/records';
import { arrayAt } from '../data';
import { podTemplateOf, type TemplateContainer } from '../pod-templates';

import { canaryRollouts, findingsOf, type LintRule, type RuleFinding } from '../rule';

/**
 * The containers to report: those that declare a port (what Services send traffic to) without a
 * readiness probe; when no container declares a port, the first container if none has a probe
 * (a pod is Ready once every container is, and a container without a probe is Ready once started).
 */
function unprobed(containers: readonly TemplateContainer[]): TemplateContainer[] {
  const serving = containers.filter((c) => arrayAt(c.raw.ports).length > 0);
  if (serving.length > 0) return serving.filter((c) => !isPlainObject(c.raw.readinessProbe));
  if (containers.length === 0 || containers.some((c) => isPlainObject(c.raw.readinessProbe))) return [];
  return [containers[0]];
}

/** A canary whose pods are Ready before the app inside can serve. */
export const canaryWithoutReadinessProbeRule: LintRule = {
  id: 'canary-without-readiness-probe',
  severity: 'warning',
  summary:
    'A container of a canary Rollout\'s pods has no readiness probe: the pod counts as available as soon as it starts, ' +
    'so the controller moves weight to pods the app may not be ready to serve (errors at every step, and analysis measures them).',
  fix: 'Give each serving container a readinessProbe (httpGet on a health path, or at least tcpSocket on the served port).',
  check(context) {
    return findingsOf(canaryRollouts(context), (rollout): RuleFinding[] => {
      const holder = rollout.workloadRef ? rollout.workload : rollout.object;
      const template = holder && podTemplateOf(holder);
      if (!template) return [];
      const containers = template.containers.filter((c) => c.list === 'containers');
      return unprobed(containers).map((c) => ({
        object: template.object,
        path: c.path,
        message: `container "${c.name}" of ${rollout.object.ref}'s pods has no readinessProbe: its pods are Ready (and get traffic weight) as soon as they start.`,
      }));
    });
  },
};
