import { ApiObject, App, Chart, Duration, type ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { toJson_RolloutSpecSelector, type RolloutSpec, type RolloutSpecStrategyCanary } from '../../imports/argo-rollout-argoproj.io';
import type { DestinationRuleSpec } from '../../imports/istio-destination-rule-networking.istio.io';
import {
  toJson_VirtualServiceSpecHttpMatch,
  type VirtualServiceSpec,
  type VirtualServiceSpecHttpRetries,
  type VirtualServiceSpecHttpRoute,
} from '../../imports/istio-virtual-service-networking.istio.io';
import { API_VERSIONS } from '../model/argo-defaults';
import { CANARY_APP_DEFAULTS, NAME_SUFFIXES } from './defaults';
import { CANARY_CONVENTIONS } from '../lint/conventions';
import type { CanaryStep as CanaryStepSpec } from '../runtime/types';
import {
  DNS1035_LABEL_RULE,
  DNS1123_LABEL_RULE,
  PORT_NAME_RULE,
  PORT_NUMBER_RULE,
  isDns1035Label,
  isDns1123Label,
  isPortName,
  isPortNumber,
  isWholeNumber,
} from './_checks';
import { LintedApiObject, lintConstructValidation, type LintConstructValidationOptions } from '../lint/construct-validation';
import { clonePlain } from './_clone';
import { pdbObject, serviceObject } from './_kube-objects';
import { durationText, isWholeSeconds, wholeSeconds } from './_durations';
import { resolveWorkload, templatePorts, type ResolvedWorkload } from './_workload';
import { checkHpaRequests } from './_hpa-requests';
import { applyPodSecurity } from './pod-security';
import { HpaMetric, type AutoscalingOptions } from './autoscaling';
import { CanaryAnalysis, type AnalysisBindContext, type AnalysisBinding } from './analysis';
import { CanaryAppError, ProblemList, formatValue, type Problem } from './canary-app-error';
import { resolveManagedRoutes } from './_managed-routes';
import { CanaryStep } from './canary-step';
import { DisruptionBudget, type DisruptionBudgetOptions } from './disruption';
import { StepProfile } from './step-profile';
import { TrafficSplit, checkVirtualServiceOptions, type ServiceOptions, type VirtualServiceOptions } from './traffic';
import type { CanaryContainerProps, DeploymentInput, DeploymentSpecInput, PodMetadataProps } from './workload-input';

/** What Argo does with the referenced Deployment (`workloadRef.scaleDown`). */
export enum WorkloadScaleDown {
  /** Leave the Deployment alone (the write-up's choice; `CanaryApp` renders it with `replicas: 0`). */
  NEVER = 'never',
  /** Scale the Deployment to 0 once the Rollout is healthy. */
  ON_SUCCESS = 'onsuccess',
  /** Scale the Deployment down as the Rollout scales up (needs Argo Rollouts >= 1.9, argo-rollouts#4321). */
  PROGRESSIVELY = 'progressively',
}

/** Object names; each defaults to `<name><suffix>` (suffixes in `NAME_SUFFIXES`). */
export interface CanaryAppNames {
  /** @default '<name>-dep' (or a whole Deployment input's metadata.name) */
  readonly deployment?: string;
  /** @default '<name>-rollout' */
  readonly rollout?: string;
  /** @default '<name>-svc' */
  readonly stableService?: string;
  /** @default '<name>-canary-svc' */
  readonly canaryService?: string;
  /** @default '<name>-root-svc' */
  readonly rootService?: string;
  /** @default '<name>-vs' */
  readonly virtualService?: string;
  /** @default '<name>-dr' */
  readonly destinationRule?: string;
  /** @default '<name>-hpa' */
  readonly hpa?: string;
  /** @default '<name>-stable-pdb' */
  readonly stablePdb?: string;
  /** @default '<name>-canary-pdb' */
  readonly canaryPdb?: string;
}

/** Every object name of a `CanaryApp`, resolved (`CanaryApp.names`). */
export interface CanaryAppObjectNames {
  /** The Deployment. */
  readonly deployment: string;
  /** The Rollout. */
  readonly rollout: string;
  /** The stable Service. */
  readonly stableService: string;
  /** The canary Service. */
  readonly canaryService: string;
  /** The root Service. */
  readonly rootService: string;
  /** The VirtualService. */
  readonly virtualService: string;
  /** The DestinationRule. */
  readonly destinationRule: string;
  /** The HorizontalPodAutoscaler. */
  readonly hpa: string;
  /** The stable PodDisruptionBudget. */
  readonly stablePdb: string;
  /** The canary PodDisruptionBudget. */
  readonly canaryPdb: string;
}

/** Properties for `CanaryApp`. */
export interface CanaryAppProps {
  /**
   * App name (DNS-1123 label): prefix of every object name and, for a new app, the value of the
   * `app` selector label.
   */
  readonly name: string;
  /**
   * Namespace of every object.
   * @default - the chart's namespace, else a whole Deployment input's, else none (kubectl's current)
   * @jsii suppress JSII5018
   */
  readonly namespace?: string;
  /**
   * Containers of a new app. Give exactly one of `containers`, `deploymentSpec`, `deployment`.
   * @default - not set
   */
  readonly containers?: CanaryContainerProps[];
  /**
   * Extra pod labels and annotations of a new app (with `containers` only).
   * @default - only the `app: <name>` label
   */
  readonly podMetadata?: PodMetadataProps;
  /**
   * The `DeploymentSpec` of an existing app, as in its YAML; every field is kept.
   * @default - not set
   */
  readonly deploymentSpec?: DeploymentSpecInput;
  /**
   * A whole existing `Deployment`, as in its YAML; every field is kept but `status` and the
   * server-set metadata (uid, resourceVersion, managedFields...). Its name is kept too.
   * @default - not set
   */
  readonly deployment?: DeploymentInput;
  /**
   * Secure defaults of the pods (the Pod Security Standards' `restricted` profile plus a read-only
   * root filesystem; see `ContainerSecurityProps`). With `containers`, `false` drops them from every
   * container (each container's `securityContext` props still apply). With `deploymentSpec` or
   * `deployment`, `true` adds each default where the template leaves the field unset, never
   * changing a field that is set.
   * @default - true with `containers`; false with `deploymentSpec` / `deployment` (their template is kept exactly)
   */
  readonly securityDefaults?: boolean;
  /**
   * Put the pod template into the Rollout (`spec.template`) instead of referencing a Deployment
   * (`workloadRef`); no Deployment is rendered then.
   * @default false
   */
  readonly inlineTemplate?: boolean;
  /**
   * What Argo does with the referenced Deployment (`workloadRef.scaleDown`).
   * @default WorkloadScaleDown.NEVER
   */
  readonly scaleDown?: WorkloadScaleDown;
  /**
   * Fixed replica count of the Rollout, when there is no HPA (`autoscaling`).
   * @default - the input Deployment's replicas if >= 1, else 2
   */
  readonly replicas?: number;
  /**
   * An HPA aimed at the Rollout; it then owns the replica count and the Rollout has no `spec.replicas`.
   * @default - no HPA, fixed replicas
   */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * The canary steps: a profile or a list of steps.
   * @default StepProfile.automatic()
   * @example StepProfile.manual()
   * @example [CanaryStep.setWeight(20), CanaryStep.pauseIndefinitely(), CanaryStep.setWeight(100)]
   */
  readonly steps?: StepProfile | CanaryStep[];
  /**
   * Names of the routes the `setHeaderRoute` / `setMirrorRoute` steps manage
   * (`trafficRouting.managedRoutes`), in priority order: Argo puts them first in the
   * VirtualService in this order and removes them all at full promotion or abort. Every route a
   * step uses must be listed.
   * @default - the route names of those steps, in the order of first use
   */
  readonly managedRoutes?: string[];
  /**
   * Ports of the Services.
   * @default - port 80 named http, to the container port named http
   */
  readonly service?: ServiceOptions;
  /** The VirtualService (hosts are required). */
  readonly virtualService: VirtualServiceOptions;
  /**
   * Host-level (two Services) or subset-level (one Service + DestinationRule) traffic split.
   * @default TrafficSplit.host()
   */
  readonly trafficSplit?: TrafficSplit;
  /**
   * Also render a Service selecting every pod of the app (stable and canary), which keeps Istio's
   * inbound clusters of old pods alive at the end of a rollout (503 workaround, argo-rollouts#4195).
   * Host split only.
   * @default false
   */
  readonly rootService?: boolean;
  /**
   * The split PodDisruptionBudgets, or `false` for none.
   * @default - maxUnavailable 1 for stable and for canary pods
   */
  readonly disruptionBudgets?: DisruptionBudgetOptions | false;
  /**
   * `spec.minReadySeconds` of the Rollout.
   * @default Duration.seconds(5)
   */
  readonly minReady?: Duration;
  /**
   * `minPodsPerReplicaSet`: fewest pods of a running canary (or stable) ReplicaSet. At most the
   * fewest replicas (`replicas`, or `autoscaling.minReplicas`): Argo also raises the promoted
   * ReplicaSet to it, and more pods than `spec.replicas` never count as healthy (the rollout ends
   * Degraded, `ProgressDeadlineExceeded`).
   * @default - 2, or 1 when the app runs 1 replica (`replicas: 1` or `autoscaling.minReplicas: 1`)
   */
  readonly minPodsPerReplicaSet?: number;
  /**
   * How long the old stable pods stay after a promotion (`scaleDownDelaySeconds`); at least 30 s,
   * shorter delays cause 503s before every proxy has the new weights (argo-rollouts#587).
   * @default Duration.seconds(30)
   */
  readonly scaleDownDelay?: Duration;
  /**
   * How long canary pods stay after an abort (`abortScaleDownDelaySeconds`; 0 keeps them).
   * @default Duration.seconds(30)
   */
  readonly abortScaleDownDelay?: Duration;
  /**
   * Object names.
   * @default - `<name>` plus the suffixes of `NAME_SUFFIXES`
   */
  readonly names?: CanaryAppNames;
  /**
   * Automated analysis (opt-in, `src/constructs/analysis`): an AnalysisTemplate `<name>-analysis`
   * run in the background or as analysis steps. A failed analysis aborts the rollout, an
   * inconclusive one pauses it (`InconclusiveAnalysisRun`).
   * @default - no analysis
   * @example CanaryAnalysis.errorRateGate(PrometheusSource.mimir('http://mimir-query-frontend.mimir.svc:8080/prometheus', 'my-team'))
   */
  readonly analysis?: CanaryAnalysis;
  /**
   * Run the lint rules of `src/lint` (the write-up's pitfalls) over this app's objects when the chart
   * is synthesized: an error-level finding fails `cdk8s synth` with the rule id, object, path and
   * fix. Pass options to set the surge threshold or to fail on warnings too; `false` turns it off.
   * @default - on, failing on error-level findings only
   */
  readonly lint?: boolean | LintConstructValidationOptions;
}

type NameKey = keyof CanaryAppNames;
type Json = Record<string, unknown>;

/** Kind of the object each name belongs to (for clash checks and messages). */
const NAME_KINDS: Record<NameKey, { kind: string; apiVersion: string }> = {
  deployment: { kind: 'Deployment', apiVersion: API_VERSIONS.deployment },
  rollout: { kind: 'Rollout', apiVersion: API_VERSIONS.rollout },
  stableService: { kind: 'Service', apiVersion: API_VERSIONS.service },
  canaryService: { kind: 'Service', apiVersion: API_VERSIONS.service },
  rootService: { kind: 'Service', apiVersion: API_VERSIONS.service },
  virtualService: { kind: 'VirtualService', apiVersion: API_VERSIONS.virtualService },
  destinationRule: { kind: 'DestinationRule', apiVersion: API_VERSIONS.destinationRule },
  hpa: { kind: 'HorizontalPodAutoscaler', apiVersion: API_VERSIONS.hpa },
  stablePdb: { kind: 'PodDisruptionBudget', apiVersion: API_VERSIONS.pdb },
  canaryPdb: { kind: 'PodDisruptionBudget', apiVersion: API_VERSIONS.pdb },
};

const CANARY_APP_SYMBOL = Symbol.for('cdk8s-canary.CanaryApp');

const SCALE_DOWN_VALUES: ReadonlySet<string> = new Set(Object.values(WorkloadScaleDown));

/**
 * Name keys whose suffix keeps a valid DNS-1123 label valid when appended (label characters,
 * ending in a letter or digit): `<valid name><suffix>` is then a valid DNS-1123 label exactly when
 * it has at most 63 characters, and a valid DNS-1035 label when the name also starts with a letter.
 */
const SAFE_SUFFIX_KEYS: ReadonlySet<NameKey> = new Set(
  (Object.keys(NAME_KINDS) as NameKey[]).filter((k) => /^[-a-z0-9]*[a-z0-9]$/.test(NAME_SUFFIXES[k])),
);

/**
 * An Argo Rollouts + Istio canary for one app, as the production write-up this project grew from sets it up (see the README): the
 * Deployment (pod template, `replicas: 0`), the Rollout referencing it, stable and canary
 * Services, a VirtualService with a named weighted route, split PodDisruptionBudgets and an
 * optional HPA aimed at the Rollout. Every problem in the props is reported at once in a
 * `CanaryAppError`.
 */
export class CanaryApp extends Construct {
  /** True for any `CanaryApp`, even from another copy of this package. */
  public static isCanaryApp(x: unknown): x is CanaryApp {
    return typeof x === 'object' && x !== null && CANARY_APP_SYMBOL in x;
  }

  /**
   * Every problem with `props` (empty when valid), the ones `new CanaryApp` would throw in one
   * `CanaryAppError`: checked by creating the app in a chart of its own (with `chartProps`), which
   * is then dropped. For Python, Java and Go, where the thrown error arrives as a plain message.
   */
  public static problemsOf(props: CanaryAppProps, chartProps?: ChartProps): Problem[] {
    try {
      new CanaryApp(new Chart(new App({ outdir: '.' }), 'check', chartProps), 'app', props);
      return [];
    } catch (e) {
      if (e instanceof CanaryAppError) return e.problems;
      throw e;
    }
  }

  /** The app name. */
  public readonly appName: string;
  /**
   * The namespace rendered into every object, if any.
   * @jsii suppress JSII5018
   */
  public readonly namespace?: string;
  /** Every object name (also of objects that are not rendered with these props). */
  public readonly names: CanaryAppObjectNames;
  /** Labels selecting the app's pods (Services, PDBs, Rollout selector). */
  public readonly selectorLabels: { [key: string]: string };
  /**
   * The canary steps as rendered.
   * TypeScript only (a union of step shapes); other languages read `CanaryRuntime.plan`.
   * @jsii ignore
   */
  public readonly steps: readonly CanaryStepSpec[];
  /** Fixed `spec.replicas` of the Rollout; undefined when the HPA owns the count. */
  public readonly replicas?: number;
  /** The Deployment referenced by `workloadRef` (undefined with `inlineTemplate`). */
  public readonly deployment?: ApiObject;
  /** The Rollout. */
  public readonly rollout: ApiObject;
  /** The stable Service (the only Service in subset mode). */
  public readonly stableService: ApiObject;
  /** The canary Service (host split only). */
  public readonly canaryService?: ApiObject;
  /** The root Service selecting every pod (with `rootService: true`). */
  public readonly rootService?: ApiObject;
  /** The VirtualService. */
  public readonly virtualService: ApiObject;
  /** The DestinationRule (subset split only). */
  public readonly destinationRule?: ApiObject;
  /** The HPA (with `autoscaling`). */
  public readonly hpa?: ApiObject;
  /** The PodDisruptionBudget of the stable pods. */
  public readonly stablePdb?: ApiObject;
  /** The PodDisruptionBudget of the canary pods. */
  public readonly canaryPdb?: ApiObject;
  /** The AnalysisTemplate (with `analysis`). */
  public readonly analysisTemplate?: ApiObject;

  public constructor(scope: Construct, id: string, props: CanaryAppProps) {
    super(scope, id);
    Object.defineProperty(this, CANARY_APP_SYMBOL, { value: true });
    const problems = new ProblemList();
    const r = resolveProps(this, props, problems);
    // The heading (node path, formatted name) is built only when there is something to report.
    if (problems.size > 0) problems.throwIfAny(`Invalid CanaryApp ${formatValue(props?.name)} at "${this.node.path}"`);
    const ok = r as Resolved;

    this.appName = ok.name;
    this.namespace = ok.namespace;
    this.names = ok.names;
    this.selectorLabels = ok.workload.selectorLabels;
    this.replicas = ok.replicas;

    const meta = (name: string): { name: string; namespace?: string } =>
      ok.namespace === undefined ? { name } : { name, namespace: ok.namespace };

    if (!ok.inlineTemplate) this.deployment = this.renderDeployment(ok, meta);
    const svc = (id2: string, name: string): ApiObject => this.renderService(id2, meta(name), ok);
    this.stableService = svc('StableService', ok.names.stableService);
    if (ok.split.mode === 'host') this.canaryService = svc('CanaryService', ok.names.canaryService);
    if (ok.rootService) this.rootService = svc('RootService', ok.names.rootService);
    if (ok.split.mode === 'subset') this.destinationRule = this.renderDestinationRule(ok, meta);
    this.virtualService = this.renderVirtualService(ok, meta);
    // Analysis (opt-in): the AnalysisTemplate, then the Rollout fields that run it.
    const analysis = props.analysis?._bind(this, 'AnalysisTemplate', analysisContext(ok));
    this.analysisTemplate = analysis?.template.apiObject;
    this.steps = (analysis?.steps ?? ok.steps) as CanaryStepSpec[];
    this.rollout = this.renderRollout(ok, meta, analysis);
    if (ok.autoscaling) this.hpa = this.renderHpa(ok, meta);
    if (ok.pdbs) {
      this.stablePdb = this.renderPdb('StablePdb', meta(ok.names.stablePdb), ok, CANARY_CONVENTIONS.stableRole, ok.pdbs.stable);
      this.canaryPdb = this.renderPdb('CanaryPdb', meta(ok.names.canaryPdb), ok, CANARY_CONVENTIONS.canaryRole, ok.pdbs.canary);
    }
    if (props.lint !== false) {
      this.node.addValidation(lintConstructValidation(this, typeof props.lint === 'object' ? props.lint : {}));
    }
  }

  private renderDeployment(ok: Resolved, meta: (n: string) => Json): ApiObject {
    // The resolved workload's objects are this construct's own copies (resolveWorkload builds or
    // clones them) and only this object renders them, so they are not copied again; the selector
    // is, as its matchLabels are the public `selectorLabels`.
    const w = ok.workload;
    return new LintedApiObject(this, 'Deployment', {
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

  private renderService(id: string, metadata: { name: string; namespace?: string }, ok: Resolved): ApiObject {
    return serviceObject(this, id, {
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

  private renderDestinationRule(ok: Resolved, meta: (n: string) => Json): ApiObject {
    // Plain CRD JSON, keys in the order the L1 `toJson_DestinationRuleSpec` emits them (cheaper
    // than building the typed spec and converting it; the field names are checked against it).
    const spec = {
      host: ok.names.stableService,
      subsets: [
        { labels: { ...ok.workload.selectorLabels }, name: ok.split.stableSubset },
        { labels: { ...ok.workload.selectorLabels }, name: ok.split.canarySubset },
      ],
    } satisfies DestinationRuleSpec;
    return new LintedApiObject(this, 'DestinationRule', {
      apiVersion: API_VERSIONS.destinationRule,
      kind: 'DestinationRule',
      metadata: meta(ok.names.destinationRule),
      spec,
    });
  }

  private renderVirtualService(ok: Resolved, meta: (n: string) => Json): ApiObject {
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
    return new LintedApiObject(this, 'VirtualService', {
      apiVersion: API_VERSIONS.virtualService,
      kind: 'VirtualService',
      metadata: meta(ok.names.virtualService),
      spec,
    });
  }

  private renderRollout(ok: Resolved, meta: (n: string) => Json, analysis?: AnalysisBinding<CanaryStepSpec>): ApiObject {
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
    return new LintedApiObject(this, 'Rollout', {
      apiVersion: API_VERSIONS.rollout,
      kind: 'Rollout',
      metadata: meta(ok.names.rollout),
      spec,
    });
  }

  private renderHpa(ok: Resolved, meta: (n: string) => Json): ApiObject {
    const a = ok.autoscaling!;
    return new LintedApiObject(this, 'Hpa', {
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

  private renderPdb(id: string, metadata: { name: string; namespace?: string }, ok: Resolved, role: string, budget: DisruptionBudget): ApiObject {
    const value = typeof budget.value === 'number' ? k8s.IntOrString.fromNumber(budget.value) : k8s.IntOrString.fromString(budget.value);
    return pdbObject(this, id, {
      metadata,
      spec: {
        [budget.field]: value,
        selector: { matchLabels: { ...ok.workload.selectorLabels, [CANARY_CONVENTIONS.roleKey]: role } },
      },
    });
  }
}

/** Everything `CanaryApp` renders from, with every default applied. */
interface Resolved {
  readonly name: string;
  readonly namespace?: string;
  readonly names: Required<CanaryAppNames>;
  readonly workload: ResolvedWorkload;
  readonly inlineTemplate: boolean;
  readonly scaleDown: string;
  readonly replicas?: number;
  readonly autoscaling?: { minReplicas: number; maxReplicas: number; metrics: HpaMetric[] };
  readonly steps: CanaryStepSpec[];
  readonly service: { port: number; targetPort: string | number; portName: string };
  readonly virtualService: VirtualServiceOptions;
  readonly routeName: string;
  readonly managedRoutes: string[];
  readonly split: TrafficSplit;
  readonly rootService: boolean;
  readonly pdbs?: { stable: DisruptionBudget; canary: DisruptionBudget };
  readonly minReadySeconds: number;
  readonly minPodsPerReplicaSet: number;
  readonly scaleDownDelaySeconds: number;
  readonly abortScaleDownDelaySeconds: number;
}

/**
 * Applies defaults and records every problem of the props, concern by concern (names, workload
 * reference, replicas / HPA, steps, Services, traffic, disruption budgets, timing, then the
 * checks across them); every problem is recorded before anything is returned.
 */
function resolveProps(self: CanaryApp, props: CanaryAppProps, problems: ProblemList): Resolved | undefined {
  if (props === undefined || props === null || typeof props !== 'object') {
    problems.add('props', props, 'must be an object with at least name, containers (or deploymentSpec/deployment) and virtualService');
    return undefined;
  }
  const name = props.name;
  const nameOk = isDns1123Label(name);
  if (!nameOk) problems.add('name', name, DNS1123_LABEL_RULE);
  const appName = nameOk ? name : 'app';

  const workload = resolveWorkload(appName, props, problems);
  if (workload) applyPodSecurity(workload.source, workload.template, props, problems);
  const namespace = resolveNamespace(self, props.namespace, workload, problems);
  const given = props.names ?? {};
  const names = resolveNames(name, appName, nameOk, given, workload, problems);
  const { inlineTemplate, scaleDown } = resolveWorkloadRef(props, problems);
  const scale = resolveScale(props, workload, problems);
  const steps = resolveSteps(props.steps, scale.mostReplicas, problems);
  const service = resolveService(props.service, workload, problems);
  const { split, rootService, vs, routeName } = resolveTraffic(props, problems);
  const managedRoutes = resolveManagedRoutes(props.managedRoutes, steps, routeName, problems);
  const pdbs = resolveDisruptionBudgets(props.disruptionBudgets, scale.fewestReplicas, scale.minPodsPerReplicaSet, problems);
  const timing = resolveTiming(props, problems);

  // Names that must differ inside the app, then clashes with objects already in the chart.
  const rendered = renderedNameKeys(inlineTemplate, split, rootService, scale.autoscaling !== undefined, pdbs !== undefined);
  checkOwnClashes(names, given, rendered, problems);
  checkChartClashes(self, appName, nameOk, namespace, names, given, rendered, problems);
  if (split instanceof TrafficSplit) checkAnalysis(props.analysis, { name: appName, namespace, names, split, steps }, problems);

  if (!workload || !(split instanceof TrafficSplit) || vs === undefined || vs === null) return undefined;
  return {
    name: appName,
    namespace,
    names,
    workload,
    inlineTemplate,
    scaleDown,
    replicas: scale.replicas,
    autoscaling: scale.autoscaling,
    steps,
    service,
    virtualService: vs,
    routeName,
    managedRoutes,
    split,
    rootService,
    pdbs,
    minReadySeconds: timing.minReadySeconds,
    minPodsPerReplicaSet: scale.minPodsPerReplicaSet,
    scaleDownDelaySeconds: timing.scaleDownDelaySeconds,
    abortScaleDownDelaySeconds: timing.abortScaleDownDelaySeconds,
  };
}

/** The namespace: props, then the chart's (cdk8s applies it), then a whole Deployment input's. */
function resolveNamespace(self: CanaryApp, given: string | undefined, workload: ResolvedWorkload | undefined, problems: ProblemList): string | undefined {
  let namespace = given;
  if (namespace !== undefined && !isDns1123Label(namespace)) problems.add('namespace', namespace, DNS1123_LABEL_RULE);
  if (workload?.inputNamespace !== undefined) {
    if (namespace !== undefined && namespace !== workload.inputNamespace) {
      problems.add('namespace', namespace, `must match deployment.metadata.namespace (${formatValue(workload.inputNamespace)}) or be omitted`);
    }
    const chartNamespace = namespace === undefined ? chartOf(self)?.namespace : undefined;
    if (chartNamespace !== undefined && chartNamespace !== workload.inputNamespace) {
      problems.add('deployment.metadata.namespace', workload.inputNamespace, `conflicts with the chart's namespace (${formatValue(chartNamespace)}): the objects could go to only one of them; make the two the same or remove one`);
    }
    namespace ??= workload.inputNamespace;
  }
  return namespace;
}

/** Every object name: given, a whole Deployment input's, or `<name><suffix>`; a derived name too long is reported once, on `name`. */
function resolveNames(
  name: unknown,
  appName: string,
  nameOk: boolean,
  given: CanaryAppNames,
  workload: ResolvedWorkload | undefined,
  problems: ProblemList,
): Record<NameKey, string> {
  const names = {} as Record<NameKey, string>;
  let derivedTooLong: { key: NameKey; value: string } | undefined;
  for (const key of Object.keys(NAME_KINDS) as NameKey[]) {
    const explicit = given[key];
    const fromInput = key === 'deployment' ? workload?.inputName : undefined;
    const value = explicit ?? fromInput ?? `${appName}${NAME_SUFFIXES[key]}`;
    names[key] = value;
    const service = NAME_KINDS[key].kind === 'Service';
    const derived = explicit === undefined && fromInput === undefined && nameOk && SAFE_SUFFIX_KEYS.has(key);
    const valid = derived
      ? value.length <= 63 && (!service || (appName.charCodeAt(0) >= 97 && appName.charCodeAt(0) <= 122))
      : service ? isDns1035Label(value) : isDns1123Label(value);
    if (valid) continue;
    if (explicit !== undefined) problems.add(`names.${key}`, explicit, service ? DNS1035_LABEL_RULE : DNS1123_LABEL_RULE);
    else if (fromInput === undefined && nameOk && (derivedTooLong === undefined || value.length > derivedTooLong.value.length)) {
      derivedTooLong = { key, value };
    }
  }
  if (derivedTooLong) {
    problems.add('name', name, `is too long: the derived ${NAME_KINDS[derivedTooLong.key].kind} name "${derivedTooLong.value}" has ${derivedTooLong.value.length} characters, at most 63 are allowed (shorten name or set names.${derivedTooLong.key})`);
  }
  return names;
}

/** The workload reference: `workloadRef` with its `scaleDown`, or the template inline. */
function resolveWorkloadRef(props: CanaryAppProps, problems: ProblemList): { inlineTemplate: boolean; scaleDown: string } {
  const inlineTemplate = props.inlineTemplate ?? false;
  const scaleDown = props.scaleDown ?? (CANARY_APP_DEFAULTS.workloadScaleDown as WorkloadScaleDown);
  if (!SCALE_DOWN_VALUES.has(scaleDown)) {
    problems.add('scaleDown', scaleDown, 'must be one of "never", "onsuccess", "progressively"');
  }
  if (inlineTemplate && props.scaleDown !== undefined) {
    problems.add('scaleDown', props.scaleDown, 'only applies to workloadRef; remove it or set inlineTemplate: false');
  }
  return { inlineTemplate, scaleDown };
}

/** The replica count or the HPA, the fewest and most replicas they allow, and `minPodsPerReplicaSet`. */
interface ResolvedScale {
  readonly replicas?: number;
  readonly autoscaling?: Resolved['autoscaling'];
  readonly fewestReplicas: number | undefined;
  readonly mostReplicas: number | undefined;
  readonly minPodsPerReplicaSet: number;
}

/** Replicas or the HPA (never both), then `minPodsPerReplicaSet` against the fewest replicas. */
function resolveScale(props: CanaryAppProps, workload: ResolvedWorkload | undefined, problems: ProblemList): ResolvedScale {
  let replicas: number | undefined;
  let autoscaling: Resolved['autoscaling'];
  if (props.autoscaling !== undefined) {
    if (props.replicas !== undefined) {
      problems.add('replicas', props.replicas, 'cannot be combined with autoscaling: the HPA owns the replica count (Argo CD would fight it); remove one');
    }
    autoscaling = resolveAutoscaling(props.autoscaling, workload, problems);
  } else {
    const fromInput = workload?.inputReplicas !== undefined && workload.inputReplicas >= 1 ? workload.inputReplicas : undefined;
    replicas = props.replicas ?? fromInput ?? CANARY_APP_DEFAULTS.replicas;
    if (!isWholeNumber(replicas, 1)) problems.add('replicas', replicas, 'must be a whole number >= 1');
  }
  const fewestReplicas = autoscaling ? autoscaling.minReplicas : replicas;
  const mostReplicas = autoscaling ? autoscaling.maxReplicas : replicas;
  const minPodsPerReplicaSet = resolveMinPods(props.minPodsPerReplicaSet, fewestReplicas, autoscaling !== undefined, problems);
  return { replicas, autoscaling, fewestReplicas, mostReplicas, minPodsPerReplicaSet };
}

/** The HPA's bounds and metrics, with their defaults; the metrics' resources must be requested by the containers. */
function resolveAutoscaling(a: AutoscalingOptions, workload: ResolvedWorkload | undefined, problems: ProblemList): NonNullable<Resolved['autoscaling']> {
  const d = CANARY_APP_DEFAULTS;
  const minReplicas = a.minReplicas ?? d.hpaMinReplicas;
  const maxReplicas = a.maxReplicas ?? d.hpaMaxReplicas;
  const metrics = a.metrics ?? [HpaMetric.cpuUtilization(d.hpaCpuUtilization)];
  if (!isWholeNumber(minReplicas, 1)) problems.add('autoscaling.minReplicas', minReplicas, 'must be a whole number >= 1');
  if (!isWholeNumber(maxReplicas, 1)) problems.add('autoscaling.maxReplicas', maxReplicas, 'must be a whole number >= 1');
  else if (isWholeNumber(minReplicas, 1) && minReplicas > maxReplicas) {
    problems.add('autoscaling.minReplicas', minReplicas, `must be <= autoscaling.maxReplicas (${maxReplicas})`);
  }
  if (!Array.isArray(metrics) || metrics.length === 0) {
    problems.add('autoscaling.metrics', metrics, 'must list at least one metric, e.g. HpaMetric.cpuUtilization(70)');
  } else {
    metrics.forEach((m, i) => {
      if (m instanceof HpaMetric) m._check(`autoscaling.metrics[${i}]`, problems);
      else problems.add(`autoscaling.metrics[${i}]`, m, 'must be an HpaMetric (HpaMetric.cpuUtilization(70), ...)');
    });
  }
  const autoscaling = { minReplicas, maxReplicas, metrics: Array.isArray(metrics) ? metrics : [] };
  if (workload) checkHpaRequests(autoscaling.metrics, workload, problems);
  return autoscaling;
}

/** The steps as specs: a StepProfile's, a list of CanaryStep (each checked), or the automatic profile. */
function resolveSteps(given: CanaryAppProps['steps'], mostReplicas: number | undefined, problems: ProblemList): CanaryStepSpec[] {
  const stepList: unknown = given === undefined ? StepProfile.automatic().steps : given instanceof StepProfile ? given.steps : given;
  const steps: CanaryStepSpec[] = [];
  if (!Array.isArray(stepList) || stepList.length === 0) {
    problems.add('steps', Array.isArray(stepList) ? [] : stepList, 'must list at least one step; without steps the new version gets 100 % of the traffic and pods at once');
    return steps;
  }
  stepList.forEach((s: unknown, i: number) => {
    if (!(s instanceof CanaryStep)) {
      problems.add(`steps[${i}]`, s, 'must be a CanaryStep (CanaryStep.setWeight(20), CanaryStep.pause(...), ...)');
      return;
    }
    s._check(`steps[${i}]`, problems, { maxReplicas: isWholeNumber(mostReplicas, 1) ? mostReplicas : undefined });
    steps.push(s.toSpec());
  });
  return steps;
}

/** The Services' port, port name and target port; a named target port must be a container port's name. */
function resolveService(given: CanaryAppProps['service'], workload: ResolvedWorkload | undefined, problems: ProblemList): Resolved['service'] {
  const d = CANARY_APP_DEFAULTS;
  const serviceProps = given ?? {};
  const service = {
    port: serviceProps.port ?? d.servicePort,
    targetPort: serviceProps.targetPort ?? d.targetPortName,
    portName: serviceProps.portName ?? d.targetPortName,
  };
  if (!isPortNumber(service.port)) problems.add('service.port', service.port, PORT_NUMBER_RULE);
  if (!isPortName(service.portName)) problems.add('service.portName', service.portName, PORT_NAME_RULE);
  if (workload) checkTargetPort(service.targetPort, workload, problems);
  return service;
}

function checkTargetPort(targetPort: string | number, workload: ResolvedWorkload, problems: ProblemList): void {
  const ports = templatePorts(workload.template);
  const base = workload.source === 'containers' ? 'containers' : `${workload.source === 'deployment' ? 'deployment.spec' : 'deploymentSpec'}.template.spec.containers`;
  if (typeof targetPort === 'string') {
    if (!isPortName(targetPort)) {
      problems.add('service.targetPort', targetPort, `${PORT_NAME_RULE} (or a port number)`);
    } else if (!ports.names.includes(targetPort)) {
      const have = [...ports.names.map((n) => `"${n}"`), ...ports.unnamed.map((n) => `${n} (unnamed)`)];
      problems.add('service.targetPort', targetPort, `is not the name of a container port (${base} has ${have.length ? have.join(', ') : 'no ports'}); name the port "${targetPort}" or set service.targetPort`);
    }
  } else if (!isPortNumber(targetPort)) {
    problems.add('service.targetPort', targetPort, `${PORT_NUMBER_RULE}, or a container port name`);
  }
}

/** The traffic split (host or subset), the root Service and the VirtualService with its route name. */
function resolveTraffic(
  props: CanaryAppProps,
  problems: ProblemList,
): { split: TrafficSplit; rootService: boolean; vs: VirtualServiceOptions | undefined | null; routeName: string } {
  const split = props.trafficSplit ?? TrafficSplit.host();
  if (!(split instanceof TrafficSplit)) {
    problems.add('trafficSplit', split, 'must be TrafficSplit.host() or TrafficSplit.subset()');
  } else if (split.mode === 'subset') {
    if (!isDns1123Label(split.stableSubset)) problems.add('trafficSplit.stableSubset', split.stableSubset, DNS1123_LABEL_RULE);
    if (!isDns1123Label(split.canarySubset)) problems.add('trafficSplit.canarySubset', split.canarySubset, DNS1123_LABEL_RULE);
    else if (split.canarySubset === split.stableSubset) problems.add('trafficSplit.canarySubset', split.canarySubset, 'must differ from trafficSplit.stableSubset');
  }
  const rootService = props.rootService ?? false;
  if (rootService && split instanceof TrafficSplit && split.mode === 'subset') {
    problems.add('rootService', rootService, 'only applies to the host split: with subsets the one Service already selects every pod');
  }
  const vs = props.virtualService;
  let routeName: string = CANARY_APP_DEFAULTS.routeName;
  if (vs === undefined || vs === null || typeof vs !== 'object') {
    problems.add('virtualService', vs, 'is required: at least { hosts: ["www.example.com"] }');
  } else {
    routeName = checkVirtualServiceOptions(vs, problems);
  }
  return { split, rootService, vs, routeName };
}

/** The stable and canary PodDisruptionBudgets (none with `false`), checked against the fewest pods each role has. */
function resolveDisruptionBudgets(
  given: CanaryAppProps['disruptionBudgets'],
  fewestReplicas: number | undefined,
  minPodsPerReplicaSet: number,
  problems: ProblemList,
): Resolved['pdbs'] {
  if (given === false) return undefined;
  const o = given ?? {};
  const stable = o.stable ?? DisruptionBudget.maxUnavailable(CANARY_APP_DEFAULTS.pdbMaxUnavailable);
  const canary = o.canary ?? DisruptionBudget.maxUnavailable(CANARY_APP_DEFAULTS.pdbMaxUnavailable);
  const fewest = isWholeNumber(fewestReplicas, 1) ? fewestReplicas : undefined;
  const fewestCanary = fewest === undefined ? undefined : Math.min(minPodsPerReplicaSet, fewest);
  for (const [role, b, fewestPods] of [['stable', stable, fewest], ['canary', canary, fewestCanary]] as const) {
    if (b instanceof DisruptionBudget) b._check(`disruptionBudgets.${role}`, problems, fewestPods, role);
    else problems.add(`disruptionBudgets.${role}`, b, 'must be DisruptionBudget.maxUnavailable(...) or DisruptionBudget.minAvailable(...)');
  }
  return { stable, canary };
}

/** The Rollout's timing in whole seconds: minReady, scaleDownDelay (with its floor), abortScaleDownDelay. */
function resolveTiming(props: CanaryAppProps, problems: ProblemList): Pick<Resolved, 'minReadySeconds' | 'scaleDownDelaySeconds' | 'abortScaleDownDelaySeconds'> {
  const d = CANARY_APP_DEFAULTS;
  const seconds = (path: string, value: Duration | undefined, fallback: number, min: number, why?: string): number => {
    if (value === undefined) return fallback;
    if (!(value instanceof Duration) || !isWholeSeconds(value)) {
      problems.add(path, value, 'must be a Duration of whole seconds');
      return fallback;
    }
    const s = wholeSeconds(value);
    if (s < min) problems.add(path, value, `must be at least ${min}s${why ? ` (${why})` : ''}`);
    return s;
  };
  const minReadySeconds = seconds('minReady', props.minReady, d.minReadySeconds, 0);
  const scaleDownDelaySeconds = seconds('scaleDownDelay', props.scaleDownDelay, CANARY_CONVENTIONS.minScaleDownDelaySeconds, CANARY_CONVENTIONS.minScaleDownDelaySeconds,
    'shorter delays remove the old pods before every Istio proxy has the new weights: 503s, argo-rollouts#587');
  const abortScaleDownDelaySeconds = seconds('abortScaleDownDelay', props.abortScaleDownDelay, d.abortScaleDownDelaySeconds, 0);
  return { minReadySeconds, scaleDownDelaySeconds, abortScaleDownDelaySeconds };
}

/** Analysis: its problems join the app's, under `analysis.`. */
function checkAnalysis(analysis: CanaryAppProps['analysis'], app: Pick<Resolved, 'name' | 'namespace' | 'names' | 'split' | 'steps'>, problems: ProblemList): void {
  if (analysis === undefined) return;
  if (!(analysis instanceof CanaryAnalysis)) {
    problems.add('analysis', analysis, 'must be a CanaryAnalysis, e.g. CanaryAnalysis.errorRateGate(PrometheusSource.mimir(address, tenant))');
    return;
  }
  for (const p of analysis.problems(analysisContext(app), 'analysis.')) problems.add(p.path, p.value, p.expected);
}

/**
 * `minPodsPerReplicaSet`: the default follows the fewest replicas (2, or fewer for a smaller
 * app). More than that count is refused: the controller raises the promoted ReplicaSet to it too
 * (`utils/replicaset/canary.go` `CalculateReplicaCountsForTrafficRoutedCanary`) and a Rollout with
 * more available pods than `spec.replicas` is never Healthy, so every update ends Degraded.
 * Returns a usable value (1) when the input is invalid (problems recorded).
 */
function resolveMinPods(given: number | undefined, fewest: number | undefined, hpa: boolean, problems: ProblemList): number {
  const known = isWholeNumber(fewest, 1) ? fewest : undefined;
  if (given === undefined) return Math.min(CANARY_APP_DEFAULTS.minPodsPerReplicaSet, known ?? Infinity);
  if (!isWholeNumber(given, 1)) {
    problems.add('minPodsPerReplicaSet', given, 'must be a whole number >= 1');
    return 1;
  }
  if (known !== undefined && given > known) {
    const field = hpa ? 'autoscaling.minReplicas' : 'replicas';
    problems.add('minPodsPerReplicaSet', given, `must be at most ${field} (${known}): more pods per ReplicaSet than the Rollout's replicas never count as healthy and every update ends Degraded (ProgressDeadlineExceeded); omit it (the default follows the replicas) or raise ${field}`);
  }
  return given;
}

function renderedNameKeys(inline: boolean, split: unknown, root: boolean, hpa: boolean, pdb: boolean): NameKey[] {
  const subset = split instanceof TrafficSplit && split.mode === 'subset';
  const keys: NameKey[] = ['rollout', 'stableService', 'virtualService'];
  if (!inline) keys.push('deployment');
  if (!subset) keys.push('canaryService');
  if (subset) keys.push('destinationRule');
  if (root && !subset) keys.push('rootService');
  if (hpa) keys.push('hpa');
  if (pdb) keys.push('stablePdb', 'canaryPdb');
  return keys;
}

function checkOwnClashes(names: Record<NameKey, string>, given: CanaryAppNames, keys: NameKey[], problems: ProblemList): void {
  for (let i = 0; i < keys.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = keys[j];
      const b = keys[i];
      if (NAME_KINDS[a].kind === NAME_KINDS[b].kind && names[a] === names[b]) {
        const key = given[b] !== undefined ? b : a;
        const other = key === b ? a : b;
        problems.add(`names.${key}`, names[key], `must differ from names.${other}: two ${NAME_KINDS[a].kind}s cannot share a name`);
      }
    }
  }
}

function checkChartClashes(
  self: CanaryApp,
  appName: string,
  nameOk: boolean,
  namespace: string | undefined,
  names: Record<NameKey, string>,
  given: CanaryAppNames,
  keys: NameKey[],
  problems: ProblemList,
): void {
  const chart = chartOf(self);
  if (chart === undefined) return;
  const ns = namespace ?? chart.namespace;
  const others = chart.node.findAll().filter((c) => c !== self);
  if (nameOk) {
    const twin = others.find((c) => CanaryApp.isCanaryApp(c) && c.appName === appName && (c.namespace ?? chart.namespace) === ns);
    if (twin) {
      problems.add('name', appName, `is already used by the CanaryApp at "${twin.node.path}" in this chart${ns ? ` and namespace "${ns}"` : ''}; app names must be unique`);
      return;
    }
  }
  const objects = others.filter((c): c is ApiObject => ApiObject.isApiObject(c));
  for (const key of keys) {
    const { kind, apiVersion } = NAME_KINDS[key];
    const clash = objects.find((o) => o.kind === kind && o.apiVersion === apiVersion && o.name === names[key] && o.metadata.namespace === ns);
    if (clash) {
      const path = given[key] !== undefined ? `names.${key}` : 'name';
      const value = given[key] !== undefined ? names[key] : appName;
      problems.add(path, value, `gives ${kind} "${names[key]}", which already exists in this chart at "${clash.node.path}"; object names must be unique per kind and namespace`);
    }
  }
}

/** The chart the app is in, if any. */
function chartOf(self: CanaryApp): Chart | undefined {
  try {
    return Chart.of(self);
  } catch {
    return undefined;
  }
}

/** What the analysis needs to know about the app (see `src/constructs/analysis`). */
function analysisContext(ok: Pick<Resolved, 'name' | 'namespace' | 'names' | 'split' | 'steps'>): AnalysisBindContext<CanaryStepSpec> {
  const host = ok.split.mode === 'host';
  return {
    defaultTemplateName: `${ok.name}${NAME_SUFFIXES.analysisTemplate}`,
    namespace: ok.namespace,
    canaryService: host ? ok.names.canaryService : undefined,
    stableService: host ? ok.names.stableService : undefined,
    trafficSplit: ok.split.mode,
    steps: ok.steps,
  };
}
