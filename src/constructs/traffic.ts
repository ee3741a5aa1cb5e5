import { Duration } from 'cdk8s';
import { VirtualServiceSpecHttpMatch } from '../../imports/istio-virtual-service-networking.istio.io';
import { CANARY_APP_DEFAULTS } from '../runtime/defaults';

/** Retries of the weighted http route. */
export interface HttpRetryOptions {
  /** Number of retries (0 disables Istio's default of 2). */
  readonly attempts: number;
  /**
   * Timeout of each try.
   * @default - Istio's: the route timeout
   */
  readonly perTryTimeout?: Duration;
  /**
   * Conditions to retry on, e.g. `'5xx,connect-failure,reset'`.
   * @default - Istio's: connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes
   */
  readonly retryOn?: string;
}

/** The Istio VirtualService with the weighted route the Rollout moves. */
export interface VirtualServiceOptions {
  /** Hosts the VirtualService answers for (at least one), e.g. `['www.example.com']`. */
  readonly hosts: string[];
  /**
   * Gateways (`namespace/name`), plus `'mesh'` to also route in-mesh callers (sidecars), who then
   * must use one of `hosts` (add the stable Service name for them).
   * @default - none: Istio applies the VirtualService to in-mesh traffic only (`mesh`)
   */
  readonly gateways?: string[];
  /**
   * Name of the weighted http route; the Rollout lists it in `trafficRouting.istio.virtualService.routes`.
   * @default 'primary'
   */
  readonly routeName?: string;
  /**
   * Match conditions of the weighted route (Istio `HTTPMatchRequest`s).
   * @default - match every request
   */
  readonly match?: VirtualServiceSpecHttpMatch[];
  /**
   * Retries of the weighted route.
   * @default - Istio's default retry policy
   */
  readonly retries?: HttpRetryOptions;
  /**
   * Timeout of the weighted route.
   * @default - no timeout
   */
  readonly timeout?: Duration;
}

/** The stable and canary Services (and the optional root Service). */
export interface ServiceOptions {
  /**
   * Service port; the VirtualService routes to it.
   * @default 80
   */
  readonly port?: number;
  /**
   * Container port the Services send traffic to: a port name (recommended) or number.
   * @default 'http'
   */
  readonly targetPort?: string | number;
  /**
   * Name of the Service port (Istio reads the protocol from a `http` / `http-*` prefix).
   * @default 'http'
   */
  readonly portName?: string;
}

/** Options of subset-level traffic splitting. */
export interface SubsetSplitOptions {
  /**
   * DestinationRule subset of the stable pods.
   * @default 'stable'
   */
  readonly stableSubset?: string;
  /**
   * DestinationRule subset of the canary pods.
   * @default 'canary'
   */
  readonly canarySubset?: string;
}

/**
 * How Istio splits traffic: between two Services (`host`, the write-up's) or between two subsets of
 * one Service through a DestinationRule (`subset`; needs Argo Rollouts >= 1.8, see argo-rollouts#2507).
 */
export class TrafficSplit {
  /** Host-level split: stable and canary Services, the VirtualService weighs the two hosts. */
  public static host(): TrafficSplit {
    return new TrafficSplit('host', CANARY_APP_DEFAULTS.stableSubset, CANARY_APP_DEFAULTS.canarySubset);
  }

  /** Subset-level split: one Service, a DestinationRule with a stable and a canary subset. */
  public static subset(options: SubsetSplitOptions = {}): TrafficSplit {
    return new TrafficSplit(
      'subset',
      options.stableSubset ?? CANARY_APP_DEFAULTS.stableSubset,
      options.canarySubset ?? CANARY_APP_DEFAULTS.canarySubset,
    );
  }

  private constructor(
    /** `host` or `subset`. */
    public readonly mode: 'host' | 'subset',
    /** Stable subset name (subset mode). */
    public readonly stableSubset: string,
    /** Canary subset name (subset mode). */
    public readonly canarySubset: string,
  ) {}
}
