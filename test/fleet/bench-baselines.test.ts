/**
 * The benchmark compares like with like: its plain-YAML "limit" writes exactly the bytes cdk8s
 * writes for the same objects, and every cdk8s variant writes the same files.
 */
import { expect, test } from 'vitest';
import { readDir, useTempDirs } from './temp-dirs';
import { writePlainYamlFleet } from '../../bench/baselines/plain-yaml';
import { synthCanaryFleet, synthRawChartPerApp, synthRawFleet } from '../../bench/baselines/cdk8s-synth';
import { articleAppObjects, fleetAppName } from '../../bench/fixtures/article-app';

const tempDir = useTempDirs('bench-baseline-test');

const NAMES = [0, 1, 2].map(fleetAppName);

test('the article fixture has the 8 objects of one app with the article names', () => {
  const objects = articleAppObjects('my-app');
  expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
    'Deployment/my-app-dep',
    'Service/my-app-svc',
    'Service/my-app-canary-svc',
    'VirtualService/my-app-vs',
    'Rollout/my-app-rollout',
    'HorizontalPodAutoscaler/my-app-hpa',
    'PodDisruptionBudget/my-app-stable-pdb',
    'PodDisruptionBudget/my-app-canary-pdb',
  ]);
});

test('the plain-YAML limit writes the same bytes as cdk8s (chart per app) for the same objects', () => {
  const plain = tempDir();
  const cdk8s = tempDir();
  writePlainYamlFleet(plain, NAMES);
  synthRawChartPerApp(cdk8s, NAMES);
  const expected = readDir(cdk8s);
  expect(Object.keys(expected)).toEqual(NAMES.map((n) => `${n}.k8s.yaml`));
  expect(readDir(plain)).toEqual(expected);
});

test('the fleet of raw ApiObjects writes the same files as cdk8s chart per app', () => {
  const fleet = tempDir();
  const cdk8s = tempDir();
  synthRawFleet(fleet, NAMES);
  synthRawChartPerApp(cdk8s, NAMES);
  expect(readDir(fleet)).toEqual(readDir(cdk8s));
});

test('the article fixture is exactly what CanaryApp renders: a fleet of CanaryApps writes the plain-YAML bytes', () => {
  const plain = tempDir();
  const canary = tempDir();
  writePlainYamlFleet(plain, NAMES);
  synthCanaryFleet(canary, NAMES);
  expect(readDir(canary)).toEqual(readDir(plain));
});
