import * as path from 'node:path';
import type { Command } from 'commander';
import { type CaseResult, fileFailure } from '../../conformance/case-result';
import { applyDisputes, parseDisputes, unmatchedDisputes, type Dispute } from '../../conformance/disputes';
import { formatConformanceReport } from '../../conformance/format-report';
import { runVectorText } from '../../conformance/run-vector-file';
import type { CliIo } from '../io';
import { UsageError } from '../usage-error';

/** Reads and runs one vector file; a file that cannot be read or parsed is one failing result. */
function runFile(io: CliIo, dir: string, fileName: string): CaseResult[] {
  let text: string;
  try {
    text = io.readFile(path.join(dir, fileName));
  } catch (err) {
    return [fileFailure(fileName, 'a readable file', undefined, `cannot read: ${(err as Error).message}`)];
  }
  return runVectorText(fileName, text);
}

/** Reads a disputes file; unreadable or malformed is bad input (exit 2). */
function readDisputes(io: CliIo, file: string): Dispute[] {
  try {
    return parseDisputes(JSON.parse(io.readFile(file)));
  } catch (err) {
    throw new UsageError(`conformance: --disputes ${file}: ${(err as Error).message}`);
  }
}

/**
 * Registers `cdk8s-canary conformance DIR [--disputes FILE]`: runs every `*.json` vector file in
 * DIR (sorted by name), prints each failing case and the line `N passed, N failed`. Exit 1 on any
 * failure or on a dispute that matches no case, 2 when DIR cannot be read or holds no `*.json`
 * file. With `--disputes`, failing cases listed there (each with its reasoning) are printed as
 * DISPUTED and counted apart instead of as failures.
 */
export function registerConformance(program: Command, setExitCode: (code: number) => void, io: CliIo): void {
  program
    .command('conformance')
    .description('Run Argo Rollouts test vectors (docs/runtime.md describes the format) against the runtime')
    .argument('<dir>', 'directory of *.json vector files')
    .option('--disputes <file>', 'JSON list of {file, name, reason}: vector cases we believe are wrong, reported apart')
    .action((dir: string, options: { disputes?: string }) => {
      const disputes = options.disputes === undefined ? [] : readDisputes(io, options.disputes);
      let names: string[];
      try {
        names = io.readDir(dir).filter((name) => name.endsWith('.json')).sort();
      } catch (err) {
        throw new UsageError(`conformance: cannot read directory ${dir}: ${(err as Error).message}`);
      }
      if (names.length === 0) throw new UsageError(`conformance: ${dir} holds no *.json vector file`);
      const raw = names.flatMap((name) => runFile(io, dir, name));
      const results = applyDisputes(raw, disputes);
      const unmatched = unmatchedDisputes(raw, disputes);
      io.stdout(formatConformanceReport(results, unmatched));
      if (unmatched.length > 0 || results.some((result) => !result.passed && !result.disputed)) setExitCode(1);
    });
}
