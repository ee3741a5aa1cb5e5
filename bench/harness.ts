/**
 * Benchmark harness: interleaved timing of a candidate and its baselines in the same process,
 * warm-up runs, medians over repeats, and the figure format printed by `npm run bench`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { now } from './clock';

/** One reported figure: a measured value next to a baseline measured in the same run. */
export interface Figure {
  readonly name: string;
  readonly n: number;
  readonly value: number;
  readonly unit: string;
  readonly baseline: string;
  readonly baselineValue: number;
  /** value / baselineValue. */
  readonly ratio: number;
  /** Lowest and highest sample behind `value`, where a figure reports its spread. */
  readonly spread?: { readonly min: number; readonly max: number };
}

/** A figure plus what the human table shows next to it. */
export interface Reported {
  readonly figure: Figure;
  /** Samples behind each median ("5 reps, 1 warm-up"), or how the value was obtained. */
  readonly method: string;
  /** The issue's target, e.g. "ratio <= 1.5", or '' when the figure is informative only. */
  readonly target: string;
  /** Whether the target is met; undefined when there is no target. */
  readonly met?: boolean;
}

/** Something timed once per sample; `outdir` is a fresh empty directory for it. */
export interface Variant {
  readonly label: string;
  readonly run: (outdir: string) => void;
  /** Skip the warm-up rounds (for a slow baseline already warmed by a smaller n). */
  readonly skipWarmup?: boolean;
}

/** How many samples to take. */
export interface Schedule {
  readonly warmup: number;
  /** Measured rounds wanted (every variant runs once per round). */
  readonly repeats: number;
  /**
   * Wall-time budget of the measured rounds: stop early (after at least one round) when the next
   * round would exceed it. The repeats actually taken are reported with the figure.
   * @default - no budget
   */
  readonly budgetSeconds?: number;
  /**
   * Rounds taken whatever the budget says (a target figure): on a loaded machine a round takes
   * several times longer, and a budget that cuts a median of 7 rounds down to 4 or 2 makes the
   * figure least steady exactly when the machine is noisiest.
   * @default 1
   */
  readonly minRepeats?: number;
  /**
   * Runs per sample (each in its own fresh directory); the sample is their total divided by this.
   * Use it when one run is too short for the clock (a forced GC's background work, timer grain).
   * @default 1
   */
  readonly batch?: number;
}

/** Medians per variant label, and how many measured rounds they come from. */
export interface Timings {
  readonly medians: ReadonlyMap<string, number>;
  /** Every measured sample per variant label, in round order. */
  readonly samples: ReadonlyMap<string, readonly number[]>;
  readonly repeats: number;
  readonly warmup: number;
  readonly batch: number;
}

const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

/** Whether the process runs with --expose-gc (a GC before every sample reduces noise). */
export const HAS_GC = gc !== undefined;

export function median(xs: readonly number[]): number {
  if (xs.length === 0) {
    throw new Error('median of no samples');
  }
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-canary-bench-'));
}

/** Seconds taken by `fn` on the selected clock (GC first, outside the timing). */
export function timeOnce(fn: () => void): number {
  gc?.();
  const t0 = now();
  fn();
  return now() - t0;
}

/**
 * Times every variant `warmup + repeats` times, interleaved (A B C, B C A, C A B, ...) so that a
 * noisy neighbour hurts all variants alike; each sample gets a fresh empty output directory,
 * created and removed outside the timing. Returns the median per variant label.
 */
export function timeInterleaved(variants: readonly Variant[], schedule: Schedule): Timings {
  const samples = new Map<string, number[]>(variants.map((v) => [v.label, []]));
  const runRound = (round: number, warm: boolean) => {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(round + k) % variants.length];
      if (warm && v.skipWarmup) {
        continue;
      }
      const batch = schedule.batch ?? 1;
      const dirs = Array.from({ length: batch }, tempDir);
      try {
        const s = timeOnce(() => dirs.forEach((d) => v.run(d))) / batch;
        if (!warm) {
          samples.get(v.label)!.push(s);
        }
      } finally {
        dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
      }
    }
  };
  for (let round = 0; round < schedule.warmup; round++) {
    runRound(round, true);
  }
  const started = Date.now();
  let repeats = 0;
  while (repeats < schedule.repeats) {
    runRound(schedule.warmup + repeats, false);
    repeats++;
    const elapsed = (Date.now() - started) / 1000;
    if (repeats >= (schedule.minRepeats ?? 1) && schedule.budgetSeconds !== undefined && elapsed + elapsed / repeats > schedule.budgetSeconds) {
      break;
    }
  }
  return {
    medians: new Map([...samples].map(([label, xs]) => [label, median(xs)])),
    samples,
    repeats,
    warmup: schedule.warmup,
    batch: schedule.batch ?? 1,
  };
}

/**
 * Warm-up of a fast function before any timing: at least this many calls and this long, so that
 * V8 has optimised its hot paths (a whole simulation runs 3-5x slower in its first ~50 calls).
 */
const WARMUP_CALLS = 200;
const WARMUP_MS = 300;
/** ...but never longer than this (a slow function is warm long before 200 calls). */
const WARMUP_MAX_MS = 5000;

/**
 * Something timed per call. A plain function is called as it is; a `FreshCall` gets a new input
 * for every call, made by `make` outside the timing (so that nothing one call leaves behind, e.g.
 * a memo keyed by its input, can make the next call cheaper).
 */
export type Timed = (() => unknown) | FreshCall<unknown>;

/** A function timed on a fresh input per call. */
export interface FreshCall<T> {
  make(): T;
  // method syntax: a FreshCall<Model> is a Timed (parameters of methods are bivariant)
  run(input: T): unknown;
}

/** The batch size that makes one timed batch of `fn` last at least `batchMs` (found by doubling). */
function batchSizeFor(fn: Timed, batchMs: number): number {
  let batch = 1;
  while (timeBatch(fn, batch) * 1000 < batchMs) {
    batch *= 2;
  }
  return batch;
}

/** Runs `fn` at least `WARMUP_CALLS` times and `WARMUP_MS` long, at most `WARMUP_MAX_MS` (JIT warm-up; nothing is recorded). */
function warmUp(fn: Timed): void {
  let spent = 0;
  for (let calls = 0; (calls < WARMUP_CALLS || spent * 1000 < WARMUP_MS) && spent * 1000 < WARMUP_MAX_MS; calls++) {
    spent += timeBatch(fn, 1);
  }
}

/**
 * Per-call time of a fast function: after a warm-up (200 calls and 300 ms at least), each sample runs `fn` in
 * a batch long enough (>= `batchMs`) for the clock; returns the median seconds per call.
 */
export function timePerCall(fn: Timed, samples: number, batchMs = 20): number {
  warmUp(fn);
  const batch = batchSizeFor(fn, batchMs);
  const perCall: number[] = [];
  for (let i = 0; i < samples; i++) {
    perCall.push(timeBatch(fn, batch) / batch);
  }
  return median(perCall);
}

/**
 * Interleaves per-call timings of two functions (candidate and baseline) to share the noise:
 * both are warmed up first, then each sample times one batch of `a` and one of `b` (batches of
 * >= 20 ms each, alternating which goes first; no forced GC, whose background sweeping would be
 * charged to the next batch on the CPU clock); returns the medians.
 */
export function timePerCallPair(a: Timed, b: Timed, samples: number, batchMs = 20): [number, number] {
  warmUp(a);
  warmUp(b);
  const batchA = batchSizeFor(a, batchMs);
  const batchB = batchSizeFor(b, batchMs);
  const as: number[] = [];
  const bs: number[] = [];
  const sampleA = () => {
    as.push(timeBatch(a, batchA) / batchA);
  };
  const sampleB = () => {
    bs.push(timeBatch(b, batchB) / batchB);
  };
  for (let i = 0; i < samples; i++) {
    if (i % 2 === 0) {
      sampleA();
      sampleB();
    } else {
      sampleB();
      sampleA();
    }
  }
  return [median(as), median(bs)];
}

/** Seconds for `batch` calls of `fn` (fresh inputs are made before the clock starts). */
function timeBatch(fn: Timed, batch: number): number {
  let sink: unknown;
  if (typeof fn === 'function') {
    const t0 = now();
    for (let i = 0; i < batch; i++) {
      sink = fn();
    }
    const s = now() - t0;
    keep(sink);
    return s;
  }
  const inputs = Array.from({ length: batch }, () => fn.make());
  const t0 = now();
  for (let i = 0; i < batch; i++) {
    sink = fn.run(inputs[i]);
  }
  const s = now() - t0;
  keep(sink);
  return s;
}

/** Keeps a result observable so the timed calls cannot be optimised away. */
function keep(sink: unknown): void {
  if (sink === Symbol.for('never')) {
    console.error('unreachable');
  }
}

/** Rounds to 4 significant digits (enough for noisy timings, short JSON). */
export function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(4)) : x;
}

/** Builds a figure; the ratio is computed from the unrounded values. */
export function figure(
  name: string,
  n: number,
  value: number,
  unit: string,
  baseline: string,
  baselineValue: number,
): Figure {
  return {
    name,
    n,
    value: round(value),
    unit,
    baseline,
    baselineValue: round(baselineValue),
    ratio: round(value / baselineValue),
  };
}

/** A figure with its method and an optional upper-bound target on the ratio or the value. */
export function report(
  f: Figure,
  method: string,
  target?: { readonly maxRatio?: number; readonly maxValue?: number },
): Reported {
  if (target?.maxRatio !== undefined) {
    return { figure: f, method, target: `ratio <= ${target.maxRatio}`, met: f.ratio <= target.maxRatio };
  }
  if (target?.maxValue !== undefined) {
    return { figure: f, method, target: `value <= ${target.maxValue} ${f.unit}`, met: f.value <= target.maxValue };
  }
  return { figure: f, method, target: '' };
}

/** "median of r, w warm-up" label for the table. */
export function methodOf(t: Timings, extra = ''): string {
  const batch = t.batch > 1 ? ` (each sample = mean of ${t.batch} runs)` : '';
  return `median of ${t.repeats}${batch}, ${t.warmup} warm-up${extra ? `, ${extra}` : ''}`;
}
