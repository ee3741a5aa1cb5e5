import { parseAllDocuments } from 'yaml';

/** Strings that some YAML reader takes for something else when written bare. */
export const TRICKY_STRINGS = [
  'on', 'On', 'ON', 'off', 'yes', 'Yes', 'no', 'NO', 'y', 'Y', 'n', 'N', 'true', 'False', '~', 'null', 'Null', '',
  '0644', '0o644', '-0o7', '0x1F', '0b101', '1_000', '+12', '1e3', '.5', '.inf', '-.Inf', '.NaN', '12:30', '1:20:30.5',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '<<', '=', '- x', 'a: b', '#x', '"q"', "'q'", ' lead', 'trail ', 'two\nlines',
];

/** Every document of `text` as YAML 1.1 and as YAML 1.2 read it (JSON text, to compare). */
export function readUnderYaml11And12(text: string): { yaml11: string; yaml12: string } {
  const read = (version: '1.1' | '1.2') => JSON.stringify(parseAllDocuments(text, { version }).map((d) => d.toJS()));
  return { yaml11: read('1.1'), yaml12: read('1.2') };
}
