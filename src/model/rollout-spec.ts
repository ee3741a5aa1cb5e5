/**
 * The Rollout spec as every layer reads it: the manifests reader (`src/model/manifests`) validates
 * into these shapes and the runtime works on them. They mirror the Argo Rollouts v1alpha1 API (field
 * names as in the CRD) but keep only what the canary reconciler reads. `undefined` = absent field / Go nil
 * pointer; `0` = explicit zero. The two differ in several controller rules.
 */

/** An intstr: a number is an absolute count, a string is ALWAYS a percentage ("25" == "25%"). */
export type IntOrPercent = number | string;

export interface SetCanaryScale {
  /**
   * Canary pods as an absolute count.
   * @default - unset: `weight` or `matchTrafficWeight` decides
   */
  readonly replicas?: number;
  /**
   * Canary pods as a percentage of `spec.replicas`.
   * @default - unset
   */
  readonly weight?: number;
  /**
   * Scale the canary to the current traffic weight again (ends an earlier setCanaryScale).
   * @default false
   */
  readonly matchTrafficWeight?: boolean;
}

export interface PauseStep {
  /** Seconds (number), digits-only string (seconds) or a Go duration string ("30s", "5m", "1h"). */
  /**
   * Seconds (number), digits-only string (seconds) or a Go duration string ("30s", "5m", "1h").
   * @default - unset: pause until promoted
   */
  readonly duration?: number | string;
}

export interface HeaderRouteStep {
  /**
   * Name of the managed route (one of `trafficRouting.managedRoutes`).
   */
  readonly name: string;
  /**
   * Header matches; none removes the route.
   * @default - none: the route is removed
   */
  readonly match?: readonly unknown[];
}

export interface MirrorRouteStep {
  /**
   * Name of the managed route (one of `trafficRouting.managedRoutes`).
   */
  readonly name: string;
  /**
   * Request matches; none removes the route.
   * @default - none: the route is removed
   */
  readonly match?: readonly unknown[];
  /**
   * Share of the matching requests mirrored to the canary.
   * @default 100
   */
  readonly percentage?: number;
}

/** One entry of `spec.strategy.canary.steps` (CRD shape). Exactly one key is expected to be set. */
export interface CanaryStep {
  /**
   * Canary traffic weight in percent (`setWeight`).
   * @default - unset
   */
  readonly setWeight?: number;
  /**
   * A pause (`pause`).
   * @default - unset
   */
  readonly pause?: PauseStep;
  /**
   * Canary pod count independent of the weight (`setCanaryScale`).
   * @default - unset
   */
  readonly setCanaryScale?: SetCanaryScale;
  /**
   * An inline analysis step (`analysis`, kept as given).
   * @default - unset
   */
  readonly analysis?: Record<string, unknown>;
  /**
   * An experiment step (`experiment`, kept as given; not simulated).
   * @default - unset
   */
  readonly experiment?: Record<string, unknown>;
  /**
   * A header-based managed route (`setHeaderRoute`).
   * @default - unset
   */
  readonly setHeaderRoute?: HeaderRouteStep;
  /**
   * A mirror managed route (`setMirrorRoute`).
   * @default - unset
   */
  readonly setMirrorRoute?: MirrorRouteStep;
  /**
   * A step plugin (`plugin`, kept as given; not simulated).
   * @default - unset
   */
  readonly plugin?: Record<string, unknown>;
}

export interface TlsRouteRef {
  /**
   * TLS route port to match.
   * @default - any port
   */
  readonly port?: number;
  /**
   * SNI hosts to match.
   * @default - any host
   */
  readonly sniHosts?: readonly string[];
}

export interface TcpRouteRef {
  /**
   * TCP route port to match.
   * @default - any port
   */
  readonly port?: number;
}

export interface IstioVirtualServiceRef {
  /** `name` or `namespace/name`. */
  readonly name: string;
  /**
   * Names of the HTTP routes whose weights the controller sets.
   * @default - the only HTTP route (the VirtualService must then have exactly one)
   */
  readonly routes?: readonly string[];
  /**
   * TLS routes whose weights the controller sets.
   * @default - none
   */
  readonly tlsRoutes?: readonly TlsRouteRef[];
  /**
   * TCP routes whose weights the controller sets.
   * @default - none
   */
  readonly tcpRoutes?: readonly TcpRouteRef[];
}

export interface IstioDestinationRuleRef {
  /**
   * DestinationRule name.
   */
  readonly name: string;
  /**
   * Subset the controller points at the canary ReplicaSet.
   */
  readonly canarySubsetName: string;
  /**
   * Subset the controller points at the stable ReplicaSet.
   */
  readonly stableSubsetName: string;
  /**
   * Other subsets the controller leaves alone.
   * @default - none
   */
  readonly additionalSubsetNames?: readonly string[];
}

export interface IstioTrafficRouting {
  /**
   * The VirtualService whose weights the controller sets.
   * @default - unset: `virtualServices` lists them
   */
  readonly virtualService?: IstioVirtualServiceRef;
  /**
   * Several VirtualServices whose weights the controller sets.
   * @default - unset: `virtualService` names it
   */
  readonly virtualServices?: readonly IstioVirtualServiceRef[];
  /**
   * DestinationRule for subset-level splitting (one Service for both versions).
   * @default - unset: host-level splitting (stable and canary Services)
   */
  readonly destinationRule?: IstioDestinationRuleRef;
}

export interface TrafficRouting {
  /**
   * Istio traffic routing.
   * @default - unset: no traffic routing (replica-count canary)
   */
  readonly istio?: IstioTrafficRouting;
  /**
   * The weight that means "all traffic".
   * @default 100
   */
  readonly maxTrafficWeight?: number;
  /**
   * Routes the controller adds for `setHeaderRoute` / `setMirrorRoute` steps, in priority order.
   * @default - none
   */
  readonly managedRoutes?: readonly { readonly name: string }[];
}

export interface ReplicaProgressThreshold {
  /** `Percent` or `Pods`; the CRD has no enum and the controller reads any other string as `Pods`. */
  readonly type: string;
  /**
   * The threshold: a percentage or a pod count, by `type`.
   */
  readonly value: number;
}

export interface PodMetadata {
  /**
   * Labels added to the pods of that role.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations added to the pods of that role.
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** `spec.strategy.canary` (the parts the reconciler reads). */
export interface CanaryStrategy {
  /**
   * The canary steps.
   * @default - none: the update goes straight to 100 %
   */
  readonly steps?: readonly CanaryStep[];
  /**
   * Pods above `spec.replicas` during the update (a count, or a percentage string, rounded up).
   * @default '25' (25 %)
   */
  readonly maxSurge?: IntOrPercent;
  /**
   * Pods below `spec.replicas` during the update (a count, or a percentage string, rounded down).
   * @default '25' (25 %)
   */
  readonly maxUnavailable?: IntOrPercent;
  /**
   * How traffic is split between stable and canary.
   * @default - none: the split follows the pod counts
   */
  readonly trafficRouting?: TrafficRouting;
  /**
   * Scale the stable ReplicaSet down as the canary weight rises.
   * @default false
   */
  readonly dynamicStableScale?: boolean;
  /**
   * Fewest canary pods at a weight above 0 (with traffic routing).
   * @default 1
   */
  readonly minPodsPerReplicaSet?: number;
  /**
   * Seconds the old stable ReplicaSet keeps its pods after promotion (with traffic routing).
   * @default 30
   */
  readonly scaleDownDelaySeconds?: number;
  /**
   * Old ReplicaSets that may wait for their scale-down delay at once.
   * @default - unlimited
   */
  readonly scaleDownDelayRevisionLimit?: number;
  /**
   * Seconds the canary keeps its pods after an abort (with traffic routing; 0 = never scaled down).
   * @default 30
   */
  readonly abortScaleDownDelaySeconds?: number;
  /**
   * Service the controller points at the canary pods.
   * @default - none
   */
  readonly canaryService?: string;
  /**
   * Service the controller points at the stable pods.
   * @default - none
   */
  readonly stableService?: string;
  /**
   * Ping-pong Services instead of stable/canary.
   * @default - none
   */
  readonly pingPong?: { readonly pingService: string; readonly pongService: string };
  /**
   * Labels and annotations added to the canary pods only.
   * @default - none
   */
  readonly canaryMetadata?: PodMetadata;
  /**
   * Labels and annotations added to the stable pods only.
   * @default - none
   */
  readonly stableMetadata?: PodMetadata;
  /**
   * How many canary pods must be available before a step counts as reached.
   * @default - all of them
   */
  readonly replicaProgressThreshold?: ReplicaProgressThreshold;
  /**
   * Background analysis (kept as given).
   * @default - none
   */
  readonly analysis?: Record<string, unknown>;
}

/** `spec` of a Rollout (the parts the reconciler reads). */
export interface RolloutSpec {
  /**
   * Desired pod count.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Paused by the user (`kubectl argo rollouts pause`).
   * @default false
   */
  readonly paused?: boolean;
  /**
   * Seconds a ready pod must stay ready to count as available.
   * @default 0
   */
  readonly minReadySeconds?: number;
  /**
   * Seconds without progress before the Rollout is Degraded (ProgressDeadlineExceeded).
   * @default 600
   */
  readonly progressDeadlineSeconds?: number;
  /**
   * Abort the update when the progress deadline is exceeded.
   * @default false
   */
  readonly progressDeadlineAbort?: boolean;
  /**
   * Old ReplicaSets kept.
   * @default 10
   */
  readonly revisionHistoryLimit?: number;
  /**
   * RFC 3339 time after which pods created before it are restarted (`kubectl argo rollouts restart`).
   * @default - none
   */
  readonly restartAt?: string;
  /**
   * `spec.rollbackWindow`: a move back to one of the last `revisions` ReplicaSets older than the
   * stable one skips the steps (rollout/sync.go isRollbackWithinWindow).
   * @default - no window
   */
  readonly rollbackWindow?: RollbackWindow;
  /**
   * True when the pod template came from `workloadRef` (set in memory by the controller).
   * @default false
   */
  readonly templateResolvedFromRef?: boolean;
  /**
   * The update strategy: `canary` is simulated; `blueGreen` only feeds the shared helpers.
   */
  readonly strategy: { readonly canary?: CanaryStrategy; readonly blueGreen?: BlueGreenStrategy };
}

/** `spec.rollbackWindow`. */
export interface RollbackWindow {
  /** How many revisions back (older than the stable ReplicaSet) a rollback skips the steps. @default - no window */
  readonly revisions?: number;
}

/**
 * `spec.strategy.blueGreen`: only the fields the shared helpers (fenceposts, delay defaults) read.
 * The runtime does not simulate blue-green; these exist so the helpers keep Argo's semantics.
 */
export interface BlueGreenStrategy {
  /**
   * Pods below `spec.replicas` during the update.
   * @default '25' (25 %)
   */
  readonly maxUnavailable?: IntOrPercent;
  /**
   * Seconds the old ReplicaSet keeps its pods after the switch.
   * @default 30
   */
  readonly scaleDownDelaySeconds?: number;
  /**
   * Seconds the preview keeps its pods after an abort.
   * @default 30
   */
  readonly abortScaleDownDelaySeconds?: number;
  /**
   * Post-promotion analysis (kept as given).
   * @default - none
   */
  readonly postPromotionAnalysis?: Record<string, unknown>;
}
