import { ARGO_KEYS } from '../runtime/defaults';
import { shortHost } from './existing-app';
import { MigrationProblems } from './migration-error';
import {
  asArray,
  asRecord,
  asStringMap,
  formatLabels,
  getPath,
  type ManifestObject,
  refOf,
  selectorMatches,
} from './manifest-object';

/**
 * The canary set the migration ends in (what `CanaryApp` renders, or hand-written manifests of
 * the same shape): a Rollout that references the Deployment through `workloadRef`, stable and
 * canary Services, the weighted VirtualService route and optionally an HPA aimed at the Rollout.
 */
export interface CanarySet {
  /** Every object of the set, in the order given. */
  readonly objects: readonly ManifestObject[];
  /** @default - none (the kubectl context's) */
  readonly namespace?: string;
  /**
   * The Rollout.
   */
  readonly rollout: ManifestObject;
  /** The Deployment named by `spec.workloadRef`. */
  readonly deployment: ManifestObject;
  /** Labels of the pods (the Deployment's template labels). */
  readonly podLabels: Readonly<Record<string, string>>;
  /**
   * The stable Service (named by `canary.stableService`).
   */
  readonly stableService: ManifestObject;
  /**
   * The canary Service (named by `canary.canaryService`).
   */
  readonly canaryService: ManifestObject;
  /**
   * The VirtualService the Rollout routes through.
   */
  readonly virtualService: ManifestObject;
  /** Index in `spec.http` of the weighted route. */
  readonly routeIndex: number;
  /** Indexes of the stable and canary destinations inside that route. */
  readonly stableDestination: number;
  /**
   * Index of the canary destination inside that route.
   */
  readonly canaryDestination: number;
  /** The HPA scaling the Rollout. @default - none */
  readonly hpa?: ManifestObject;
}

/**
 * Reads and checks the canary set. Errors name the object: no Rollout, a Rollout without
 * `workloadRef` to a Deployment of the set, missing Services, a VirtualService without the
 * weighted route, an HPA aimed at anything but the Rollout.
 */
export function readCanarySet(objects: readonly ManifestObject[], rolloutName?: string): CanarySet {
  const problems = new MigrationProblems();
  const subject = 'cannot use these manifests as the canary set';
  const byKind = (kind: string): ManifestObject[] => objects.filter((o) => o.kind === kind);
  const find = (kind: string, name: unknown): ManifestObject | undefined =>
    objects.find((o) => o.kind === kind && o.metadata.name === name);

  const rollouts = byKind('Rollout').filter((r) => rolloutName === undefined || r.metadata.name === rolloutName);
  if (rollouts.length !== 1) {
    const found = byKind('Rollout').map((r) => r.metadata.name);
    problems.add(
      rollouts.length === 0
        ? `no Rollout${rolloutName ? ` named ${rolloutName}` : ''} in the canary set (Rollouts found: ${found.join(', ') || 'none'})`
        : `${rollouts.length} Rollouts in the canary set (${found.join(', ')}): name one (--rollout NAME)`,
    );
    problems.throwIfAny(subject);
  }
  const rollout = rollouts[0];
  const ro = refOf(rollout);
  const workloadRef = asRecord(getPath(rollout, 'spec', 'workloadRef'));
  const deployment = workloadRef && workloadRef.kind === 'Deployment' ? find('Deployment', workloadRef.name) : undefined;
  if (!workloadRef) problems.add(`${ro}: spec.workloadRef is missing; the migration keeps the Deployment and references it from the Rollout`);
  else if (!deployment) {
    problems.add(`${ro}: spec.workloadRef (${String(workloadRef.kind)}/${String(workloadRef.name)}) is not a Deployment of the canary set`);
  }
  if (getPath(rollout, 'spec', 'template') !== undefined) {
    problems.add(`${ro}: spec.template must be empty for a workloadRef Rollout (the controller reports it Degraded otherwise)`);
  }
  const canary = asRecord(getPath(rollout, 'spec', 'strategy', 'canary'));
  if (!canary) problems.add(`${ro}: spec.strategy.canary is missing`);
  const stableService = find('Service', canary?.stableService);
  const canaryService = find('Service', canary?.canaryService);
  if (canary && !stableService) problems.add(`${ro}: spec.strategy.canary.stableService (${JSON.stringify(canary.stableService ?? null)}) is not a Service of the canary set`);
  if (canary && !canaryService) problems.add(`${ro}: spec.strategy.canary.canaryService (${JSON.stringify(canary.canaryService ?? null)}) is not a Service of the canary set`);

  const vsRef = asRecord(getPath(canary, 'trafficRouting', 'istio', 'virtualService'));
  const vsName = typeof vsRef?.name === 'string' ? vsRef.name.split('/').pop()!.split('.')[0] : undefined;
  const virtualService = find('VirtualService', vsName);
  if (canary && !virtualService) {
    problems.add(`${ro}: spec.strategy.canary.trafficRouting.istio.virtualService (${JSON.stringify(vsRef?.name ?? null)}) is not a VirtualService of the canary set`);
  }
  problems.throwIfAny(subject);

  const podLabels = asStringMap(getPath(deployment, 'spec', 'template', 'metadata', 'labels')) ?? {};
  for (const svc of [stableService!, canaryService!]) {
    const sel = asStringMap(getPath(svc, 'spec', 'selector')) ?? {};
    if (ARGO_KEYS.podTemplateHashLabel in sel) {
      problems.add(`${refOf(svc)}: spec.selector carries ${ARGO_KEYS.podTemplateHashLabel}; the controller sets it, the manifest must not`);
    } else if (!selectorMatches(sel, podLabels)) {
      problems.add(`${refOf(svc)}: spec.selector (${formatLabels(sel) || 'none'}) does not select the pods of ${refOf(deployment!)} (${formatLabels(podLabels)})`);
    }
  }

  // The weighted route: the one listed in `routes` (or the only http route).
  const http = asArray(getPath(virtualService, 'spec', 'http')) ?? [];
  const routeNames = (asArray(vsRef?.routes) ?? []).map(String);
  let routeIndex = -1;
  if (routeNames.length > 1) problems.add(`${ro}: trafficRouting.istio.virtualService.routes lists ${routeNames.length} routes; the migration handles one weighted route`);
  else if (routeNames.length === 1) {
    routeIndex = http.findIndex((r) => getPath(r, 'name') === routeNames[0]);
    if (routeIndex < 0) problems.add(`${refOf(virtualService!)}: no http route named ${JSON.stringify(routeNames[0])} (listed in ${ro} routes)`);
  } else if (http.length === 1) routeIndex = 0;
  else problems.add(`${ro}: trafficRouting.istio.virtualService.routes is empty and ${refOf(virtualService!)} has ${http.length} http routes; name the weighted route`);
  let stableDestination = -1;
  let canaryDestination = -1;
  if (routeIndex >= 0) {
    const dests = asArray(getPath(http[routeIndex], 'route')) ?? [];
    const hostAt = (i: number): string => shortHost(String(getPath(dests[i], 'destination', 'host') ?? ''));
    stableDestination = dests.findIndex((_, i) => hostAt(i) === stableService!.metadata.name);
    canaryDestination = dests.findIndex((_, i) => hostAt(i) === canaryService!.metadata.name);
    const where = `${refOf(virtualService!)} spec.http[${routeIndex}]`;
    if (stableDestination < 0) problems.add(`${where} has no destination to the stable Service ${stableService!.metadata.name}`);
    if (canaryDestination < 0) problems.add(`${where} has no destination to the canary Service ${canaryService!.metadata.name}`);
    if (stableDestination >= 0 && canaryDestination >= 0) {
      const sw = getPath(dests[stableDestination], 'weight');
      const cw = getPath(dests[canaryDestination], 'weight') ?? 0;
      if (sw !== 100 || cw !== 0) {
        problems.add(`${where}: weights stable ${JSON.stringify(sw ?? null)} / canary ${JSON.stringify(cw)} must start at 100 / 0 (all traffic on the stable Service)`);
      }
    }
  }

  const hpas = byKind('HorizontalPodAutoscaler');
  for (const h of hpas) {
    const t = asRecord(getPath(h, 'spec', 'scaleTargetRef')) ?? {};
    if (t.kind !== 'Rollout' || t.name !== rollout.metadata.name) {
      problems.add(`${refOf(h)}: spec.scaleTargetRef (${String(t.kind)}/${String(t.name)}) is not ${ro}; after the migration the HPA scales the Rollout`);
    }
  }
  if (hpas.length > 1) problems.add(`${hpas.length} HorizontalPodAutoscalers in the canary set; at most one may scale ${ro}`);
  const namespaces = new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => n !== undefined));
  if (namespaces.size > 1) problems.add(`the canary set spans namespaces ${[...namespaces].join(', ')}; it must be one namespace`);
  problems.throwIfAny(subject);

  return {
    objects,
    namespace: [...namespaces][0],
    rollout,
    deployment: deployment!,
    podLabels,
    stableService: stableService!,
    canaryService: canaryService!,
    virtualService: virtualService!,
    routeIndex,
    stableDestination,
    canaryDestination,
    hpa: hpas[0],
  };
}
