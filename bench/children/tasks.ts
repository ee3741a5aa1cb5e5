/**
 * Tasks a child process can run once. Each is `(outdir, n) => work`: the outer call prepares the
 * input (not timed), `work()` is the timed part. `outdir` exists and is empty.
 */
import { synthCanaryFleet } from '../baselines/cdk8s-synth';
import { writePlainYamlFleet } from '../baselines/plain-yaml';
import { fleetAppName } from '../fixtures/article-app';
import { fleetTexts, lintTexts, parseTexts } from '../fixtures/fleet-texts';
import { readLargeManifest } from '../fixtures/large-manifest';

const names = (n: number) => Array.from({ length: n }, (_, i) => fleetAppName(i));

export const CHILD_TASKS: Readonly<Record<string, (outdir: string, n: number) => () => void>> = {
  'plain-yaml': (dir, n) => {
    const apps = names(n);
    return () => writePlainYamlFleet(dir, apps);
  },
  'canary-fleet': (dir, n) => {
    const apps = names(n);
    return () => synthCanaryFleet(dir, apps);
  },
  'yaml-parse': (_dir, n) => {
    const texts = fleetTexts(n);
    return () => void parseTexts(texts);
  },
  lint: (_dir, n) => {
    const texts = fleetTexts(n);
    return () => void lintTexts(texts);
  },
  // n = megabytes: the one large file the suite wrote (reading it is not timed)
  'yaml-parse-large': (_dir, n) => {
    const texts = [readLargeManifest(n)];
    return () => void parseTexts(texts);
  },
  'lint-large': (_dir, n) => {
    const texts = [readLargeManifest(n)];
    return () => void lintTexts(texts);
  },
};
