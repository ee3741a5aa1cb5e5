/**
 * The public API, pinned (issue 14): the exact names each package entry point exports (values and
 * types). Adding or removing a name must be a deliberate change to this list, to docs/api/
 * (`npm run docs:api`) and to CHANGELOG.md; anything not listed here is internal.
 */
import { join } from 'node:path';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';

const ENTRY_POINTS = {
  'cdk8s-canary': 'src/index.ts',
  'cdk8s-canary/runtime': 'src/runtime/index.ts',
  'cdk8s-canary/lint': 'src/lint/index.ts',
  'cdk8s-canary/migration': 'src/migration/index.ts',
} as const;

const PINNED: Record<keyof typeof ENTRY_POINTS, string[]> = {
  'cdk8s-canary': [
    'AnalysisArgValues', 'AnalysisPlacement', 'AnalysisStepsOptions', 'ArgoRolloutsControllerValues',
    'AutoscalingOptions', 'BackgroundAnalysisOptions', 'CONTAINER_SECURITY_DEFAULTS', 'CanaryAnalysis',
    'CanaryAnalysisProps', 'CanaryAnalysisTemplate', 'CanaryAnalysisTemplateProps', 'CanaryApp',
    'CanaryAppError', 'CanaryAppNames', 'CanaryAppObjectNames', 'CanaryAppProps', 'CanaryContainerProps',
    'CanaryFleet', 'CanaryFleetProps', 'CanaryLintFinding', 'CanaryLintValidation', 'CanaryLintValidationProps',
    'CanaryMetric', 'CanaryMigration', 'CanaryMigrationProps', 'CanaryPlan', 'CanaryPlanOptions',
    'CanaryPlanRow', 'CanaryRuntime', 'CanaryRuntimeOptions', 'CanarySimulation', 'CanarySimulationReplicaSet',
    'CanarySimulationTick', 'CanaryStep', 'ContainerInput', 'ContainerPortInput', 'ContainerResources',
    'ContainerSecurityProps', 'ControllerValuesOptions', 'DeploymentInput', 'DeploymentMetadataInput',
    'DeploymentSpecInput', 'DisruptionBudget', 'DisruptionBudgetOptions', 'ErrorRateGateOptions',
    'FleetAppBuilder', 'FleetAppFailure', 'FleetCanaryAppSpec', 'FleetResource', 'FleetSynthError',
    'FleetSynthResult', 'HpaMetric', 'HttpRetryOptions', 'IstioCanarySelector', 'IstioErrorRateOptions',
    'IstioLatencyOptions', 'IstioMetricOptions', 'IstioReporter', 'LabelSelectorInput',
    'LintConstructValidationOptions', 'LintOptions', 'MeasurementOptions', 'NoDataPolicy', 'PodMetadataProps',
    'PodSpecInput', 'PodTemplateInput', 'PodTemplateMetadataInput', 'Problem', 'PrometheusHeader',
    'PrometheusMetricOptions', 'PrometheusSource', 'PrometheusSourceOptions', 'PrometheusSourceProps',
    'RenderedFleetApp', 'ResolvedMeasurement', 'ResourceQuantities', 'RoleSubjects', 'RolloutAnalysisArg',
    'RolloutAnalysisArgValueFrom', 'RolloutFieldRef', 'RolloutsRbac', 'RolloutsRbacProps', 'RouteHeaderMatch',
    'RouteRequestMatch', 'RouteStringMatch', 'SeccompProfileType', 'ServiceOptions', 'SetCanaryScaleOptions',
    'SetHeaderRouteOptions', 'SetMirrorRouteOptions', 'StepProfile', 'StepProfileBuilder', 'SubsetSplitOptions',
    'TrafficSplit', 'ValidationContextLike', 'VirtualServiceOptions', 'VirtualServiceSpecHttpMatch',
    'VirtualServiceSpecHttpMatchAuthority', 'VirtualServiceSpecHttpMatchHeaders',
    'VirtualServiceSpecHttpMatchMethod', 'VirtualServiceSpecHttpMatchQueryParams',
    'VirtualServiceSpecHttpMatchScheme', 'VirtualServiceSpecHttpMatchUri',
    'VirtualServiceSpecHttpMatchWithoutHeaders', 'WeightProfileOptions', 'WorkloadScaleDown',
  ],
  'cdk8s-canary/runtime': [
    'AnalysisEvent', 'BlueGreenStrategy', 'CanaryStep', 'CanaryStrategy', 'DestinationRuleModel',
    'FailPodsEvent', 'HeaderRouteStep', 'HpaModel', 'IntOrPercent', 'IstioDestinationRuleRef',
    'IstioTrafficRouting', 'IstioVirtualServiceRef', 'KubeObject', 'ManifestError', 'ManifestInput',
    'ManifestText', 'MirrorRouteStep', 'ObjectSource', 'PauseStep', 'PdbModel', 'PlanOptions', 'PlanResult',
    'PlanRow', 'PodMetadata', 'ReadManifestsOptions', 'ReplicaProgressThreshold', 'RestartEvent',
    'RollbackWindow', 'RolloutModel', 'RolloutSpec', 'RouteSummary', 'ScaleEvent', 'Scenario', 'ScenarioError',
    'ScenarioEvent', 'ServiceModel', 'SetCanaryScale', 'SimulationError', 'SimulationReplicaSet',
    'SimulationResult', 'SimulationTick', 'SourcedObject', 'TcpRouteRef', 'TlsRouteRef', 'TrafficRouting',
    'UpdateEvent', 'VirtualServiceModel', 'WorkloadModel', 'parseScenario', 'plan', 'readManifests',
    'simulate',
  ],
  'cdk8s-canary/lint': [
    'CanaryLintValidation', 'CanaryLintValidationProps', 'Finding', 'LintConstructValidationOptions',
    'LintOptions', 'LocatedFinding', 'Severity', 'ValidationContextLike', 'lintConstructValidation',
    'lintManifests',
  ],
  'cdk8s-canary/migration': [
    'CanaryMigration', 'CanaryMigrationProps', 'CanarySet', 'CheckCommand', 'ExistingApp',
    'FORWARD_STAGE_IDS', 'ForwardStageId', 'HpaFields', 'ManifestObject', 'MigrationCheck', 'MigrationError',
    'MigrationHpa', 'MigrationPlan', 'MigrationStep', 'ObjectMeta', 'OutputCount', 'OutputTest',
    'ProgramCall', 'REVERSE_STEP_IDS', 'ReverseStepId', 'RunbookCommand', 'ScaleTargetRef', 'ShellWord', 'SourcedManifest',
    'WayBack', 'WordPart',
  ],
};

/** Every name a module exports (values and types), sorted, read with the TypeScript checker. */
function exportedNames(): Record<string, string[]> {
  const files = Object.values(ENTRY_POINTS).map((f) => join(REPO_ROOT, f));
  const config = ts.getParsedCommandLineOfConfigFile(join(REPO_ROOT, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!config) throw new Error('tsconfig.build.json could not be read');
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const result: Record<string, string[]> = {};
  for (const [entry, file] of Object.entries(ENTRY_POINTS)) {
    const source = program.getSourceFile(join(REPO_ROOT, file));
    const symbol = source && checker.getSymbolAtLocation(source);
    if (!symbol) throw new Error(`${file}: not a module`);
    result[entry] = checker.getExportsOfModule(symbol).map((s) => s.name).sort();
  }
  return result;
}

describe('public API', () => {
  const actual = exportedNames();

  it.each(Object.keys(ENTRY_POINTS))('%s exports exactly the pinned names', (entry) => {
    expect(actual[entry]).toEqual(PINNED[entry as keyof typeof ENTRY_POINTS]);
  });

  it('no entry point re-exports a whole module (export *): each lists its names', async () => {
    const { readFileSync } = await import('node:fs');
    for (const file of Object.values(ENTRY_POINTS)) expect(readFileSync(join(REPO_ROOT, file), 'utf8')).not.toMatch(/export\s+(type\s+)?\*/);
  });
});
