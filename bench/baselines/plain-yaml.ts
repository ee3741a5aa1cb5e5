/**
 * The limit: the same objects written as YAML with no cdk8s at all (same `yaml` options as cdk8s's
 * `Yaml.stringify`, so the bytes are the same as cdk8s's output; see test/fleet).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { PlainObject, articleAppObjects } from '../fixtures/article-app';

/** cdk8s's `Yaml.stringify` options (YAML 1.1 schema, no line folding). */
const CDK8S_YAML_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;

/** A multi-document YAML file, joined as cdk8s joins documents. */
export function plainYaml(objects: readonly PlainObject[]): string {
  return objects.map((o) => YAML.stringify(o, CDK8S_YAML_OPTIONS)).join('---\n');
}

/** Writes `<name>.k8s.yaml` for every app name into `dir` (which must exist). */
export function writePlainYamlFleet(dir: string, names: readonly string[]): void {
  for (const name of names) {
    fs.writeFileSync(path.join(dir, `${name}.k8s.yaml`), plainYaml(articleAppObjects(name)), { encoding: 'utf8' });
  }
}
