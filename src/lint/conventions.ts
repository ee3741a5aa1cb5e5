/**
 * The production conventions the lint rules check and `CanaryApp` renders. They live here, in the
 * lower layer, so that both read the one value: the constructs import them from the lint (the
 * lint may not import the constructs). CanaryApp's other defaults are in `src/constructs/defaults.ts`.
 */
export const CANARY_CONVENTIONS = {
  /** Label key put on pods by stableMetadata / canaryMetadata, and its two values (the PDBs select on it). */
  roleKey: 'role',
  stableRole: 'stable',
  canaryRole: 'canary',
  /** Final settle pause of the presets (avoids the end-of-rollout 503 window). */
  settlePauseSeconds: 15,
  /** A step that adds more than this share of spec.replicas as new pods is a surge. */
  surgeThresholdPercent: 30,
  /**
   * The shortest `scaleDownDelaySeconds` with traffic routing, and CanaryApp's default: below it the
   * old ReplicaSet goes away before every proxy has the new weights (argo-rollouts#587).
   */
  minScaleDownDelaySeconds: 30,
} as const;
