import { type Command, Option } from 'commander';
import { argoCdApplicationSnippet } from '../../migration/argocd-ignore';
import { type ConvertProfile, convertExistingApp } from '../../migration/convert';
import { type ExistingApp, readExistingApp } from '../../migration/existing-app';
import { type ManifestObject, parseManifestTexts, type SourcedManifest } from '../../migration/manifest-object';
import { MigrationError } from '../../migration/migration-error';
import { planMigration } from '../../migration/migration-plan';
import { renderRunbook, runbookJson } from '../../migration/render-runbook';
import { ManifestError } from '../../model/manifests';
import { toYaml } from '../../model/yaml-text';
import type { CliIo } from '../io';
import { readManifestPaths } from '../load-manifests';
import { UsageError } from '../usage-error';

/** Options of `cdk8s-canary migrate`. */
interface MigrateOptions {
  readonly format: 'runbook' | 'json' | 'argocd';
  readonly reverse?: boolean;
  readonly existing?: string[];
  readonly rollout?: string;
  readonly deployment?: string;
  readonly application?: string;
  readonly profile: ConvertProfile;
}

/**
 * The canary set and the existing app: FILES holding a Rollout are the canary set itself (the
 * existing app then comes from --existing, if given); otherwise FILES are the existing app and
 * the canary set is what `convert` makes of it.
 */
function inputsOf(io: CliIo, manifests: readonly SourcedManifest[], options: MigrateOptions): { after: ManifestObject[]; existing?: ExistingApp } {
  if (manifests.some((m) => m.object.kind === 'Rollout')) {
    const existing = options.existing
      ? readExistingApp(parseManifestTexts(readManifestPaths(io, options.existing)), { deployment: options.deployment })
      : undefined;
    return { after: manifests.map((m) => m.object), existing };
  }
  if (options.existing) throw new UsageError('--existing only applies when FILES are the canary set (they hold no Rollout)');
  const converted = convertExistingApp(manifests, { deployment: options.deployment, profile: options.profile });
  return { after: [...converted.objects], existing: converted.existing };
}

/**
 * Commander parser of a repeatable one-path option: `--existing a.yaml --existing dir`. Not
 * variadic (`<files...>`), which swallowed the command's own FILES after it.
 */
function collectPaths(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Registers `cdk8s-canary migrate FILES... [--format runbook|json|argocd] [--reverse]`. */
export function registerMigrate(program: Command, _setExitCode: (code: number) => void, io: CliIo): void {
  program
    .command('migrate')
    .description(
      'Print the zero-downtime kubectl runbook from a Deployment to the canary set (or back with --reverse), ' +
        'with a check between steps and the way back at every step',
    )
    .argument('<files...>', 'the canary set (a Rollout with workloadRef and its objects), or the manifests running today (converted first)')
    .addOption(new Option('--format <format>', 'output format').choices(['runbook', 'json', 'argocd']).default('runbook'))
    .option('--reverse', 'print the reverse procedure (Rollout back to the Deployment)')
    .option(
      '--existing <path>',
      'the manifests running today (Deployment, Service, HPA, VirtualService), a YAML file or folder, for exact checks and rollback; repeat it for several',
      collectPaths,
    )
    .option('--rollout <name>', 'Rollout to migrate to when the canary set holds several')
    .option('--deployment <name>', 'Deployment of --existing to migrate when it holds several')
    .addOption(new Option('--profile <profile>', 'canary steps when FILES are converted first').choices(['automatic', 'manual']).default('automatic'))
    .option('--application <name>', 'Argo CD Application name for --format argocd (default: the Rollout name)')
    .action((files: string[], options: MigrateOptions) => {
      try {
        const { after, existing } = inputsOf(io, parseManifestTexts(readManifestPaths(io, files)), options);
        const plan = planMigration({ after, existing, rolloutName: options.rollout });
        if (options.format === 'json') {
          io.stdout(`${JSON.stringify(runbookJson(plan), null, 2)}\n`);
        } else if (options.format === 'argocd') {
          const header =
            '# Argo CD ignore rules for the canary set: merge spec.ignoreDifferences and spec.syncPolicy.syncOptions\n' +
            '# into the Application that syncs these manifests (keep your source, destination and project).\n';
          io.stdout(header + toYaml(argoCdApplicationSnippet(plan.set, { applicationName: options.application })));
        } else {
          io.stdout(renderRunbook(plan, options.reverse ? 'reverse' : 'forward'));
        }
      } catch (err) {
        if (err instanceof MigrationError || err instanceof ManifestError) throw new UsageError(err.message);
        throw err;
      }
    });
}
