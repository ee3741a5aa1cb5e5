import { asRecord } from '../records';
import type { CanaryStrategy, RolloutSpec } from '../rollout-spec';
import { readCanaryStrategy } from './canary-strategy';
import type { RolloutReadContext } from './context';
import { readDestinationRule } from './destination-rule';
import { type Fail, optionalInt, replicasInt, stringRecord } from './fields';
import { readHpa } from './hpa';
import { noRolloutMessage, parseManifests, where } from './parse';
import { readPdbs } from './pdb';
import { readServices } from './service';
import { ManifestError, type ManifestInput, type ReadManifestsOptions, type RolloutModel, type SourcedObject } from './types';
import { readVirtualServices } from './virtual-service';
import { readRolloutPods } from './workload';

/**
 * Finds one Rollout (by name when several) and resolves everything it references.
 * Throws `ManifestError` naming the object and field when a reference is missing or a field is invalid.
 */
export function readManifests(input: ManifestInput, options: ReadManifestsOptions = {}): RolloutModel {
  const objects = parseManifests(input);
  const rollouts = objects.filter((o) => o.object.kind === 'Rollout');
  if (rollouts.length === 0) throw new ManifestError(noRolloutMessage(input, objects));
  const picked = pickRollout(rollouts, options.rollout);
  return resolveRollout(picked, objects);
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

/** The Rollout and what it references, read in the order its problems are reported. */
function resolveRollout(picked: SourcedObject, all: SourcedObject[]): RolloutModel {
  const ro = picked.object;
  const name = ro.metadata?.name;
  const at = where(picked.source);
  if (!name) {
    throw new ManifestError(`${at}Rollout: metadata.name is missing`);
  }
  const ctx: RolloutReadContext = {
    all,
    name,
    ns: ro.metadata?.namespace,
    fail: (msg: string): never => {
      throw new ManifestError(`${at}Rollout/${name}: ${msg}`);
    },
  };
  const { rawSpec, canaryRaw } = readCanaryEnvelope(ro.spec, ctx.fail);
  const { template, selector, workload } = readRolloutPods(ctx, rawSpec);
  const canary = readCanaryStrategy(canaryRaw, ctx.fail);
  const spec = readRolloutSpec(rawSpec, canary, ctx.fail);
  const services = readServices(ctx, canary);
  const istio = canary.trafficRouting?.istio;
  const virtualServices = readVirtualServices(ctx, istio);
  const destinationRule = readDestinationRule(ctx, istio);
  const hpa = readHpa(ctx);
  const pdbs = readPdbs(ctx, template, canary);
  return {
    name,
    namespace: ctx.ns,
    spec,
    selector: stringRecord(selector?.matchLabels),
    template,
    workload,
    services,
    virtualServices,
    destinationRule,
    hpa,
    pdbs,
    object: ro,
    source: picked.source,
  };
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

/** The Rollout's spec fields in the runtime's plain-data shape. */
function readRolloutSpec(rawSpec: Record<string, unknown>, canary: CanaryStrategy, fail: Fail): RolloutSpec {
  return {
    replicas: replicasInt(rawSpec.replicas, fail),
    paused: rawSpec.paused === undefined ? undefined : rawSpec.paused === true,
    minReadySeconds: optionalInt(rawSpec.minReadySeconds, 'spec.minReadySeconds', 0, fail),
    progressDeadlineSeconds: optionalInt(rawSpec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds', 0, fail),
    progressDeadlineAbort: rawSpec.progressDeadlineAbort === undefined ? undefined : rawSpec.progressDeadlineAbort === true,
    revisionHistoryLimit: optionalInt(rawSpec.revisionHistoryLimit, 'spec.revisionHistoryLimit', 0, fail),
    restartAt: typeof rawSpec.restartAt === 'string' ? rawSpec.restartAt : undefined,
    rollbackWindow: readRollbackWindow(rawSpec.rollbackWindow, fail),
    strategy: { canary },
  };
}

function readRollbackWindow(raw: unknown, fail: Fail): RolloutSpec['rollbackWindow'] {
  if (raw === undefined || raw === null) return undefined;
  const window = asRecord(raw);
  if (!window) return fail(`spec.rollbackWindow (${JSON.stringify(raw)}) must be an object such as {revisions: 3}`);
  return { revisions: optionalInt(window.revisions, 'spec.rollbackWindow.revisions', 0, fail) };
}
