import type { CaseResult } from './case-result';

/** A vector case whose expectation we believe is wrong, with the reasoning (see docs/conformance-disputes.md). */
export interface Dispute {
  readonly file: string;
  readonly name: string;
  readonly reason: string;
}

/** A result after disputes are applied: a failing disputed case is reported apart, not as a failure. */
export interface JudgedResult extends CaseResult {
  readonly disputed?: Dispute;
}

/**
 * Parses a disputes file (`[{file, name, reason}]`). Throws with the index and field of the first
 * malformed entry.
 */
export function parseDisputes(value: unknown): Dispute[] {
  if (!Array.isArray(value)) throw new Error(`disputes must be a JSON array of {file, name, reason}, got ${JSON.stringify(value)}`);
  return value.map((entry, index) => {
    for (const key of ['file', 'name', 'reason'] as const) {
      const field = (entry as Record<string, unknown> | null)?.[key];
      if (typeof field !== 'string' || field === '') {
        throw new Error(`disputes[${index}].${key} (${JSON.stringify(field)}) must be a non-empty string`);
      }
    }
    return entry as Dispute;
  });
}

/**
 * Marks failing results that match a dispute (same file and case name). A disputed case that passes
 * stays a plain pass: the vector was fixed or the behaviour changed, and the dispute is stale.
 */
export function applyDisputes(results: readonly CaseResult[], disputes: readonly Dispute[]): JudgedResult[] {
  return results.map((result) => {
    const dispute = disputes.find((d) => d.file === result.file && d.name === result.name);
    return dispute && !result.passed ? { ...result, disputed: dispute } : result;
  });
}

/** Disputes that matched no case at all (renamed or removed cases): reported so the list stays honest. */
export function unmatchedDisputes(results: readonly CaseResult[], disputes: readonly Dispute[]): Dispute[] {
  return disputes.filter((d) => !results.some((r) => r.file === d.file && r.name === d.name));
}
