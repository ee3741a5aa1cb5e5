import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { chartIdOf, type ConvertProfile, convertExistingApp } from '../../migration/convert';
import { parseManifestTexts } from '../../migration/manifest-object';
import { MigrationError } from '../../migration/migration-error';
import { ManifestError } from '../../model/manifests';
import { toYamlDocuments } from '../../model/yaml-text';
import type { CliIo } from '../io';
import { readManifestPaths } from '../load-manifests';
import { UsageError } from '../usage-error';

/** Options of `cdk8s-canary convert`. */
interface ConvertCliOptions {
  readonly out?: string;
  readonly profile: ConvertProfile;
  readonly deployment?: string;
  readonly importFrom: string;
}

/** Registers `cdk8s-canary convert FILES... [--out DIR] [--profile automatic|manual]`. */
export function registerConvert(program: Command, _setExitCode: (code: number) => void, io: CliIo): void {
  program
    .command('convert')
    .description(
      'Convert an existing Deployment / Service / HPA / VirtualService into the full canary set, keeping every ' +
        'field, plus a TypeScript snippet using CanaryApp that reproduces it',
    )
    .argument('<files...>', 'the manifests running today (YAML files or folders)')
    .option('--out <dir>', 'write <app>.k8s.yaml and <app>.canary-app.ts into this folder (default: YAML on stdout)')
    .addOption(new Option('--profile <profile>', 'canary steps').choices(['automatic', 'manual']).default('automatic'))
    .option('--deployment <name>', 'Deployment to convert when the input holds several')
    .option('--import-from <module>', 'module the snippet imports CanaryApp from', 'cdk8s-canary')
    .action((files: string[], options: ConvertCliOptions) => {
      let result;
      try {
        result = convertExistingApp(parseManifestTexts(readManifestPaths(io, files)), {
          profile: options.profile,
          deployment: options.deployment,
          importFrom: options.importFrom,
        });
      } catch (err) {
        if (err instanceof MigrationError || err instanceof ManifestError) throw new UsageError(err.message);
        throw err;
      }
      const yaml = toYamlDocuments(result.objects);
      const report = result.report.map((line) => `  ${line}`);
      if (options.out) {
        io.makeDir(options.out);
        const stem = chartIdOf(result.existing.appName);
        const yamlFile = join(options.out, `${stem}.k8s.yaml`);
        const tsFile = join(options.out, `${stem}.canary-app.ts`);
        io.writeFile(yamlFile, yaml);
        io.writeFile(tsFile, result.snippet);
        io.stdout(`wrote ${yamlFile} (${result.objects.length} objects) and ${tsFile}\n`);
        io.stdout(report.length ? `notes:\n${report.join('\n')}\n` : 'notes: none, every field maps to a CanaryApp prop\n');
      } else {
        io.stdout(yaml);
        if (report.length) io.stderr(`notes:\n${report.join('\n')}\n`);
      }
    });
}
