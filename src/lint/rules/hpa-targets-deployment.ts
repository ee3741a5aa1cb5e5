import { sameNamespace, type ManifestObject } from '../manifest-index';
import { findingsOf, type LintContext, type LintRule } from '../rule';
import type { RolloutView } from '../rollout-view';

/** HPAs aimed at the Deployment that a Rollout references through workloadRef. */
export function hpasOnWorkload(context: LintContext, rollout: RolloutView): readonly ManifestObject[] {
  const ref = rollout.workloadRef;
  if (ref?.kind !== 'Deployment' || ref.name === undefined) return [];
  return context.index.hpasTargeting('Deployment', ref.name).filter((hpa) => sameNamespace(hpa.namespace, rollout.object.namespace));
}

/**
 * HPAs aimed at a Deployment of the Rollout's name that the manifests do not hold (the Deployment
 * was replaced by a Rollout with an inline template, and the HPA was left behind). A Deployment
 * the Rollout references through workloadRef is {@link hpasOnWorkload}'s case.
 */
function hpasOnReplacedDeployment(context: LintContext, rollout: RolloutView): readonly ManifestObject[] {
  const { name, namespace } = rollout.object;
  if (rollout.workloadRef?.kind === 'Deployment' && rollout.workloadRef.name === name) return [];
  if (context.index.find('Deployment', name, namespace)) return [];
  return context.index.hpasTargeting('Deployment', name).filter((hpa) => sameNamespace(hpa.namespace, namespace));
}

/** The HPA still scales the Deployment, which no longer runs the pods. */
export const hpaTargetsDeploymentRule: LintRule = {
  id: 'hpa-targets-deployment',
  severity: 'error',
  summary:
    'An HPA targets the Deployment that a Rollout references through workloadRef: it scales a template holder, ' +
    'so the Rollout never autoscales (and falls back to spec.replicas, 1 when unset). Also an HPA aimed at a Deployment ' +
    'that is not in the manifests while a Rollout of that name is (the Deployment was replaced by the Rollout).',
  fix: 'Point the HPA at the Rollout: scaleTargetRef {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: <rollout>}.',
  check(context) {
    return findingsOf(context.rollouts, (rollout) => [
      ...hpasOnWorkload(context, rollout).map((hpa) => ({
        object: hpa,
        path: 'spec.scaleTargetRef',
        message: `scaleTargetRef is Deployment/${rollout.workloadRef?.name ?? ''}, but ${rollout.object.ref} runs the pods of that Deployment's template.`,
        fix: `Set scaleTargetRef to {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: ${rollout.object.name}}.`,
      })),
      ...hpasOnReplacedDeployment(context, rollout).map((hpa) => ({
        object: hpa,
        path: 'spec.scaleTargetRef',
        message:
          `scaleTargetRef is Deployment/${rollout.object.name}, which is not in the manifests, while ${rollout.object.ref} of that name is: ` +
          'the Deployment was replaced by the Rollout, and the HPA scales nothing.',
        fix: `Set scaleTargetRef to {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: ${rollout.object.name}}.`,
      })),
    ]);
  },
};
