import { Option, type Command } from 'commander';
import { DEFAULT_STALL_GRACE_SECONDS, liveStatus, UNTIL_TARGETS, untilOutcome, type LiveStatus, type UntilTarget } from '../../runtime/live-status';
import type { LiveObjects } from '../../runtime/live-objects';
import { ManifestError } from '../../model/manifests';
import { parsePauseDurationSeconds } from '../../model/pause-duration';
import { formatStatusLine, formatStatusTable, statusJson } from '../format/status-view';
import type { CliIo } from '../io';
import { KubeReadError, nodeKubeConnector, type LiveSource } from '../kube-live';
import { UsageError } from '../usage-error';

/** Exit codes of `status` (docs/status.md#exit-codes; 0, 1 and 2 mean what they mean for every command). */
export const STATUS_EXIT = { ok: 0, divergence: 1, usage: 2, aborted: 3, timeout: 4 } as const;

interface StatusCommandOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly format: 'table' | 'json';
  readonly watch?: boolean;
  readonly until?: UntilTarget;
  readonly timeout?: string;
  readonly interval: string;
  readonly grace: string;
  readonly podReadySeconds: string;
}

const HELP = `
Reads (get and list only) the Rollout, its ReplicaSets, Services, VirtualServices, DestinationRule,
HPA, PDBs and AnalysisRuns; shows where it is, what comes next and when, and what diverges.
Exit codes: 0 ok (--until: reached), 1 a divergence or stall (--until: one that lasted --grace),
2 bad usage or the cluster cannot be read (unreachable, no such Rollout, forbidden, CRDs missing),
3 --until: aborted or Degraded first, 4 --until: --timeout passed.
`;

/** Registers `cdk8s-canary status`. */
export function registerStatus(program: Command, setExitCode: (code: number) => void, io: CliIo): void {
  program
    .command('status')
    .description('Where a live Rollout is, what comes next and when, and what diverges from the model (read-only)')
    .argument('<rollout>', 'NAME (in the context\'s namespace) or NAMESPACE/NAME')
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: the current one)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--watch', 'keep reading: redraw in place on a terminal, one line (or JSON document) per change otherwise')
    .addOption(new Option('--until <state>', 'wait until the Rollout is in this state').choices([...UNTIL_TARGETS]))
    .option('--timeout <duration>', 'give up waiting after this long (--until: default 10m; --watch: none)')
    .option('--interval <seconds>', 'seconds between reads while waiting or watching', '2')
    .option('--grace <seconds>', 'seconds of no progress past the model\'s expectation before a stall, and that a divergence must last to fail --until', String(DEFAULT_STALL_GRACE_SECONDS))
    .option('--pod-ready-seconds <seconds>', 'seconds from pod creation to readiness the forecast assumes', '0')
    .addHelpText('after', HELP)
    .action(async (rollout: string, options: StatusCommandOptions) => {
      setExitCode(await runStatus(io, rollout, options));
    });
}

/** Parsed numeric options. */
interface Settings {
  readonly interval: number;
  readonly grace: number;
  readonly podReadySeconds: number;
  readonly timeout?: number;
}

function settings(options: StatusCommandOptions): Settings {
  const seconds = (flag: string, value: string, min: number): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min) throw new UsageError(`${flag} (${JSON.stringify(value)}) must be a number of seconds >= ${min}`);
    return n;
  };
  let timeout: number | undefined;
  const text = options.timeout ?? (options.until ? '10m' : undefined);
  if (text !== undefined) {
    try {
      timeout = parsePauseDurationSeconds(text, '--timeout');
    } catch (err) {
      throw new UsageError((err as Error).message.replace(' or a duration string', ' or a duration such as "90s", "10m" or "1h"').replace(/ such as "30s", "5m" or "1h"$/, ''));
    }
    if (timeout <= 0) throw new UsageError(`--timeout (${JSON.stringify(text)}) must be longer than 0 s`);
  }
  return {
    interval: seconds('--interval', options.interval, 0.1),
    grace: seconds('--grace', options.grace, 0),
    podReadySeconds: seconds('--pod-ready-seconds', options.podReadySeconds, 0),
    ...(timeout !== undefined ? { timeout } : {}),
  };
}

/** `status`: connects, reads and judges once, or waits / watches; returns the exit code. */
async function runStatus(io: CliIo, target: string, options: StatusCommandOptions): Promise<number> {
  const set = settings(options);
  const parts = target.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) throw new UsageError(`rollout (${JSON.stringify(target)}) must be NAME or NAMESPACE/NAME`);
  const source = await orUsage(() => (io.kube ?? nodeKubeConnector)({ kubeconfig: options.kubeconfig, context: options.context }));
  const namespace = parts.length === 2 ? parts[0] : source.defaultNamespace;
  const name = parts.at(-1)!;
  const session = new StatusSession(io, source, namespace, name, set);
  if (!options.watch && !options.until) return session.once(options.format);
  return session.loop(options.format, options.watch === true, options.until);
}

async function orUsage<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof KubeReadError || err instanceof ManifestError) throw new UsageError(err.message);
    throw err;
  }
}

const REAL_CLOCK = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/** Seconds between the two reads of a one-shot `status` that found a divergence (a write in flight passes). */
const CONFIRM_SECONDS = 2;

/** Reads, judges and prints one Rollout, keeping what a judgement needs across reads. */
class StatusSession {
  private readonly clock: NonNullable<CliIo['clock']>;
  private lastVersions: string | undefined;
  private lastChangeAt: number | undefined;
  /** When each divergence (rule + object) was first seen in the current run of reads that show it. */
  private readonly firstSeen = new Map<string, number>();

  constructor(
    private readonly io: CliIo,
    private readonly source: LiveSource,
    private readonly namespace: string,
    private readonly name: string,
    private readonly set: Settings,
  ) {
    this.clock = io.clock ?? REAL_CLOCK;
  }

  private async judge(): Promise<LiveStatus> {
    const objects = await orUsage(() => this.source.read(this.namespace, this.name));
    const now = this.clock.now() / 1000;
    const versions = resourceVersions(objects);
    if (this.lastVersions !== undefined && versions !== this.lastVersions) this.lastChangeAt = now;
    this.lastVersions = versions;
    const status = await orUsage(async () =>
      liveStatus(objects, { now, podReadySeconds: this.set.podReadySeconds, stallGraceSeconds: this.set.grace, ...(this.lastChangeAt !== undefined ? { lastChangeAt: this.lastChangeAt } : {}) }),
    );
    const seen = new Set(status.divergences.map(divergenceKey));
    for (const key of [...this.firstSeen.keys()]) if (!seen.has(key)) this.firstSeen.delete(key);
    for (const key of seen) if (!this.firstSeen.has(key)) this.firstSeen.set(key, now);
    return status;
  }

  /** One read; a divergence is read again after a moment and kept only if it is still there. */
  async once(format: 'table' | 'json'): Promise<number> {
    let status = await this.judge();
    if (status.divergences.some((d) => d.rule !== 'stall')) {
      await this.clock.sleep(CONFIRM_SECONDS * 1000);
      const first = new Set(status.divergences.map(divergenceKey));
      const again = await this.judge();
      status = { ...again, divergences: again.divergences.filter((d) => d.rule === 'stall' || first.has(divergenceKey(d))) };
    }
    this.print(format, status);
    return status.divergences.length > 0 ? STATUS_EXIT.divergence : STATUS_EXIT.ok;
  }

  /** `--watch` and/or `--until`: reads every --interval until the state is reached, fails, or --timeout passes. */
  async loop(format: 'table' | 'json', watch: boolean, until: UntilTarget | undefined): Promise<number> {
    const start = this.clock.now() / 1000;
    const tty = this.io.stdoutIsTty ?? process.stdout.isTTY === true;
    let lastShown: string | undefined;
    for (;;) {
      const status = await this.judge();
      if (watch) lastShown = this.show(format, status, tty, lastShown);
      const verdict = until ? this.verdict(status, until) : undefined;
      const timedOut = this.set.timeout !== undefined && status.at - start >= this.set.timeout;
      if (verdict || timedOut) {
        if (!watch) this.print(format, status);
        if (verdict) {
          this.io.stderr(`cdk8s-canary: ${verdict.message}\n`);
          return verdict.code;
        }
        if (!until) return STATUS_EXIT.ok;
        this.io.stderr(`cdk8s-canary: timed out after ${this.set.timeout} s waiting for ${until} (now ${status.now.phase || 'no phase'})\n`);
        return STATUS_EXIT.timeout;
      }
      await this.clock.sleep(this.set.interval * 1000);
    }
  }

  /** The end of a wait, if this state is one. */
  private verdict(status: LiveStatus, until: UntilTarget): { code: number; message: string } | undefined {
    const outcome = untilOutcome(status, until);
    if (outcome.outcome === 'reached') return { code: STATUS_EXIT.ok, message: `${status.rollout} is ${until}` };
    if (outcome.outcome === 'failed') return { code: STATUS_EXIT.aborted, message: `${status.rollout}: ${outcome.reason ?? 'failed'}` };
    const lasting = status.divergences.find((d) => d.rule === 'stall' || status.at - (this.firstSeen.get(divergenceKey(d)) ?? status.at) >= this.set.grace);
    if (lasting) return { code: STATUS_EXIT.divergence, message: `${status.rollout}: ${lasting.rule} ${lasting.object}: ${lasting.message} (fix: ${lasting.fix})` };
    return undefined;
  }

  private print(format: 'table' | 'json', status: LiveStatus): void {
    this.io.stdout(format === 'json' ? `${JSON.stringify(statusJson(status), null, 2)}\n` : formatStatusTable(status));
  }

  /**
   * `--watch` output: on a terminal the table redrawn in place (cursor home, clear screen) at every
   * read, since countdowns move; otherwise (and with --format json) one line, or one JSON document, per change.
   */
  private show(format: 'table' | 'json', status: LiveStatus, tty: boolean, lastShown: string | undefined): string {
    if (tty && format === 'table') {
      this.io.stdout(`\x1b[H\x1b[2J${formatStatusTable(status)}`);
      return '';
    }
    // A change: anything the one-line summary shows but its time and the forecast, which move with the clock.
    const line = formatStatusLine(status);
    const key = line.slice(line.indexOf(' ') + 1).replace(/ {2}done ~\S+/, '');
    if (key !== lastShown) this.io.stdout(format === 'json' ? `${JSON.stringify(statusJson(status))}\n` : line);
    return key;
  }
}

function divergenceKey(d: { rule: string; object: string }): string {
  return `${d.rule} ${d.object}`;
}

/**
 * The resourceVersions of what the controller writes (the Rollout, the ReplicaSets, Services and
 * VirtualServices): a change to any of them is progress seen by the caller. HPAs and AnalysisRuns
 * are left out, their own controllers write them on their own schedule.
 */
export function resourceVersions(o: LiveObjects): string {
  const all = [o.rollout, ...o.replicaSets, ...o.services, ...o.virtualServices, ...o.destinationRules];
  return all.map((x) => String((x.metadata as Record<string, unknown> | undefined)?.resourceVersion ?? '')).join(',');
}
