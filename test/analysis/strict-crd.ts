/**
 * Strict validation of objects against the real CRD schemas (test helper).
 *
 * The CRD's openAPIV3Schema is made strict: every object schema that lists `properties` and is not
 * marked `x-kubernetes-preserve-unknown-fields` gets `additionalProperties: false`, so unknown or
 * misspelt fields are rejected (the API server would silently prune them). `metadata` is checked
 * against a small ObjectMeta schema (the CRD only says `type: object`).
 *
 * CRDs are read from `../shared/crds` beside the repository root when it exists, otherwise from
 * `.cache/crds` (gitignored), laid out the same way (`argo-rollouts/*.yaml`, `istio/*.yaml`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CANDIDATES = [path.join(REPO_ROOT, '..', 'shared', 'crds'), path.join(REPO_ROOT, '.cache', 'crds')];

/** The CRD folder used, and where it came from (printed once so test output says which source). */
export function crdDir(): string {
  const dir = CANDIDATES.find((d) => fs.existsSync(d));
  if (dir === undefined) {
    throw new Error(`No CRD folder found; looked in ${CANDIDATES.join(' and ')}. Put the upstream CRDs in one of them.`);
  }
  if (!announced.has(dir)) {
    announced.add(dir);
    console.info(`[strict-crd] CRD schemas from ${path.relative(REPO_ROOT, dir) || dir}`);
  }
  return dir;
}
const announced = new Set<string>();

type Schema = Record<string, unknown>;

const K8S_KEYWORDS = [
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-validations',
  'x-kubernetes-embedded-resource',
];

const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** ObjectMeta fields a manifest may carry (server-set fields are not expected in synth output). */
const OBJECT_META: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: DNS_SUBDOMAIN, maxLength: 253 },
    namespace: { type: 'string', pattern: DNS_LABEL, maxLength: 63 },
    labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 63 } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

/** Deep copy of `schema` with `additionalProperties: false` on every closed object schema. */
export function strictify(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, strictify(v)]));
    } else if ((key === 'items' || key === 'additionalProperties') && value && typeof value === 'object') {
      out[key] = strictify(value as Schema);
    } else if ((key === 'anyOf' || key === 'allOf' || key === 'oneOf') && Array.isArray(value)) {
      out[key] = value.map((v: Schema) => strictify(v));
    } else {
      out[key] = value;
    }
  }
  if (out.properties !== undefined && out['x-kubernetes-preserve-unknown-fields'] !== true && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  ajv.addVocabulary(K8S_KEYWORDS);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => !Number.isNaN(Date.parse(s)) });
  return ajv;
}

const cache = new Map<string, ValidateFunction>();

/**
 * A validator for one CRD file (relative to the CRD folder, e.g. `argo-rollouts/rollout-crd.yaml`)
 * and version (e.g. `v1alpha1`).
 */
export function crdValidator(file: string, version: string): ValidateFunction {
  const key = `${file}@${version}`;
  const hit = cache.get(key);
  if (hit) {
    return hit;
  }
  const docs = parseAllDocuments(fs.readFileSync(path.join(crdDir(), file), 'utf8')).map((d) => d.toJS());
  const crd = docs.find((d) => d?.kind === 'CustomResourceDefinition');
  const ver = crd?.spec?.versions?.find((v: { name: string }) => v.name === version);
  if (!ver) {
    throw new Error(`${file} has no version ${version}`);
  }
  const schema = strictify(ver.schema.openAPIV3Schema as Schema);
  const props = schema.properties as Record<string, Schema>;
  props.metadata = OBJECT_META;
  props.apiVersion = { type: 'string', const: `${crd.spec.group}/${version}` };
  props.kind = { type: 'string', const: crd.spec.names.kind };
  schema.required = [...new Set([...((schema.required as string[]) ?? []), 'apiVersion', 'kind', 'metadata'])];
  const validate = newAjv().compile(schema);
  cache.set(key, validate);
  return validate;
}

/** Validation errors of `obj` as readable lines (`/spec/metrics/0/foo: must NOT have additional properties`). */
export function strictErrors(file: string, obj: { apiVersion?: string }): string[] {
  const version = String(obj.apiVersion ?? '').split('/').pop() ?? '';
  const validate = crdValidator(file, version);
  if (validate(obj)) {
    return [];
  }
  return (validate.errors ?? []).map(formatError);
}

function formatError(e: ErrorObject): string {
  const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : '';
  return `${e.instancePath || '/'}: ${e.message}${extra}`;
}
