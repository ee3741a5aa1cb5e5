import type { Finding } from '../../lint/finding';

/** A finding with the file its object came from. */
export interface FileFinding extends Finding {
  /** The file the object was read from (undefined when unknown). */
  readonly file?: string;
}

/**
 * `lint --format text`: one block per finding (`file: Kind/name path`, severity, rule, message,
 * fix), then a count line. No findings: a single "no findings" line.
 */
export function formatLintText(findings: readonly FileFinding[], fileCount: number): string {
  const out: string[] = [];
  for (const f of findings) {
    out.push(`${f.file ? `${f.file}: ` : ''}${f.object} ${f.path}`);
    out.push(`  ${f.severity} [${f.rule}] ${f.message}`);
    out.push(`  fix: ${f.fix}`);
    out.push('');
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  const files = `${fileCount} file${fileCount === 1 ? '' : 's'}`;
  out.push(
    findings.length === 0
      ? `No findings in ${files}.`
      : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ${files}.`,
  );
  return out.join('\n') + '\n';
}

/** `lint --format json`: exactly `{"findings":[{rule,severity,object,path,message,fix}]}`. */
export function formatLintJson(findings: readonly Finding[]): string {
  const clean = findings.map(({ rule, severity, object, path, message, fix }) => ({ rule, severity, object, path, message, fix }));
  return JSON.stringify({ findings: clean }, null, 2) + '\n';
}
