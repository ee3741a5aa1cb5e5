import { ARGO_KEYS } from '../model/argo-defaults';
import { abortPatches, pausePatches, promotePatches, restartPatches, retryPatches, type CliPatches } from '../runtime/cli-patches';
import {
  ephemeralMetadataAnnotationValue,
  parseExistingPodMetadata,
  syncEphemeralPodMetadata,
  syncReplicaSetEphemeralPodMetadata,
  type ObjectMetadata,
} from '../runtime/ephemeral-metadata';
import { calculateRolloutPhase, getRolloutPhase, isFullyPromoted, shouldVerifyWeight } from '../runtime/phase';
import type { PodMetadata, RolloutSpec, RolloutState, RolloutStatus } from '../runtime/types';
import type { Adapter, VectorCase } from './case-result';
import { asRecord, optionalNumber, toSteps, withoutNulls } from './vector-input';

/**
 * Adapters for rollout-phase.json, ephemeral-metadata.json and cli-patches.json.
 */

const input = (testCase: VectorCase): Record<string, unknown> => asRecord(testCase.input, 'input');
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The phase vectors' spec: `strategy` is "canary" or "blueGreen", `trafficRouting` a boolean. */
function phaseSpec(raw: Record<string, unknown>): RolloutSpec {
  const base = {
    replicas: optionalNumber(raw['replicas'], 'input.spec.replicas'),
    paused: raw['paused'] === true,
    restartAt: str(raw['restartAt']),
    templateResolvedFromRef: raw['templateResolvedFromRef'] === true,
  };
  if (raw['strategy'] === 'blueGreen') {
    return { ...base, strategy: { blueGreen: { postPromotionAnalysis: raw['postPromotionAnalysis'] === true ? {} : undefined } } };
  }
  return {
    ...base,
    strategy: { canary: { steps: toSteps(raw['steps'], 'input.spec.steps'), trafficRouting: raw['trafficRouting'] === true ? {} : undefined } },
  };
}

/** The phase vectors' status: JSON of the Go status with `activeSelector` flattened. */
function phaseStatus(raw: Record<string, unknown>): RolloutStatus {
  const clean = withoutNulls(raw);
  const { activeSelector, ...rest } = clean as Record<string, unknown>;
  return { ...(rest as RolloutStatus), blueGreen: typeof activeSelector === 'string' ? { activeSelector } : undefined };
}

function phaseRollout(testCase: VectorCase): RolloutState {
  const inp = input(testCase);
  const metadata = asRecord(inp['metadata'] ?? {}, 'input.metadata');
  const workloadGeneration = metadata['workloadGenerationAnnotation'];
  return {
    metadata: {
      generation: optionalNumber(metadata['generation'], 'input.metadata.generation'),
      annotations:
        workloadGeneration === undefined || workloadGeneration === null
          ? undefined
          : { [ARGO_KEYS.workloadGenerationAnnotation]: String(workloadGeneration) },
    },
    spec: phaseSpec(asRecord(inp['spec'], 'input.spec')),
    status: phaseStatus(asRecord(inp['status'] ?? {}, 'input.status')),
  };
}

function podMetadata(value: unknown, field: string): PodMetadata | undefined {
  if (value === null || value === undefined) return undefined;
  return withoutNulls(asRecord(value, field)) as PodMetadata;
}

/** Rollout for the promote vectors: `strategy` "canary" (with steps) or anything else (no canary). */
function cliRollout(inp: Record<string, unknown>): RolloutState {
  const status = withoutNulls(asRecord(inp['status'] ?? {}, 'input.status'));
  const { currentStepAnalysisRunStatus, ...rest } = status as Record<string, unknown>;
  return {
    spec: {
      paused: inp['paused'] === true,
      strategy: inp['strategy'] === 'canary' ? { canary: { steps: toSteps(inp['steps'], 'input.steps') } } : {},
    },
    status: {
      ...(rest as RolloutStatus),
      canary: typeof currentStepAnalysisRunStatus === 'string' ? { currentStepAnalysisRunStatus: { status: currentStepAnalysisRunStatus } } : undefined,
    },
  };
}

/** Projects CLI patches onto the key names the vectors use for one command family. */
function patchesAs(patches: CliPatches, fallbackKey: string, keys: readonly string[]): Record<string, unknown> {
  const all: Record<string, unknown> = {
    statusSubresourcePatch: patches.statusPatch ?? null,
    specPatch: patches.specPatch ?? null,
    [fallbackKey]: patches.fallbackPatch ?? null,
  };
  return Object.fromEntries(keys.map((key) => [key, all[key] ?? null]));
}

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** The fixed clock the restart adapter passes (2024-01-01T00:00:00Z). */
const CLOCK_MS = Date.UTC(2024, 0, 1);

export const STATUS_ADAPTERS: Readonly<Record<string, Adapter>> = {
  getRolloutPhase: (testCase) => ({ actual: getRolloutPhase(phaseRollout(testCase)) }),
  calculateRolloutPhase: (testCase) => {
    const rollout = phaseRollout(testCase);
    return { actual: calculateRolloutPhase(rollout.spec, rollout.status) };
  },
  isFullyPromoted: (testCase) => {
    const inp = input(testCase);
    return { actual: isFullyPromoted({ status: { stableRS: str(inp['stableRS']), currentPodHash: str(inp['currentPodHash']) } }) };
  },
  shouldVerifyWeight: (testCase) => {
    const inp = input(testCase);
    const rollout: RolloutState = {
      spec: { strategy: { canary: { steps: toSteps(inp['steps'], 'input.steps') } } },
      status: {
        stableRS: str(inp['stableRS']),
        currentPodHash: str(inp['currentPodHash']),
        currentStepIndex: optionalNumber(inp['currentStepIndex'], 'input.currentStepIndex'),
      },
    };
    return { actual: shouldVerifyWeight(rollout, optionalNumber(inp['desiredWeight'], 'input.desiredWeight') ?? 0) };
  },
  syncEphemeralPodMetadata: (testCase) => {
    const inp = input(testCase);
    const result = syncEphemeralPodMetadata(
      (podMetadata(inp['objectMeta'], 'input.objectMeta') ?? {}) as ObjectMetadata,
      podMetadata(inp['existingInjected'], 'input.existingInjected'),
      podMetadata(inp['desired'], 'input.desired'),
    );
    return { actual: { objectMeta: result.metadata, modified: result.modified } };
  },
  syncReplicaSetEphemeralPodMetadata: (testCase) => {
    const inp = input(testCase);
    const tracked = podMetadata(inp['rsAnnotationEphemeral'], 'input.rsAnnotationEphemeral');
    const result = syncReplicaSetEphemeralPodMetadata(
      {
        annotations: tracked ? { [ARGO_KEYS.ephemeralMetadataAnnotation]: ephemeralMetadataAnnotationValue(tracked) } : undefined,
        templateMetadata: (podMetadata(inp['templateMeta'], 'input.templateMeta') ?? {}) as ObjectMetadata,
      },
      podMetadata(inp['podMetadata'], 'input.podMetadata'),
    );
    const expected = asRecord(testCase.expected, 'expected');
    const actual: Record<string, unknown> = { modified: result.modified };
    if ('templateMeta' in expected) actual['templateMeta'] = result.templateMetadata;
    if ('ephemeralMetadataAnnotation' in expected) {
      actual['ephemeralMetadataAnnotation'] = result.annotations?.[ARGO_KEYS.ephemeralMetadataAnnotation] ?? null;
    }
    return { actual };
  },
  parseExistingPodMetadata: (testCase) => {
    const annotations = input(testCase)['annotations'];
    const parsed = parseExistingPodMetadata(
      annotations === null || annotations === undefined ? undefined : (asRecord(annotations, 'input.annotations') as Record<string, string>),
    );
    return { actual: parsed ?? null };
  },
  'cli:promote': (testCase) => {
    const flags = asRecord(testCase['flags'] ?? {}, 'flags');
    const patches = promotePatches(cliRollout(input(testCase)), {
      full: flags['full'] === true,
      skipCurrentStep: flags['skipCurrent'] === true || flags['skipCurrentStep'] === true,
      skipAllSteps: flags['skipAll'] === true || flags['skipAllSteps'] === true,
    });
    return {
      actual: patchesAs(patches, 'fallbackUnifiedPatchIfStatusSubresource404', Object.keys(asRecord(testCase.expected, 'expected'))),
    };
  },
  'cli:abort': (testCase) => ({
    actual: patchesAs(abortPatches(), 'fallbackPatchIfStatusSubresource404', Object.keys(asRecord(testCase.expected, 'expected'))),
  }),
  'cli:retry': (testCase) => ({
    actual: patchesAs(retryPatches(), 'fallbackPatchIfStatusSubresource404', Object.keys(asRecord(testCase.expected, 'expected'))),
  }),
  'cli:pause': (testCase) => ({
    actual: patchesAs(pausePatches(), 'fallbackPatchIfStatusSubresource404', Object.keys(asRecord(testCase.expected, 'expected'))),
  }),
  'cli:restart': (testCase) => {
    // The vector's timestamp is a placeholder ("<now UTC (+in) RFC3339>"): the adapter runs the
    // command at a fixed clock, checks the value is that clock in RFC 3339 UTC, then shows the
    // placeholder in its place so the patch shape is compared as a whole.
    const patches = restartPatches(CLOCK_MS, 0);
    const restartAt = (patches.specPatch?.['spec'] as { restartAt?: string } | undefined)?.restartAt;
    const expectedSpec = asRecord(asRecord(asRecord(testCase.expected, 'expected')['specPatch'], 'expected.specPatch')['spec'], 'expected.specPatch.spec');
    const placeholder = expectedSpec['restartAt'];
    const timestampOk = restartAt !== undefined && RFC3339_UTC.test(restartAt) && Date.parse(restartAt) === CLOCK_MS;
    const shown =
      timestampOk && typeof placeholder === 'string' && placeholder.startsWith('<') ? placeholder : restartAt;
    return { actual: { specPatch: { spec: { restartAt: shown } } } };
  },
};
