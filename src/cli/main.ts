import { Command, CommanderError } from 'commander';
import { registerConformance } from './commands/conformance';
import { registerConvert } from './commands/convert';
import { registerLint } from './commands/lint';
import { registerMigrate } from './commands/migrate';
import { registerPlan } from './commands/plan';
import { registerSimulate } from './commands/simulate';
import { registerStatus } from './commands/status';
import { nodeIo, type CliIo } from './io';
import { packageVersion } from './package-version';
import { UsageError } from './usage-error';

/**
 * Entry point of the `cdk8s-canary` CLI. Returns the process exit code:
 * 0 ok, 1 findings or failures, 2 bad usage or unreadable input (`status --until` adds 3 aborted
 * and 4 timed out, docs/status.md).
 * `io` is the outside world (files, stdout, stderr); tests pass an in-memory one.
 */
export async function main(argv: readonly string[], io: CliIo = nodeIo()): Promise<number> {
  const program = new Command()
    .name('cdk8s-canary')
    .description('Plan, simulate and lint Argo Rollouts + Istio canary releases')
    .version(packageVersion(), '-V, --version', 'print the cdk8s-canary version and exit')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
    });
  let exitCode = 0;
  const setExitCode = (code: number): void => {
    exitCode = Math.max(exitCode, code);
  };
  registerPlan(program, setExitCode, io);
  registerSimulate(program, setExitCode, io);
  registerLint(program, setExitCode, io);
  registerConformance(program, setExitCode, io);
  registerConvert(program, setExitCode, io);
  registerMigrate(program, setExitCode, io);
  registerStatus(program, setExitCode, io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every other commander error is bad usage.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UsageError) {
      io.stderr(`cdk8s-canary: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  return exitCode;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`cdk8s-canary: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
