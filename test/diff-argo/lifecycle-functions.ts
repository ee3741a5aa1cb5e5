/**
 * Ported functions outside the replica / weight / step math, checked against Go the same way as
 * functions.ts: pause durations, scale-down delays, restart, progress-deadline conditions,
 * rollback window and ephemeral metadata. Time is passed to Go as `nowMs` (the harness sets the
 * controller's clock, utils/time Now); the runtime counts seconds.
 */
import { syncEphemeralPodMetadata, parseExistingPodMetadata, syncReplicaSetEphemeralPodMetadata, type ObjectMetadata } from '../../src/runtime/ephemeral-metadata';
import { rolloutHealthy, rolloutProgressing, rolloutTimedOut } from '../../src/runtime/progress-deadline';
import { needsRestart } from '../../src/runtime/restart';
import { isRollbackWithinWindow } from '../../src/runtime/rollback-window';
import { getAbortScaleDownDelaySecondsOrDefault, getScaleDownDelaySecondsOrDefault } from '../../src/runtime/rollout-defaults';
import { parsePauseDurationSeconds } from '../../src/runtime/steps';
import type { PodMetadata, ReplicaSetState, RolloutState, RolloutStatus } from '../../src/runtime/types';
import { type Args, type FunctionSpec, INT32_MAX, tryTs } from './functions';
import { genReplicaSet, genRollout, goRollout } from './inputs';
import { Random } from './random';

/** Extra arguments of these functions (the harness's `args` names). */
export interface LifecycleArgs extends Args {
  pause?: { duration?: number | string };
  nowMs?: number;
  newStatus?: unknown;
  next?: RolloutStatus;
  rsObject?: { metadata: { annotations?: Record<string, string> }; spec: { template: { metadata: ObjectMetadata } } };
  metadata?: ObjectMetadata;
  existingMeta?: PodMetadata;
  desiredMeta?: PodMetadata;
}

const EPOCH_MS = Date.UTC(2026, 0, 1);
const UNITS = ['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h'];

function genDurationPart(r: Random): string {
  const whole = r.pick(['0', '1', '5', '30', '90', String(r.int(0, 100000)), '']);
  const fraction = r.chance(0.4) ? `.${r.pick(['5', '25', '7', '1', '', '999999999999', '1234567890123456789012'])}` : '';
  return `${whole || (fraction ? '' : '1')}${fraction}${r.pick(UNITS)}`;
}

function genDuration(r: Random): number | string | undefined {
  switch (r.int(0, 6)) {
    case 0:
      return undefined;
    case 1:
      return r.chance(0.95) ? r.int(-5, 100000) : r.pick([INT32_MAX, -INT32_MAX - 1, 0]);
    case 2:
      return r.pick(['0', '45', '+7', '-3', '007', '2147483647', '2147483648', '99999999999']);
    case 3:
      return r.pick(['', '5.5', '1 m', 'm5', '+', '-', '.s', '1e3s', '10x', '5 minutes', '0.5', '2562048h', '9223372036s', '9223372037s']);
    default:
      return `${r.pick(['', '', '', '-', '+'])}${r.list(1, 4, () => genDurationPart(r)).join('')}`;
  }
}

function pauseSeconds(a: LifecycleArgs): number {
  const d = a.pause?.duration;
  return d === undefined ? 0 : parsePauseDurationSeconds(d);
}

/** A canary or blue-green Rollout with scale-down delays set, unset or 0. */
function genDelays(r: Random): Args {
  const blueGreen = r.chance(0.3);
  const ro = genRollout(r, { blueGreen });
  const delays = { scaleDownDelaySeconds: r.maybe(0.6, () => r.pick([0, 1, 30, r.int(0, 3600)])), abortScaleDownDelaySeconds: r.maybe(0.6, () => r.pick([0, 1, 30, r.int(0, 3600)])) };
  const strategy = blueGreen ? { blueGreen: { ...ro.spec.strategy.blueGreen, ...delays } } : { canary: { ...ro.spec.strategy.canary, ...delays } };
  return { ro: { ...ro, spec: { ...ro.spec, strategy } } as RolloutState };
}

const isoMs = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function genRestart(r: Random): LifecycleArgs {
  const ro = genRollout(r);
  const restartAtMs = EPOCH_MS + r.int(0, 600) * 1000;
  const restartAt = r.chance(0.9) ? isoMs(restartAtMs) : undefined;
  const restartedAt = r.pick([undefined, restartAt, isoMs(restartAtMs + r.pick([-1000, 1000, 60000])), restartAt?.replace('Z', '+00:00')]);
  const nowMs = restartAtMs + r.pick([-1000, -1, 0, 1, 500, 1000, r.int(-600, 600) * 1000]);
  return { ro: { ...ro, spec: { ...ro.spec, restartAt }, status: { ...ro.status, restartedAt } }, nowMs };
}

const REASONS = ['ReplicaSetUpdated', 'NewReplicaSetAvailable', 'RolloutAborted', 'RolloutPaused', 'RolloutResumed', 'ProgressDeadlineExceeded', 'RolloutRetry', 'ReplicaSetNotAvailable'];

function genTimedOut(r: Random): LifecycleArgs {
  const ro = genRollout(r);
  const deadline = r.maybe(0.7, () => r.pick([0, 1, 60, 600, r.int(0, 3600)]));
  const updated = r.int(0, 1200);
  const conditions = r.chance(0.9)
    ? [{ type: r.pick(['Progressing', 'Progressing', 'Available']), status: r.pick(['True', 'False', 'Unknown'] as const), reason: r.pick(REASONS), message: 'm', lastUpdateTime: updated, lastTransitionTime: updated }]
    : [];
  const next = { ...ro.status, conditions };
  const nowS = updated + (deadline ?? 600) + r.pick([-1, 0, 0.001, 1, r.int(-600, 600)]);
  return { ro: { ...ro, spec: { ...ro.spec, progressDeadlineSeconds: deadline } }, next, newStatus: (goRollout({ ...ro, status: next }) as { status: unknown }).status, nowMs: EPOCH_MS + Math.round(nowS * 1000) };
}

/** A canary status with counts near spec.replicas, so that health and progress flip often. */
function genCounts(r: Random, ro: RolloutState): RolloutStatus {
  const n = ro.spec.replicas ?? 1;
  const near = () => Math.max(0, n + r.int(-2, 1));
  const steps = ro.spec.strategy.canary?.steps?.length ?? 0;
  return {
    ...ro.status,
    replicas: near(),
    updatedReplicas: near(),
    availableReplicas: near(),
    readyReplicas: near(),
    currentStepIndex: r.maybe(0.8, () => r.int(0, steps + 1)),
    currentStepHash: r.pick([undefined, '', 'h1', 'h2']),
    stableRS: r.pick(['A', 'B', '']),
    currentPodHash: r.pick(['A', 'B']),
  };
}

function genHealth(r: Random): LifecycleArgs {
  const base = genRollout(r, { blueGreen: false });
  const generation = r.int(1, 4);
  const ro = { ...base, metadata: { ...base.metadata, generation }, status: { ...genCounts(r, base), observedGeneration: r.chance(0.8) ? String(generation) : String(generation + 1) } };
  const next = genCounts(r, ro);
  return { ro, next, newStatus: (goRollout({ ...ro, status: next }) as { status: unknown }).status };
}

function genWindow(r: Random): LifecycleArgs {
  const ro = genRollout(r);
  const revisions = r.list(1, 5, (i) => ({ ...genReplicaSet(r, ['A', 'B', 'C', 'D', 'E'][i]), revision: r.int(1, 6) }));
  const pick = () => (r.chance(0.9) ? r.pick(revisions) : undefined);
  return { ro: { ...ro, spec: { ...ro.spec, rollbackWindow: r.maybe(0.8, () => ({ revisions: r.int(0, 4) })) } }, newRS: pick(), stableRS: pick(), replicaSets: revisions };
}

/** Go's ReplicaSet JSON with a creation time from the runtime's creation order (`revision`). */
function goCreated(rs: ReplicaSetState | undefined): unknown {
  if (!rs) return null;
  return { metadata: { name: rs.name, creationTimestamp: isoMs(EPOCH_MS + (rs.revision ?? 0) * 1000) }, spec: { replicas: rs.specReplicas }, status: { availableReplicas: rs.availableReplicas } };
}

const KEYS = ['a', 'b', 'app.kubernetes.io/role'];
const VALUES = ['1', '2', 'x&y', '<v>'];
function genMap(r: Random, chance: number): Record<string, string> | undefined {
  return r.maybe(chance, () => Object.fromEntries(r.list(0, 3, () => [r.pick(KEYS), r.pick(VALUES)])));
}
function genPodMetadata(r: Random): PodMetadata | undefined {
  return r.maybe(0.8, () => JSON.parse(JSON.stringify({ labels: genMap(r, 0.7), annotations: genMap(r, 0.7) })) as PodMetadata);
}
const EPHEMERAL = 'rollout.argoproj.io/ephemeral-metadata';
/** The controller's annotation value for `meta` (json.Marshal of PodTemplateMetadata: omitempty, sorted keys). */
function canonical(meta: PodMetadata): string {
  const sorted = (m?: Readonly<Record<string, string>>) => (m && Object.keys(m).length > 0 ? Object.fromEntries(Object.entries(m).sort(([x], [y]) => (x < y ? -1 : 1))) : undefined);
  return JSON.stringify({ labels: sorted(meta.labels), annotations: sorted(meta.annotations) });
}
function genAnnotation(r: Random): string | undefined {
  const meta = genPodMetadata(r);
  if (r.chance(0.75)) return meta ? canonical(meta) : r.pick([undefined, '{}']);
  return r.pick(['null', '[]', '"x"', '{', '', '{"labels":{"a":null}}', '{"labels":{"a":1}}', '{"LABELS":{"a":"1"}}', '{"labels":{}}', '{"labels":{"a":"1"},"other":1}']);
}
function genRsObject(r: Random): NonNullable<LifecycleArgs['rsObject']> {
  const value = genAnnotation(r);
  const annotations = { ...genMap(r, 0.3), ...(value === undefined ? {} : { [EPHEMERAL]: value }) };
  return { metadata: { annotations: r.chance(0.1) ? undefined : annotations }, spec: { template: { metadata: JSON.parse(JSON.stringify({ labels: genMap(r, 0.8), annotations: genMap(r, 0.6) })) as ObjectMetadata } } };
}

/** Why an ephemeral-metadata annotation is outside: only the controller writes it, always canonical. */
function foreignAnnotation(a: LifecycleArgs): string | undefined {
  const value = a.rsObject?.metadata.annotations?.[EPHEMERAL];
  if (value === undefined) return undefined;
  const parsed = tryTs(() => JSON.parse(value) as unknown);
  const strings = (m: unknown) => m === undefined || (typeof m === 'object' && m !== null && Object.values(m).every((v) => typeof v === 'string'));
  const ok =
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && !('tsThrew' in parsed) &&
    strings((parsed as PodMetadata).labels) && strings((parsed as PodMetadata).annotations) && canonical(parsed as PodMetadata) === value;
  return ok ? undefined : `ephemeral-annotation-foreign: ${EPHEMERAL} ${JSON.stringify(value)} is not the controller's own JSON`;
}
/** Empty maps dropped (Kubernetes' omitempty), the ephemeral annotation compared as JSON data. */
function tidy(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => {
    if (key === EPHEMERAL && typeof v === 'string') return tryTs(() => JSON.parse(v) as unknown);
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 && key !== '') return undefined;
    return v;
  }));
}

const DEADLINE_INSTANT = 'deadline-instant: the clock exactly at the deadline (Go compares strictly; the runtime, whose clock is discrete, counts the deadline as reached)';
const nowSeconds = (a: Args) => ((a as LifecycleArgs).nowMs! - EPOCH_MS) / 1000;
/**
 * Status counts above int32 do not decode in Go. The conditions read the counts, the steps'
 * length, the hashes and spec.replicas (nil reads as 1), so the Rollout-wide reasons do not apply.
 */
function countsOutside(a: Args): string | undefined {
  const next = (a as LifecycleArgs).next ?? {};
  const counts = [a.ro!.status, next].flatMap((s) => [s.replicas, s.updatedReplicas, s.availableReplicas, s.readyReplicas]);
  return counts.some((c) => (c ?? 0) > INT32_MAX) || (a.ro!.spec.replicas ?? 0) > INT32_MAX ? 'int32-wrap: a status count above int32' : undefined;
}

export const LIFECYCLE_SPECS: readonly FunctionSpec[] = [
  {
    name: 'parsePauseDurationSeconds',
    generate: (r) => ({ pause: JSON.parse(JSON.stringify({ duration: genDuration(r) })) as LifecycleArgs['pause'] }) as Args,
    ts: (a) => pauseSeconds(a as LifecycleArgs),
    outside: (a) => {
      const seconds = tryTs(() => pauseSeconds(a as LifecycleArgs));
      if (typeof seconds !== 'number') return `pause-duration-invalid: ${JSON.stringify((a as LifecycleArgs).pause?.duration)} (Go pauses forever, the reader refuses it)`;
      return Math.abs(seconds) > INT32_MAX ? `int32-wrap: pause of ${seconds} s overflows int32` : undefined;
    },
  },
  // the delay getters read the strategy's delay fields only: every generated Rollout is valid for them
  { name: 'getScaleDownDelaySecondsOrDefault', generate: genDelays, ts: (a) => getScaleDownDelaySecondsOrDefault(a.ro!.spec), outside: () => undefined },
  {
    name: 'getAbortScaleDownDelaySecondsOrDefault',
    generate: genDelays,
    outside: () => undefined,
    ts: (a) => {
      const d = getAbortScaleDownDelaySecondsOrDefault(a.ro!.spec);
      return { delaySeconds: d.delaySeconds ?? null, wasSet: d.wasSet };
    },
  },
  {
    name: 'needsRestart',
    generate: genRestart,
    ts: (a) => needsRestart(a.ro!.spec, a.ro!.status, (a as LifecycleArgs).nowMs! / 1000),
    // reads spec.restartAt and status.restartedAt only
    outside: (a) => (Date.parse(a.ro!.spec.restartAt ?? '') === (a as LifecycleArgs).nowMs ? DEADLINE_INSTANT : undefined),
  },
  {
    name: 'rolloutTimedOut',
    generate: genTimedOut,
    ts: (a) => rolloutTimedOut(a.ro!.spec, (a as LifecycleArgs).next!.conditions, nowSeconds(a)),
    outside: (a) => {
      const progressing = (a as LifecycleArgs).next!.conditions?.find((c) => c.type === 'Progressing');
      const deadline = (progressing?.lastUpdateTime ?? NaN) + (a.ro!.spec.progressDeadlineSeconds ?? 600);
      // reads the Progressing condition and progressDeadlineSeconds only
      return deadline === nowSeconds(a) ? DEADLINE_INSTANT : undefined;
    },
  },
  {
    name: 'rolloutHealthy',
    generate: genHealth,
    ts: (a) => rolloutHealthy(a.ro!.spec, (a as LifecycleArgs).next!),
    outside: (a) =>
      countsOutside(a) ?? (a.ro!.status.observedGeneration !== String(a.ro!.metadata?.generation) ? 'observed-generation-not-modelled: status.observedGeneration behind metadata.generation' : undefined),
  },
  { name: 'rolloutProgressing', generate: genHealth, ts: (a) => rolloutProgressing(a.ro!.status, (a as LifecycleArgs).next!), outside: countsOutside },
  { name: 'isRollbackWithinWindow', generate: genWindow, ts: (a) => isRollbackWithinWindow(a.ro!.spec, a.newRS, a.stableRS, a.replicaSets ?? []) },
  {
    name: 'parseExistingPodMetadata',
    generate: (r) => ({ rsObject: genRsObject(r) }) as Args,
    ts: (a) => tidy(parseExistingPodMetadata((a as LifecycleArgs).rsObject!.metadata.annotations) ?? null),
    outside: (a) => foreignAnnotation(a as LifecycleArgs),
  },
  {
    name: 'syncEphemeralPodMetadata',
    generate: (r) => ({ metadata: JSON.parse(JSON.stringify({ labels: genMap(r, 0.8), annotations: genMap(r, 0.6) })) as ObjectMetadata, existingMeta: genPodMetadata(r), desiredMeta: genPodMetadata(r) }) as Args,
    ts: (a) => {
      const l = a as LifecycleArgs;
      return syncEphemeralPodMetadata(l.metadata!, l.existingMeta, l.desiredMeta);
    },
  },
  {
    name: 'syncReplicaSetEphemeralPodMetadata',
    generate: (r) => ({ rsObject: genRsObject(r), desiredMeta: genPodMetadata(r) }) as Args,
    ts: (a) => {
      const l = a as LifecycleArgs;
      const out = syncReplicaSetEphemeralPodMetadata({ annotations: l.rsObject!.metadata.annotations, templateMetadata: l.rsObject!.spec.template.metadata }, l.desiredMeta);
      return tidy(out);
    },
    outside: (a) => foreignAnnotation(a as LifecycleArgs),
  },
];

/** The Go `args` of these functions beyond goArgs: creation-ordered ReplicaSets, the raw ReplicaSet. */
export function lifecycleGoArgs(name: string, a: Args, base: Record<string, unknown>): Record<string, unknown> {
  const l = a as LifecycleArgs;
  const out = { ...base };
  delete out['next'];
  if (name === 'isRollbackWithinWindow') {
    out['newRS'] = goCreated(a.newRS);
    out['stableRS'] = goCreated(a.stableRS);
    out['replicaSets'] = (a.replicaSets ?? []).map(goCreated);
  }
  if (l.rsObject) {
    out['rs'] = l.rsObject;
    delete out['rsObject'];
  }
  return out;
}

/** Go answers of the ephemeral-metadata functions, tidied like the TypeScript ones. */
export function tidyGo(name: string, answer: Record<string, unknown>): Record<string, unknown> {
  if (!('ok' in answer) || !['parseExistingPodMetadata', 'syncReplicaSetEphemeralPodMetadata'].includes(name)) return answer;
  return { ok: tidy(answer['ok']) };
}
