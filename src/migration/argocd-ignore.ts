import { ARGO_KEYS } from '../model/argo-defaults';
import type { CanarySet } from './canary-set';

/** Options of `argoCdIgnoreDifferences`. */
export interface ArgoCdIgnoreOptions {
  /** Name of the Argo CD Application that syncs the app. @default - the Rollout's name */
  readonly applicationName?: string;
  /** Namespace of the Application object. @default 'argocd' */
  readonly applicationNamespace?: string;
}

/** One entry of `spec.ignoreDifferences` of an Argo CD Application. */
export interface IgnoreDifference {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly jsonPointers?: readonly string[];
  readonly jqPathExpressions?: readonly string[];
}

/** Argo CD sync options the ignore rules need. */
export const ARGO_CD_SYNC_OPTIONS = ['RespectIgnoreDifferences=true', 'ApplyOutOfSyncOnly=true'] as const;

/**
 * The Argo CD `ignoreDifferences` rules for a canary set: the VirtualService route weights the
 * controller moves during a rollout (jqPathExpressions, as the Argo Rollouts Istio docs recommend),
 * the pod-template-hash the controller adds to the stable and canary Service selectors, and the
 * Rollout's `/spec/replicas` when an HPA owns it. `RespectIgnoreDifferences=true` makes a sync keep
 * the live values of those fields instead of only hiding the diff (argo-rollouts#4935, #3565);
 * `ApplyOutOfSyncOnly=true` keeps a sync from re-applying objects that did not change.
 */
export function argoCdIgnoreDifferences(set: CanarySet): IgnoreDifference[] {
  const ns = set.namespace !== undefined ? { namespace: set.namespace } : {};
  const rules: IgnoreDifference[] = [
    {
      group: 'networking.istio.io',
      kind: 'VirtualService',
      name: set.virtualService.metadata.name,
      ...ns,
      jqPathExpressions: ['.spec.http[].route[].weight'],
    },
    ...[set.stableService, set.canaryService].map((svc) => ({
      group: '',
      kind: 'Service',
      name: svc.metadata.name,
      ...ns,
      jsonPointers: [`/spec/selector/${ARGO_KEYS.podTemplateHashLabel}`],
    })),
  ];
  if (set.hpa) {
    rules.push({ group: 'argoproj.io', kind: 'Rollout', name: set.rollout.metadata.name, ...ns, jsonPointers: ['/spec/replicas'] });
  }
  return rules;
}

/**
 * A partial Argo CD Application carrying the ignore rules and the sync options; merge its `spec`
 * into the Application that syncs the app (source, destination and project stay yours).
 */
export function argoCdApplicationSnippet(set: CanarySet, options: ArgoCdIgnoreOptions = {}): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: options.applicationName ?? set.rollout.metadata.name,
      namespace: options.applicationNamespace ?? 'argocd',
    },
    spec: {
      ignoreDifferences: argoCdIgnoreDifferences(set),
      syncPolicy: { syncOptions: [...ARGO_CD_SYNC_OPTIONS] },
    },
  };
}
