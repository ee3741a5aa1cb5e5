import type { Dispute, JudgedResult } from './disputes';

/** Compact JSON for a report line (`undefined` prints as "(none)"). */
function show(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

/**
 * The conformance report: every failing case (file, case name, expected, actual and, when there
 * is one, the reason), every disputed case with the dispute's reasoning, disputes that matched no
 * case, then the summary line `N passed, N failed` (`, N disputed` appended when there are any).
 */
export function formatConformanceReport(results: readonly JudgedResult[], unmatched: readonly Dispute[] = []): string {
  const lines: string[] = [];
  for (const result of results) {
    if (result.passed) continue;
    lines.push(`${result.disputed ? 'DISPUTED' : 'FAIL'} ${result.file} :: ${result.name}`);
    lines.push(`  expected: ${show(result.expected)}`);
    lines.push(`  actual:   ${show(result.actual)}`);
    if (result.message) lines.push(`  reason:   ${result.message}`);
    if (result.disputed) lines.push(`  dispute:  ${result.disputed.reason}`);
  }
  for (const dispute of unmatched) lines.push(`UNMATCHED DISPUTE ${dispute.file} :: ${dispute.name} (no such case)`);
  const passed = results.filter((result) => result.passed).length;
  const disputed = results.filter((result) => !result.passed && result.disputed).length;
  const failed = results.length - passed - disputed;
  lines.push(`${passed} passed, ${failed} failed${disputed > 0 ? `, ${disputed} disputed` : ''}`);
  return `${lines.join('\n')}\n`;
}
