import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { CaseResult } from '../../conformance/case-result';
import { formatConformanceReport } from '../../conformance/format-report';
import { runVectorFile } from '../../conformance/run-vector-file';
import { UsageError } from '../usage-error';

/** Reads and runs one vector file; a file that cannot be read or parsed is one failing result. */
function runFile(dir: string, fileName: string): CaseResult[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, fileName), 'utf8');
  } catch (err) {
    return [{ file: fileName, name: '(file)', passed: false, expected: 'a readable file', actual: undefined, message: `cannot read: ${(err as Error).message}` }];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return [{ file: fileName, name: '(file)', passed: false, expected: 'valid JSON', actual: undefined, message: `cannot parse: ${(err as Error).message}` }];
  }
  return runVectorFile(fileName, parsed);
}

/**
 * Registers `cdk8s-canary conformance DIR`: runs every `*.json` vector file in DIR (sorted by
 * name), prints each failing case and the line `N passed, N failed`. Exit 1 on any failure,
 * 2 when DIR cannot be read or holds no `*.json` file.
 */
export function registerConformance(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('conformance')
    .description('Run Argo Rollouts test vectors (../shared/conformance format) against the runtime')
    .argument('<dir>', 'directory of *.json vector files')
    .action((dir: string) => {
      let names: string[];
      try {
        names = fs.readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
      } catch (err) {
        throw new UsageError(`conformance: cannot read directory ${dir}: ${(err as Error).message}`);
      }
      if (names.length === 0) throw new UsageError(`conformance: ${dir} holds no *.json vector file`);
      const results = names.flatMap((name) => runFile(dir, name));
      process.stdout.write(formatConformanceReport(results));
      if (results.some((result) => !result.passed)) setExitCode(1);
    });
}
