/** One app of a fleet that could not be synthesized. */
export interface FleetAppFailure {
  /** The app's id. */
  readonly id: string;
  /** Position of the app in the fleet (0-based, in `addApp()` order). */
  readonly index: number;
  /** The error message (cdk8s validation errors keep their `[construct path] message` lines). */
  readonly message: string;
}

/**
 * Thrown by `CanaryFleet.synth()` when one or more apps fail. It lists every failing app, and
 * nothing has been written (every app is rendered before the first file is written).
 *
 * TypeScript only (jsii cannot export a subclass of `Error`): in Python, Java and Go the same
 * message arrives as the language's jsii error.
 * @jsii ignore
 */
export class FleetSynthError extends Error {
  /** Every failing app, in fleet order. */
  public readonly failures: FleetAppFailure[];

  constructor(failures: FleetAppFailure[], total: number) {
    const lines = failures.map((f) => `  [${f.id}] (app #${f.index}) ${f.message.replace(/\n/g, '\n    ')}`);
    super(`Fleet synthesis failed for ${failures.length} of ${total} apps; nothing was written:\n${lines.join('\n')}`);
    this.name = 'FleetSynthError';
    this.failures = failures;
  }
}
