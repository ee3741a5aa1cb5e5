import { selectsSome } from '../model/label-selector';
import { ARGO_KEYS } from '../model/argo-defaults';
import {
  type HpaFields,
  readHpaFields,
  readRolloutFields,
  readVirtualServiceRoutes,
  readWorkloadFields,
  readWorkloadRef,
  serviceSelector,
  shortHost,
  splitVirtualServiceName,
} from '../model/manifests';
import type { IstioVirtualServiceRef } from '../model/rollout-spec';
import { failNaming, MigrationProblems } from './migration-error';
import { asArray, asKube, asRecord, formatLabels, type ManifestObject, refOf } from './manifest-object';

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
  /** The Deployment's `spec.selector.matchLabels` (`{}` when absent), as the model's reader reads it. */
  readonly matchLabels: Readonly<Record<string, string>>;
  /** The Rollout's `spec.replicas`, as the model's reader reads it. @default - absent (the HPA owns it, or 1) */
  readonly replicas?: number;
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
  /** The HPA's fields as the model's reader reads them (`readHpaFields`). @default - none */
  readonly hpaFields?: HpaFields;
}

/**
 * Reads and checks the canary set. Errors name the object: no Rollout, a Rollout without
 * `workloadRef` to a Deployment of the set, missing Services, a VirtualService without the
 * weighted route, an HPA aimed at anything but the Rollout.
 */
export function readCanarySet(objects: readonly ManifestObject[], rolloutName?: string): CanarySet {
  const problems = new MigrationProblems();
  const rollout = chooseRollout(objects, rolloutName, problems);
  const parts = readRolloutRefs(objects, rollout, problems);
  problems.throwIfAny(SUBJECT);
  const { deployment, stableService, canaryService, virtualService } = parts as Required<RolloutRefs>;
  const read: string[] = [];
  const { templateLabels: podLabels, matchLabels } = readWorkloadFields(asKube(deployment), failNaming(refOf(deployment)), read);
  problems.addAll(read);
  checkServiceSelectors([stableService, canaryService], deployment, podLabels, problems);
  const route = readWeightedRoute(rollout, parts as Required<RolloutRefs>, problems);
  const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
  const hpaFields = checkHpas(hpas, rollout, problems);
  const namespaces = new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => n !== undefined));
  if (namespaces.size > 1) problems.add(`the canary set spans namespaces ${[...namespaces].join(', ')}; it must be one namespace`);
  problems.throwIfAny(SUBJECT);

  return {
    objects,
    namespace: [...namespaces][0],
    rollout,
    deployment,
    podLabels,
    matchLabels,
    replicas: parts.replicas,
    stableService,
    canaryService,
    virtualService,
    ...route,
    hpa: hpas[0],
    hpaFields: hpaFields[0],
  };
}

const SUBJECT = 'cannot use these manifests as the canary set';

function find(objects: readonly ManifestObject[], kind: string, name: unknown): ManifestObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}

/** The Rollout: the named one or the only one (throws otherwise). */
function chooseRollout(objects: readonly ManifestObject[], rolloutName: string | undefined, problems: MigrationProblems): ManifestObject {
  const all = objects.filter((o) => o.kind === 'Rollout');
  const rollouts = all.filter((r) => rolloutName === undefined || r.metadata.name === rolloutName);
  if (rollouts.length !== 1) {
    const found = all.map((r) => r.metadata.name);
    problems.add(
      rollouts.length === 0
        ? `no Rollout${rolloutName ? ` named ${rolloutName}` : ''} in the canary set (Rollouts found: ${found.join(', ') || 'none'})`
        : `${rollouts.length} Rollouts in the canary set (${found.join(', ')}): name one (--rollout NAME)`,
    );
    problems.throwIfAny(SUBJECT);
  }
  return rollouts[0];
}

/** The objects the Rollout names, each found in the set (undefined, with a problem, when not). */
interface RolloutRefs {
  readonly deployment?: ManifestObject;
  readonly stableService?: ManifestObject;
  readonly canaryService?: ManifestObject;
  readonly virtualService?: ManifestObject;
  /** `trafficRouting.istio.virtualService` as the model's reader reads it. */
  readonly vsRef: IstioVirtualServiceRef | undefined;
  /** The Rollout's `spec.replicas` as the model's reader reads it. */
  readonly replicas: number | undefined;
}

/**
 * The Deployment of `workloadRef`, the stable and canary Services and the VirtualService the
 * Rollout names. The Rollout's own fields are read by the model's reader (`readRolloutFields`,
 * `readWorkloadRef`): a field it refuses is reported in its words.
 */
function readRolloutRefs(objects: readonly ManifestObject[], rollout: ManifestObject, problems: MigrationProblems): RolloutRefs {
  const ro = refOf(rollout);
  const workloadRef = readWorkloadRef(rollout.spec);
  const deployment = workloadRef?.kind === 'Deployment' ? find(objects, 'Deployment', workloadRef.name) : undefined;
  if (!workloadRef) problems.add(`${ro}: spec.workloadRef is missing; the migration keeps the Deployment and references it from the Rollout`);
  else if (!deployment) {
    problems.add(`${ro}: spec.workloadRef (${String(workloadRef.kind)}/${String(workloadRef.name)}) is not a Deployment of the canary set`);
  }
  if (asRecord(rollout.spec)?.template !== undefined) {
    problems.add(`${ro}: spec.template must be empty for a workloadRef Rollout (the controller reports it Degraded otherwise)`);
  }
  const fields = readRolloutFields({ object: asKube(rollout), source: { document: 1 } });
  problems.addAll(fields.problems);
  const canary = fields.canary;
  if (!canary && fields.problems.length === 0) problems.add(`${ro}: spec.strategy.canary is missing`);
  const stableService = find(objects, 'Service', canary?.stableService);
  const canaryService = find(objects, 'Service', canary?.canaryService);
  if (canary && !stableService) problems.add(`${ro}: spec.strategy.canary.stableService (${JSON.stringify(canary.stableService ?? null)}) is not a Service of the canary set`);
  if (canary && !canaryService) problems.add(`${ro}: spec.strategy.canary.canaryService (${JSON.stringify(canary.canaryService ?? null)}) is not a Service of the canary set`);

  const vsRef = asRecord(canary?.trafficRouting?.istio?.virtualService) as IstioVirtualServiceRef | undefined;
  // `name` or `name.namespace`, read as the controller and the manifests reader read it (a `/` is not special).
  const vsName = typeof vsRef?.name === 'string' ? splitVirtualServiceName(vsRef.name).name : undefined;
  const virtualService = find(objects, 'VirtualService', vsName);
  if (canary && !virtualService) {
    problems.add(`${ro}: spec.strategy.canary.trafficRouting.istio.virtualService (${JSON.stringify(vsRef?.name ?? null)}) is not a VirtualService of the canary set`);
  }
  return { deployment, stableService, canaryService, virtualService, vsRef, replicas: fields.spec?.replicas };
}

/** The Services select the Deployment's pods, without the pod-template-hash the controller adds. */
function checkServiceSelectors(services: readonly ManifestObject[], deployment: ManifestObject, podLabels: Record<string, string>, problems: MigrationProblems): void {
  for (const svc of services) {
    const sel = serviceSelector(asKube(svc));
    if (ARGO_KEYS.podTemplateHashLabel in sel) {
      problems.add(`${refOf(svc)}: spec.selector carries ${ARGO_KEYS.podTemplateHashLabel}; the controller sets it, the manifest must not`);
    } else if (!selectsSome(sel, podLabels)) {
      problems.add(`${refOf(svc)}: spec.selector (${formatLabels(sel) || 'none'}) does not select the pods of ${refOf(deployment)} (${formatLabels(podLabels)})`);
    }
  }
}

/**
 * The weighted route (the one listed in `routes`, or the only http route) and its stable and
 * canary destinations, which must start at 100 / 0. Indexes are -1 where not found (with a problem).
 */
function readWeightedRoute(
  rollout: ManifestObject,
  refs: Required<RolloutRefs>,
  problems: MigrationProblems,
): Pick<CanarySet, 'routeIndex' | 'stableDestination' | 'canaryDestination'> {
  const ro = refOf(rollout);
  const { virtualService, stableService, canaryService, vsRef } = refs;
  const refused: string[] = [];
  const http = readVirtualServiceRoutes(asKube(virtualService), 'http', failNaming(refOf(virtualService)), refused);
  problems.addAll(refused);
  const routeIndex = weightedRouteIndex(ro, virtualService, http.map((r) => r.name), vsRef, problems);
  if (routeIndex < 0) return { routeIndex, stableDestination: -1, canaryDestination: -1 };
  const dests = http[routeIndex].destinations;
  const hostAt = (i: number): string => shortHost(dests[i].host ?? '');
  const stableDestination = dests.findIndex((_, i) => hostAt(i) === stableService.metadata.name);
  const canaryDestination = dests.findIndex((_, i) => hostAt(i) === canaryService.metadata.name);
  const where = `${refOf(virtualService)} spec.http[${routeIndex}]`;
  if (stableDestination < 0) problems.add(`${where} has no destination to the stable Service ${stableService.metadata.name}`);
  if (canaryDestination < 0) problems.add(`${where} has no destination to the canary Service ${canaryService.metadata.name}`);
  if (stableDestination >= 0 && canaryDestination >= 0 && refused.length === 0) {
    const sw = dests[stableDestination].weight;
    const cw = dests[canaryDestination].weight ?? 0;
    if (sw !== 100 || cw !== 0) {
      problems.add(`${where}: weights stable ${JSON.stringify(sw ?? null)} / canary ${JSON.stringify(cw)} must start at 100 / 0 (all traffic on the stable Service)`);
    }
  }
  return { routeIndex, stableDestination, canaryDestination };
}

/** Index in `spec.http` of the route the Rollout weights: the one `routes` lists, or the only one (-1, with a problem, otherwise). */
function weightedRouteIndex(
  ro: string,
  virtualService: ManifestObject,
  httpNames: readonly (string | undefined)[],
  vsRef: IstioVirtualServiceRef | undefined,
  problems: MigrationProblems,
): number {
  const routeNames = (asArray(vsRef?.routes) ?? []).map(String);
  if (routeNames.length > 1) {
    problems.add(`${ro}: trafficRouting.istio.virtualService.routes lists ${routeNames.length} routes; the migration handles one weighted route`);
    return -1;
  }
  if (routeNames.length === 1) {
    const routeIndex = httpNames.indexOf(routeNames[0]);
    if (routeIndex < 0) problems.add(`${refOf(virtualService)}: no http route named ${JSON.stringify(routeNames[0])} (listed in ${ro} routes)`);
    return routeIndex;
  }
  if (httpNames.length === 1) return 0;
  problems.add(`${ro}: trafficRouting.istio.virtualService.routes is empty and ${refOf(virtualService)} has ${httpNames.length} http routes; name the weighted route`);
  return -1;
}

/** HPAs: at most one, aimed at the Rollout; each read by the model's reader (`readHpaFields`). */
function checkHpas(hpas: readonly ManifestObject[], rollout: ManifestObject, problems: MigrationProblems): HpaFields[] {
  const ro = refOf(rollout);
  const read = hpas.map((h) => {
    const refused: string[] = [];
    const fields = readHpaFields(asKube(h), failNaming(refOf(h)), refused);
    problems.addAll(refused);
    const t = fields.scaleTargetRef;
    if (t.kind !== 'Rollout' || t.name !== rollout.metadata.name) {
      problems.add(`${refOf(h)}: spec.scaleTargetRef (${String(t.kind)}/${String(t.name)}) is not ${ro}; after the migration the HPA scales the Rollout`);
    }
    return fields;
  });
  if (hpas.length > 1) problems.add(`${hpas.length} HorizontalPodAutoscalers in the canary set; at most one may scale ${ro}`);
  return read;
}
