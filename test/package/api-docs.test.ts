/**
 * docs/API.md is generated (`npm run docs:api`, TypeDoc) and checked in: it must equal what the
 * generator writes from the current sources, so a changed public API or JSDoc cannot go unseen.
 * Run by `npm run test:package` (TypeDoc compiles the whole library: too slow for every `npm test`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';

describe('docs/API.md', () => {
  it('is what `npm run docs:api` generates from the current sources', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'api-docs-')), 'API.md');
    execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'api-docs.mjs'), '--out', out], { cwd: REPO_ROOT, stdio: 'pipe' });
    const generated = readFileSync(out, 'utf8');
    const checkedIn = readFileSync(join(REPO_ROOT, 'docs', 'API.md'), 'utf8');
    if (generated !== checkedIn) throw new Error('docs/API.md is stale: run `npm run docs:api` and commit the result');
    expect(generated).toContain('### CanaryApp');
  }, 600_000);
});
