/** One vector case as read from a file: only `name`, `input` and `expected` are common to all schemas. */
export interface VectorCase {
  readonly name?: unknown;
  readonly function?: unknown;
  readonly command?: unknown;
  readonly input?: unknown;
  readonly expected?: unknown;
  readonly [key: string]: unknown;
}

/** The verdict on one case. */
export interface CaseResult {
  /** The vector file (its `file` field, else the name it was read under). */
  readonly file: string;
  /** The case name (or a positional name when the case has none). */
  readonly name: string;
  readonly passed: boolean;
  readonly expected: unknown;
  readonly actual: unknown;
  /** Why the case failed when it is not a plain value mismatch (unknown function, adapter error...). */
  readonly message?: string;
}

/** A failing result about a whole vector file (case name `(file)`): unreadable, not JSON, no cases... */
export function fileFailure(file: string, expected: unknown, actual: unknown, message: string): CaseResult {
  return { file, name: '(file)', passed: false, expected, actual, message };
}

/** What an adapter computes for one case: the actual value in the shape of `expected`. */
export interface AdapterOutcome {
  readonly actual: unknown;
  /** The expectation the actual value is compared with (defaults to the case's `expected`). */
  readonly expected?: unknown;
  /** Set when the adapter decides itself (partial assertions); otherwise deep equality decides. */
  readonly passed?: boolean;
  readonly message?: string;
}

/** Runs one case of a known function/schema through the runtime. */
export type Adapter = (testCase: VectorCase) => AdapterOutcome;
