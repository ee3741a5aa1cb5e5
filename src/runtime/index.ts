/**
 * The runtime: a pure model of the Argo Rollouts v1.9.1 canary controller (no I/O, the clock is a
 * parameter). `readManifests` reads a Rollout and what it routes; `plan` tells what each step will do;
 * `simulate` runs the controller tick by tick over a scenario. The controller itself (`reconcile`, the
 * cluster state, the ported Go functions, each citing its Go original in `src/runtime`) is internal.
 *
 * @module cdk8s-canary/runtime
 */
/** The Rollout spec as the runtime reads it (the Argo Rollouts v1alpha1 fields it models). */
export type {
  BlueGreenStrategy,
  CanaryStep,
  CanaryStrategy,
  HeaderRouteStep,
  IntOrPercent,
  IstioDestinationRuleRef,
  IstioTrafficRouting,
  IstioVirtualServiceRef,
  MirrorRouteStep,
  PauseStep,
  PodMetadata,
  ReplicaProgressThreshold,
  RollbackWindow,
  RolloutSpec,
  SetCanaryScale,
  TcpRouteRef,
  TlsRouteRef,
  TrafficRouting,
} from './types';
export {
  ManifestError,
  readManifests,
  type DestinationRuleModel,
  type HpaModel,
  type KubeObject,
  type ManifestInput,
  type ManifestText,
  type ObjectSource,
  type PdbModel,
  type ReadManifestsOptions,
  type RolloutModel,
  type ServiceModel,
  type SourcedObject,
  type VirtualServiceModel,
  type WorkloadModel,
} from '../model/manifests';
export type { RouteSummary } from './route-summary';
export { plan, type PlanOptions, type PlanResult, type PlanRow } from './plan';
export {
  ScenarioError,
  parseScenario,
  type AnalysisEvent,
  type FailPodsEvent,
  type RestartEvent,
  type ScaleEvent,
  type Scenario,
  type ScenarioEvent,
  type UpdateEvent,
} from './scenario';
export {
  SimulationError,
  simulate,
  type SimulationReplicaSet,
  type SimulationResult,
  type SimulationTick,
} from './simulate';
