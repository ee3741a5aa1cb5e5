import type { CaseResult } from './case-result';

/** Compact JSON for a report line (`undefined` prints as "(none)"). */
function show(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

/**
 * The conformance report: every failing case (file, case name, expected, actual and, when there
 * is one, the reason), then the summary line `N passed, N failed`.
 */
export function formatConformanceReport(results: readonly CaseResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    if (result.passed) continue;
    lines.push(`FAIL ${result.file} :: ${result.name}`);
    lines.push(`  expected: ${show(result.expected)}`);
    lines.push(`  actual:   ${show(result.actual)}`);
    if (result.message) lines.push(`  reason:   ${result.message}`);
  }
  const passed = results.filter((result) => result.passed).length;
  lines.push(`${passed} passed, ${results.length - passed} failed`);
  return `${lines.join('\n')}\n`;
}
