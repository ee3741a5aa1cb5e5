/** CanaryApp's disruption budgets concern: the stable and canary PodDisruptionBudgets. */
import { isWholeNumber } from './_checks';
import type { Resolved } from './_app-resolved';
import type { CanaryAppProps } from './canary-app-props';
import type { ProblemList } from './canary-app-error';
import { CANARY_APP_DEFAULTS } from './defaults';
import { DisruptionBudget } from './disruption';

/** The stable and canary PodDisruptionBudgets (none with `false`), checked against the fewest pods each role has. */
export function resolveDisruptionBudgets(
  given: CanaryAppProps['disruptionBudgets'],
  fewestReplicas: number | undefined,
  minPodsPerReplicaSet: number,
  problems: ProblemList,
): Resolved['pdbs'] {
  if (given === false) return undefined;
  const o = given ?? {};
  const stable = o.stable ?? DisruptionBudget.maxUnavailable(CANARY_APP_DEFAULTS.pdbMaxUnavailable);
  const canary = o.canary ?? DisruptionBudget.maxUnavailable(CANARY_APP_DEFAULTS.pdbMaxUnavailable);
  const fewest = isWholeNumber(fewestReplicas, 1) ? fewestReplicas : undefined;
  const fewestCanary = fewest === undefined ? undefined : Math.min(minPodsPerReplicaSet, fewest);
  for (const [role, b, fewestPods] of [['stable', stable, fewest], ['canary', canary, fewestCanary]] as const) {
    if (b instanceof DisruptionBudget) b._check(`disruptionBudgets.${role}`, problems, fewestPods, role);
    else problems.add(`disruptionBudgets.${role}`, b, 'must be DisruptionBudget.maxUnavailable(...) or DisruptionBudget.minAvailable(...)');
  }
  return { stable, canary };
}
