/**
 * The runtime's public API: a pure model of the Argo Rollouts v1.9.1 canary controller.
 * - Controller functions (one module per Argo source area): fenceposts, steps, replica counts,
 *   traffic helpers, Istio patching, phase, CLI patches, ephemeral metadata.
 * - Reading manifests, one controller tick (`reconcile`), `simulate` and `plan`.
 */
export * from './types';
export * from './defaults';
export * from './rollout-defaults';
export * from './fenceposts';
export * from './steps';
export * from './replica-counts';
export * from './traffic-helpers';
export * from './istio';
export * from './phase';
export * from './cli-patches';
export * from './ephemeral-metadata';
export * from './template-hash';
export * from './manifests';
export * from './cluster-state';
export * from './pause-context';
export * from './managed-routes';
export * from './reconcile';
export * from './scenario';
export * from './simulate';
export * from './plan';
