import { Duration } from 'cdk8s';
import { CANARY_CONVENTIONS } from '../lint/conventions';
import { CanaryStep } from './canary-step';

/** Options of `StepProfile.fromWeights`. */
export interface WeightProfileOptions {
  /** Traffic weights to go through, in order (e.g. `[1, 20, 40, 60, 80, 100]`). */
  readonly weights: number[];
  /**
   * Pause after each weight but the last: a Duration, or `'indefinite'` to wait for a promote.
   * @default - no pause between weights
   */
  readonly pauseBetween?: Duration | 'indefinite';
  /**
   * Pause after the last weight, so every Istio proxy has the final weights before the old pods
   * go away (the write-up's end-of-rollout 503 workaround). `false` for none.
   * @default Duration.seconds(15)
   */
  readonly settlePause?: Duration | false;
}

/**
 * A list of canary steps. Use a preset (`automatic()`, `manual()`), build one from a weight list
 * (`fromWeights`), chain steps with `StepProfile.builder()`, or wrap your own `CanaryStep`s (`of`).
 */
export class StepProfile {
  /**
   * The write-up's automatic profile: setWeight 1, 10, 20, ..., 100 (small steps so pods are added
   * gradually and database connections do not surge), then a 15 s pause against end-of-rollout 503s.
   */
  public static automatic(): StepProfile {
    return StepProfile.fromWeights({ weights: [1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100] });
  }

  /**
   * The write-up's manual profile: 2 canary pods, wait for a promote, size the canary by the weight,
   * 1 % (wait), 10 % (wait), 30 %, 50 % (wait), 70 %, 90 %, 100 %, then a 15 s pause.
   */
  public static manual(): StepProfile {
    return StepProfile.builder()
      .step(CanaryStep.setCanaryScaleReplicas(2))
      .pauseIndefinitely()
      .step(CanaryStep.matchTrafficWeight())
      .setWeight(1)
      .pauseIndefinitely()
      .setWeight(10)
      .pauseIndefinitely()
      .setWeight(30)
      .setWeight(50)
      .pauseIndefinitely()
      .setWeight(70)
      .setWeight(90)
      .setWeight(100)
      .pause(Duration.seconds(CANARY_CONVENTIONS.settlePauseSeconds))
      .build();
  }

  /** Weights in order, optional pauses between them, and a final settle pause. */
  public static fromWeights(options: WeightProfileOptions): StepProfile {
    const builder = StepProfile.builder();
    options.weights.forEach((weight, i) => {
      builder.setWeight(weight);
      const last = i === options.weights.length - 1;
      if (!last && options.pauseBetween !== undefined) {
        if (options.pauseBetween === 'indefinite') builder.pauseIndefinitely();
        else builder.pause(options.pauseBetween);
      }
    });
    const settle = options.settlePause ?? Duration.seconds(CANARY_CONVENTIONS.settlePauseSeconds);
    if (settle !== false && options.weights.length > 0) builder.pause(settle);
    return builder.build();
  }

  /** A profile made of exactly these steps. */
  public static of(...steps: CanaryStep[]): StepProfile {
    return new StepProfile(steps);
  }

  /** A fluent builder for a custom profile. */
  public static builder(): StepProfileBuilder {
    return new StepProfileBuilder();
  }

  /** The steps, in order. */
  public readonly steps: CanaryStep[];

  private constructor(steps: CanaryStep[]) {
    this.steps = [...steps];
  }
}

/** Chains steps into a `StepProfile`. */
export class StepProfileBuilder {
  private readonly steps: CanaryStep[] = [];

  /**
   * Appends `CanaryStep.setWeight(weight)`.
   * Java reserves `set...` names for setters, so Python, Java and Go call it `canaryWeight` (the same step).
   * @jsii ignore
   */
  public setWeight(weight: number): this {
    return this.step(CanaryStep.setWeight(weight));
  }

  /** Appends `CanaryStep.canaryWeight(weight)` (the same as `setWeight`). */
  public canaryWeight(weight: number): StepProfileBuilder {
    return this.step(CanaryStep.setWeight(weight));
  }

  /** Appends `CanaryStep.pause(duration)`. */
  public pause(duration: Duration | string): this {
    return this.step(CanaryStep.pause(duration));
  }

  /** Appends `CanaryStep.pauseIndefinitely()`. */
  public pauseIndefinitely(): this {
    return this.step(CanaryStep.pauseIndefinitely());
  }

  /** Appends any step. */
  public step(step: CanaryStep): this {
    this.steps.push(step);
    return this;
  }

  /** The profile with the steps appended so far. */
  public toProfile(): StepProfile {
    return StepProfile.of(...this.steps);
  }

  /**
   * The profile with the steps appended so far: `toProfile()`. TypeScript only (jsii reserves the
   * name `build` in Python, Java and Go).
   * @jsii ignore
   */
  public build(): StepProfile {
    return this.toProfile();
  }
}
