import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './kube-client';

/** Repository root (test/e2e/support -> ../../..). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** One app's manifests: every object of the YAML/JSON files in one directory. */
export interface ManifestSet {
  /** Short name used for namespaces, e.g. 'article'. */
  readonly name: string;
  /** The directory the objects were read from. */
  readonly dir: string;
  /** The objects, in file order then document order. */
  readonly objects: readonly KubeObject[];
}

/**
 * The manifest directories under test: E2E_MANIFESTS (directories separated by ':') when set,
 * otherwise every directory under test/e2e/fixtures. Each directory is one app.
 */
export function manifestDirs(): string[] {
  const fromEnv = process.env.E2E_MANIFESTS;
  if (fromEnv) return fromEnv.split(':').filter(Boolean).map((d) => resolve(REPO_ROOT, d));
  const fixtures = join(REPO_ROOT, 'test', 'e2e', 'fixtures');
  return readdirSync(fixtures)
    .map((d) => join(fixtures, d))
    .filter((d) => statSync(d).isDirectory())
    .sort();
}

/** Reads every *.yaml, *.yml and *.json file of a directory (not recursive). */
export function loadManifestSet(dir: string): ManifestSet {
  const files = readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();
  if (files.length === 0) throw new Error(`no .yaml/.yml/.json files in manifest directory ${dir}`);
  const objects: KubeObject[] = [];
  for (const f of files) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, f), 'utf8'))) {
      if (doc.errors.length) throw new Error(`${join(dir, f)}: ${doc.errors[0].message}`);
      const obj = doc.toJS();
      if (obj == null) continue;
      if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || typeof obj.metadata?.name !== 'string') {
        throw new Error(`${join(dir, f)}: every document needs apiVersion, kind and metadata.name (got ${JSON.stringify(obj).slice(0, 120)})`);
      }
      objects.push(obj);
    }
  }
  return { name: basename(dir).toLowerCase().replace(/[^a-z0-9-]/g, '-'), dir, objects };
}

/** The one object of a kind (and name, if given) in a set; throws naming what is there otherwise. */
export function findObject(set: ManifestSet, kind: string, name?: string): KubeObject {
  const found = set.objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) {
    const have = set.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ');
    throw new Error(`${set.dir}: expected exactly one ${kind}${name ? ` named ${name}` : ''}, found ${found.length} (objects: ${have})`);
  }
  return found[0];
}
