/**
 * cdk8s-canary: Argo Rollouts + Istio canary releases as cdk8s constructs.
 *
 * This entry point holds the constructs (`CanaryApp` and its companions), `CanaryFleet`,
 * `CanaryMigration` and `CanaryLintValidation` (the cdk8s validation plugin, loaded by package name
 * from cdk8s.yaml). The other public entry points are `cdk8s-canary/runtime` (plan and simulate a
 * Rollout), `cdk8s-canary/lint` (the lint rules) and `cdk8s-canary/migration` (convert a running
 * Deployment). Every export is listed by name: adding or removing one is a deliberate API change
 * (test/api/public-api.test.ts pins the list).
 *
 * @module cdk8s-canary
 */
export { CanaryApp, WorkloadScaleDown, type CanaryAppNames, type CanaryAppObjectNames, type CanaryAppProps } from './constructs/canary-app';
export { CanaryAppError, type Problem } from './constructs/canary-app-error';
export { CanaryStep, type SetCanaryScaleOptions } from './constructs/canary-step';
export type { RouteHeaderMatch, RouteRequestMatch, RouteStringMatch, SetHeaderRouteOptions, SetMirrorRouteOptions } from './constructs/route-steps';
export { StepProfile, StepProfileBuilder, type WeightProfileOptions } from './constructs/step-profile';
export { HpaMetric, type AutoscalingOptions } from './constructs/autoscaling';
export { DisruptionBudget, type DisruptionBudgetOptions } from './constructs/disruption';
export {
  TrafficSplit,
  type HttpRetryOptions,
  type ServiceOptions,
  type SubsetSplitOptions,
  type VirtualServiceOptions,
} from './constructs/traffic';
export type {
  VirtualServiceSpecHttpMatch,
  VirtualServiceSpecHttpMatchAuthority,
  VirtualServiceSpecHttpMatchHeaders,
  VirtualServiceSpecHttpMatchMethod,
  VirtualServiceSpecHttpMatchQueryParams,
  VirtualServiceSpecHttpMatchScheme,
  VirtualServiceSpecHttpMatchUri,
  VirtualServiceSpecHttpMatchWithoutHeaders,
} from '../imports/istio-virtual-service-networking.istio.io';
export type {
  CanaryContainerProps,
  ContainerInput,
  ContainerPortInput,
  ContainerResources,
  DeploymentInput,
  DeploymentMetadataInput,
  DeploymentSpecInput,
  LabelSelectorInput,
  PodMetadataProps,
  PodSpecInput,
  PodTemplateInput,
  PodTemplateMetadataInput,
  ResourceQuantities,
} from './constructs/workload-input';
export { CONTAINER_SECURITY_DEFAULTS, SeccompProfileType, type ContainerSecurityProps } from './constructs/pod-security';
export { RolloutsRbac, type RoleSubjects, type RolloutsRbacProps } from './constructs/rollouts-rbac';
export { ArgoRolloutsControllerValues, type ControllerValuesOptions } from './constructs/controller-values';
export {
  AnalysisPlacement,
  CanaryAnalysis,
  type AnalysisStepsOptions,
  type BackgroundAnalysisOptions,
  type CanaryAnalysisProps,
  type ErrorRateGateOptions,
} from './constructs/analysis/canary-analysis';
export {
  CanaryAnalysisTemplate,
  type AnalysisArgValues,
  type CanaryAnalysisTemplateProps,
  type RolloutAnalysisArg,
  type RolloutAnalysisArgValueFrom,
  type RolloutFieldRef,
} from './constructs/analysis/canary-analysis-template';
export {
  CanaryMetric,
  NoDataPolicy,
  type IstioErrorRateOptions,
  type IstioLatencyOptions,
  type IstioMetricOptions,
  type MeasurementOptions,
  type PrometheusMetricOptions,
  type ResolvedMeasurement,
} from './constructs/analysis/canary-metric';
export { IstioReporter, type IstioCanarySelector } from './constructs/analysis/istio-promql';
export { PrometheusSource, type PrometheusHeader, type PrometheusSourceOptions, type PrometheusSourceProps } from './constructs/analysis/prometheus-source';
export { CanaryFleet, type CanaryFleetProps, type FleetCanaryAppSpec, type FleetSynthResult } from './fleet/canary-fleet';
export { FleetSynthError, type FleetAppFailure } from './fleet/fleet-synth-error';
export type { FleetAppBuilder, FleetResource, RenderedFleetApp } from './fleet/render-fleet-app';
export { CanaryLintValidation, type CanaryLintValidationProps, type ValidationContextLike } from './lint/canary-lint-validation';
export type { LintConstructValidationOptions } from './lint/construct-validation';
export type { LintOptions } from './lint/finding';
export { CanaryMigration, type CanaryMigrationProps } from './migration/canary-migration';
export {
  CanaryRuntime,
  type CanaryLintFinding,
  type CanaryPlan,
  type CanaryPlanOptions,
  type CanaryPlanRow,
  type CanaryRuntimeOptions,
  type CanarySimulation,
  type CanarySimulationReplicaSet,
  type CanarySimulationTick,
} from './facade/canary-runtime';
