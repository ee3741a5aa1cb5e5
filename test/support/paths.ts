import { join, resolve } from 'node:path';

/** Repository root (this file is test/support/paths.ts); tests never rely on the working directory. */
export const REPO_ROOT = resolve(__dirname, '..', '..');
/** `../shared` beside the repository, as CI lays it out (reference material, CRDs, conformance vectors). */
export const SHARED_DIR = resolve(REPO_ROOT, '..', 'shared');
/** `test/fixtures`: hand-written manifests shared by the test areas. */
export const FIXTURES_DIR = join(REPO_ROOT, 'test', 'fixtures');
