import { Option, type Command } from 'commander';
import { CANARY_CONVENTIONS } from '../../lint/conventions';
import type { RolloutModel } from '../../model/manifests';
import { plan } from '../../runtime/plan';
import { formatPlanMarkdown } from '../format/plan-markdown';
import { formatPlanSvg } from '../format/plan-svg';
import { formatPlanTable } from '../format/plan-table';
import { presentPlan } from '../format/present-plan';
import type { CliIo } from '../io';
import { readManifestPaths, withRolloutModel } from '../load-manifests';
import { parsePercent, parsePositiveInt } from '../options';
import { UsageError } from '../usage-error';

interface PlanCommandOptions {
  readonly rollout?: string;
  readonly replicas?: number;
  readonly format: 'table' | 'json' | 'markdown' | 'svg';
  readonly output?: string;
  readonly surgeThreshold: number;
}

/** Registers `cdk8s-canary plan`. */
export function registerPlan(program: Command, _setExitCode: (code: number) => void, io: CliIo): void {
  program
    .command('plan')
    .description('Show what each canary step will do: traffic weights, canary/stable/total pods, pods added, pauses')
    .argument('<files...>', 'manifest files (multi-document YAML) or folders of them, holding the Rollout and what it references')
    .option('--rollout <name>', 'Rollout to plan when the files hold several: NAME or NAMESPACE/NAME (default: the only one)')
    .option('--replicas <n>', "replica count to plan with (default: spec.replicas, else the HPA's minReplicas, else 1)", parsePositiveInt)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'markdown', 'svg']).default('table'))
    .option('--output <file>', 'write to this file instead of stdout')
    .option(
      '--surge-threshold <percent>',
      'mark steps that add more than this share of the replicas as surges (table, markdown, svg)',
      parsePercent,
      CANARY_CONVENTIONS.surgeThresholdPercent,
    )
    .addHelpText(
      'after',
      '\nExamples (the files `npm run synth` writes in this repository):\n' +
        '  cdk8s-canary plan dist/my-app.k8s.yaml\n' +
        '  cdk8s-canary plan dist/*.k8s.yaml --rollout manual-demo/my-app-rollout\n' +
        '  cdk8s-canary plan dist/my-app.k8s.yaml --replicas 10 --format svg --output plan.svg\n' +
        '  cdk8s-canary plan dist/my-app.k8s.yaml --format markdown >> "$GITHUB_STEP_SUMMARY"\n' +
        '\nExit codes: 0 ok, 2 bad usage or unreadable input (the message names the file and object).\n',
    )
    .action((files: string[], options: PlanCommandOptions) => {
      const texts = readManifestPaths(io, files);
      const text = withRolloutModel(files, texts, options.rollout, (model) => renderPlan(model, options));
      writeOutput(io, options.output, text);
    });
}

/** Plans the Rollout and renders the plan in the chosen format. */
function renderPlan(model: RolloutModel, options: PlanCommandOptions): string {
  const result = plan(model, { replicas: options.replicas });
  if (options.format === 'json') return JSON.stringify(result, null, 2) + '\n';
  const presentation = presentPlan(result, { surgeThresholdPercent: options.surgeThreshold });
  if (options.format === 'svg') return formatPlanSvg(presentation);
  if (options.format === 'markdown') return formatPlanMarkdown(presentation);
  return formatPlanTable(presentation);
}

/** Writes to `--output` or stdout; an unwritable file is bad usage (exit 2). */
export function writeOutput(io: CliIo, output: string | undefined, text: string): void {
  if (output === undefined) {
    io.stdout(text);
    return;
  }
  try {
    io.writeFile(output, text);
  } catch (err) {
    throw new UsageError(`cannot write --output ${output}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
