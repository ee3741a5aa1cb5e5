import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { FIXTURES_DIR } from '../support/paths';

/** Folder of the hand-written lint fixtures (one pitfall each, plus clean.yaml). */
export const LINT_FIXTURES = join(FIXTURES_DIR, 'lint');

/** Parsed documents of a lint fixture, e.g. `fixture('clean')`. */
export function fixture(name: string): Record<string, unknown>[] {
  const text = readFileSync(join(LINT_FIXTURES, `${name}.yaml`), 'utf8');
  return parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
}

/** Names of every pitfall fixture (every file but clean.yaml). */
export function pitfallFixtures(): string[] {
  return readdirSync(LINT_FIXTURES)
    .filter((f) => f.endsWith('.yaml') && f !== 'clean.yaml')
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

/** Deep copy, so a test can mutate a fixture. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** The first object of `kind` (optionally named) in a fixture's documents. */
export function objectOf(objects: Record<string, unknown>[], kind: string, name?: string): Record<string, any> {
  const found = objects.find(
    (o) => o.kind === kind && (name === undefined || (o.metadata as { name?: string } | undefined)?.name === name),
  );
  if (!found) throw new Error(`no ${kind}${name ? `/${name}` : ''} in fixture`);
  return found as Record<string, any>;
}
