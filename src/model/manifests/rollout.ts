import { asRecord } from '../records';
import type { CanaryStrategy, RolloutSpec } from '../rollout-spec';
import { readCanaryStrategy } from './canary-strategy';
import type { RolloutReadContext } from './context';
import { readDestinationRule } from './destination-rule';
import { attempt, type Fail, optionalInt, replicasInt, stringRecord } from './fields';
import { readHpa } from './hpa';
import { noRolloutMessage, parseManifests, where } from './parse';
import { readPdbs } from './pdb';
import { readServices } from './service';
import { ManifestError, type ManifestInput, type ReadManifestsOptions, type RolloutModel, type RolloutRead, type SourcedObject } from './types';
import { readVirtualServices } from './virtual-service';
import { readRolloutPods } from './workload';

/**
 * Finds one Rollout (by name when several) and resolves everything it references.
 * Throws `ManifestError` naming the object and field when a reference is missing or a field is
 * invalid: every problem found (each part of the Rollout is read on its own), one line each.
 */
export function readManifests(input: ManifestInput, options: ReadManifestsOptions = {}): RolloutModel {
  const read = inspectRollout(input, options);
  if (read.model) return read.model;
  throw new ManifestError(read.problems.join('\n'), read.problems);
}

/**
 * The collecting reader: like `readManifests`, but a problem does not end the read. Each part of
 * the Rollout (its canary strategy, spec fields, pod template, Services, VirtualServices,
 * DestinationRule, HPA, PDBs) is read on its own, so `problems` lists the first problem of every
 * part, and the parts that read are there for a caller that still has work to do (the lint).
 * Unreadable YAML, no Rollout, or no single Rollout to pick end the read with one problem.
 */
export function inspectRollout(input: ManifestInput, options: ReadManifestsOptions = {}): RolloutRead {
  let objects: SourcedObject[];
  let picked: SourcedObject;
  try {
    objects = parseManifests(input);
    const rollouts = objects.filter((o) => o.object.kind === 'Rollout');
    if (rollouts.length === 0) throw new ManifestError(noRolloutMessage(input, objects));
    picked = pickRollout(rollouts, options.rollout);
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    return { problems: err.problems };
  }
  return readRollout(picked, objects);
}

/** `namespace/name` of a Rollout, or just its name when it has no namespace. */
function qualifiedName(rollout: SourcedObject): string {
  const name = rollout.object.metadata?.name ?? '(unnamed)';
  const ns = rollout.object.metadata?.namespace;
  return ns ? `${ns}/${name}` : name;
}

function pickRollout(rollouts: SourcedObject[], wanted: string | undefined): SourcedObject {
  const names = rollouts.map(qualifiedName);
  if (wanted !== undefined) return pickNamed(rollouts, wanted, names);
  if (rollouts.length > 1) {
    throw new ManifestError(`the input holds ${rollouts.length} Rollouts (${names.join(', ')}): choose one with NAME or NAMESPACE/NAME`);
  }
  return rollouts[0];
}

/** The Rollout `NAME` or `NAMESPACE/NAME` (`/NAME`: the one without a namespace). */
function pickNamed(rollouts: SourcedObject[], wanted: string, names: string[]): SourcedObject {
  const slash = wanted.indexOf('/');
  const [ns, name] = slash >= 0 ? [wanted.slice(0, slash), wanted.slice(slash + 1)] : [undefined, wanted];
  const found = rollouts.filter(
    (r) => r.object.metadata?.name === name && (ns === undefined || (r.object.metadata?.namespace ?? '') === ns),
  );
  if (found.length === 0) {
    throw new ManifestError(`Rollout/${wanted} is not in the input (found: ${names.join(', ')})`);
  }
  if (found.length > 1) {
    const places = found.map((f) => `${qualifiedName(f)} (${f.source.file ? `${f.source.file}, ` : ''}document ${f.source.document})`);
    const hint = !found.some((f) => f.object.metadata?.namespace)
      ? ''
      : found.some((f) => !f.object.metadata?.namespace)
        ? '; choose one as NAMESPACE/NAME (/NAME for the one without a namespace)'
        : '; choose one as NAMESPACE/NAME';
    throw new ManifestError(`Rollout/${wanted} appears ${found.length} times (${places.join(', ')})${hint}`);
  }
  return found[0];
}

/**
 * One Rollout and what it references, read part by part in the order their problems are reported
 * (the order `readManifests` has always reported the first of them in).
 */
export function readRollout(picked: SourcedObject, all: readonly SourcedObject[]): RolloutRead {
  const ro = picked.object;
  const name = ro.metadata?.name;
  const at = where(picked.source);
  if (!name) return { rollout: picked, problems: [`${at}Rollout: metadata.name is missing`] };
  const problems: string[] = [];
  const ctx: RolloutReadContext = {
    all,
    name,
    ns: ro.metadata?.namespace,
    fail: (msg: string): never => {
      throw new ManifestError(`${at}Rollout/${name}: ${msg}`);
    },
  };
  const envelope = attempt(problems, () => readCanaryEnvelope(ro.spec, ctx.fail));
  if (!envelope) return { rollout: picked, problems };
  const pods = attempt(problems, () => readRolloutPods(ctx, envelope.rawSpec));
  const canary = readCanaryStrategy(envelope.canaryRaw, ctx.fail, problems);
  const spec = readRolloutSpec(envelope.rawSpec, canary, ctx.fail, problems);
  const refs = canary && readReferences(ctx, canary, problems);
  const hpa = attempt(problems, () => readHpa(ctx));
  const pdbs = pods && canary && attempt(problems, () => readPdbs(ctx, pods.template, canary));
  const read = { rollout: picked, spec: canary && spec, template: pods?.template, workload: pods?.workload, hpa, problems };
  if (problems.length > 0 || !pods || !spec || !refs || !pdbs) return read;
  const model: RolloutModel = {
    name,
    namespace: ctx.ns,
    spec,
    selector: stringRecord(pods.selector?.matchLabels),
    template: pods.template,
    workload: pods.workload,
    ...refs,
    hpa,
    pdbs,
    object: ro,
    source: picked.source,
  };
  return { ...read, model };
}

/** What `readRolloutFields` read of a Rollout's own fields. */
export interface RolloutFields {
  /** `spec.strategy.canary`, when the Rollout has one and it read. */
  readonly canary?: CanaryStrategy;
  /** The spec's own fields (`spec.replicas`, `spec.paused`...), each undefined when refused; `strategy` is `{ canary }`. */
  readonly spec?: RolloutSpec;
  /** Each problem found (a blue-green or strategy-less Rollout is no problem here: it has no `canary`). */
  readonly problems: readonly string[];
}

/**
 * A Rollout's own fields, without what it references: its canary strategy (when it has one) and
 * its spec fields, each part on its own. For a caller that looks the references up itself (the
 * lint, which reads every Rollout of the input, blue-green ones included).
 */
export function readRolloutFields(picked: SourcedObject): RolloutFields {
  const rawSpec = asRecord(picked.object.spec);
  if (!rawSpec) return { problems: [] };
  const problems: string[] = [];
  const name = String(picked.object.metadata?.name ?? '');
  const fail = (msg: string): never => {
    throw new ManifestError(`${where(picked.source)}Rollout/${name}: ${msg}`);
  };
  const canaryRaw = asRecord(asRecord(rawSpec.strategy)?.canary);
  const canary = canaryRaw && readCanaryStrategy(canaryRaw, fail, problems);
  const spec = readRolloutSpec(rawSpec, canary, fail, problems);
  return { canary, spec, problems };
}

/** The Services, VirtualServices and DestinationRule the canary strategy names, each part on its own. */
function readReferences(
  ctx: RolloutReadContext,
  canary: CanaryStrategy,
  problems: string[],
): Pick<RolloutModel, 'services' | 'virtualServices' | 'destinationRule'> | undefined {
  const istio = canary.trafficRouting?.istio;
  const services = attempt(problems, () => readServices(ctx, canary));
  const virtualServices = attempt(problems, () => readVirtualServices(ctx, istio));
  const destinationRule = attempt(problems, () => ({ found: readDestinationRule(ctx, istio) }));
  return services && virtualServices && destinationRule ? { services, virtualServices, destinationRule: destinationRule.found } : undefined;
}


/** `spec` and its `strategy.canary`, which the runtime needs (a blue-green Rollout is refused). */
function readCanaryEnvelope(specRaw: unknown, fail: Fail): { rawSpec: Record<string, unknown>; canaryRaw: Record<string, unknown> } {
  const rawSpec = asRecord(specRaw);
  if (!rawSpec) {
    return fail('spec is missing');
  }
  const strategy = asRecord(rawSpec.strategy);
  if (!strategy) {
    return fail('spec.strategy is missing (only spec.strategy.canary is supported)');
  }
  if (strategy.blueGreen !== undefined) {
    return fail('spec.strategy.blueGreen is not supported: the runtime models spec.strategy.canary only');
  }
  const canaryRaw = asRecord(strategy.canary);
  if (!canaryRaw) {
    return fail('spec.strategy.canary is missing (only canary Rollouts are supported)');
  }
  return { rawSpec, canaryRaw };
}

/**
 * The Rollout's spec fields in the runtime's plain-data shape, each on its own: a refused field is
 * undefined, with its problem added to `problems`.
 */
function readRolloutSpec(rawSpec: Record<string, unknown>, canary: CanaryStrategy | undefined, fail: Fail, problems: string[]): RolloutSpec {
  const int = (field: string): number | undefined => attempt(problems, () => optionalInt(rawSpec[field], `spec.${field}`, 0, fail));
  return {
    replicas: attempt(problems, () => replicasInt(rawSpec.replicas, fail)),
    paused: rawSpec.paused === undefined ? undefined : rawSpec.paused === true,
    minReadySeconds: int('minReadySeconds'),
    progressDeadlineSeconds: int('progressDeadlineSeconds'),
    progressDeadlineAbort: rawSpec.progressDeadlineAbort === undefined ? undefined : rawSpec.progressDeadlineAbort === true,
    revisionHistoryLimit: int('revisionHistoryLimit'),
    restartAt: typeof rawSpec.restartAt === 'string' ? rawSpec.restartAt : undefined,
    rollbackWindow: attempt(problems, () => readRollbackWindow(rawSpec.rollbackWindow, fail)),
    strategy: { canary },
  };
}

function readRollbackWindow(raw: unknown, fail: Fail): RolloutSpec['rollbackWindow'] {
  if (raw === undefined || raw === null) return undefined;
  const window = asRecord(raw);
  if (!window) return fail(`spec.rollbackWindow (${JSON.stringify(raw)}) must be an object such as {revisions: 3}`);
  return { revisions: optionalInt(window.revisions, 'spec.rollbackWindow.revisions', 0, fail) };
}
