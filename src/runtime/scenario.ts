import { INT32_MAX } from '../model/int32';
import { isPlainObject } from '../model/records';
import { ANALYSIS_VERDICTS, type AnalysisVerdictPhase } from './analysis-runs';

/**
 * The `simulate` scenario (its YAML is described in docs/cli.md): what happens to the cluster and when. Plain data, read
 * from YAML/JSON by the CLI and checked here with errors that name the field and the value.
 */

/** `update`: a new pod template revision (a new image, or the same spec with a new revision marker). */
export interface UpdateEvent {
  /** Image of the first container. @default - the current image (the template still changes) */
  readonly image?: string;
}

/** `scale`: an HPA (or a person) changes `spec.replicas`. */
export interface ScaleEvent {
  /**
   * The new `spec.replicas`.
   */
  readonly replicas: number;
}

/** `failPods`: pods of one revision stop being available, then are replaced. */
export interface FailPodsEvent {
  /** Revision number in the trace (1, 2, 3...). */
  readonly revision: number;
  /** How many available pods fail (fewer if fewer are available). */
  readonly count: number;
  /** Seconds until a failed pod is available again. @default - podReadySeconds + minReadySeconds (a replacement pod) */
  readonly seconds?: number;
}

/**
 * `analysis`: how an AnalysisRun ends (analysis-runs.ts). The first run still running at or after
 * `at` takes the verdict: `Failed`/`Error` abort the rollout, `Inconclusive` pauses it
 * (`InconclusiveAnalysisRun`), `Successful` completes a step run. Without a verdict a step run
 * succeeds at once and a background run keeps running.
 */
export interface AnalysisEvent {
  /**
   * The verdict: `Successful`, `Failed`, `Error` or `Inconclusive`.
   */
  readonly phase: AnalysisVerdictPhase;
  /** The run's `status.message`. @default - `Metric assessed <phase> (scenario)` */
  readonly message?: string;
  /** Only a run of this type takes the verdict. @default - the step run if one is running, else the background run */
  readonly run?: 'background' | 'step';
}

/** `restart`: `kubectl argo rollouts restart [--in D]` sets `spec.restartAt` to now + D. */
export interface RestartEvent {
  /** Seconds until the restart (`--in`). @default 0 */
  readonly in?: number;
}

/** One scenario event: `at` plus exactly one action. */
export interface ScenarioEvent {
  /** Seconds from the start. */
  readonly at: number;
  /**
   * A new pod template (`update`).
   * @default - unset
   */
  readonly update?: UpdateEvent;
  /**
   * `kubectl argo rollouts promote`.
   * @default - unset
   */
  readonly promote?: Record<string, never>;
  /**
   * `kubectl argo rollouts promote --full`.
   * @default - unset
   */
  readonly promoteFull?: Record<string, never>;
  /**
   * `kubectl argo rollouts abort`.
   * @default - unset
   */
  readonly abort?: Record<string, never>;
  /**
   * `kubectl argo rollouts retry rollout`.
   * @default - unset
   */
  readonly retry?: Record<string, never>;
  /**
   * `kubectl argo rollouts pause` (sets `spec.paused`; `promote` clears it).
   * @default - unset
   */
  readonly pause?: Record<string, never>;
  /**
   * `spec.replicas` changes (`scale`).
   * @default - unset
   */
  readonly scale?: ScaleEvent;
  /**
   * Pods stop being available (`failPods`).
   * @default - unset
   */
  readonly failPods?: FailPodsEvent;
  /**
   * An AnalysisRun ends (`analysis`).
   * @default - unset
   */
  readonly analysis?: AnalysisEvent;
  /**
   * `kubectl argo rollouts restart` (`restart`).
   * @default - unset
   */
  readonly restart?: RestartEvent;
}

/** A simulation scenario. */
export interface Scenario {
  /** `spec.replicas` to simulate. @default - the Rollout's spec.replicas, else the HPA's minReplicas, else 1 */
  readonly replicas?: number;
  /** Seconds from pod creation to readiness; `minReadySeconds` is added for availability. @default 0 */
  readonly podReadySeconds?: number;
  /**
   * Events, applied in time order (list order on ties).
   * @default - none
   */
  readonly events?: readonly ScenarioEvent[];
  /** Last time (seconds) simulated. @default - until nothing is left to happen (capped at 24 h) */
  readonly until?: number;
}

/** The action keys of a scenario event. */
export const EVENT_KINDS = ['update', 'promote', 'promoteFull', 'abort', 'retry', 'pause', 'scale', 'failPods', 'analysis', 'restart'] as const;

/** A scenario problem, naming the field and the value. */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

function number(value: unknown, field: string, opts: { integer?: boolean; min?: number; max?: number; optional?: boolean }): number | undefined {
  if (value === undefined && opts.optional) return undefined;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!opts.integer || Number.isInteger(value)) &&
    (opts.min === undefined || value >= opts.min);
  if (ok && opts.max !== undefined && (value as number) > opts.max) {
    throw new ScenarioError(`${field} (${JSON.stringify(value)}) must be at most ${opts.max} (spec.replicas is an int32 in the Rollout CRD)`);
  }
  if (!ok) {
    const what = `${opts.integer ? 'an integer' : 'a number'}${opts.min !== undefined ? ` >= ${opts.min}` : ''}`;
    throw new ScenarioError(`${field} (${JSON.stringify(value ?? null)}) must be ${what}`);
  }
  return value as number;
}

/** Checks a parsed scenario (YAML/JSON) and returns it typed; throws `ScenarioError` on the first problem. */
export function parseScenario(value: unknown): Scenario {
  if (!isPlainObject(value)) {
    throw new ScenarioError(`scenario (${JSON.stringify(value ?? null)}) must be an object with replicas, podReadySeconds, events, until`);
  }
  const known = ['replicas', 'podReadySeconds', 'events', 'until'];
  const unknown = Object.keys(value).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new ScenarioError(`scenario.${unknown[0]} is not a scenario field (valid: ${known.join(', ')})`);
  }
  const replicas = number(value.replicas, 'scenario.replicas', { integer: true, min: 0, max: INT32_MAX, optional: true });
  const podReadySeconds = number(value.podReadySeconds, 'scenario.podReadySeconds', { min: 0, optional: true });
  const until = number(value.until, 'scenario.until', { min: 0, optional: true });
  const rawEvents = value.events ?? [];
  if (!Array.isArray(rawEvents)) {
    throw new ScenarioError(`scenario.events (${JSON.stringify(rawEvents)}) must be a list of events`);
  }
  const events = rawEvents.map((raw, i) => parseEvent(raw, `scenario.events[${i}]`));
  return {
    ...(replicas !== undefined ? { replicas } : {}),
    ...(podReadySeconds !== undefined ? { podReadySeconds } : {}),
    events,
    ...(until !== undefined ? { until } : {}),
  };
}

function parseEvent(raw: unknown, path: string): ScenarioEvent {
  if (!isPlainObject(raw)) throw new ScenarioError(`${path} (${JSON.stringify(raw ?? null)}) must be an object such as {at: 30, promote: {}}`);
  const at = number(raw.at, `${path}.at`, { min: 0 }) as number;
  const kinds = Object.keys(raw).filter((k) => k !== 'at');
  const valid = EVENT_KINDS as readonly string[];
  if (kinds.length !== 1 || !valid.includes(kinds[0])) {
    throw new ScenarioError(
      `${path} (${JSON.stringify(raw)}) must have "at" and exactly one of: ${EVENT_KINDS.join(', ')}`,
    );
  }
  const kind = kinds[0] as (typeof EVENT_KINDS)[number];
  const body = raw[kind] ?? {};
  if (!isPlainObject(body)) throw new ScenarioError(`${path}.${kind} (${JSON.stringify(body)}) must be an object`);
  switch (kind) {
    case 'update': {
      const image = body.image;
      if (image !== undefined && (typeof image !== 'string' || image === '')) {
        throw new ScenarioError(`${path}.update.image (${JSON.stringify(image)}) must be a non-empty string`);
      }
      return { at, update: image !== undefined ? { image } : {} };
    }
    case 'scale':
      return { at, scale: { replicas: number(body.replicas, `${path}.scale.replicas`, { integer: true, min: 0, max: INT32_MAX }) as number } };
    case 'failPods': {
      const revision = number(body.revision, `${path}.failPods.revision`, { integer: true, min: 1 }) as number;
      const count = number(body.count, `${path}.failPods.count`, { integer: true, min: 1 }) as number;
      const seconds = number(body.seconds, `${path}.failPods.seconds`, { min: 0, optional: true });
      return { at, failPods: { revision, count, ...(seconds !== undefined ? { seconds } : {}) } };
    }
    case 'analysis':
      return { at, analysis: parseAnalysisEvent(body, `${path}.analysis`) };
    case 'restart': {
      const extra = Object.keys(body).find((k) => k !== 'in');
      if (extra !== undefined) throw new ScenarioError(`${path}.restart.${extra} is not a restart field (valid: in)`);
      const delay = number(body.in, `${path}.restart.in`, { min: 0, optional: true });
      return { at, restart: delay !== undefined ? { in: delay } : {} };
    }
    default:
      return { at, [kind]: {} } as ScenarioEvent;
  }
}

function parseAnalysisEvent(body: Record<string, unknown>, path: string): AnalysisEvent {
  const unknown = Object.keys(body).filter((k) => !['phase', 'message', 'run'].includes(k));
  if (unknown.length > 0) throw new ScenarioError(`${path}.${unknown[0]} is not an analysis field (valid: phase, message, run)`);
  const phase = body.phase;
  if (!ANALYSIS_VERDICTS.includes(phase as AnalysisVerdictPhase)) {
    throw new ScenarioError(`${path}.phase (${JSON.stringify(phase ?? null)}) must be one of ${ANALYSIS_VERDICTS.join(', ')}`);
  }
  const message = body.message;
  if (message !== undefined && (typeof message !== 'string' || message === '')) {
    throw new ScenarioError(`${path}.message (${JSON.stringify(message)}) must be a non-empty string`);
  }
  const run = body.run;
  if (run !== undefined && run !== 'background' && run !== 'step') {
    throw new ScenarioError(`${path}.run (${JSON.stringify(run)}) must be "background" or "step"`);
  }
  return {
    phase: phase as AnalysisVerdictPhase,
    ...(message !== undefined ? { message: message as string } : {}),
    ...(run !== undefined ? { run: run as 'background' | 'step' } : {}),
  };
}
