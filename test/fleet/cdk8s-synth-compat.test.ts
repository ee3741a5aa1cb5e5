/**
 * A fleet program works under `cdk8s synth` like any cdk8s app: the CLI's output directory
 * (CDK8S_OUTDIR) receives one file per app, equal to synthesizing each app with cdk8s, and
 * construct-metadata.json is written when the CLI asks for it.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { expect, test } from 'vitest';
import { readDir, useTempDirs } from './temp-dirs';
import { addCanaryApp } from '../../bench/fixtures/canary-app-fleet';
import { FLEET_APP_NAMES } from './fixtures/fleet-app';

const ROOT = path.resolve(__dirname, '..', '..');
const tempDir = useTempDirs('fleet-cli-test');

test('cdk8s synth runs a CanaryFleet program and gets the same files as cdk8s chart per app', () => {
  // GIVEN the cdk8s CLI pointed at the fleet program
  const out = path.join(tempDir(), 'dist');
  const res = spawnSync(
    process.execPath,
    [
      'node_modules/cdk8s-cli/bin/cdk8s',
      'synth',
      '--no-check-upgrade',
      '--output',
      out,
      '--app',
      'node -r tsx/cjs test/fleet/fixtures/fleet-app.ts',
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  // THEN it succeeds and lists the app files
  expect(res.status, res.stderr).toBe(0);
  for (const name of FLEET_APP_NAMES) {
    expect(res.stdout).toContain(`${name}.k8s.yaml`);
  }
  // AND the files are what cdk8s writes for one App with a chart per app
  const expectedDir = tempDir();
  const app = new App({ outdir: expectedDir, recordConstructMetadata: false });
  for (const name of FLEET_APP_NAMES) {
    addCanaryApp(new Chart(app, name), name);
  }
  app.synth();
  expect(readDir(out)).toEqual(readDir(expectedDir));
});
