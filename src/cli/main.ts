import type { Command } from 'commander';
import { nodeIo, type CliIo } from './io';
import { packageVersion } from './package-version';
import { UsageError } from './usage-error';

/** What a command module exports: adds its subcommand (options, help, action) to the program. */
type Register = (program: Command, setExitCode: (code: number) => void, io: CliIo) => void;

/**
 * The commands, in `--help` order, each loaded only when it runs: start-up time is what users of a
 * pipeline or a pre-commit hook feel, and `lint`/`plan`/`simulate` need neither cdk8s nor the
 * generated imports that `convert` and `migrate` load (docs/performance.md, "CLI start-up").
 * A new command goes here as one more entry; its module may import whatever it needs.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  plan: async () => (await import('./commands/plan.js')).registerPlan,
  simulate: async () => (await import('./commands/simulate.js')).registerSimulate,
  lint: async () => (await import('./commands/lint.js')).registerLint,
  conformance: async () => (await import('./commands/conformance.js')).registerConformance,
  convert: async () => (await import('./commands/convert.js')).registerConvert,
  migrate: async () => (await import('./commands/migrate.js')).registerMigrate,
  status: async () => (await import('./commands/status.js')).registerStatus,
};

/**
 * The commands to load for `argv`: the one it names, none for `--version` alone, or all of them
 * (`--help`, `help <command>`, a mistyped command: commander lists or suggests them).
 */
function commandsFor(argv: readonly string[]): string[] {
  const first = argv[0];
  if (first !== undefined && Object.hasOwn(COMMANDS, first)) return [first];
  if (argv.length === 1 && (first === '--version' || first === '-V')) return [];
  return Object.keys(COMMANDS);
}

/**
 * Entry point of the `cdk8s-canary` CLI. Returns the process exit code:
 * 0 ok, 1 findings or failures, 2 bad usage or unreadable input (`status --until` adds 3 aborted
 * and 4 timed out, docs/status.md).
 * `io` is the outside world (files, stdout, stderr); tests pass an in-memory one.
 */
export async function main(argv: readonly string[], io: CliIo = nodeIo()): Promise<number> {
  const { Command, CommanderError } = await import('commander');
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
  for (const name of commandsFor(argv)) (await COMMANDS[name]())(program, setExitCode, io);
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
