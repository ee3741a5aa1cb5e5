import { Option, type Command } from 'commander';
import type { LocatedFinding } from '../../lint/finding';
import { lintManifests } from '../../lint/lint-manifests';
import { RULE_CATALOGUE } from '../../lint/rule-catalogue';
import { CANARY_CONVENTIONS } from '../../lint/conventions';
import { noRolloutMessage } from '../../model/manifests';
import { formatLintJson, formatLintText, type FileFinding } from '../format/lint-text';
import type { CliIo } from '../io';
import { parseManifestTexts, readManifestPaths } from '../load-manifests';
import { parseList, parsePercent, parsePositiveInt } from '../options';
import { UsageError } from '../usage-error';

interface LintCommandOptions {
  readonly format: 'text' | 'json';
  readonly surgeThreshold: number;
  readonly replicas?: number;
  readonly disable?: string[];
}

/** The rule list printed under `lint --help`. */
function rulesHelp(): string {
  const width = Math.max(...RULE_CATALOGUE.map((r) => r.id.length));
  const lines = RULE_CATALOGUE.map((r) => `  ${r.id.padEnd(width)}  ${r.severity.padEnd(7)}`);
  return `\nRules (README section "cli" explains each, with its fix):\n${lines.join('\n')}\n\nExit codes: 0 no error-level finding, 1 at least one error, 2 bad usage or unreadable input.\n`;
}

/** Registers `cdk8s-canary lint`. */
export function registerLint(program: Command, setExitCode: (code: number) => void, io: CliIo): void {
  program
    .command('lint')
    .description("Check manifests for known Argo Rollouts + Istio canary pitfalls (pod surges, 503 windows, PDBs, HPA, routes...)")
    .argument('<files...>', 'manifest files (multi-document YAML) or folders of them, e.g. dist/*.k8s.yaml')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option(
      '--surge-threshold <percent>',
      'pod-surge: a step may add at most this share of the replicas as new pods',
      parsePercent,
      CANARY_CONVENTIONS.surgeThresholdPercent,
    )
    .option('--replicas <n>', 'plan the steps at this replica count (default: HPA min and max, else spec.replicas, else 1)', parsePositiveInt)
    .option('--disable <rules>', 'comma-separated rule ids to skip (repeatable)', parseList)
    .addHelpText('after', rulesHelp())
    .action((files: string[], options: LintCommandOptions) => {
      const texts = readManifestPaths(io, files);
      const sourced = parseManifestTexts(texts);
      // Nothing to check is not a pass: say so and exit 2, as plan and simulate do.
      if (!sourced.some((s) => s.object.kind === 'Rollout')) throw new UsageError(`lint: ${noRolloutMessage(texts, sourced)}`);
      let findings: LocatedFinding[];
      try {
        findings = lintManifests(
          sourced.map((s) => s.object),
          { surgeThresholdPercent: options.surgeThreshold, replicas: options.replicas, disable: options.disable },
        );
      } catch (err) {
        throw new UsageError(err instanceof Error ? err.message : String(err));
      }
      const located: FileFinding[] = findings.map(({ objectIndex, ...f }) => ({ ...f, file: sourced[objectIndex]?.source.file }));
      io.stdout(options.format === 'json' ? formatLintJson(located) : formatLintText(located, texts.length));
      if (located.some((f) => f.severity === 'error')) setExitCode(1);
    });
}
