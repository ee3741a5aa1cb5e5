import type { RolloutModel } from '../model/manifests';
import { formulaPlanner } from './plan-formulas';
import type { PlanOptions, PlanResult, PlanRow } from './plan-result';
import { runSimulation, SimulationError, type SimulationSnapshot, simulatedReplicas } from './simulate';
import { getMinPodsPerReplicaSetOrDefault } from './rollout-defaults';
import { canaryStepString } from './steps';
import type { CanaryStep } from './types';

/**
 * `plan(model, {replicas})`: the happy path of an update, one row per step, each row the state
 * right after that step completes. The reference is {@link planBySimulation}: it replays an update
 * through `runSimulation` (the same reconciler `simulate` uses), promoting every indefinite pause,
 * and reads the rows off the trace. For the Rollouts whose path has a closed form (plan-formulas.ts:
 * Istio host routing, no dynamicStableScale, setWeight/pause/setCanaryScale steps) `plan` computes
 * the same rows from the Argo formulas directly; a property test over random Rollouts holds the two
 * equal (test/runtime/plan-formulas.test.ts).
 */

export type { PlanOptions, PlanResult, PlanRow } from './plan-result';

function pauseLabel(step: CanaryStep): string | null {
  if (!step.pause) return null;
  const d = step.pause.duration;
  if (d === undefined) return 'indefinite';
  return typeof d === 'number' || /^\d+$/.test(d) ? `${d}s` : d;
}

/** Pods the controller's writes in these ticks created (sum of scale-ups). */
function podsCreated(snapshots: readonly SimulationSnapshot[]): number {
  let created = 0;
  for (const s of snapshots) {
    for (const action of s.actions) {
      if (action.kind === 'scaleReplicaSet' && action.to > action.from) created += action.to - action.from;
    }
  }
  return created;
}

/** Plans an update of the Rollout: one row per step, the state after each step completes. */
export function plan(model: RolloutModel, options: PlanOptions = {}): PlanResult {
  return planner(model)(options);
}

/**
 * `plan` for one model at several replica counts (e.g. an HPA's min and max): the same results
 * as calling `plan(model, options)` each time, with the work that does not depend on the count
 * (the closed-form domain check, the step labels) done once.
 */
export function planner(model: RolloutModel): (options?: PlanOptions) => PlanResult {
  const formulas = formulaPlanner(model);
  const steps = model.spec.strategy.canary?.steps ?? [];
  let pauses: readonly (string | null)[] | undefined;
  return (options = {}) => {
    const replicas = simulatedReplicas(model, options.replicas);
    const direct = formulas?.(replicas);
    if (direct === undefined) return planBySimulation(model, options);
    const labels = (pauses ??= steps.map(pauseLabel));
    const rows: PlanRow[] = direct.map((row) => ({
      step: row.step,
      action: row.action,
      canaryWeight: row.canaryWeight,
      stableWeight: row.stableWeight,
      canaryReplicas: row.canaryReplicas,
      stableReplicas: row.stableReplicas,
      totalPods: row.totalPods,
      podsAdded: row.podsAdded,
      pause: labels[row.step],
    }));
    return planResult(model, replicas, rows);
  };
}

/** The reference plan: replays the update through the simulator and reads the rows off the trace. */
export function planBySimulation(model: RolloutModel, options: PlanOptions = {}): PlanResult {
  const steps = model.spec.strategy.canary?.steps ?? [];
  // The happy path: the manifests' spec.paused (e.g. a migration in progress) is ignored.
  const happy: RolloutModel = { ...model, spec: { ...model.spec, paused: undefined } };
  const snapshots = runSimulation(
    happy,
    { ...(options.replicas !== undefined ? { replicas: options.replicas } : {}), events: [{ at: 0, update: {} }] },
    { autoPromote: true, start: 'rolledOut' },
  );
  const replicas = simulatedReplicas(model, options.replicas);
  // Ticks after the update: the first one is the start state.
  let from = 1;
  const rows: PlanRow[] = [];
  steps.forEach((step, i) => {
    const at = snapshots.findIndex((s, k) => k >= from && s.tick.stepIndex !== null && s.tick.stepIndex > i && s.tick.stepIndex <= steps.length);
    if (at < 0) {
      throw new SimulationError(`Rollout/${model.name}: plan: step ${i} (${canaryStepString(step)}) never completes`);
    }
    const { tick, cluster } = snapshots[at];
    const canaryRS = tick.replicaSets.find((rs) => rs.role === 'canary');
    const stableRS = tick.replicaSets.find((rs) => rs.role === 'stable');
    rows.push({
      step: i,
      action: canaryStepString(step),
      canaryWeight: tick.weights.canary,
      stableWeight: tick.weights.stable,
      canaryReplicas: canaryRS?.replicas ?? 0,
      stableReplicas: stableRS?.replicas ?? 0,
      totalPods: cluster.replicaSets.reduce((sum, rs) => sum + (rs.statusReplicas ?? 0), 0),
      podsAdded: podsCreated(snapshots.slice(from, at + 1)),
      pause: pauseLabel(step),
      ...(tick.routes ? { managedRoutes: tick.routes.filter((r) => r.kind !== undefined) } : {}),
    });
    from = at + 1;
  });
  return planResult(model, replicas, rows);
}

function planResult(model: RolloutModel, replicas: number, rows: readonly PlanRow[]): PlanResult {
  const steps = model.spec.strategy.canary?.steps ?? [];
  return { rollout: model.name, replicas, minPodsPerReplicaSet: getMinPodsPerReplicaSetOrDefault(model.spec), rows, steps };
}
