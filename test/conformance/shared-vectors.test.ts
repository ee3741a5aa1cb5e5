import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDisputes } from '../../src/conformance/disputes';
import { runVectorFile } from '../../src/conformance/run-vector-file';
import { REPO_ROOT, SHARED_DIR } from '../support/paths';

/** `../shared/conformance` beside the repository root (how CI lays it out). */
const VECTOR_DIR = path.join(SHARED_DIR, 'conformance');

/**
 * Cases whose expectation contradicts the spec and a sibling upstream test; the runtime follows the
 * spec. The one list lives in conformance-disputes.json (reasoning in docs/conformance-disputes.md),
 * which `.ci/run` also passes to `cdk8s-canary conformance --disputes`.
 */
const DISPUTES = parseDisputes(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'conformance-disputes.json'), 'utf8')));
const KNOWN_VECTOR_DEFECTS = DISPUTES.map((d) => `${d.file} :: ${d.name}`);

describe.runIf(fs.existsSync(VECTOR_DIR))(`shared vectors (${VECTOR_DIR})`, () => {
  const files = fs.existsSync(VECTOR_DIR) ? fs.readdirSync(VECTOR_DIR).filter((name) => name.endsWith('.json')).sort() : [];
  const results = files.flatMap((name) => runVectorFile(name, JSON.parse(fs.readFileSync(path.join(VECTOR_DIR, name), 'utf8'))));

  it('runs all 262 shipped cases from 12 files', () => {
    expect(files).toHaveLength(12);
    expect(results).toHaveLength(262);
  });

  it('every case passes except the documented vector defects', () => {
    const failing = results.filter((r) => !r.passed).map((r) => `${r.file} :: ${r.name}`);
    expect(failing).toEqual(KNOWN_VECTOR_DEFECTS);
  });

  it('the defect fails for the documented reason: the stable-capacity gate stops all router calls', () => {
    const defect = results.find((r) => `${r.file} :: ${r.name}` === KNOWN_VECTOR_DEFECTS[0]);
    expect(defect?.actual).toMatchObject({ setWeightCalls: [], updateHash: [], replicaSetScales: [{ podTemplateHash: 'A', to: 10 }] });
  });

  it.each(files)('%s: every case is dispatched to an adapter (no "no adapter" failure)', (file) => {
    expect(results.filter((r) => r.file === file.replace(/\.json$/, '') || r.file === file).every((r) => !r.message?.startsWith('no adapter'))).toBe(true);
  });
});
