/** CanaryApp's objects, one function per object, rendered from the resolved props. */
import type { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { toJson_RolloutSpecSelector, type RolloutSpec, type RolloutSpecStrategyCanary } from '../../imports/argo-rollout-argoproj.io';
import type { DestinationRuleSpec } from '../../imports/istio-destination-rule-networking.istio.io';
import {
  toJson_VirtualServiceSpecHttpMatch,
  type VirtualServiceSpec,
  type VirtualServiceSpecHttpRetries,
  type VirtualServiceSpecHttpRoute,
} from '../../imports/istio-virtual-service-networking.istio.io';
import { LintedApiObject } from '../lint/construct-validation';
import { CANARY_CONVENTIONS } from '../lint/conventions';
import { API_VERSIONS } from '../model/argo-defaults';
import type { CanaryStep as CanaryStepSpec } from '../runtime/types';
import { clonePlain } from './_clone';
import { durationText } from './_durations';
import { pdbObject, serviceObject } from './_kube-objects';
import type { Resolved } from './_app-resolved';
import type { AnalysisBinding } from './analysis';
import { CANARY_APP_DEFAULTS } from './defaults';
import type { DisruptionBudget } from './disruption';

type Json = Record<string, unknown>;

export function renderDeployment(scope: Construct, ok: Resolved, meta: (n: string) => Json): ApiObject {
  // The resolved workload's objects are the app's own copies (resolveWorkload builds or
  // clones them) and only this object renders them, so they are not copied again; the selector
  // is, as its matchLabels are the public `selectorLabels`.
  const w = ok.workload;
  return new LintedApiObject(scope, 'Deployment', {
    apiVersion: API_VERSIONS.deployment,
    kind: 'Deployment',
    metadata: { ...w.extraMetadata, ...meta(ok.names.deployment) },
    spec: {
      ...w.spec,
      replicas: CANARY_APP_DEFAULTS.workloadReplicas,
      selector: clonePlain(w.selector),
      template: w.template,
    },
  });
}

export function renderService(scope: Construct, id: string, metadata: { name: string; namespace?: string }, ok: Resolved): ApiObject {
  return serviceObject(scope, id, {
    metadata,
    spec: {
      type: 'ClusterIP',
      ports: [
        {
          name: ok.service.portName,
          port: ok.service.port,
          protocol: 'TCP',
          targetPort:
            typeof ok.service.targetPort === 'number'
              ? k8s.IntOrString.fromNumber(ok.service.targetPort)
              : k8s.IntOrString.fromString(ok.service.targetPort),
        },
      ],
      selector: { ...ok.workload.selectorLabels },
    },
  });
}

export function renderDestinationRule(scope: Construct, ok: Resolved, meta: (n: string) => Json): ApiObject {
  // Plain CRD JSON, keys in the order the L1 `toJson_DestinationRuleSpec` emits them (cheaper
  // than building the typed spec and converting it; the field names are checked against it).
  const spec = {
    host: ok.names.stableService,
    subsets: [
      { labels: { ...ok.workload.selectorLabels }, name: ok.split.stableSubset },
      { labels: { ...ok.workload.selectorLabels }, name: ok.split.canarySubset },
    ],
  } satisfies DestinationRuleSpec;
  return new LintedApiObject(scope, 'DestinationRule', {
    apiVersion: API_VERSIONS.destinationRule,
    kind: 'DestinationRule',
    metadata: meta(ok.names.destinationRule),
    spec,
  });
}

export function renderVirtualService(scope: Construct, ok: Resolved, meta: (n: string) => Json): ApiObject {
  // Plain CRD JSON in the L1's key order (see renderDestinationRule); only the user's match
  // conditions go through the L1 conversion, which keeps exactly the fields it knows.
  const vs = ok.virtualService;
  const port = ok.service.port;
  const subset = ok.split.mode === 'subset';
  const route = [
    { destination: { host: ok.names.stableService, port: { number: port }, subset: subset ? ok.split.stableSubset : undefined }, weight: 100 },
    { destination: { host: subset ? ok.names.stableService : ok.names.canaryService, port: { number: port }, subset: subset ? ok.split.canarySubset : undefined }, weight: 0 },
  ] satisfies VirtualServiceSpecHttpRoute[];
  const retries = vs.retries && {
    attempts: vs.retries.attempts,
    perTryTimeout: vs.retries.perTryTimeout && durationText(vs.retries.perTryTimeout),
    retryOn: vs.retries.retryOn,
  } satisfies VirtualServiceSpecHttpRetries;
  const spec = {
    gateways: vs.gateways && vs.gateways.length > 0 ? [...vs.gateways] : undefined,
    hosts: [...vs.hosts],
    http: [
      {
        match: vs.match?.map((m) => toJson_VirtualServiceSpecHttpMatch(m)),
        name: ok.routeName,
        retries,
        route,
        timeout: vs.timeout && durationText(vs.timeout),
      },
    ],
  } satisfies Omit<VirtualServiceSpec, 'http'> & { http: Json[] };
  return new LintedApiObject(scope, 'VirtualService', {
    apiVersion: API_VERSIONS.virtualService,
    kind: 'VirtualService',
    metadata: meta(ok.names.virtualService),
    spec,
  });
}

export function renderRollout(scope: Construct, ok: Resolved, meta: (n: string) => Json, analysis?: AnalysisBinding<CanaryStepSpec>): ApiObject {
  // Plain CRD JSON, keys in the order the L1 `toJson_RolloutSpec` emits them followed by the
  // fields added after it (steps, analysis, template), as before: same bytes with or without
  // CDK8S_DISABLE_SORT. Only the selector (user input) goes through the L1 conversion.
  const c = CANARY_CONVENTIONS;
  const host = ok.split.mode === 'host';
  const roleMeta = (role: string) => ({ annotations: { [c.roleKey]: role }, labels: { [c.roleKey]: role } });
  const virtualService = { name: ok.names.virtualService, routes: [ok.routeName] };
  const canary: Json = {
    abortScaleDownDelaySeconds: ok.abortScaleDownDelaySeconds,
    canaryMetadata: roleMeta(c.canaryRole),
    canaryService: host ? ok.names.canaryService : undefined,
    minPodsPerReplicaSet: ok.minPodsPerReplicaSet,
    scaleDownDelaySeconds: ok.scaleDownDelaySeconds,
    stableMetadata: roleMeta(c.stableRole),
    stableService: host ? ok.names.stableService : undefined,
    trafficRouting: {
      istio: host
        ? { virtualService }
        : {
          destinationRule: {
            canarySubsetName: ok.split.canarySubset,
            name: ok.names.destinationRule,
            stableSubsetName: ok.split.stableSubset,
          },
          virtualService,
        },
      managedRoutes: ok.managedRoutes.length > 0 ? ok.managedRoutes.map((name) => ({ name })) : undefined,
    },
  } satisfies Omit<RolloutSpecStrategyCanary, 'steps' | 'analysis'>;
  // Steps are plain data already (CRD field names); the typed L1 would need wrapper classes.
  canary.steps = (analysis?.steps ?? ok.steps).map((s) => clonePlain(s));
  if (analysis?.background) canary.analysis = clonePlain(analysis.background);
  const spec: Json = {
    minReadySeconds: ok.minReadySeconds,
    replicas: ok.replicas,
    selector: toJson_RolloutSpecSelector(ok.workload.selector as RolloutSpec['selector']),
    strategy: { canary },
    workloadRef: ok.inlineTemplate
      ? undefined
      : { apiVersion: API_VERSIONS.deployment, kind: 'Deployment', name: ok.names.deployment, scaleDown: ok.scaleDown },
  } satisfies Omit<RolloutSpec, 'strategy'> & { strategy: Json };
  if (ok.inlineTemplate) spec.template = ok.workload.template; // own copy, rendered only here (no Deployment)
  return new LintedApiObject(scope, 'Rollout', {
    apiVersion: API_VERSIONS.rollout,
    kind: 'Rollout',
    metadata: meta(ok.names.rollout),
    spec,
  });
}

export function renderHpa(scope: Construct, ok: Resolved, meta: (n: string) => Json): ApiObject {
  const a = ok.autoscaling!;
  return new LintedApiObject(scope, 'Hpa', {
    apiVersion: API_VERSIONS.hpa,
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(ok.names.hpa),
    spec: {
      scaleTargetRef: { apiVersion: API_VERSIONS.rollout, kind: 'Rollout', name: ok.names.rollout },
      minReplicas: a.minReplicas,
      maxReplicas: a.maxReplicas,
      metrics: a.metrics.map((m) => m.toSpec()),
    },
  });
}

export function renderPdb(scope: Construct, id: string, metadata: { name: string; namespace?: string }, ok: Resolved, role: string, budget: DisruptionBudget): ApiObject {
  const value = typeof budget.value === 'number' ? k8s.IntOrString.fromNumber(budget.value) : k8s.IntOrString.fromString(budget.value);
  return pdbObject(scope, id, {
    metadata,
    spec: {
      [budget.field]: value,
      selector: { matchLabels: { ...ok.workload.selectorLabels, [CANARY_CONVENTIONS.roleKey]: role } },
    },
  });
}
