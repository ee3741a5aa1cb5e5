/**
 * Strict schema validation of rendered manifests, reusable by every test area.
 *
 * - Custom resources (Rollout, AnalysisTemplate, VirtualService, DestinationRule, and any other
 *   CRD found in the source folder) are validated against their CRD's `openAPIV3Schema`, made
 *   strict: `additionalProperties: false` is injected into every object schema that has
 *   `properties` and neither `x-kubernetes-preserve-unknown-fields` nor `additionalProperties`;
 *   `x-kubernetes-int-or-string` accepts an integer or a string; `metadata` is checked against
 *   Kubernetes' ObjectMeta. CEL rules (`x-kubernetes-validations`) are not evaluated.
 *   Source: `../shared/crds` when present, else `.cache/crds` (filled by `scripts/fetch-crds.mjs`).
 * - Core objects are validated against the Kubernetes 1.28 strict JSON schemas in
 *   `.cache/k8s-schemas/v1.28.0-local-strict` (filled by `scripts/fetch-k8s-schemas.mjs`, the
 *   `pretest` script).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { parseAllDocuments } from 'yaml';

import { REPO_ROOT, SHARED_DIR } from './paths';

export { REPO_ROOT, SHARED_DIR } from './paths';

const K8S_SCHEMA_SET = 'v1.28.0-local-strict';
const K8S_DEFS_ID = 'https://kubernetes.io/api/_definitions.json';
const OBJECT_META_REF = `${K8S_DEFS_ID}#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;

/** Where the schemas came from, for the test output. */
export interface SchemaSources {
  /** Folder of the CRDs, relative to the repository root (`../shared/crds` or `.cache/crds`). */
  readonly crds: string;
  /** Folder of the Kubernetes JSON schemas, relative to the repository root. */
  readonly k8s: string;
}

/** The folder of the CRDs: `../shared/crds` if it exists, else `.cache/crds`. */
export function crdSourceDir(): string {
  const shared = join(SHARED_DIR, 'crds');
  if (existsSync(shared)) return shared;
  const cache = join(REPO_ROOT, '.cache', 'crds');
  if (existsSync(cache)) return cache;
  throw new Error('No CRDs found: neither ../shared/crds nor .cache/crds exists. Run `node scripts/fetch-crds.mjs` (needs internet).');
}

/** The folder of the Kubernetes 1.28 strict JSON schemas. */
export function k8sSchemaDir(): string {
  const dir = join(REPO_ROOT, '.cache', 'k8s-schemas', K8S_SCHEMA_SET);
  if (!existsSync(join(dir, '_definitions.json'))) {
    throw new Error(`No Kubernetes schemas in ${relative(REPO_ROOT, dir)}. Run \`node scripts/fetch-k8s-schemas.mjs\` (the pretest script; needs PyPI).`);
  }
  return dir;
}

type Schema = Record<string, unknown>;

/**
 * Makes a CRD schema strict (see the module comment). Returns a new schema; `isRoot` adds
 * apiVersion/kind/metadata at the top (the API server accepts them on every object).
 */
export function strictCrdSchema(schema: Schema, gvk?: { apiVersion: string; kind: string }): Schema {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    const out: Schema = {};
    for (const [k, v] of Object.entries(node)) {
      // `properties` and `patternProperties` map names to schemas: walk the schemas, not the map.
      if ((k === 'properties' || k === 'patternProperties') && typeof v === 'object' && v !== null) {
        out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, walk(s)]));
      } else {
        out[k] = walk(v);
      }
    }
    if (out['x-kubernetes-int-or-string'] === true && out.type === undefined && out.anyOf === undefined && out.oneOf === undefined) {
      out.anyOf = [{ type: 'integer' }, { type: 'string' }];
    }
    if (out.properties !== undefined && out['x-kubernetes-preserve-unknown-fields'] !== true && out.additionalProperties === undefined) {
      out.additionalProperties = false;
    }
    return out;
  };
  const strict = walk(schema) as Schema;
  if (gvk) {
    strict.properties = {
      ...(strict.properties as Schema),
      apiVersion: { type: 'string', enum: [gvk.apiVersion] },
      kind: { type: 'string', enum: [gvk.kind] },
      metadata: { $ref: OBJECT_META_REF },
    };
    strict.required = [...new Set([...((strict.required as string[] | undefined) ?? []), 'apiVersion', 'kind', 'metadata'])];
    if (strict['x-kubernetes-preserve-unknown-fields'] !== true) strict.additionalProperties = false;
  }
  return strict;
}

/** Validates Kubernetes objects (plain JSON) strictly; see the module comment. */
export class ManifestValidator {
  /** Where the schemas came from. */
  public readonly sources: SchemaSources;
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, () => ValidateFunction>();
  private readonly compiled = new Map<string, ValidateFunction>();

  /** `crdDir` / `k8sDir` override the folders (default: `crdSourceDir()`, `k8sSchemaDir()`). */
  public constructor(options: { readonly crdDir?: string; readonly k8sDir?: string } = {}) {
    const crdDir = options.crdDir ?? crdSourceDir();
    const k8sDir = options.k8sDir ?? k8sSchemaDir();
    this.sources = { crds: relative(REPO_ROOT, crdDir), k8s: relative(REPO_ROOT, k8sDir) };
    this.ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true, validateFormats: true });
    for (const keyword of [
      'x-kubernetes-int-or-string',
      'x-kubernetes-preserve-unknown-fields',
      'x-kubernetes-list-type',
      'x-kubernetes-list-map-keys',
      'x-kubernetes-map-type',
      'x-kubernetes-validations',
      'x-kubernetes-embedded-resource',
      'x-kubernetes-group-version-kind',
      'x-kubernetes-patch-strategy',
      'x-kubernetes-patch-merge-key',
      'x-kubernetes-unions',
    ]) {
      this.ajv.addKeyword({ keyword });
    }
    const int = (bits: number) => ({ type: 'number' as const, validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** (bits - 1) });
    this.ajv.addFormat('int32', int(32));
    this.ajv.addFormat('int64', int(64));
    this.ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
    this.ajv.addFormat('float', { type: 'number', validate: (n: number) => Number.isFinite(n) });
    this.ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
    this.ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i);

    this.ajv.addSchema(JSON.parse(readFileSync(join(k8sDir, '_definitions.json'), 'utf8')) as Schema);
    for (const file of readdirSync(k8sDir)) {
      if (file.startsWith('_') || !file.endsWith('.json')) continue;
      const schema = JSON.parse(readFileSync(join(k8sDir, file), 'utf8')) as Schema;
      const gvks = (schema['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[] | undefined) ?? [];
      for (const g of gvks) {
        const apiVersion = g.group ? `${g.group}/${g.version}` : g.version;
        this.validators.set(`${apiVersion}/${g.kind}`, () => this.ajv.compile(schema));
      }
    }
    for (const file of yamlFiles(crdDir)) {
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const crd = doc.toJS() as { kind?: string; spec?: { group: string; names: { kind: string }; versions: { name: string; schema?: { openAPIV3Schema: Schema } }[] } };
        if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
        for (const v of crd.spec.versions) {
          if (!v.schema) continue;
          const gvk = { apiVersion: `${crd.spec.group}/${v.name}`, kind: crd.spec.names.kind };
          const schema = v.schema.openAPIV3Schema;
          this.validators.set(`${gvk.apiVersion}/${gvk.kind}`, () => this.ajv.compile(strictCrdSchema(schema, gvk)));
        }
      }
    }
  }

  /** True when a schema is known for this apiVersion and kind. */
  public knows(apiVersion: string, kind: string): boolean {
    return this.validators.has(`${apiVersion}/${kind}`);
  }

  /**
   * Problems of one object (`[]` when valid), each as `<Kind>/<name> <json pointer>: <message>`.
   * Throws for a kind without a schema, so nothing is skipped silently.
   */
  public validate(obj: Record<string, unknown>): string[] {
    const key = `${String(obj.apiVersion)}/${String(obj.kind)}`;
    let fn = this.compiled.get(key);
    if (!fn) {
      const make = this.validators.get(key);
      if (!make) throw new Error(`No schema for ${key} (CRDs: ${this.sources.crds}, Kubernetes: ${this.sources.k8s})`);
      fn = make();
      this.compiled.set(key, fn);
    }
    const valid: boolean = fn(obj as unknown);
    if (valid) return [];
    const name = (obj.metadata as { name?: string } | undefined)?.name ?? '?';
    return dedupe(fn.errors ?? []).map((e) => `${String(obj.kind)}/${name} ${e.instancePath || '/'}: ${describe(e)}`);
  }
}

function describe(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return `unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'enum') return `${e.message} (${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)})`;
  return e.message ?? e.keyword;
}

function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(entry)) out.push(p);
  }
  return out;
}

let shared: ManifestValidator | undefined;

/** One validator per test process (schemas are large; compiled lazily per kind). */
export function manifestValidator(): ManifestValidator {
  shared ??= new ManifestValidator();
  return shared;
}
