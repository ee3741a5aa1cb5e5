import { API_VERSIONS, ARGO_KEYS } from '../model/argo-defaults';
import { hpaMinReplicasOrDefault } from '../model/manifests';
import { type CanarySet, readCanarySet } from './canary-set';
import type { ExistingApp } from './existing-app';
import { MigrationProblems } from './migration-error';
import { plainEqual } from '../runtime/plain-equal';
import { getReplicasOrDefault } from '../runtime/rollout-defaults';
import { asArray, cloneJson, formatLabels, getPath, type ManifestObject, refOf } from './manifest-object';
import {
  type CheckCommand,
  jsonVar,
  jsonWord,
  manifestsYaml,
  type ProgramCall,
  renderCommand,
  type RunbookCommand,
  type ShellWord,
  shellVar,
  word,
} from './shell-command';

/** What to verify before going on, with the commands that verify it (each prints `STOP: ...` when it fails). */
export interface MigrationCheck {
  /**
   * What is checked, in words.
   */
  readonly text: string;
  /**
   * The commands that check it.
   */
  readonly commands: readonly CheckCommand[];
}

/** How to undo a step without downtime. */
export interface WayBack {
  /**
   * How to undo the step, in words.
   */
  readonly text: string;
  /**
   * The commands that undo it.
   */
  readonly commands: readonly RunbookCommand[];
}

/** Ids of the forward stages, in order (stages that do not apply to an app are left out). */
export const FORWARD_STAGE_IDS = [
  'add-companions',
  'route-weights',
  'pin-hpa-min',
  'create-rollout-paused',
  'unpause-rollout',
  'scale-deployment-to-zero',
  'hpa-to-rollout',
  'restore-hpa-min',
] as const;
/** Id of a forward stage (`CanaryMigrationProps.stage` takes one, or its 1-based number). */
export type ForwardStageId = (typeof FORWARD_STAGE_IDS)[number];

/** Ids of the reverse steps (Rollout back to a Deployment), in order. */
export const REVERSE_STEP_IDS = [
  'pin-hpa-min',
  'scale-deployment-up',
  'hpa-to-deployment',
  'detach-rollout',
  'delete-rollout',
  'restore-route',
  'restore-hpa-min',
  'remove-companions',
] as const;
/** Id of a reverse step. */
export type ReverseStepId = (typeof REVERSE_STEP_IDS)[number];

/** One step of the procedure: the change, the checks before the next step, the way back. */
export interface MigrationStep<Id extends string = string> {
  /** 1-based position in the procedure. */
  readonly number: number;
  /**
   * Stable id of the step (e.g. `unpause-rollout`).
   */
  readonly id: Id;
  /**
   * One-line title.
   */
  readonly title: string;
  /** What the step changes and why it is safe. */
  readonly summary: string;
  /**
   * The commands that make the change.
   */
  readonly commands: readonly RunbookCommand[];
  /** Verify all of these before the next step. */
  readonly checks: readonly MigrationCheck[];
  /**
   * How to undo this step.
   */
  readonly wayBack: WayBack;
  /** What to watch when the step is a GitOps commit instead of kubectl. @default - nothing special */
  readonly gitops?: string;
}

/** HPA facts the procedure needs. */
export interface MigrationHpa {
  /**
   * Name of the HPA.
   */
  readonly name: string;
  /** `minReplicas` before the migration (1 when unset); restored by the reverse procedure. */
  readonly originalMinReplicas: number;
  /** `minReplicas` of the canary set (1 when unset); restored at the end. */
  readonly finalMinReplicas: number;
  /**
   * `maxReplicas`, when known.
   * @default - unknown
   */
  readonly maxReplicas?: number;
  /** False when the HPA is new (created aimed at the Rollout). */
  readonly existedBefore: boolean;
}

/** The whole procedure for one app, forward and back. */
export interface MigrationPlan {
  /** @default - none (the kubectl context's) */
  readonly namespace?: string;
  /**
   * The canary set the migration ends in.
   */
  readonly set: CanarySet;
  /** The app before the migration, when its manifests were given. @default - derived from the canary set */
  readonly existing?: ExistingApp;
  /**
   * The HPA, when the app has one.
   * @default - none
   */
  readonly hpa?: MigrationHpa;
  /** The weighted http route before (one destination) and after (stable 100 / canary 0). */
  readonly beforeRoute: unknown;
  /**
   * The weighted http route after the migration (stable 100 / canary 0).
   */
  readonly targetRoute: unknown;
  /** Objects the canary set adds next to the Deployment (canary/root Services, PDBs, ...). */
  readonly companions: readonly ManifestObject[];
  /** Checks before the first forward stage. */
  readonly preflight: readonly MigrationCheck[];
  /**
   * The forward stages, in order.
   */
  readonly stages: readonly MigrationStep<ForwardStageId>[];
  /** Checks before the first reverse step. */
  readonly reversePreflight: readonly MigrationCheck[];
  /**
   * The reverse steps (back to the Deployment), in order.
   */
  readonly reverse: readonly MigrationStep<ReverseStepId>[];
  /** Remarks for the reviewer (passed-through objects, version requirements...). */
  readonly notes: readonly string[];
}

/** Input of `planMigration`. */
export interface PlanMigrationInput {
  /** The canary set the migration ends in (e.g. CanaryApp's synthesized objects). */
  readonly after: readonly ManifestObject[];
  /** The app as it runs today. @default - derived from the canary set (exact rollback needs it) */
  readonly existing?: ExistingApp;
  /** Rollout to migrate to when the set holds several. @default - the only one */
  readonly rolloutName?: string;
}

/** Shell variable that holds the replica count recorded before the migration. */
export const REPLICAS_VAR = 'REPLICAS';

const PODS_READY_TIMEOUT = '10m';
/** How long the reverse procedure waits for the controller to release the Services. */
const RELEASE_TIMEOUT_SECONDS = 60;
/** How long a check waits for a Service's endpoints to follow a change. */
const ENDPOINTS_TIMEOUT_SECONDS = 120;
/** The label that ties an EndpointSlice to its Service. */
const ENDPOINT_SLICE_SERVICE_LABEL = 'kubernetes.io/service-name';
/** `"$REPLICAS"` in a shell word. */
const R = shellVar(REPLICAS_VAR);

/**
 * Builds the zero-downtime procedure from a Deployment to the canary set: the write-up's order
 * (canary Service and VirtualService destination; Rollout created paused with the current replica
 * count; HPA minReplicas pinned; unpause; Deployment to 0; HPA to the Rollout; minReplicas
 * restored), adjusted by the field notes: a root Service and the split PDBs come first so the old
 * pods stay selected through the selector switch (argo-rollouts#4195), the Deployment is only
 * scaled down once the Rollout is Healthy and the stable Service selects its pods (#1731), and it
 * is scaled with an explicit `replicas: 0` instead of `workloadRef.scaleDown` (#4935). Every step
 * has checks and a way back; the reverse procedure (Rollout back to a Deployment, #3855) is built
 * alongside.
 */
export function planMigration(input: PlanMigrationInput): MigrationPlan {
  const set = readCanarySet(input.after, input.rolloutName);
  const existing = input.existing;
  if (existing) checkFits(existing, set);

  const namespace = set.namespace ?? existing?.namespace;
  const hpa = migrationHpa(set, existing);

  const targetRoute = cloneJson(asArray(getPath(set.virtualService, 'spec', 'http'))![set.routeIndex]);
  const beforeRoute = existing
    ? cloneJson(asArray(getPath(existing.virtualService, 'spec', 'http'))![existing.routeIndex])
    : deriveBeforeRoute(set, targetRoute);

  const main = new Set<ManifestObject>([set.rollout, set.deployment, set.stableService, set.virtualService, ...(set.hpa ? [set.hpa] : [])]);
  const existingKeys = new Set((existing?.others ?? []).map((o) => refOf(o.object)));
  const companions = set.objects.filter((o) => !main.has(o) && !existingKeys.has(refOf(o)));

  const ctx = new Ctx(namespace, set, hpa, beforeRoute, targetRoute, companions);
  const notes = [
    ...(existing?.notes ?? []),
    'Needs Argo Rollouts >= 1.9 (the checks rely on v1.9 promotion rules) and the kubectl argo rollouts plugin.',
    ...(namespace === undefined ? ['The manifests name no namespace: every command runs in the current kubectl context namespace.'] : []),
  ];
  return {
    namespace,
    set,
    existing,
    hpa,
    beforeRoute,
    targetRoute,
    companions,
    preflight: ctx.preflight(),
    stages: number(ctx.forward()),
    reversePreflight: ctx.reversePreflight(),
    reverse: number(ctx.reverseSteps()),
    notes,
  };
}

/** Everything about the existing app that must match the canary set for a zero-downtime migration; throws every problem at once. */
function checkFits(existing: ExistingApp, set: CanarySet): void {
  const problems = new MigrationProblems();
  const pairs: [string, ManifestObject | undefined, ManifestObject | undefined][] = [
    ['Deployment', existing.deployment, set.deployment],
    ['stable Service', existing.service, set.stableService],
    ['VirtualService', existing.virtualService, set.virtualService],
  ];
  for (const [what, before, after] of pairs) {
    if (before && after && before.metadata.name !== after.metadata.name) {
      problems.add(`${what}: the existing ${refOf(before)} is not the canary set's ${refOf(after)}; the migration keeps the existing name`);
    }
  }
  if (!plainEqual(getPath(existing.deployment, 'spec', 'template'), getPath(set.deployment, 'spec', 'template'))) {
    problems.add(`${refOf(set.deployment)}: spec.template differs from the existing Deployment's; ship template changes before or after the migration, not during it`);
  }
  if (!plainEqual(getPath(existing.deployment, 'spec', 'selector'), getPath(set.deployment, 'spec', 'selector'))) {
    problems.add(`${refOf(set.deployment)}: spec.selector differs from the existing Deployment's (it is immutable)`);
  }
  if (!plainEqual(getPath(existing.service, 'spec'), getPath(set.stableService, 'spec'))) {
    problems.add(`${refOf(set.stableService)}: spec differs from the existing Service's; change it before or after the migration, not during it`);
  }
  if (existing.routeIndex !== set.routeIndex) {
    problems.add(`${refOf(set.virtualService)}: the weighted route is spec.http[${set.routeIndex}] but the existing route to ${existing.service.metadata.name} is spec.http[${existing.routeIndex}]`);
  }
  if (existing.hpa && !set.hpa) {
    problems.add(`${refOf(existing.hpa)} scales the Deployment today but the canary set has no HPA; add one aimed at ${refOf(set.rollout)} or delete the HPA first`);
  }
  if (existing.hpa && set.hpa && existing.hpa.metadata.name !== set.hpa.metadata.name) {
    problems.add(`HorizontalPodAutoscaler: the existing ${refOf(existing.hpa)} is not the canary set's ${refOf(set.hpa)}`);
  }
  if (existing.namespace !== undefined && set.namespace !== undefined && existing.namespace !== set.namespace) {
    problems.add(`namespace: the existing app is in ${existing.namespace}, the canary set in ${set.namespace}`);
  }
  problems.throwIfAny('the existing app and the canary set do not fit together');
}

/** The HPA facts of the procedure, when the canary set has an HPA. */
function migrationHpa(set: CanarySet, existing: ExistingApp | undefined): MigrationHpa | undefined {
  if (!set.hpa) return undefined;
  return {
    name: set.hpa.metadata.name,
    originalMinReplicas: hpaMinReplicasOrDefault((existing?.hpa ? existing.hpaFields : set.hpaFields) ?? {}),
    finalMinReplicas: hpaMinReplicasOrDefault(set.hpaFields ?? {}),
    maxReplicas: set.hpaFields?.maxReplicas,
    existedBefore: existing ? existing.hpa !== undefined : true,
  };
}

function number<Id extends string>(steps: Omit<MigrationStep<Id>, 'number'>[]): MigrationStep<Id>[] {
  return steps.map((s, i) => ({ number: i + 1, ...s }));
}

/** The route before the migration when only the canary set is known: its stable destination alone, unweighted. */
function deriveBeforeRoute(set: CanarySet, targetRoute: unknown): unknown {
  const route = cloneJson(targetRoute) as Record<string, unknown>;
  const dests = asArray(route.route)!;
  const stable = { ...(dests[set.stableDestination] as Record<string, unknown>) };
  delete stable.weight;
  route.route = [stable];
  return route;
}

type Step<Id extends string> = Omit<MigrationStep<Id>, 'number'>;

/** An aggregated metrics API an HPA reads from. */
interface MetricsApi {
  readonly apiService: string;
  /** The HPA metric types it serves. */
  readonly serves: string;
  /** What to install when it is missing. */
  readonly install: string;
}

const METRICS_APIS: Record<'resource' | 'custom' | 'external', MetricsApi> = {
  resource: { apiService: 'v1beta1.metrics.k8s.io', serves: 'Resource/ContainerResource', install: 'metrics-server' },
  custom: { apiService: 'v1beta1.custom.metrics.k8s.io', serves: 'Pods/Object', install: 'the custom metrics adapter the HPA expects (e.g. prometheus-adapter)' },
  external: { apiService: 'v1beta1.external.metrics.k8s.io', serves: 'External', install: 'the external metrics adapter the HPA expects (e.g. KEDA or prometheus-adapter)' },
};

/**
 * The metrics APIs an HPA needs, by metric type (pkg/controller/podautoscaler/metrics: resource
 * metrics from metrics.k8s.io, Pods/Object from custom.metrics.k8s.io, External from
 * external.metrics.k8s.io). An HPA without metrics targets 80 % CPU, a resource metric.
 */
function metricsApisOf(hpa: ManifestObject): MetricsApi[] {
  const types = (asArray(getPath(hpa, 'spec', 'metrics')) ?? []).map((m) => String(getPath(m, 'type')));
  const needed = new Set<keyof typeof METRICS_APIS>(
    types.length === 0 ? ['resource'] : types.map((t) => (t === 'Resource' || t === 'ContainerResource' ? 'resource' : t === 'External' ? 'external' : 'custom')),
  );
  return (Object.keys(METRICS_APIS) as (keyof typeof METRICS_APIS)[]).filter((k) => needed.has(k)).map((k) => METRICS_APIS[k]);
}

/** Builds the commands; one instance per plan. */
class Ctx {
  private readonly dep: string;
  private readonly ro: string;
  private readonly stable: string;
  private readonly canary: string;
  private readonly vs: string;
  private readonly depPods: string;
  private readonly rolloutPods: string;
  private readonly hpaMetricsApis: readonly MetricsApi[];

  public constructor(
    private readonly namespace: string | undefined,
    private readonly set: CanarySet,
    private readonly hpa: MigrationHpa | undefined,
    private readonly beforeRoute: unknown,
    private readonly targetRoute: unknown,
    private readonly companions: readonly ManifestObject[],
  ) {
    this.dep = set.deployment.metadata.name;
    this.ro = set.rollout.metadata.name;
    this.stable = set.stableService.metadata.name;
    this.canary = set.canaryService.metadata.name;
    this.vs = set.virtualService.metadata.name;
    const selector = Object.keys(set.matchLabels).length > 0 ? set.matchLabels : set.podLabels;
    this.depPods = `${formatLabels(selector)},!${ARGO_KEYS.podTemplateHashLabel}`;
    this.rolloutPods = `${formatLabels(selector)},${ARGO_KEYS.podTemplateHashLabel}`;
    this.hpaMetricsApis = set.hpa ? metricsApisOf(set.hpa) : [];
  }

  // ---- command helpers -------------------------------------------------------------------------

  private kubectl(verbAndTarget: readonly ShellWord[], rest: readonly ShellWord[] = [], stdin?: ShellWord): ProgramCall {
    const ns = this.namespace !== undefined ? ['-n', this.namespace] : [];
    return { program: 'kubectl', args: [...verbAndTarget, ...ns, ...rest], stdin };
  }

  private run(verbAndTarget: readonly ShellWord[], rest: readonly ShellWord[] = [], stdin?: ShellWord): RunbookCommand {
    return { type: 'run', call: this.kubectl(verbAndTarget, rest, stdin) };
  }

  /** A check that passes when the kubectl command succeeds. */
  private succeeds(verbAndTarget: readonly ShellWord[], rest: readonly ShellWord[], message: ShellWord): CheckCommand {
    return { type: 'succeeds', call: this.kubectl(verbAndTarget, rest), message };
  }

  private jsonpath(kind: string, name: string, path: string): ProgramCall {
    return this.kubectl(['get', kind, name], ['-o', `jsonpath=${path}`]);
  }

  private assertEq(kind: string, name: string, path: string, expected: ShellWord, message: ShellWord): CheckCommand {
    return { type: 'assert', call: this.jsonpath(kind, name, path), op: '=', expected, message };
  }

  private apply(objects: readonly ManifestObject[]): RunbookCommand {
    return this.run(['apply'], ['-f', '-'], manifestsYaml(objects));
  }

  private mergePatch(kind: string, name: string, patch: unknown): RunbookCommand {
    return this.run(['patch', kind, name], ['--type', 'merge', '-p', jsonWord(patch)]);
  }

  private jsonPatch(kind: string, name: string, ops: unknown[]): RunbookCommand {
    return this.run(['patch', kind, name], ['--type', 'json', '-p', jsonWord(ops)]);
  }

  private rolloutStatus(timeout: string): CheckCommand {
    return this.succeeds(['argo', 'rollouts', 'status', this.ro], ['--timeout', timeout], `Rollout ${this.ro} is not Healthy after ${timeout} (kubectl argo rollouts status failed)`);
  }

  private deploymentStatus(timeout: string): CheckCommand {
    return this.succeeds(['rollout', 'status', `deployment/${this.dep}`], [`--timeout=${timeout}`], `Deployment ${this.dep} is not fully rolled out after ${timeout} (kubectl rollout status failed)`);
  }

  private podsGone(selector: string, whose: string): CheckCommand {
    return this.succeeds(['wait', '--for=delete', 'pod', '-l', selector], [`--timeout=${PODS_READY_TIMEOUT}`], `${whose} pods (${selector}) are not gone after ${PODS_READY_TIMEOUT} (kubectl wait failed)`);
  }

  /**
   * Waits (bounded) until the Service has at least $REPLICAS ready endpoints, counted as distinct
   * pods over its EndpointSlices (`discovery.k8s.io/v1`, label `kubernetes.io/service-name`; v1
   * Endpoints are deprecated since Kubernetes 1.33). Endpoints follow pod and selector changes
   * asynchronously, so the check polls instead of reading once.
   */
  private endpointsAtLeast(service: string, what: string): CheckCommand {
    return {
      type: 'await',
      call: {
        ...this.kubectl(
          ['get', 'endpointslices'],
          ['-l', `${ENDPOINT_SLICE_SERVICE_LABEL}=${service}`, '-o', 'jsonpath={range .items[*].endpoints[?(@.conditions.ready==true)]}{.targetRef.name}{"\\n"}{end}'],
        ),
        count: 'distinct-lines',
      },
      op: '-ge',
      expected: [R],
      timeoutSeconds: ENDPOINTS_TIMEOUT_SECONDS,
      intervalSeconds: 2,
      message: word`Service ${service} has fewer than ${R} ready endpoints after ${ENDPOINTS_TIMEOUT_SECONDS} s (${what})`,
    };
  }

  private hashSelector(service: string, present: boolean): CheckCommand {
    return {
      type: 'assert',
      call: this.jsonpath('service', service, `{.spec.selector.${ARGO_KEYS.podTemplateHashLabel}}`),
      op: present ? '-n' : '-z',
      message: present
        ? `Service ${service} does not select the Rollout's pods yet (no ${ARGO_KEYS.podTemplateHashLabel} in its selector)`
        : `Service ${service} still carries ${ARGO_KEYS.podTemplateHashLabel} in its selector`,
    };
  }

  private hpaMinPatch(min: number | string): RunbookCommand {
    return this.mergePatch('hpa', this.hpa!.name, { spec: { minReplicas: typeof min === 'number' ? min : jsonVar(min) } });
  }

  private hpaTarget(kind: 'Rollout' | 'Deployment'): RunbookCommand {
    const ref =
      kind === 'Rollout'
        ? { apiVersion: API_VERSIONS.rollout, kind: 'Rollout', name: this.ro }
        : { apiVersion: API_VERSIONS.deployment, kind: 'Deployment', name: this.dep };
    return this.mergePatch('hpa', this.hpa!.name, { spec: { scaleTargetRef: ref } });
  }

  private routePatch(expectedHost: string, route: unknown): RunbookCommand {
    const i = this.set.routeIndex;
    return this.jsonPatch('virtualservice', this.vs, [
      { op: 'test', path: `/spec/http/${i}/route/0/destination/host`, value: expectedHost },
      { op: 'replace', path: `/spec/http/${i}`, value: route },
    ]);
  }

  private routeWeights(route: unknown): string {
    return (asArray(getPath(route, 'route')) ?? []).map((d) => String(getPath(d, 'weight') ?? '')).join(' ').trim();
  }

  private deploymentTo(replicas: ShellWord): RunbookCommand {
    return this.run(['scale', `deployment/${this.dep}`], [typeof replicas === 'string' ? `--replicas=${replicas}` : ['--replicas=', ...replicas]]);
  }

  /**
   * The canary set's Rollout, paused, with `spec.replicas` = $REPLICAS, for one `kubectl apply`:
   * applied without replicas and patched after, the controller would default `spec.replicas` to 1
   * in between (and retry conflicts with the patch).
   */
  private rolloutManifest(): ManifestObject {
    const rollout = cloneJson(this.set.rollout) as ManifestObject & { spec: Record<string, unknown> };
    const rest = { ...rollout.spec };
    delete rest.replicas;
    delete rest.paused;
    return { ...rollout, spec: { replicas: jsonVar(REPLICAS_VAR), paused: true, ...rest } };
  }

  private companionRefs(): string[] {
    return this.companions.map((o) => `${o.kind.toLowerCase()}/${o.metadata.name}`);
  }

  // ---- forward ---------------------------------------------------------------------------------

  public preflight(): MigrationCheck[] {
    const checks: MigrationCheck[] = [
      {
        text: `Record how many pods ${this.dep} runs now: every later check compares against it.`,
        commands: [
          { type: 'capture', variable: REPLICAS_VAR, call: this.jsonpath('deployment', this.dep, '{.spec.replicas}') },
          { type: 'echo', text: [`${this.dep} runs `, R, ' replicas'] },
          { type: 'compare', left: [R], op: '-ge', right: '1', message: word`could not read a replica count of at least 1 from Deployment ${this.dep} (got "${R}")` },
        ],
      },
      {
        text: `${this.dep} is fully rolled out and the Argo Rollouts CRD is installed.`,
        commands: [
          this.deploymentStatus(PODS_READY_TIMEOUT),
          {
            type: 'succeeds',
            call: { program: 'kubectl', args: ['get', 'crd', 'rollouts.argoproj.io'] },
            message: 'the Argo Rollouts CRD (rollouts.argoproj.io) is not installed: install Argo Rollouts >= 1.9 first',
          },
        ],
      },
      ...this.metricsApiChecks(),
    ];
    if (this.hpa?.existedBefore) {
      checks.push({
        text: `${this.hpa.name} scales ${this.dep} today.`,
        commands: [
          this.assertEq('hpa', this.hpa.name, '{.spec.scaleTargetRef.kind}/{.spec.scaleTargetRef.name}', `Deployment/${this.dep}`, `HPA ${this.hpa.name} does not target Deployment/${this.dep}`),
        ],
      });
    }
    if (this.hpa?.maxReplicas !== undefined) {
      checks.push({
        text: `The canary set's HPA allows at least $${REPLICAS_VAR} replicas (maxReplicas ${this.hpa.maxReplicas}).`,
        commands: [{ type: 'compare', left: [R], op: '-le', right: String(this.hpa.maxReplicas), message: word`HPA ${this.hpa.name} maxReplicas ${this.hpa.maxReplicas} is below the current replica count ${R}` }],
      });
    }
    if (!this.hpa) {
      const fixed = getReplicasOrDefault(this.set.replicas);
      checks.push({
        text: `The canary set runs ${fixed} replicas, not fewer than today.`,
        commands: [{ type: 'compare', left: [R], op: '-le', right: String(fixed), message: word`the Rollout's replicas (${fixed}) are below the current replica count ${R}` }],
      });
    }
    return checks;
  }

  /**
   * The HPA reads its metrics through aggregated APIs: without the one it needs it never reports
   * ScalingActive (the hpa-to-rollout check waits for it) and cannot scale the Rollout. Checked up
   * front, with what to do.
   */
  private metricsApiChecks(): MigrationCheck[] {
    if (!this.hpa) return [];
    const hpa = this.hpa;
    return [
      {
        text: `The metrics API ${hpa.name} reads is served (${this.hpaMetricsApis.map((a) => a.apiService).join(', ')}).`,
        commands: this.hpaMetricsApis.map(({ apiService, serves, install }) => ({
          type: 'assert',
          call: { program: 'kubectl', args: ['get', 'apiservice', apiService, '-o', 'jsonpath={.status.conditions[?(@.type=="Available")].status}'] },
          op: '=',
          expected: 'True',
          message:
            `APIService ${apiService} is missing or not Available, so HPA ${hpa.name} cannot read its ${serves} metrics and will never ` +
            `be ScalingActive (the hpa-to-rollout step waits for that): install ${install}, wait until ` +
            `\`kubectl get apiservice ${apiService}\` shows Available True, then run the preflight again`,
        })),
      },
    ];
  }

  /** The forward stages, in order; those that do not apply to the app (no HPA, a new HPA) are left out. */
  public forward(): Step<ForwardStageId>[] {
    const hpa = this.hpa;
    return [
      this.addCompanionsStage(),
      this.routeWeightsStage(),
      ...(hpa?.existedBefore ? [this.pinHpaMinStage(hpa)] : []),
      this.createRolloutPausedStage(),
      this.unpauseRolloutStage(),
      this.scaleDeploymentToZeroStage(),
      ...(hpa ? [this.hpaToRolloutStage(hpa), this.restoreHpaMinStage(hpa)] : []),
    ];
  }

  /** Stage add-companions: the canary (and root) Service and the split PDBs, before anything routes to them. */
  private addCompanionsStage(): Step<ForwardStageId> {
    const companionNames = this.companions.map(refOf).join(', ');
    return {
      id: 'add-companions',
      title: `Create ${companionNames}`,
      summary:
        'The canary Service (and the root Service) select the pods the Deployment runs today; the split PDBs select ' +
        'role labels no pod carries yet. Nothing routes to the new Services, so traffic is unchanged.',
      commands: [this.apply(this.companions)],
      checks: [
        {
          text: `The canary Service ${this.canary} already lists the Deployment's pods as endpoints.`,
          commands: [this.endpointsAtLeast(this.canary, 'it should select the Deployment pods')],
        },
      ],
      wayBack: {
        text: 'Delete the new objects (no traffic goes through them yet).',
        commands: [this.run(['delete', ...this.companionRefs()], ['--ignore-not-found'])],
      },
    };
  }

  /** Stage route-weights: the canary destination with weight 0 in the weighted route. */
  private routeWeightsStage(): Step<ForwardStageId> {
    return {
      id: 'route-weights',
      title: `Add the canary destination to ${this.vs} (stable 100 / canary 0)`,
      summary:
        `Route ${this.set.routeIndex} of ${this.vs} gets its name and the canary destination with weight 0; ` +
        `all traffic still goes to ${this.stable}. The JSON patch first tests that the route still points at ${this.stable}.`,
      commands: [this.routePatch(this.stable, this.targetRoute)],
      checks: [
        {
          text: `The route weights read ${this.routeWeights(this.targetRoute)}.`,
          commands: [this.assertEq('virtualservice', this.vs, `{.spec.http[${this.set.routeIndex}].route[*].weight}`, this.routeWeights(this.targetRoute), `VirtualService ${this.vs} weights are not ${this.routeWeights(this.targetRoute)}`)],
        },
      ],
      wayBack: { text: 'Put the original route back.', commands: [this.routePatch(this.stable, this.beforeRoute)] },
    };
  }

  /** Stage pin-hpa-min: the existing HPA cannot scale below today's count. */
  private pinHpaMinStage(hpa: MigrationHpa): Step<ForwardStageId> {
    return {
      id: 'pin-hpa-min',
      title: `Pin ${hpa.name} minReplicas to $${REPLICAS_VAR}`,
      summary:
        'From here until the end the pod count cannot fall below what runs today, whatever the HPA sees ' +
        '(it will average over Deployment and Rollout pods).',
      commands: [this.hpaMinPatch(REPLICAS_VAR)],
      checks: [
        { text: 'minReplicas is pinned.', commands: [this.assertEq('hpa', hpa.name, '{.spec.minReplicas}', [R], word`HPA ${hpa.name} minReplicas is not ${R}`)] },
        {
          text: `${this.dep} still runs $${REPLICAS_VAR} replicas (if the HPA scaled it since the preflight, record REPLICAS again and repeat this step).`,
          commands: [this.assertEq('deployment', this.dep, '{.spec.replicas}', [R], word`Deployment ${this.dep} no longer runs ${R} replicas`)],
        },
      ],
      wayBack: { text: `Restore minReplicas ${hpa.originalMinReplicas}.`, commands: [this.hpaMinPatch(hpa.originalMinReplicas)] },
    };
  }

  /** Stage create-rollout-paused: the Rollout with today's replica count, paused. */
  private createRolloutPausedStage(): Step<ForwardStageId> {
    return {
      id: 'create-rollout-paused',
      title: `Create ${this.ro} paused, with $${REPLICAS_VAR} replicas`,
      summary:
        'A paused Rollout creates its ReplicaSet with 0 pods and leaves the Services and the VirtualService alone ' +
        '(the controller only adopts a Service once the Rollout pods are all available). It is applied in one go with ' +
        `the replica count the Deployment runs (spec.replicas: $${REPLICAS_VAR}, expanded by the shell).`,
      commands: [this.apply([this.rolloutManifest()])],
      checks: [
        { text: 'The Rollout is paused at $REPLICAS replicas.', commands: [this.assertEq('rollout', this.ro, '{.spec.paused}/{.spec.replicas}', ['true/', R], word`Rollout ${this.ro} is not paused at ${R} replicas`)] },
        { text: `${this.stable} still selects the Deployment's pods only.`, commands: [this.hashSelector(this.stable, false)] },
      ],
      wayBack: { text: 'Delete the Rollout: it runs no pods and owns no Service yet.', commands: [this.run(['delete', 'rollout', this.ro], ['--ignore-not-found'])] },
      gitops: `Commit the Rollout with paused: true and replicas equal to the Deployment's current count.`,
    };
  }

  /** Stage unpause-rollout: the Rollout pods start and the controller moves the Services to them. */
  private unpauseRolloutStage(): Step<ForwardStageId> {
    return {
      id: 'unpause-rollout',
      title: `Unpause ${this.ro}`,
      summary:
        `The Rollout starts $${REPLICAS_VAR} pods. Once all are available the controller points ${this.stable} and ` +
        `${this.canary} at them (pod-template-hash selector) and the whole load moves to the Rollout pods at once; ` +
        `the Deployment pods stay up behind the root Service only.`,
      commands: [this.mergePatch('rollout', this.ro, { spec: { paused: false } })],
      checks: [
        { text: 'The Rollout is Healthy.', commands: [this.rolloutStatus(PODS_READY_TIMEOUT)] },
        {
          text: `All $${REPLICAS_VAR} Rollout pods are available and ${this.stable} selects them.`,
          commands: [
            { type: 'assert', call: this.jsonpath('rollout', this.ro, '{.status.availableReplicas}'), op: '-ge', expected: [R], message: word`Rollout ${this.ro} has fewer than ${R} available pods` },
            this.hashSelector(this.stable, true),
            this.endpointsAtLeast(this.stable, 'the Rollout pods'),
          ],
        },
      ],
      wayBack: {
        text:
          'The Deployment still runs its pods: detach the Rollout, wait until the controller has released the Services (they then select the ' +
          'Deployment pods too), and remove the Rollout (reverse steps detach-rollout, delete-rollout).',
        commands: [...this.detachCommands(), ...[this.stable, this.canary].map((svc) => this.selectorReleased(svc)), this.run(['delete', 'rollout', this.ro], ['--ignore-not-found'])],
      },
      gitops: 'Commit the Rollout without paused (removing the field unpauses it).',
    };
  }

  /** Stage scale-deployment-to-zero: the Deployment's pods go once the Rollout serves. */
  private scaleDeploymentToZeroStage(): Step<ForwardStageId> {
    return {
      id: 'scale-deployment-to-zero',
      title: `Scale ${this.dep} to 0`,
      summary:
        `Only now, with the Rollout Healthy and serving, the Deployment's pods go. They no longer receive traffic ` +
        `from ${this.stable}; the root Service keeps them selected until they terminate.`,
      commands: [this.mergePatch('deployment', this.dep, { spec: { replicas: 0 } })],
      checks: [
        { text: `The Deployment's own pods are gone.`, commands: [this.podsGone(this.depPods, `Deployment ${this.dep}'s`)] },
        { text: 'The Rollout is still Healthy with all its pods.', commands: [this.rolloutStatus('2m'), this.endpointsAtLeast(this.stable, 'the Rollout pods')] },
        { text: `${this.dep} stays at 0.`, commands: [this.assertEq('deployment', this.dep, '{.spec.replicas}', '0', `Deployment ${this.dep} is not at 0 replicas`)] },
      ],
      wayBack: {
        text: `Scale ${this.dep} back up and wait for its pods.`,
        commands: [this.deploymentTo([R]), this.deploymentStatus(PODS_READY_TIMEOUT)],
      },
      gitops:
        'Commit the Deployment with replicas: 0 and check the live value is 0: an Argo CD rule ignoring the ' +
        "Deployment's /spec/replicas would keep it at full size forever (argo-rollouts#4935).",
    };
  }

  /** Stage hpa-to-rollout: the HPA scales the Rollout (created aimed at it when it is new). */
  private hpaToRolloutStage(hpa: MigrationHpa): Step<ForwardStageId> {
    const hpaObject = this.set.hpa!;
    return {
      id: 'hpa-to-rollout',
      title: `Aim ${hpa.name} at ${this.ro}`,
      summary: hpa.existedBefore
        ? 'The HPA now scales the Rollout (its minReplicas is still pinned, so it cannot scale below today’s count).'
        : 'The new HPA is created aimed at the Rollout with minReplicas pinned to today’s count.',
      commands: hpa.existedBefore
        ? [this.hpaTarget('Rollout')]
        : [this.apply([hpaObject]), this.hpaMinPatch(REPLICAS_VAR)],
      checks: [
        {
          text: 'The HPA can compute and apply a scale for the Rollout (it needs the metrics API the preflight checked).',
          commands: [
            this.succeeds(
              ['wait', '--for=condition=ScalingActive', `hpa/${hpa.name}`],
              ['--timeout=3m'],
              `HPA ${hpa.name} is not ScalingActive after 3m: \`kubectl describe hpa ${hpa.name}\` says why (metrics API, pod resource requests); the Rollout keeps its replicas meanwhile`,
            ),
          ],
        },
        { text: 'The Rollout still has at least $REPLICAS replicas.', commands: [{ type: 'assert', call: this.jsonpath('rollout', this.ro, '{.spec.replicas}'), op: '-ge', expected: [R], message: word`Rollout ${this.ro} was scaled below ${R} replicas` }] },
      ],
      wayBack: hpa.existedBefore
        ? { text: `Aim the HPA back at ${this.dep} (at 0 replicas it does not scale anything; the Rollout keeps its count).`, commands: [this.hpaTarget('Deployment')] }
        : { text: 'Delete the new HPA.', commands: [this.run(['delete', 'hpa', hpa.name], ['--ignore-not-found'])] },
      gitops: `Before this commit, make the Argo CD Application ignore ${this.ro}'s /spec/replicas with RespectIgnoreDifferences=true (cdk8s-canary migrate --format argocd), or the sync and the HPA fight over it.`,
    };
  }

  /** Stage restore-hpa-min: the HPA is in charge again. */
  private restoreHpaMinStage(hpa: MigrationHpa): Step<ForwardStageId> {
    return {
      id: 'restore-hpa-min',
      title: `Restore ${hpa.name} minReplicas to ${hpa.finalMinReplicas}`,
      summary: 'The HPA is in charge again; the migration is done.',
      commands: [this.hpaMinPatch(hpa.finalMinReplicas)],
      checks: [
        { text: 'minReplicas is restored.', commands: [this.assertEq('hpa', hpa.name, '{.spec.minReplicas}', String(hpa.finalMinReplicas), `HPA ${hpa.name} minReplicas is not ${hpa.finalMinReplicas}`)] },
        { text: 'The Rollout is Healthy.', commands: [this.rolloutStatus('2m')] },
      ],
      wayBack: { text: 'Pin minReplicas again.', commands: [this.hpaMinPatch(REPLICAS_VAR)] },
      gitops:
        `This commit drops ${this.ro}'s spec.replicas (the HPA owns it). Without the ignore rule for /spec/replicas ` +
        'the sync deletes the field and the controller falls back to 1 replica (argo-rollouts#3689).',
    };
  }

  // ---- reverse ---------------------------------------------------------------------------------

  private detachCommands(): RunbookCommand[] {
    return [
      this.jsonPatch('rollout', this.ro, [
        { op: 'add', path: '/spec/paused', value: true },
        { op: 'replace', path: '/spec/strategy', value: { canary: {} } },
      ]),
    ];
  }

  /** What the controller does when the Rollout stops naming the Service, by hand (only for when the controller does not run). */
  private releaseCommand(service: string): RunbookCommand {
    return this.mergePatch('service', service, {
      metadata: { annotations: { [ARGO_KEYS.managedByAnnotation]: null } },
      spec: { selector: { [ARGO_KEYS.podTemplateHashLabel]: null } },
    });
  }

  /** Waits (bounded) until the controller has removed the pod-template-hash from the Service's selector. */
  private selectorReleased(service: string): CheckCommand {
    return {
      type: 'await',
      call: this.jsonpath('service', service, `{.spec.selector.${ARGO_KEYS.podTemplateHashLabel}}`),
      op: '-z',
      timeoutSeconds: RELEASE_TIMEOUT_SECONDS,
      intervalSeconds: 2,
      message:
        `Service ${service} still carries ${ARGO_KEYS.podTemplateHashLabel} in its selector after ${RELEASE_TIMEOUT_SECONDS} s: ` +
        'the Argo Rollouts controller did not release it (is it running?). Remove what it would have removed by hand ' +
        `(safe once the Deployment pods are ready): ${renderCommand(this.releaseCommand(service))}`,
    };
  }

  public reversePreflight(): MigrationCheck[] {
    return [
      {
        text: `Record how many pods ${this.ro} runs now.`,
        commands: [
          { type: 'capture', variable: REPLICAS_VAR, call: this.jsonpath('rollout', this.ro, '{.spec.replicas}') },
          { type: 'echo', text: [`${this.ro} runs `, R, ' replicas'] },
          { type: 'compare', left: [R], op: '-ge', right: '1', message: word`could not read a replica count of at least 1 from Rollout ${this.ro} (got "${R}")` },
        ],
      },
      { text: 'No update is in progress: the Rollout is Healthy.', commands: [this.rolloutStatus('1m')] },
    ];
  }

  /** The reverse steps (Rollout back to a Deployment), in order; the HPA steps only with an HPA. */
  public reverseSteps(): Step<ReverseStepId>[] {
    const hpa = this.hpa;
    return [
      ...(hpa ? [this.reversePinHpaMinStep(hpa)] : []),
      this.scaleDeploymentUpStep(),
      ...(hpa ? [this.hpaToDeploymentStep(hpa)] : []),
      this.detachStep(),
      this.deleteRolloutStep(),
      this.restoreRouteStep(),
      ...(hpa ? [this.reverseRestoreHpaMinStep(hpa)] : []),
      this.removeCompanionsStep(),
    ];
  }

  /** Reverse step pin-hpa-min: the pod count cannot fall while the pods move back. */
  private reversePinHpaMinStep(hpa: MigrationHpa): Step<ReverseStepId> {
    return {
      id: 'pin-hpa-min',
      title: `Pin ${hpa.name} minReplicas to $${REPLICAS_VAR}`,
      summary: 'The pod count cannot fall while the pods move back to the Deployment.',
      commands: [this.hpaMinPatch(REPLICAS_VAR)],
      checks: [{ text: 'minReplicas is pinned.', commands: [this.assertEq('hpa', hpa.name, '{.spec.minReplicas}', [R], word`HPA ${hpa.name} minReplicas is not ${R}`)] }],
      wayBack: { text: `Restore minReplicas ${hpa.finalMinReplicas}.`, commands: [this.hpaMinPatch(hpa.finalMinReplicas)] },
    };
  }

  /** Reverse step scale-deployment-up: the Deployment's pods start behind the root Service. */
  private scaleDeploymentUpStep(): Step<ReverseStepId> {
    return {
      id: 'scale-deployment-up',
      title: `Scale ${this.dep} to $${REPLICAS_VAR}`,
      summary: `workloadRef.scaleDown is never, so the controller leaves the Deployment alone; its pods start behind the root Service while ${this.stable} keeps serving from the Rollout pods.`,
      commands: [this.deploymentTo([R])],
      checks: [{ text: 'Every Deployment pod is ready.', commands: [this.deploymentStatus(PODS_READY_TIMEOUT)] }],
      wayBack: { text: 'Scale the Deployment back to 0.', commands: [this.deploymentTo('0')] },
    };
  }

  /** Reverse step hpa-to-deployment: the HPA scales the Deployment again. */
  private hpaToDeploymentStep(hpa: MigrationHpa): Step<ReverseStepId> {
    return {
      id: 'hpa-to-deployment',
      title: `Aim ${hpa.name} at ${this.dep}`,
      summary: 'The HPA scales the Deployment again (minReplicas still pinned).',
      commands: [this.hpaTarget('Deployment')],
      checks: [{ text: 'The HPA targets the Deployment.', commands: [this.assertEq('hpa', hpa.name, '{.spec.scaleTargetRef.kind}', 'Deployment', `HPA ${hpa.name} does not target the Deployment`)] }],
      wayBack: { text: 'Aim the HPA back at the Rollout.', commands: [this.hpaTarget('Rollout')] },
    };
  }

  /** Reverse step delete-rollout: the Rollout goes with its ReplicaSets and pods. */
  private deleteRolloutStep(): Step<ReverseStepId> {
    return {
      id: 'delete-rollout',
      title: `Delete ${this.ro}`,
      summary: `Its ReplicaSets and pods are deleted with it; ${this.stable} keeps the Deployment's ready pods.`,
      commands: [this.run(['delete', 'rollout', this.ro])],
      checks: [
        { text: 'The Rollout pods are gone.', commands: [this.podsGone(this.rolloutPods, `Rollout ${this.ro}'s`)] },
        { text: `${this.stable} serves from the Deployment pods.`, commands: [this.endpointsAtLeast(this.stable, 'the Deployment pods')] },
      ],
      wayBack: { text: 'Run the forward procedure again from create-rollout-paused.', commands: [] },
    };
  }

  /** Reverse step restore-route: the weighted route as it was before the migration. */
  private restoreRouteStep(): Step<ReverseStepId> {
    return {
      id: 'restore-route',
      title: `Restore the original route of ${this.vs}`,
      summary: 'The canary destination and the weights go; traffic already flows to the stable Service only.',
      commands: [this.routePatch(this.stable, this.beforeRoute)],
      checks: [
        {
          text: `The route has the single destination ${this.stable}.`,
          commands: [this.assertEq('virtualservice', this.vs, `{.spec.http[${this.set.routeIndex}].route[*].destination.host}`, hostsOf(this.beforeRoute), `VirtualService ${this.vs} route is not restored`)],
        },
      ],
      wayBack: { text: 'Add the canary destination again.', commands: [this.routePatch(this.stable, this.targetRoute)] },
    };
  }

  /** Reverse step restore-hpa-min: the HPA's minReplicas as before the migration. */
  private reverseRestoreHpaMinStep(hpa: MigrationHpa): Step<ReverseStepId> {
    return {
      id: 'restore-hpa-min',
      title: `Restore ${hpa.name} minReplicas to ${hpa.originalMinReplicas}`,
      summary: 'The HPA scales the Deployment as before the migration.',
      commands: [this.hpaMinPatch(hpa.originalMinReplicas)],
      checks: [{ text: 'minReplicas is restored.', commands: [this.assertEq('hpa', hpa.name, '{.spec.minReplicas}', String(hpa.originalMinReplicas), `HPA ${hpa.name} minReplicas is not ${hpa.originalMinReplicas}`)] }],
      wayBack: { text: 'Pin minReplicas again.', commands: [this.hpaMinPatch(REPLICAS_VAR)] },
    };
  }

  /** Reverse step remove-companions: the objects the canary set added. */
  private removeCompanionsStep(): Step<ReverseStepId> {
    return {
      id: 'remove-companions',
      title: `Delete ${this.companions.map(refOf).join(', ')}`,
      summary: 'Nothing routes to them any more.',
      commands: [this.run(['delete', ...this.companionRefs()], ['--ignore-not-found'])],
      checks: [],
      wayBack: { text: 'Re-apply them.', commands: [this.apply(this.companions)] },
    };
  }

  /**
   * Pausing the Rollout and reducing its strategy to a plain canary is all it takes: once the
   * Rollout no longer names the Services, the controller's Service controller removes the
   * pod-template-hash selector and the managed-by annotation from both (argo-rollouts
   * service/service.go syncService; within ~150 ms on v1.9.1), so the step waits for that instead
   * of patching the Services itself.
   */
  private detachStep(): Step<ReverseStepId> {
    return {
      id: 'detach-rollout',
      title: `Detach ${this.ro}: the controller releases ${this.stable} and ${this.canary}`,
      summary:
        'The Rollout is paused and its strategy reduced to a plain canary without traffic routing, so the controller stops managing ' +
        `the Services and the VirtualService, and removes the pod-template-hash from ${this.stable} and ${this.canary} (usually within a ` +
        `second). ${this.stable} then selects the Deployment and the Rollout pods alike, both ready, so no request lands on an empty ` +
        'Service. The Rollout pods keep running and serving.',
      commands: this.detachCommands(),
      checks: [
        { text: 'The Rollout is paused.', commands: [this.assertEq('rollout', this.ro, '{.spec.paused}', 'true', `Rollout ${this.ro} is not paused`)] },
        { text: `The controller has released ${this.stable} and ${this.canary}.`, commands: [this.selectorReleased(this.stable), this.selectorReleased(this.canary)] },
        { text: `${this.stable} selects every pod of the app.`, commands: [this.endpointsAtLeast(this.stable, 'Deployment and Rollout pods')] },
      ],
      wayBack: {
        text: 'Re-apply the canary set’s Rollout (paused, with $REPLICAS replicas) and unpause it: the controller points the Services at its pods again.',
        commands: [this.apply([this.rolloutManifest()]), this.mergePatch('rollout', this.ro, { spec: { paused: false } })],
      },
    };
  }
}

function hostsOf(route: unknown): string {
  return (asArray(getPath(route, 'route')) ?? []).map((d) => String(getPath(d, 'destination', 'host') ?? '')).join(' ');
}
