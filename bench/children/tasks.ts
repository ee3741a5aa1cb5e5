/** Tasks a child process can run once for a peak-memory figure (outdir exists and is empty). */
import { synthCanaryFleet, synthRawFleet } from '../baselines/cdk8s-synth';
import { writePlainYamlFleet } from '../baselines/plain-yaml';
import { fleetAppName } from '../fixtures/article-app';
import { fleetTexts, lintTexts, parseTexts } from '../fixtures/fleet-texts';

const names = (n: number) => Array.from({ length: n }, (_, i) => fleetAppName(i));

export const CHILD_TASKS: Readonly<Record<string, (outdir: string, n: number) => void>> = {
  'plain-yaml': (dir, n) => writePlainYamlFleet(dir, names(n)),
  'canary-fleet': (dir, n) => synthCanaryFleet(dir, names(n)),
  'raw-fleet': (dir, n) => synthRawFleet(dir, names(n)),
  'yaml-parse': (_dir, n) => void parseTexts(fleetTexts(n)),
  lint: (_dir, n) => void lintTexts(fleetTexts(n)),
};
