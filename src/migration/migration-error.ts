import { type Fail, ManifestError } from '../model/manifests';

/**
 * Thrown when the manifests cannot be migrated. Lists every problem found, one per line, each
 * naming the object (`Kind/name`), the offending value and what would be valid.
 */
export class MigrationError extends Error {
  /** One line per problem. */
  public readonly problems: readonly string[];

  public constructor(subject: string, problems: readonly string[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super([`${subject}: ${count}`, ...problems.map((p) => `  ${p}`)].join('\n'));
    this.name = 'MigrationError';
    this.problems = problems;
  }
}

/** Collects problems, then throws them all at once. */
export class MigrationProblems {
  private readonly items: string[] = [];

  /** Records one problem (a sentence naming the object). */
  public add(problem: string): void {
    this.items.push(problem);
  }

  /** Records each problem of a list (the model reader's, already naming the object). */
  public addAll(problems: readonly string[]): void {
    this.items.push(...problems);
  }

  /** Number of problems recorded so far. */
  public get size(): number {
    return this.items.length;
  }

  /** Throws a `MigrationError` listing every problem, if there is any. */
  public throwIfAny(subject: string): void {
    if (this.items.length > 0) throw new MigrationError(subject, [...this.items]);
  }
}

/**
 * The `fail` the model's per-kind readers report a refused field through, naming the object the
 * way the migration's messages do (`Kind/name: field (value) what is valid`).
 */
export function failNaming(object: string): Fail {
  return (msg: string): never => {
    throw new ManifestError(`${object}: ${msg}`);
  };
}
