import { Composer, type Document, parseAllDocuments, Parser } from 'yaml';
import { asRecord } from '../records';
import { KUBERNETES_YAML_OPTIONS } from '../yaml-text';
import { type KubeObject, ManifestError, type ManifestInput, type ManifestText, type ObjectSource, type SourcedObject } from './types';

/**
 * Reading manifests, first step: multi-document YAML text or parsed objects in, a flat list of
 * objects with where each was found (file and document) out. Pure: the CLI reads the files and
 * passes their text.
 */

/** Parses multi-document YAML (or takes objects) into a flat list, expanding `kind: List`. */
export function parseManifests(input: ManifestInput): SourcedObject[] {
  const items: readonly (string | ManifestText | KubeObject)[] = Array.isArray(input)
    ? (input as readonly (string | ManifestText | KubeObject)[])
    : [input as string | ManifestText | KubeObject];
  const out: SourcedObject[] = [];
  let objectIndex = 0;
  for (const item of items) {
    if (typeof item === 'string' || isManifestText(item)) {
      const text = typeof item === 'string' ? item : item.text;
      const file = typeof item === 'string' ? undefined : item.file;
      let document = 0;
      for (const doc of documentsOf(text)) {
        const source: ObjectSource = { file, document: (document += 1) };
        if (doc.errors.length > 0) throw yamlError(text, source);
        pushObject(out, documentValue(doc, source), source);
      }
    } else {
      objectIndex += 1;
      pushObject(out, item, { document: objectIndex });
    }
  }
  return out;
}

/**
 * The documents of a YAML stream, one at a time: each is turned into plain data and dropped
 * before the next is composed (`parseAllDocuments` holds every document's syntax tree at once,
 * about 35 times the text's size: 1.8 GB of memory for a 50 MB manifest).
 */
function documentsOf(text: string): Iterable<Document.Parsed> {
  return new Composer(KUBERNETES_YAML_OPTIONS).compose(new Parser().parse(text));
}

/**
 * The error of a document that is not valid YAML, with the line and column as `parseAllDocuments`
 * words them (it parses the text again, with line positions: only on this path, which ends the read).
 */
function yamlError(text: string, source: ObjectSource): ManifestError {
  const first = parseAllDocuments(text, KUBERNETES_YAML_OPTIONS)[source.document - 1].errors[0];
  const line = first.linePos?.[0]?.line;
  return new ManifestError(
    `${where(source)}invalid YAML in document ${source.document}${line !== undefined ? ` (line ${line})` : ''}: ${firstLine(first.message)}`,
  );
}

/**
 * The YAML aliases one document may expand: the yaml package's own default (its `maxAliasCount`),
 * named here because the error message quotes it.
 */
export const MAX_YAML_ALIAS_COUNT = 100;

/**
 * A parsed document as plain data. A document whose aliases expand too far (a "billion laughs"
 * document: each alias a list of aliases) makes the yaml package throw a ReferenceError; it is a
 * ManifestError naming the file and document instead, like any other unreadable YAML.
 */
function documentValue(doc: Document.Parsed, source: ObjectSource): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    throw new ManifestError(
      `${where(source)}invalid YAML in document ${source.document}: its aliases expand beyond ${MAX_YAML_ALIAS_COUNT} alias uses (${firstLine(err.message)})`,
    );
  }
}

/** Names of the Rollouts in the input, in input order. */
export function listRollouts(input: ManifestInput): string[] {
  return parseManifests(input)
    .filter((o) => o.object.kind === 'Rollout')
    .map((o) => o.object.metadata?.name ?? '');
}

/** Objects named in the "no Rollout" message before it says how many more there are. */
const OBJECTS_NAMED = 5;

/** "no Rollout ... in a.yaml, b.yaml (read: Deployment/web, Service/web)": what was read and what it held. */
export function noRolloutMessage(input: ManifestInput, objects: readonly SourcedObject[]): string {
  const items = Array.isArray(input) ? (input as readonly unknown[]) : [input];
  const files = [...new Set(items.flatMap((item) => (isManifestText(item) && item.file !== undefined ? [item.file] : [])))];
  const read = files.length > 0 ? files.join(', ') : 'the input';
  const refs = objects.slice(0, OBJECTS_NAMED).map((o) => `${String(o.object.kind ?? '(no kind)')}/${String(o.object.metadata?.name ?? '(unnamed)')}`);
  const more = objects.length > OBJECTS_NAMED ? ` and ${objects.length - OBJECTS_NAMED} more` : '';
  const held = objects.length === 0 ? 'no object' : `${refs.join(', ')}${more}`;
  return `no Rollout (apiVersion argoproj.io/v1alpha1, kind Rollout) in ${read} (read: ${held})`;
}

function pushObject(out: SourcedObject[], value: unknown, source: ObjectSource): void {
  if (value === null || value === undefined) {
    return;
  }
  const obj = asRecord(value);
  if (!obj) {
    throw new ManifestError(`${where(source)}document ${source.document} is not a Kubernetes object (${JSON.stringify(value)})`);
  }
  if (obj.kind === 'List' && Array.isArray(obj.items)) {
    for (const item of obj.items) {
      pushObject(out, item, source);
    }
    return;
  }
  out.push({ object: obj as KubeObject, source });
}

function isManifestText(x: unknown): x is ManifestText {
  return typeof x === 'object' && x !== null && typeof (x as ManifestText).text === 'string' && !('kind' in x);
}

/** `file: ` before a message, when the object came from a named file. */
export function where(source: ObjectSource): string {
  return source.file ? `${source.file}: ` : '';
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
