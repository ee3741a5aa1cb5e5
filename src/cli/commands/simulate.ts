import { Option, type Command } from 'commander';
import { parse } from 'yaml';
import { parseScenario, ScenarioError } from '../../runtime/scenario';
import { simulate } from '../../runtime/simulate';
import { formatSimulationTable } from '../format/simulate-table';
import type { CliIo } from '../io';
import { readManifestPaths, readText, withRolloutModel } from '../load-manifests';
import { UsageError } from '../usage-error';

interface SimulateCommandOptions {
  readonly scenario: string;
  readonly rollout?: string;
  readonly format: 'table' | 'json';
}

const SCENARIO_HELP = `
Scenario file (YAML or JSON):
  replicas: 10            # spec.replicas during the run
  podReadySeconds: 10     # a new pod becomes available after this many seconds
  until: 600              # stop the clock here (seconds)
  events:                 # at: seconds; one action each
    - {at: 0, update: {image: my-image:2}}
    - {at: 120, promote: {}}          # also: promoteFull, abort, retry
    - {at: 200, scale: {replicas: 6}} # an HPA change of spec.replicas
    - {at: 300, failPods: {revision: 2, count: 1}}

The simulation starts from the Rollout fully rolled out (revision 1, Healthy).
Exit codes: 0 ok, 2 bad usage, unreadable input or invalid scenario (the message names the file and field).
`;

/** Registers `cdk8s-canary simulate`. */
export function registerSimulate(program: Command, _setExitCode: (code: number) => void, io: CliIo): void {
  program
    .command('simulate')
    .description('Replay a scenario (update, promote, abort, HPA rescale, pod failures) tick by tick as the Argo Rollouts controller would')
    .argument('<files...>', 'manifest files (multi-document YAML) or folders of them, holding the Rollout and what it references')
    .requiredOption('--scenario <file>', 'scenario file (YAML or JSON), see below')
    .option('--rollout <name>', 'Rollout to simulate when the files hold several: NAME or NAMESPACE/NAME (default: the only one)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText('after', SCENARIO_HELP)
    .action((files: string[], options: SimulateCommandOptions) => {
      const texts = readManifestPaths(io, files);
      const scenarioText = readText(io, options.scenario, 'scenario file');
      let scenario: unknown;
      try {
        scenario = parse(scenarioText);
      } catch (err) {
        throw new UsageError(`${options.scenario}: invalid YAML/JSON: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      }
      const result = withRolloutModel(files, texts, options.rollout, (model) => simulate(model, parseScenarioFile(options.scenario, scenario)));
      io.stdout(options.format === 'json' ? JSON.stringify(result, null, 2) + '\n' : formatSimulationTable(result));
    });
}

/** Checks the scenario; a ScenarioError becomes bad input naming the scenario file. */
function parseScenarioFile(file: string, value: unknown) {
  try {
    return parseScenario(value);
  } catch (err) {
    if (err instanceof ScenarioError) throw new UsageError(`${file}: ${err.message}`);
    throw err;
  }
}
