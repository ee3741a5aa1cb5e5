/**
 * The ways to synthesize N apps with cdk8s that the bench compares: the article's objects as raw
 * `ApiObject`s or as `CanaryApp`s, with one chart per app in one App (cdk8s's quadratic path), all
 * in one chart, or through `CanaryFleet`.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { articleAppObjects } from '../fixtures/article-app';
import { addCanaryApp } from '../fixtures/canary-app-fleet';
import { CanaryFleet } from '../../src/fleet';

/** Adds the app's 8 objects to `scope` as raw ApiObjects (construct id = object name). */
export function addRawApp(scope: Construct, name: string): void {
  for (const o of articleAppObjects(name)) {
    new ApiObject(scope, o.metadata.name, o);
  }
}

/** One App, one Chart per app, `app.synth()`: one file per app (cdk8s's quadratic path). */
export function synthRawChartPerApp(outdir: string, names: readonly string[]): void {
  const app = new App({ outdir, recordConstructMetadata: false });
  for (const name of names) {
    addRawApp(new Chart(app, name), name);
  }
  app.synth();
}

/** One App, all apps' objects in ONE chart: a single file (linear, but not one file per app). */
export function synthRawOneChart(outdir: string, names: readonly string[]): void {
  const app = new App({ outdir, recordConstructMetadata: false });
  const chart = new Chart(app, 'fleet');
  for (const name of names) {
    addRawApp(new Construct(chart, name), name);
  }
  app.synth();
}

/** The fleet API over raw ApiObjects: one file per app, one cdk8s App per app. */
export function synthRawFleet(outdir: string, names: readonly string[]): void {
  const fleet = new CanaryFleet({ outdir, recordConstructMetadata: false });
  for (const name of names) {
    fleet.addApp(name, (chart) => addRawApp(chart, name));
  }
  fleet.synth();
}

/** The fleet API over CanaryApps (the product path): one file per app, one cdk8s App per app. */
export function synthCanaryFleet(outdir: string, names: readonly string[]): void {
  const fleet = new CanaryFleet({ outdir, recordConstructMetadata: false });
  for (const name of names) {
    fleet.addApp(name, (chart) => addCanaryApp(chart, name));
  }
  fleet.synth();
}

/** One CanaryApp per chart in ONE App, `app.synth()` (what main.ts-style code does today). */
export function synthCanaryChartPerApp(outdir: string, names: readonly string[]): void {
  const app = new App({ outdir, recordConstructMetadata: false });
  for (const name of names) {
    addCanaryApp(new Chart(app, name), name);
  }
  app.synth();
}

/** One app alone in its own App and Chart (`app.synth()`), as `cdk8s synth` of one app does. */
export function synthRawSingle(outdir: string, name: string): void {
  synthRawChartPerApp(outdir, [name]);
}
