/**
 * YAML as Kubernetes reads it, and YAML every reader reads alike.
 *
 * kubectl and the API server read manifests as YAML 1.1 (go-yaml v2 behind sigs.k8s.io/yaml):
 * `0644` is the octal 420, `on` / `yes` / `no` / `off` / `y` / `n` are booleans. The `yaml`
 * package reads YAML 1.2 by default, where `0644` is 644 and those words are strings. So input is
 * read as 1.1 (`KUBERNETES_YAML_OPTIONS`), and everything this project writes (`toYaml`) reads back
 * as the same data under YAML 1.1 (kubectl, Argo CD, PyYAML) and under YAML 1.2 (most other tools).
 */
import { Document, type DocumentOptions, type ParseOptions, type SchemaOptions, type ToStringOptions, visit } from 'yaml';

type Tags = NonNullable<SchemaOptions['customTags']>;
type Tag = Extract<Tags, readonly unknown[]>[number];

/** go-yaml v2 also reads `0o644` as an octal int (Go's ParseInt with base 0). */
const OCTAL_0O: Tag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:int',
  format: 'OCT',
  test: /^[-+]?0o[0-7_]+$/,
  resolve: (text: string) => {
    const sign = text.startsWith('-') ? -1 : 1;
    return sign * parseInt(text.replace(/^[-+]?0o/, '').replace(/_/g, ''), 8);
  },
};

/**
 * How to parse manifests the way kubectl does: YAML 1.1 scalars (octal `0644`, `on`/`yes`/`no`
 * booleans, merge keys), but timestamps and sexagesimal `12:30` stay strings (go-yaml v2 keeps a
 * timestamp a string when decoding into interface{} and has no base-60 numbers).
 */
export const KUBERNETES_YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: (tags) => [OCTAL_0O, ...tags.filter((t) => typeof t !== 'string' && t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME')],
};

/**
 * Plain scalars that YAML 1.2 (core schema) or kubectl (`0o644`) would not read as a string, and
 * the YAML 1.1 merge key: these strings are quoted (YAML 1.1 writing quotes the rest).
 */
const NOT_A_STRING: readonly RegExp[] = [
  ...new Document(null, { version: '1.2' }).schema.tags.filter((t) => t.tag !== 'tag:yaml.org,2002:str' && t.test !== undefined).map((t) => t.test!),
  OCTAL_0O.test!,
  /^<<$/,
];

/**
 * {@link NOT_A_STRING} as one expression: one test per string instead of one per pattern (every
 * key and string of a fleet's manifests is tested). The patterns have no flags; if one had, each
 * is tested as it is.
 */
const ANY_NOT_A_STRING: Pick<RegExp, 'test'> = NOT_A_STRING.every((re) => re.flags === '')
  ? new RegExp(NOT_A_STRING.map((re) => `(?:${re.source})`).join('|'))
  : { test: (s: string) => NOT_A_STRING.some((re) => re.test(s)) };

/**
 * YAML 1.1 without its merge tag, which would write the string `<<` as a bare merge key. The
 * schema is built once and shared by every document written (`yaml` reads it, never changes it;
 * each `new Document` would otherwise build its own).
 */
const WRITE_DOCUMENT_OPTIONS: DocumentOptions & SchemaOptions = {
  version: '1.1',
  schema: new Document(null, {
    version: '1.1',
    customTags: (tags) => tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:merge'),
  }).schema,
};

/**
 * No line folding. `directives: false`: a document built from data has no directive to write
 * (YAML 1.1 is not written as `%YAML`, the `!!` tags are the default), which `yaml` would find
 * out by visiting every node of it.
 */
const WRITE_OPTIONS: ToStringOptions = { lineWidth: 0, directives: false };

/**
 * One YAML document for `value` (plain JSON data) that YAML 1.1 and YAML 1.2 readers both read as
 * `value`: written as YAML 1.1 (which quotes `"on"`, `"no"`, `"0644"`, `"12:30"`, ...), with the
 * strings YAML 1.2 would read otherwise (`"0o644"`) and the merge key `"<<"` quoted too.
 */
export function toYaml(value: unknown): string {
  const doc = new Document(value, WRITE_DOCUMENT_OPTIONS);
  // The usual manifest has no such string: the walk over the plain data is much cheaper than
  // visiting every node of the document (about a tenth of a fleet's synthesis).
  if (!mayNeedQuotes(value)) return doc.toString(WRITE_OPTIONS);
  visit(doc, {
    Scalar(_key, node) {
      const s = node.value;
      if (typeof s === 'string' && ANY_NOT_A_STRING.test(s)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString(WRITE_OPTIONS);
}

/**
 * Whether `value` holds a key or string that {@link NOT_A_STRING} matches, or anything but plain
 * JSON data (strings, numbers, booleans, null, arrays, plain objects), which `toYaml` then visits
 * node by node as before.
 */
function mayNeedQuotes(value: unknown): boolean {
  if (typeof value === 'string') return ANY_NOT_A_STRING.test(value);
  if (value === null || typeof value !== 'object') return typeof value === 'symbol' || typeof value === 'function' || typeof value === 'bigint';
  if (Array.isArray(value)) return value.some(mayNeedQuotes);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return true;
  for (const key of Object.keys(value)) {
    if (mayNeedQuotes(key) || mayNeedQuotes((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/** Multi-document YAML (`---` between documents) of `values`, each written by `toYaml`. */
export function toYamlDocuments(values: readonly unknown[]): string {
  return values.map(toYaml).join('---\n');
}
