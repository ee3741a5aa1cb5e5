import { Duration } from 'cdk8s';
import type { CanaryStep as CanaryStepSpec } from '../runtime/types';
import { CANARY_APP_PAUSE_RULE, canaryAppPauseRule, durationText, isWholeSeconds } from './_durations';
import type { ProblemList } from './canary-app-error';
import {
  checkHeaderRoute,
  checkMirrorRoute,
  checkRouteName,
  headerRouteSpec,
  mirrorRouteSpec,
  type SetHeaderRouteOptions,
  type SetMirrorRouteOptions,
} from './route-steps';

/** How `setCanaryScale` sizes the canary ReplicaSet. Set exactly one field. */
export interface SetCanaryScaleOptions {
  /**
   * A fixed number of canary pods, whatever the traffic weight.
   * @default - not set
   */
  readonly replicas?: number;
  /**
   * Canary pods as a percentage (0-100) of `spec.replicas`, whatever the traffic weight.
   * @default - not set
   */
  readonly weight?: number;
  /**
   * `true`: size the canary by the current traffic weight again (undoes an earlier setCanaryScale).
   * @default - not set
   */
  readonly matchTrafficWeight?: boolean;
}

/** What the props know when a step is checked. */
export interface StepCheckContext {
  /**
   * Most pods the Rollout can have: the fixed replicas, or the HPA's maxReplicas.
   * @default - unknown, no upper bound is checked
   */
  readonly maxReplicas?: number;
}

type StepValue =
  | { readonly kind: 'setWeight'; readonly weight: number }
  | { readonly kind: 'pause'; readonly duration?: Duration | string }
  | { readonly kind: 'setCanaryScale'; readonly scale: SetCanaryScaleOptions }
  | { readonly kind: 'setHeaderRoute'; readonly route: SetHeaderRouteOptions; readonly remove: boolean }
  | { readonly kind: 'setMirrorRoute'; readonly route: SetMirrorRouteOptions; readonly remove: boolean };

/**
 * One step of `spec.strategy.canary.steps`, as a value object:
 * `CanaryStep.setWeight(20)`, `CanaryStep.pause(Duration.seconds(15))`, `CanaryStep.pauseIndefinitely()`,
 * `CanaryStep.setCanaryScaleReplicas(2)`, `CanaryStep.setCanaryScaleWeight(25)`,
 * `CanaryStep.matchTrafficWeight()`, `CanaryStep.setHeaderRoute({...})`, `CanaryStep.setMirrorRoute({...})`
 * and their removals.
 *
 * Factories never throw: `CanaryApp` checks every step and reports all problems at once.
 */
export class CanaryStep {
  /**
   * Sends `weight` % (a whole number, 0-100) of the traffic to the canary (Argo's `setWeight`).
   * Java reserves `set...` names for setters, so Python, Java and Go call it `canaryWeight` (the same step).
   * @jsii ignore
   */
  public static setWeight(weight: number): CanaryStep {
    return new CanaryStep({ kind: 'setWeight', weight });
  }

  /** Sends `weight` % (a whole number, 0-100) of the traffic to the canary: `setWeight(weight)`. */
  public static canaryWeight(weight: number): CanaryStep {
    return CanaryStep.setWeight(weight);
  }

  /**
   * Waits for `duration`, then continues. A string is passed to Argo as is and must be digits
   * (seconds) or whole units such as "30s", "5m", "1h30m".
   */
  public static pause(duration: Duration | string): CanaryStep {
    return new CanaryStep({ kind: 'pause', duration });
  }

  /** Waits until someone promotes the rollout (`kubectl argo rollouts promote`, dashboard). */
  public static pauseIndefinitely(): CanaryStep {
    return new CanaryStep({ kind: 'pause' });
  }

  /**
   * Sizes the canary explicitly; exactly one of `replicas`, `weight`, `matchTrafficWeight` must be set.
   * Java reserves `set...` names for setters, so Python, Java and Go call it `canaryScale` (the same step).
   * @jsii ignore
   */
  public static setCanaryScale(options: SetCanaryScaleOptions): CanaryStep {
    return new CanaryStep({ kind: 'setCanaryScale', scale: { ...options } });
  }

  /**
   * Runs exactly `replicas` canary pods, whatever the traffic weight.
   * Java reserves `set...` names for setters, so Python, Java and Go call it `canaryScaleReplicas` (the same step).
   * @jsii ignore
   */
  public static setCanaryScaleReplicas(replicas: number): CanaryStep {
    return CanaryStep.setCanaryScale({ replicas });
  }

  /**
   * Runs `weight` % of `spec.replicas` as canary pods, whatever the traffic weight.
   * Java reserves `set...` names for setters, so Python, Java and Go call it `canaryScaleWeight` (the same step).
   * @jsii ignore
   */
  public static setCanaryScaleWeight(weight: number): CanaryStep {
    return CanaryStep.setCanaryScale({ weight });
  }

  /** Sizes the canary explicitly (Argo's `setCanaryScale`): `setCanaryScale(options)`. */
  public static canaryScale(options: SetCanaryScaleOptions): CanaryStep {
    return CanaryStep.setCanaryScale(options);
  }

  /** Runs exactly `replicas` canary pods, whatever the traffic weight: `setCanaryScaleReplicas(replicas)`. */
  public static canaryScaleReplicas(replicas: number): CanaryStep {
    return CanaryStep.setCanaryScaleReplicas(replicas);
  }

  /** Runs `weight` % of `spec.replicas` as canary pods: `setCanaryScaleWeight(weight)`. */
  public static canaryScaleWeight(weight: number): CanaryStep {
    return CanaryStep.setCanaryScaleWeight(weight);
  }

  /** Sizes the canary by the traffic weight again (the default behaviour). */
  public static matchTrafficWeight(): CanaryStep {
    return CanaryStep.setCanaryScale({ matchTrafficWeight: true });
  }

  /**
   * Sends requests whose headers match any of `options.match` 100 % to the canary, before or
   * whatever the weights: Argo adds a VirtualService http route named `options.name` after the
   * managed routes listed before it (rollout/trafficrouting/istio/istio.go SetHeaderRoute).
   * Argo removes it at full promotion or abort; remove it earlier with `removeHeaderRoute`.
   * Java reserves `set...` names for setters, so Python, Java and Go call it `headerRoute` (the same step).
   * @jsii ignore
   */
  public static setHeaderRoute(options: SetHeaderRouteOptions): CanaryStep {
    return new CanaryStep({ kind: 'setHeaderRoute', route: { ...options }, remove: false });
  }

  /** Argo's `setHeaderRoute` step: `setHeaderRoute(options)`. */
  public static headerRoute(options: SetHeaderRouteOptions): CanaryStep {
    return CanaryStep.setHeaderRoute(options);
  }

  /** Removes the header route `name` (a `setHeaderRoute` step without match). */
  public static removeHeaderRoute(name: string): CanaryStep {
    return new CanaryStep({ kind: 'setHeaderRoute', route: { name, match: [] }, remove: true });
  }

  /**
   * Copies `options.percentage` % (default 100) of the requests matching any of `options.match`
   * to the canary, while the originals keep following the weights: Argo adds a VirtualService
   * http route named `options.name` with an Istio `mirror` (istio.go SetMirrorRoute). Istio only.
   * Java reserves `set...` names for setters, so Python, Java and Go call it `mirrorRoute` (the same step).
   * @jsii ignore
   */
  public static setMirrorRoute(options: SetMirrorRouteOptions): CanaryStep {
    return new CanaryStep({ kind: 'setMirrorRoute', route: { ...options }, remove: false });
  }

  /** Argo's `setMirrorRoute` step: `setMirrorRoute(options)`. */
  public static mirrorRoute(options: SetMirrorRouteOptions): CanaryStep {
    return CanaryStep.setMirrorRoute(options);
  }

  /** Removes the mirror route `name` (a `setMirrorRoute` step without match). */
  public static removeMirrorRoute(name: string): CanaryStep {
    return new CanaryStep({ kind: 'setMirrorRoute', route: { name, match: [] }, remove: true });
  }

  private constructor(private readonly value: StepValue) {}

  /** Which kind of step this is. */
  public get kind(): StepValue['kind'] {
    return this.value.kind;
  }

  /** The traffic weight of a `setWeight` step, otherwise undefined. */
  public get weight(): number | undefined {
    return this.value.kind === 'setWeight' ? this.value.weight : undefined;
  }

  /**
   * Records every problem of this step under `path` (e.g. `steps[2]`).
   * @internal
   */
  public _check(path: string, problems: ProblemList, context: StepCheckContext): void {
    const v = this.value;
    switch (v.kind) {
      case 'setHeaderRoute':
        if (v.remove) checkRouteName(`${path}.setHeaderRoute.name`, v.route.name, problems);
        else checkHeaderRoute(`${path}.setHeaderRoute`, v.route, problems);
        return;
      case 'setMirrorRoute':
        if (v.remove) checkRouteName(`${path}.setMirrorRoute.name`, v.route.name, problems);
        else checkMirrorRoute(`${path}.setMirrorRoute`, v.route, problems);
        return;
      case 'setWeight':
        checkPercent(`${path}.setWeight`, v.weight, problems);
        return;
      case 'pause':
        if (v.duration === undefined) return;
        if (v.duration instanceof Duration) {
          if (!isWholeSeconds(v.duration)) {
            problems.add(`${path}.pause.duration`, v.duration, 'must be a whole, non-negative number of seconds');
          }
        } else {
          const problem = typeof v.duration === 'string' ? canaryAppPauseRule(v.duration) : CANARY_APP_PAUSE_RULE;
          if (problem !== undefined) problems.add(`${path}.pause.duration`, v.duration, problem);
        }
        return;
      case 'setCanaryScale': {
        const s = v.scale;
        const modes = (['replicas', 'weight', 'matchTrafficWeight'] as const).filter((k) => s[k] !== undefined);
        if (modes.length !== 1) {
          problems.add(`${path}.setCanaryScale`, s, `must set exactly one of replicas, weight or matchTrafficWeight (got ${modes.length === 0 ? 'none' : modes.join(' and ')})`);
          return;
        }
        if (s.replicas !== undefined) {
          if (!Number.isInteger(s.replicas) || s.replicas < 0) {
            problems.add(`${path}.setCanaryScale.replicas`, s.replicas, 'must be a whole number >= 0');
          } else if (context.maxReplicas !== undefined && s.replicas > context.maxReplicas) {
            problems.add(`${path}.setCanaryScale.replicas`, s.replicas, `must be at most the Rollout's replicas (${context.maxReplicas}); more makes Argo compute a negative stable weight (argo-rollouts#4424)`);
          }
        }
        if (s.weight !== undefined) checkPercent(`${path}.setCanaryScale.weight`, s.weight, problems);
        if (s.matchTrafficWeight !== undefined && s.matchTrafficWeight !== true) {
          problems.add(`${path}.setCanaryScale.matchTrafficWeight`, s.matchTrafficWeight, 'must be true (omit the step to keep an explicit scale)');
        }
        return;
      }
    }
  }

  /** The step as rendered into the Rollout (plain data, CRD field names). */
  public toSpec(): CanaryStepSpec {
    const v = this.value;
    switch (v.kind) {
      case 'setHeaderRoute':
        return { setHeaderRoute: headerRouteSpec(v.route.name, v.remove ? undefined : v.route.match) };
      case 'setMirrorRoute':
        return { setMirrorRoute: mirrorRouteSpec(v.route.name, v.remove ? undefined : v.route.match, v.route.percentage) };
      case 'setWeight':
        return { setWeight: v.weight };
      case 'pause':
        if (v.duration === undefined) return { pause: {} };
        return { pause: { duration: v.duration instanceof Duration ? durationText(v.duration) : v.duration } };
      case 'setCanaryScale': {
        const s = v.scale;
        if (s.replicas !== undefined) return { setCanaryScale: { replicas: s.replicas } };
        if (s.weight !== undefined) return { setCanaryScale: { weight: s.weight } };
        return { setCanaryScale: { matchTrafficWeight: s.matchTrafficWeight } };
      }
    }
  }
}

function checkPercent(path: string, value: number, problems: ProblemList): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    problems.add(path, value, 'must be a whole number between 0 and 100');
  } else if (value < 0 || value > 100) {
    problems.add(path, value, 'must be between 0 and 100');
  } else if (!Number.isInteger(value)) {
    problems.add(path, value, 'must be a whole number (Istio weights are integers)');
  }
}
