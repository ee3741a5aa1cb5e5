/**
 * YAML as kubectl reads it, and YAML every reader reads alike (issue 20, item 3): `toYaml` output
 * parses to the written data under YAML 1.1, YAML 1.2 and the project's own (kubectl-like) reader;
 * manifests are read as YAML 1.1.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { parseManifests } from '../../src/model/manifests';
import { KUBERNETES_YAML_OPTIONS, toYaml, toYamlDocuments } from '../../src/model/yaml-text';
import { TRICKY_STRINGS } from '../support/yaml-strings';

const scalar = fc.oneof(
  fc.constantFrom(...TRICKY_STRINGS),
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const key = fc.oneof(fc.constantFrom(...TRICKY_STRINGS), fc.string());
const data = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
})).value;

/** The data as JSON sees it (-0 is 0, as in a manifest). */
const asJson = (v: unknown): string => JSON.stringify(v);

describe('toYaml', () => {
  it('reads back as the same data under YAML 1.1, YAML 1.2 and the manifest reader', () => {
    fc.assert(
      fc.property(data, (value) => {
        const text = toYaml(value);
        for (const options of [{ version: '1.1' as const }, { version: '1.2' as const }, KUBERNETES_YAML_OPTIONS]) {
          expect(asJson(parse(text, options)), `${JSON.stringify(options)}\n${text}`).toBe(asJson(value));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('quotes the strings YAML 1.1 or 1.2 would read otherwise, and writes defaultMode 420 as 420', () => {
    const text = toYaml({ env: [{ name: 'A', value: 'on' }, { name: 'B', value: 'no' }, { name: 'C', value: 'yes' }], defaultMode: 420, mode: '0644', o: '0o644', '<<': 'k' });
    expect(text).toBe(
      ['env:', '  - name: A', '    value: "on"', '  - name: B', '    value: "no"', '  - name: C', '    value: "yes"', 'defaultMode: 420', 'mode: "0644"', 'o: "0o644"', '"<<": k', ''].join('\n'),
    );
  });

  it('quotes such strings at any depth, as keys and values, next to data that needs no quotes', () => {
    // toYaml skips its node-by-node pass when a walk over the data finds no such string.
    expect(toYaml({ a: [{ b: { c: '0o644' } }], d: { '<<': 1 }, e: 'plain' })).toBe(
      ['a:', '  - b:', '      c: "0o644"', 'd:', '  "<<": 1', 'e: plain', ''].join('\n'),
    );
    expect(toYaml({ a: 'plain', b: [1, true, null] })).toBe(['a: plain', 'b:', '  - 1', '  - true', '  - null', ''].join('\n'));
  });

  it('toYamlDocuments separates the documents with ---', () => {
    const text = toYamlDocuments([{ a: 'on' }, { b: 1 }]);
    expect(parseAllDocuments(text, { version: '1.2' }).map((d) => d.toJS())).toEqual([{ a: 'on' }, { b: 1 }]);
  });
});

describe('manifests are read as YAML 1.1, as kubectl reads them', () => {
  const read = (text: string) => parseManifests(text)[0].object as Record<string, any>;
  it('0644 is the octal 420, 0o644 too; on / yes / no are booleans; timestamps and 12:30 stay strings', () => {
    const o = read('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nspec: {a: 0644, b: 0o644, c: on, d: yes, e: no, f: 2001-12-14, g: 12:30, h: "0644"}\n');
    expect(o.spec).toEqual({ a: 420, b: 420, c: true, d: true, e: false, f: '2001-12-14', g: '12:30', h: '0644' });
  });
});
