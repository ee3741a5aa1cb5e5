/**
 * The one validated reader of manifests, which the runtime, the lint, the CLI and migration share:
 * `parseManifests` (YAML documents with where each object was found), then `readManifests` (one
 * Rollout and everything it references, checked field by field, as a `RolloutModel`). One file per
 * kind: `rollout.ts`, `canary-strategy.ts`, `canary-steps.ts`, `workload.ts`, `service.ts`,
 * `virtual-service.ts`, `destination-rule.ts`, `hpa.ts`, `pdb.ts`. The per-kind readers of one
 * object (`readWorkloadFields`, `readWorkloadRef`, `serviceSelector`, `readHpaFields`,
 * `readVirtualServiceRoutes`) are what the Rollout reader, migration and the lint read those kinds with.
 */
export { listRollouts, MAX_YAML_ALIAS_COUNT, noRolloutMessage, parseManifests } from './parse';
export { inspectRollout, readManifests, readRollout, readRolloutFields, type RolloutFields } from './rollout';
export { STEP_KINDS } from './canary-steps';
export {
  readVirtualServiceRoutes,
  shortHost,
  splitVirtualServiceName,
  type RouteDestinationFields,
  type VirtualServiceRouteFields,
  type VirtualServiceSection,
} from './virtual-service';
export { readWorkloadFields, readWorkloadRef, type WorkloadFields, type WorkloadRefFields } from './workload';
export { serviceSelector } from './service';
export { HPA_DEFAULT_MIN_REPLICAS, hpaMinReplicasOrDefault, hpaScaleTarget, readHpaFields, type HpaFields, type ScaleTargetRef } from './hpa';
export { type Fail } from './fields';
export {
  ManifestError,
  type DestinationRuleModel,
  type HpaModel,
  type KubeObject,
  type ManifestInput,
  type ManifestText,
  type ObjectSource,
  type PdbModel,
  type ReadManifestsOptions,
  type RolloutModel,
  type RolloutRead,
  type ServiceModel,
  type SourcedObject,
  type VirtualServiceModel,
  type WorkloadModel,
} from './types';
