import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';

/**
 * Users get this repository and nothing beside it: no comment or document may send them to a file
 * outside it. The implementation notes this project was written from (`../shared`: the spec with
 * its numbered sections, design.md and the other notes) are not shipped, so code cites the upstream
 * Go file and function (`rollout/canary.go reconcileCanaryReplicaSets`) and docs cite docs/*.md.
 */

/** What users cannot follow: the folder itself, spec section numbers and the notes' file names. */
const OUTSIDE_REFERENCES: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: '../shared', pattern: /\.\.\/shared\b/ },
  { name: 'spec §N', pattern: /\bspec\s*§/i },
  { name: '§N (a spec section)', pattern: /§\s*\d/ },
  { name: 'design.md', pattern: /\bdesign\.md\b/ },
  { name: 'argo-canary.md', pattern: /\bargo-canary\.md\b/ },
  { name: 'house-style.md', pattern: /\bhouse-style\.md\b/ },
  { name: 'field-notes.md', pattern: /\bfield-notes\.md\b/ },
  { name: 'code-review-2026-12.md', pattern: /\bcode-review-2026-12\b/ },
  { name: 'control-plane.md', pattern: /\bcontrol-plane\.md\b/ },
];

/**
 * Files that read `../shared` as data on purpose, and say what they do when it is absent. Each entry
 * names the only reference allowed there, so any other outside reference in them still fails.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  // Prefers ../shared/crds when present, else downloads the pinned upstream CRDs into .cache/crds.
  'scripts/fetch-crds.mjs': ['../shared'],
};

/** Roots scanned: what a user reads (README, docs) and every commented source they get. */
const ROOTS = ['README.md', 'docs', 'src', 'bin', 'scripts', 'cdk8s.yaml', 'conformance-disputes.json'];
const SKIP_DIRS = new Set(['node_modules', '.cache']);

function filesUnder(path: string): string[] {
  const abs = join(REPO_ROOT, path);
  if (!statSync(abs).isDirectory()) return [path];
  return readdirSync(abs, { withFileTypes: true })
    .filter((e) => !SKIP_DIRS.has(e.name))
    .flatMap((e) => filesUnder(join(path, e.name)));
}

/** `file:line: text (reference)` for every outside reference not allowed in that file. */
function outsideReferences(file: string, text: string): string[] {
  const allowed = ALLOWED[file] ?? [];
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    const names = OUTSIDE_REFERENCES.filter((r) => r.pattern.test(line) && !allowed.includes(r.name)).map((r) => r.name);
    if (names.length > 0) found.push(`${file}:${i + 1}: ${line.trim()} (${names.join(', ')})`);
  });
  return found;
}

describe('no reference to a file outside the repository', () => {
  const files = ROOTS.flatMap(filesUnder).map((f) => relative(REPO_ROOT, join(REPO_ROOT, f)));

  it('scans the README, docs/, src/, bin/ and scripts/', () => {
    expect(files).toContain('README.md');
    expect(files.some((f) => f.startsWith('docs/'))).toBe(true);
    expect(files.filter((f) => f.startsWith('src/')).length).toBeGreaterThan(50);
    expect(files.some((f) => f.startsWith('bin/'))).toBe(true);
    expect(files).toContain('scripts/fetch-crds.mjs');
  });

  it('finds none in those files (cite the upstream Go file and function, or a doc in docs/)', () => {
    const found = files.flatMap((f) => outsideReferences(f, readFileSync(join(REPO_ROOT, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('catches each kind of reference, and the allow-list only lets through what it names', () => {
    const sample = [
      'see ../shared/crds',
      'the reset (spec §4.1)',
      'phase (§13)',
      'the design.md shape',
      'spec/argo-canary.md says',
      'house-style.md',
      'field-notes.md',
      'code-review-2026-12.md',
      'control-plane.md',
    ];
    for (const line of sample) expect(outsideReferences('src/x.ts', line), line).toHaveLength(1);
    expect(outsideReferences('scripts/fetch-crds.mjs', 'prefers ../shared/crds')).toEqual([]);
    expect(outsideReferences('scripts/fetch-crds.mjs', 'follows spec §5')).toHaveLength(1);
    expect(outsideReferences('src/x.ts', '@see rollout/canary.go reconcileCanaryReplicaSets (docs/runtime.md)')).toEqual([]);
  });
});
