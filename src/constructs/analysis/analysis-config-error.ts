/**
 * Thrown when analysis settings are invalid. Lists every problem at once, each as
 * `<path> (<value>) <what is wrong and what would be valid>`, so one synth run shows them all.
 */
export class AnalysisConfigError extends Error {
  /** One entry per problem, in the order they were found. */
  public readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid canary analysis:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AnalysisConfigError';
    this.problems = problems;
  }
}

/** Renders a value for an error message: strings quoted, everything else as JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value);
  }
  return JSON.stringify(value);
}
