import { Duration } from 'cdk8s';
import { durationText } from './_durations';

/** One invalid input: where it is, what it was, and what would be valid. */
export interface Problem {
  /** Path inside the props, e.g. `steps[2].setWeight`. */
  readonly path: string;
  /** The offending value (rendered with `formatValue`). */
  readonly value: unknown;
  /** What would be valid, e.g. `must be between 0 and 100`. */
  readonly expected: string;
}

/** Renders a problem as `<path> (<value>) <what is valid>`. */
export function formatProblem(problem: Problem): string {
  return `${problem.path} (${formatValue(problem.value)}) ${problem.expected}`;
}

/**
 * Renders a value for an error message: numbers and booleans as is, strings in double quotes,
 * durations as `Duration(15s)`, everything else as compact JSON (cut after 80 characters).
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value instanceof Duration) return `Duration(${durationText(value)})`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Thrown by `CanaryApp` (and the companions) when the props are invalid. It lists every problem
 * found, one per line, each as `<path> (<value>) <what is valid>`.
 *
 * TypeScript only (jsii cannot export a subclass of `Error`): in Python, Java and Go the same
 * message arrives as the language's jsii error, and `CanaryApp.problemsOf(props)` returns the problems.
 * @jsii ignore
 */
export class CanaryAppError extends Error {
  /** Every problem found, in the order the props were checked. */
  public readonly problems: Problem[];

  public constructor(subject: string, problems: Problem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super([`${subject}: ${count}`, ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n'));
    this.name = 'CanaryAppError';
    this.problems = problems;
  }

  /** The problem lines, without the heading (`<path> (<value>) <what is valid>` each). */
  public get lines(): string[] {
    return this.problems.map(formatProblem);
  }
}

/** Collects problems while props are checked, then throws them all at once. */
export class ProblemList {
  private readonly items: Problem[] = [];

  /** Records a problem. */
  public add(path: string, value: unknown, expected: string): void {
    this.items.push({ path, value, expected });
  }

  /** Number of problems recorded so far. */
  public get size(): number {
    return this.items.length;
  }

  /** Throws one `CanaryAppError` listing every problem, if there is any. */
  public throwIfAny(subject: string): void {
    if (this.items.length > 0) throw new CanaryAppError(subject, [...this.items]);
  }
}
