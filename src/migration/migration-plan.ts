import { API_VERSIONS, ARGO_KEYS } from '../runtime/defaults';
import { type CanarySet, readCanarySet } from './canary-set';
import type { ExistingApp } from './existing-app';
import { MigrationProblems } from './migration-error';
import { plainEqual } from '../runtime/plain-equal';
import { asArray, asStringMap, cloneJson, formatLabels, getPath, type ManifestObject, refOf } from './manifest-object';
import {
  jsonVar,
  jsonWord,
  manifestsYaml,
  type ProgramCall,
  type RunbookCommand,
  type ShellWord,
  shellVar,
} from './shell-command';

/** What to verify before going on, with the commands that verify it. */
export interface MigrationCheck {
  readonly text: string;
  readonly commands: readonly RunbookCommand[];
}

/** How to undo a step without downtime. */
export interface WayBack {
  readonly text: string;
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
export type ForwardStageId = (typeof FORWARD_STAGE_IDS)[number];

/** Ids of the reverse steps (Rollout back to a Deployment), in order. */
export const REVERSE_STEP_IDS = [
  'pin-hpa-min',
  'scale-deployment-up',
  'hpa-to-deployment',
  'detach-rollout',
  'release-services',
  'delete-rollout',
  'restore-route',
  'restore-hpa-min',
  'remove-companions',
] as const;
export type ReverseStepId = (typeof REVERSE_STEP_IDS)[number];

/** One step of the procedure: the change, the checks before the next step, the way back. */
export interface MigrationStep<Id extends string = string> {
  /** 1-based position in the procedure. */
  readonly number: number;
  readonly id: Id;
  readonly title: string;
  /** What the step changes and why it is safe. */
  readonly summary: string;
  readonly commands: readonly RunbookCommand[];
  /** Verify all of these before the next step. */
  readonly checks: readonly MigrationCheck[];
  readonly wayBack: WayBack;
  /** What to watch when the step is a GitOps commit instead of kubectl. @default - nothing special */
  readonly gitops?: string;
}

/** HPA facts the procedure needs. */
export interface MigrationHpa {
  readonly name: string;
  /** `minReplicas` before the migration (1 when unset); restored by the reverse procedure. */
  readonly originalMinReplicas: number;
  /** `minReplicas` of the canary set (1 when unset); restored at the end. */
  readonly finalMinReplicas: number;
  readonly maxReplicas?: number;
  /** False when the HPA is new (created aimed at the Rollout). */
  readonly existedBefore: boolean;
}

/** The whole procedure for one app, forward and back. */
export interface MigrationPlan {
  /** @default - none (the kubectl context's) */
  readonly namespace?: string;
  readonly set: CanarySet;
  /** The app before the migration, when its manifests were given. @default - derived from the canary set */
  readonly existing?: ExistingApp;
  readonly hpa?: MigrationHpa;
  /** The weighted http route before (one destination) and after (stable 100 / canary 0). */
  readonly beforeRoute: unknown;
  readonly targetRoute: unknown;
  /** Objects the canary set adds next to the Deployment (canary/root Services, PDBs, ...). */
  readonly companions: readonly ManifestObject[];
  /** Checks before the first forward stage. */
  readonly preflight: readonly MigrationCheck[];
  readonly stages: readonly MigrationStep<ForwardStageId>[];
  /** Checks before the first reverse step. */
  readonly reversePreflight: readonly MigrationCheck[];
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

/**
 * Builds the zero-downtime procedure from a Deployment to the canary set: the article's order
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
  const problems = new MigrationProblems();
  const subject = 'the existing app and the canary set do not fit together';

  if (existing) {
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
  }
  problems.throwIfAny(subject);

  const namespace = set.namespace ?? existing?.namespace;
  const hpa: MigrationHpa | undefined = set.hpa
    ? {
        name: set.hpa.metadata.name,
        originalMinReplicas: numberOr(getPath(existing?.hpa ?? set.hpa, 'spec', 'minReplicas'), 1),
        finalMinReplicas: numberOr(getPath(set.hpa, 'spec', 'minReplicas'), 1),
        maxReplicas: typeof getPath(set.hpa, 'spec', 'maxReplicas') === 'number' ? (getPath(set.hpa, 'spec', 'maxReplicas') as number) : undefined,
        existedBefore: existing ? existing.hpa !== undefined : true,
      }
    : undefined;

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

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
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

/** Builds the commands; one instance per plan. */
class Ctx {
  private readonly dep: string;
  private readonly ro: string;
  private readonly stable: string;
  private readonly canary: string;
  private readonly vs: string;
  private readonly depPods: string;
  private readonly rolloutPods: string;

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
    const selector = asStringMap(getPath(set.deployment, 'spec', 'selector', 'matchLabels')) ?? set.podLabels;
    this.depPods = `${formatLabels(selector)},!${ARGO_KEYS.podTemplateHashLabel}`;
    this.rolloutPods = `${formatLabels(selector)},${ARGO_KEYS.podTemplateHashLabel}`;
  }

  // ---- command helpers -------------------------------------------------------------------------

  private kubectl(verbAndTarget: readonly ShellWord[], rest: readonly ShellWord[] = [], stdin?: string): ProgramCall {
    const ns = this.namespace !== undefined ? ['-n', this.namespace] : [];
    return { program: 'kubectl', args: [...verbAndTarget, ...ns, ...rest], stdin };
  }

  private run(verbAndTarget: readonly ShellWord[], rest: readonly ShellWord[] = [], stdin?: string): RunbookCommand {
    return { type: 'run', call: this.kubectl(verbAndTarget, rest, stdin) };
  }

  private jsonpath(kind: string, name: string, path: string, countWords = false): ProgramCall {
    return { ...this.kubectl(['get', kind, name], ['-o', `jsonpath=${path}`]), countWords };
  }

  private assertEq(kind: string, name: string, path: string, expected: ShellWord, message: string): RunbookCommand {
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

  private rolloutStatus(timeout: string): RunbookCommand {
    return this.run(['argo', 'rollouts', 'status', this.ro], ['--timeout', timeout]);
  }

  private endpointsAtLeast(service: string, what: string): RunbookCommand {
    return {
      type: 'assert',
      call: this.jsonpath('endpoints', service, '{.subsets[*].addresses[*].ip}', true),
      op: '-ge',
      expected: [shellVar(REPLICAS_VAR)],
      message: `Service ${service} has fewer ready endpoints than $${REPLICAS_VAR} (${what})`,
    };
  }

  private hashSelector(service: string, present: boolean): RunbookCommand {
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

  private rolloutManifest(): ManifestObject {
    const rollout = cloneJson(this.set.rollout) as ManifestObject & { spec: Record<string, unknown> };
    const spec: Record<string, unknown> = { paused: true, ...rollout.spec };
    delete spec.replicas;
    return { ...rollout, spec };
  }

  private companionRefs(): string[] {
    return this.companions.map((o) => `${o.kind.toLowerCase()}/${o.metadata.name}`);
  }

  // ---- forward ---------------------------------------------------------------------------------

  public preflight(): MigrationCheck[] {
    const R = shellVar(REPLICAS_VAR);
    const checks: MigrationCheck[] = [
      {
        text: `Record how many pods ${this.dep} runs now: every later check compares against it.`,
        commands: [
          { type: 'capture', variable: REPLICAS_VAR, call: this.jsonpath('deployment', this.dep, '{.spec.replicas}') },
          { type: 'echo', text: [`${this.dep} runs `, R, ' replicas'] },
        ],
      },
      {
        text: `${this.dep} is fully rolled out and the Argo Rollouts CRD is installed.`,
        commands: [
          this.run(['rollout', 'status', `deployment/${this.dep}`], [`--timeout=${PODS_READY_TIMEOUT}`]),
          { type: 'run', call: { program: 'kubectl', args: ['get', 'crd', 'rollouts.argoproj.io'] } },
        ],
      },
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
        commands: [{ type: 'compare', left: [R], op: '-le', right: String(this.hpa.maxReplicas), message: `HPA ${this.hpa.name} maxReplicas ${this.hpa.maxReplicas} is below the current replica count` }],
      });
    }
    if (!this.hpa) {
      const fixed = numberOr(getPath(this.set.rollout, 'spec', 'replicas'), 1);
      checks.push({
        text: `The canary set runs ${fixed} replicas, not fewer than today.`,
        commands: [{ type: 'compare', left: [R], op: '-le', right: String(fixed), message: `the Rollout's replicas (${fixed}) are below the current replica count` }],
      });
    }
    return checks;
  }

  public forward(): Step<ForwardStageId>[] {
    const R = shellVar(REPLICAS_VAR);
    const steps: Step<ForwardStageId>[] = [];
    const companionNames = this.companions.map(refOf).join(', ');

    steps.push({
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
    });

    steps.push({
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
    });

    if (this.hpa?.existedBefore) {
      steps.push({
        id: 'pin-hpa-min',
        title: `Pin ${this.hpa.name} minReplicas to $${REPLICAS_VAR}`,
        summary:
          'From here until the end the pod count cannot fall below what runs today, whatever the HPA sees ' +
          '(it will average over Deployment and Rollout pods).',
        commands: [this.hpaMinPatch(REPLICAS_VAR)],
        checks: [
          { text: 'minReplicas is pinned.', commands: [this.assertEq('hpa', this.hpa.name, '{.spec.minReplicas}', [R], `HPA ${this.hpa.name} minReplicas is not $${REPLICAS_VAR}`)] },
          {
            text: `${this.dep} still runs $${REPLICAS_VAR} replicas (if the HPA scaled it since the preflight, record REPLICAS again and repeat this step).`,
            commands: [this.assertEq('deployment', this.dep, '{.spec.replicas}', [R], `Deployment ${this.dep} no longer runs $${REPLICAS_VAR} replicas`)],
          },
        ],
        wayBack: { text: `Restore minReplicas ${this.hpa.originalMinReplicas}.`, commands: [this.hpaMinPatch(this.hpa.originalMinReplicas)] },
      });
    }

    steps.push({
      id: 'create-rollout-paused',
      title: `Create ${this.ro} paused, with $${REPLICAS_VAR} replicas`,
      summary:
        'A paused Rollout creates its ReplicaSet with 0 pods and leaves the Services and the VirtualService alone ' +
        '(the controller only adopts a Service once the Rollout pods are all available). Its replica count is set ' +
        'to what the Deployment runs, as in the article.',
      commands: [this.apply([this.rolloutManifest()]), this.mergePatch('rollout', this.ro, { spec: { replicas: jsonVar(REPLICAS_VAR) } })],
      checks: [
        { text: 'The Rollout is paused at $REPLICAS replicas.', commands: [this.assertEq('rollout', this.ro, '{.spec.paused}/{.spec.replicas}', ['true/', R], `Rollout ${this.ro} is not paused at $${REPLICAS_VAR} replicas`)] },
        { text: `${this.stable} still selects the Deployment's pods only.`, commands: [this.hashSelector(this.stable, false)] },
      ],
      wayBack: { text: 'Delete the Rollout: it runs no pods and owns no Service yet.', commands: [this.run(['delete', 'rollout', this.ro], ['--ignore-not-found'])] },
      gitops: `Commit the Rollout with paused: true and replicas equal to the Deployment's current count.`,
    });

    steps.push({
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
            { type: 'assert', call: this.jsonpath('rollout', this.ro, '{.status.availableReplicas}'), op: '-ge', expected: [R], message: `Rollout ${this.ro} has fewer than $${REPLICAS_VAR} available pods` },
            this.hashSelector(this.stable, true),
            this.endpointsAtLeast(this.stable, 'the Rollout pods'),
          ],
        },
      ],
      wayBack: {
        text: 'The Deployment still runs its pods: give the traffic back to them and remove the Rollout (reverse steps detach-rollout, release-services, delete-rollout).',
        commands: [...this.detachCommands(), ...this.releaseCommands(), this.run(['delete', 'rollout', this.ro], ['--ignore-not-found'])],
      },
      gitops: 'Commit the Rollout without paused (removing the field unpauses it).',
    });

    steps.push({
      id: 'scale-deployment-to-zero',
      title: `Scale ${this.dep} to 0`,
      summary:
        `Only now, with the Rollout Healthy and serving, the Deployment's pods go. They no longer receive traffic ` +
        `from ${this.stable}; the root Service keeps them selected until they terminate.`,
      commands: [this.mergePatch('deployment', this.dep, { spec: { replicas: 0 } })],
      checks: [
        { text: `The Deployment's own pods are gone.`, commands: [this.run(['wait', '--for=delete', 'pod', '-l', this.depPods], [`--timeout=${PODS_READY_TIMEOUT}`])] },
        { text: 'The Rollout is still Healthy with all its pods.', commands: [this.rolloutStatus('2m'), this.endpointsAtLeast(this.stable, 'the Rollout pods')] },
        { text: `${this.dep} stays at 0.`, commands: [this.assertEq('deployment', this.dep, '{.spec.replicas}', '0', `Deployment ${this.dep} is not at 0 replicas`)] },
      ],
      wayBack: {
        text: `Scale ${this.dep} back up and wait for its pods.`,
        commands: [this.deploymentTo([R]), this.run(['rollout', 'status', `deployment/${this.dep}`], [`--timeout=${PODS_READY_TIMEOUT}`])],
      },
      gitops:
        'Commit the Deployment with replicas: 0 and check the live value is 0: an Argo CD rule ignoring the ' +
        "Deployment's /spec/replicas would keep it at full size forever (argo-rollouts#4935).",
    });

    if (this.hpa) {
      const hpaObject = this.set.hpa!;
      steps.push({
        id: 'hpa-to-rollout',
        title: `Aim ${this.hpa.name} at ${this.ro}`,
        summary: this.hpa.existedBefore
          ? 'The HPA now scales the Rollout (its minReplicas is still pinned, so it cannot scale below today’s count).'
          : 'The new HPA is created aimed at the Rollout with minReplicas pinned to today’s count.',
        commands: this.hpa.existedBefore
          ? [this.hpaTarget('Rollout')]
          : [this.apply([hpaObject]), this.hpaMinPatch(REPLICAS_VAR)],
        checks: [
          { text: 'The HPA can compute and apply a scale for the Rollout.', commands: [this.run(['wait', '--for=condition=ScalingActive', `hpa/${this.hpa.name}`], ['--timeout=3m'])] },
          { text: 'The Rollout still has at least $REPLICAS replicas.', commands: [{ type: 'assert', call: this.jsonpath('rollout', this.ro, '{.spec.replicas}'), op: '-ge', expected: [R], message: `Rollout ${this.ro} was scaled below $${REPLICAS_VAR}` }] },
        ],
        wayBack: this.hpa.existedBefore
          ? { text: `Aim the HPA back at ${this.dep} (at 0 replicas it does not scale anything; the Rollout keeps its count).`, commands: [this.hpaTarget('Deployment')] }
          : { text: 'Delete the new HPA.', commands: [this.run(['delete', 'hpa', this.hpa.name], ['--ignore-not-found'])] },
        gitops: `Before this commit, make the Argo CD Application ignore ${this.ro}'s /spec/replicas with RespectIgnoreDifferences=true (cdk8s-canary migrate --format argocd), or the sync and the HPA fight over it.`,
      });
      steps.push({
        id: 'restore-hpa-min',
        title: `Restore ${this.hpa.name} minReplicas to ${this.hpa.finalMinReplicas}`,
        summary: 'The HPA is in charge again; the migration is done.',
        commands: [this.hpaMinPatch(this.hpa.finalMinReplicas)],
        checks: [
          { text: 'minReplicas is restored.', commands: [this.assertEq('hpa', this.hpa.name, '{.spec.minReplicas}', String(this.hpa.finalMinReplicas), `HPA ${this.hpa.name} minReplicas is not ${this.hpa.finalMinReplicas}`)] },
          { text: 'The Rollout is Healthy.', commands: [this.rolloutStatus('2m')] },
        ],
        wayBack: { text: 'Pin minReplicas again.', commands: [this.hpaMinPatch(REPLICAS_VAR)] },
        gitops:
          `This commit drops ${this.ro}'s spec.replicas (the HPA owns it). Without the ignore rule for /spec/replicas ` +
          'the sync deletes the field and the controller falls back to 1 replica (argo-rollouts#3689).',
      });
    }
    return steps;
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

  private releaseCommands(): RunbookCommand[] {
    return [this.stable, this.canary].map((svc) =>
      this.mergePatch('service', svc, {
        metadata: { annotations: { [ARGO_KEYS.managedByAnnotation]: null } },
        spec: { selector: { [ARGO_KEYS.podTemplateHashLabel]: null } },
      }),
    );
  }

  public reversePreflight(): MigrationCheck[] {
    return [
      {
        text: `Record how many pods ${this.ro} runs now.`,
        commands: [
          { type: 'capture', variable: REPLICAS_VAR, call: this.jsonpath('rollout', this.ro, '{.spec.replicas}') },
          { type: 'echo', text: [`${this.ro} runs `, shellVar(REPLICAS_VAR), ' replicas'] },
        ],
      },
      { text: 'No update is in progress: the Rollout is Healthy.', commands: [this.rolloutStatus('1m')] },
    ];
  }

  public reverseSteps(): Step<ReverseStepId>[] {
    const R = shellVar(REPLICAS_VAR);
    const steps: Step<ReverseStepId>[] = [];
    if (this.hpa) {
      steps.push({
        id: 'pin-hpa-min',
        title: `Pin ${this.hpa.name} minReplicas to $${REPLICAS_VAR}`,
        summary: 'The pod count cannot fall while the pods move back to the Deployment.',
        commands: [this.hpaMinPatch(REPLICAS_VAR)],
        checks: [{ text: 'minReplicas is pinned.', commands: [this.assertEq('hpa', this.hpa.name, '{.spec.minReplicas}', [R], `HPA ${this.hpa.name} minReplicas is not $${REPLICAS_VAR}`)] }],
        wayBack: { text: `Restore minReplicas ${this.hpa.finalMinReplicas}.`, commands: [this.hpaMinPatch(this.hpa.finalMinReplicas)] },
      });
    }
    steps.push({
      id: 'scale-deployment-up',
      title: `Scale ${this.dep} to $${REPLICAS_VAR}`,
      summary: `workloadRef.scaleDown is never, so the controller leaves the Deployment alone; its pods start behind the root Service while ${this.stable} keeps serving from the Rollout pods.`,
      commands: [this.deploymentTo([R])],
      checks: [{ text: 'Every Deployment pod is ready.', commands: [this.run(['rollout', 'status', `deployment/${this.dep}`], [`--timeout=${PODS_READY_TIMEOUT}`])] }],
      wayBack: { text: 'Scale the Deployment back to 0.', commands: [this.deploymentTo('0')] },
    });
    if (this.hpa) {
      steps.push({
        id: 'hpa-to-deployment',
        title: `Aim ${this.hpa.name} at ${this.dep}`,
        summary: 'The HPA scales the Deployment again (minReplicas still pinned).',
        commands: [this.hpaTarget('Deployment')],
        checks: [{ text: 'The HPA targets the Deployment.', commands: [this.assertEq('hpa', this.hpa.name, '{.spec.scaleTargetRef.kind}', 'Deployment', `HPA ${this.hpa.name} does not target the Deployment`)] }],
        wayBack: { text: 'Aim the HPA back at the Rollout.', commands: [this.hpaTarget('Rollout')] },
      });
    }
    steps.push({
      id: 'detach-rollout',
      title: `Detach ${this.ro} from the Services and the VirtualService`,
      summary:
        'The Rollout is paused and its strategy reduced to a plain canary without traffic routing, so the controller ' +
        'stops managing the Services and the VirtualService. Its pods keep running and serving.',
      commands: this.detachCommands(),
      checks: [{ text: 'The Rollout is paused.', commands: [this.assertEq('rollout', this.ro, '{.spec.paused}', 'true', `Rollout ${this.ro} is not paused`)] }],
      wayBack: {
        text: 'Re-apply the canary set’s Rollout (paused), set its replicas, unpause it.',
        commands: [this.apply([this.rolloutManifest()]), this.mergePatch('rollout', this.ro, { spec: { replicas: jsonVar(REPLICAS_VAR) } }), this.mergePatch('rollout', this.ro, { spec: { paused: false } })],
      },
    });
    steps.push({
      id: 'release-services',
      title: `Remove the pod-template-hash from ${this.stable} and ${this.canary}`,
      summary: `${this.stable} selects the Deployment and the Rollout pods alike (both ready), so no request lands on an empty Service.`,
      commands: this.releaseCommands(),
      checks: [
        { text: `${this.stable} selects every pod of the app.`, commands: [this.hashSelector(this.stable, false), this.endpointsAtLeast(this.stable, 'Deployment and Rollout pods')] },
      ],
      wayBack: { text: 'Nothing to undo: re-attaching the Rollout (way back of detach-rollout) makes the controller set the selector again.', commands: [] },
    });
    steps.push({
      id: 'delete-rollout',
      title: `Delete ${this.ro}`,
      summary: `Its ReplicaSets and pods are deleted with it; ${this.stable} keeps the Deployment's ready pods.`,
      commands: [this.run(['delete', 'rollout', this.ro])],
      checks: [
        { text: 'The Rollout pods are gone.', commands: [this.run(['wait', '--for=delete', 'pod', '-l', this.rolloutPods], [`--timeout=${PODS_READY_TIMEOUT}`])] },
        { text: `${this.stable} serves from the Deployment pods.`, commands: [this.endpointsAtLeast(this.stable, 'the Deployment pods')] },
      ],
      wayBack: { text: 'Run the forward procedure again from create-rollout-paused.', commands: [] },
    });
    steps.push({
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
    });
    if (this.hpa) {
      steps.push({
        id: 'restore-hpa-min',
        title: `Restore ${this.hpa.name} minReplicas to ${this.hpa.originalMinReplicas}`,
        summary: 'The HPA scales the Deployment as before the migration.',
        commands: [this.hpaMinPatch(this.hpa.originalMinReplicas)],
        checks: [{ text: 'minReplicas is restored.', commands: [this.assertEq('hpa', this.hpa.name, '{.spec.minReplicas}', String(this.hpa.originalMinReplicas), `HPA ${this.hpa.name} minReplicas is not ${this.hpa.originalMinReplicas}`)] }],
        wayBack: { text: 'Pin minReplicas again.', commands: [this.hpaMinPatch(REPLICAS_VAR)] },
      });
    }
    steps.push({
      id: 'remove-companions',
      title: `Delete ${this.companions.map(refOf).join(', ')}`,
      summary: 'Nothing routes to them any more.',
      commands: [this.run(['delete', ...this.companionRefs()], ['--ignore-not-found'])],
      checks: [],
      wayBack: { text: 'Re-apply them.', commands: [this.apply(this.companions)] },
    });
    return steps;
  }
}

function hostsOf(route: unknown): string {
  return (asArray(getPath(route, 'route')) ?? []).map((d) => String(getPath(d, 'destination', 'host') ?? '')).join(' ');
}
