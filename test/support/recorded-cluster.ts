import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/io';
import type { KubeConnector } from '../../src/cli/kube-live';
import type { LiveObjects } from '../../src/runtime/live-objects';
import { REPO_ROOT } from './paths';

/** A live state recorded from the e2e cluster (test/e2e/support/record-live.ts): when, and what was read. */
export interface RecordedState {
  /** Epoch seconds of the read. */
  readonly at: number;
  readonly objects: LiveObjects;
}

/** Reads a recorded state; `file` is relative to the repository. */
export function readRecordedState(file: string): RecordedState {
  return JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8')) as RecordedState;
}

/**
 * A cluster that serves recorded states, one read after another (the last one again and again),
 * and its clock: it starts at the first state's time, a read moves it to that state's time (never
 * back), a sleep moves it on. For the `status` command's tests and the documented examples.
 */
export class RecordedCluster {
  reads = 0;
  readonly sleeps: number[] = [];
  readonly asked: string[] = [];
  private t: number;

  constructor(
    private readonly states: readonly RecordedState[],
    private readonly defaultNamespace = 'default',
  ) {
    this.t = states[0].at * 1000;
  }

  readonly clock: NonNullable<CliIo['clock']> = {
    now: () => this.t,
    sleep: async (ms: number) => {
      this.sleeps.push(ms);
      this.t += ms;
    },
  };

  readonly kube: KubeConnector = async () => ({
    server: 'https://recorded:6443',
    defaultNamespace: this.defaultNamespace,
    read: async (namespace: string, name: string) => {
      this.asked.push(`${namespace}/${name}`);
      const state = this.states[Math.min(this.reads++, this.states.length - 1)];
      this.t = Math.max(this.t, state.at * 1000);
      return state.objects;
    },
  });
}
