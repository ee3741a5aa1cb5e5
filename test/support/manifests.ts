/** Small helpers to synthesize charts and pick objects out of the result. */
import { App, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';

/** A rendered Kubernetes object. */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: any };

/** Builds into a fresh chart and returns its objects (validations run, as in `cdk8s synth`). */
export function synth(build: (chart: Chart) => void, chartProps?: { namespace?: string }): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', chartProps);
  build(chart);
  return Testing.synth(chart) as Manifest[];
}

/** The one object of `kind` (and `name`, if given); throws when there is none or several. */
export function one(objects: Manifest[], kind: string, name?: string): Manifest {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` named ${name}` : ''}, found ${found.length}: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  }
  return found[0];
}

/** `Kind/name` of every object, in output order. */
export function ids(objects: Manifest[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata.name}`);
}

/** The YAML text of a whole app, as `cdk8s synth` would write it (one document per object). */
export function synthYaml(build: (app: App) => void): string {
  const app = Testing.app();
  build(app);
  return app.synthYaml();
}

/** Parses multi-document YAML into objects. */
export function parseYaml(text: string): Manifest[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Manifest).filter((o) => o != null);
}
