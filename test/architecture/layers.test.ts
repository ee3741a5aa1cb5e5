import { describe, expect, it } from 'vitest';
import { importCycles, importEdges, layerOf } from './import-graph';
import { functionLengths, sourceFiles } from './source-files';

/**
 * The architecture of `src/` as docs/architecture.md draws it, checked over the TypeScript
 * import graph (type-only imports included: a layer must not know a higher one's types either).
 */

/** What each layer (folder under `src/`) may import besides itself; `root` is `src/index.ts` and `src/main.ts`. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  model: [],
  runtime: ['model'],
  lint: ['runtime', 'model'],
  constructs: ['lint', 'runtime', 'model'],
  migration: ['constructs', 'lint', 'runtime', 'model'],
  fleet: ['constructs', 'lint', 'runtime', 'model'],
  conformance: ['runtime', 'model'],
  facade: ['lint', 'runtime', 'model'],
  cli: ['migration', 'constructs', 'lint', 'runtime', 'model', 'fleet', 'conformance'],
  root: ['cli', 'migration', 'constructs', 'lint', 'runtime', 'model', 'fleet', 'conformance', 'facade'],
};

/** Functions allowed over {@link MAX_FUNCTION_LINES}, each with why (docs/architecture.md lists them too). */
const LONG_FUNCTIONS: Readonly<Record<string, string>> = {};

/** Import cycles allowed, each with why (none is wanted: each entry is a cycle on its way out). */
const CYCLES: Readonly<Record<string, string>> = {};

const MAX_FUNCTION_LINES = 100;

describe('architecture of src/', () => {
  const edges = importEdges();

  it('every layer imports only the layers below it (docs/architecture.md)', () => {
    const layers = new Set(sourceFiles().map(layerOf));
    expect([...layers].filter((l) => MAY_IMPORT[l] === undefined), 'a new folder under src/ needs its place in MAY_IMPORT and docs/architecture.md').toEqual([]);
    const upward = edges
      .filter((e) => layerOf(e.from) !== layerOf(e.to) && !(MAY_IMPORT[layerOf(e.from)] ?? []).includes(layerOf(e.to)))
      .map((e) => `${e.from} imports ${e.to}`);
    expect(upward).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles = importCycles(edges).map((c) => c.join(' <-> ')).filter((c) => CYCLES[c] === undefined);
    expect(cycles).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const long = sourceFiles()
      .flatMap(functionLengths)
      .filter((f) => f.lines > MAX_FUNCTION_LINES && LONG_FUNCTIONS[`${f.file} ${f.name}`] === undefined)
      .map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`);
    expect(long).toEqual([]);
  });

  it('the checks can fail: an upward import, a cycle and a long function are found', () => {
    const fake = [
      { from: 'src/runtime/a.ts', to: 'src/lint/b.ts', typeOnly: true },
      { from: 'src/lint/b.ts', to: 'src/runtime/a.ts', typeOnly: false },
    ];
    expect(fake.filter((e) => !(MAY_IMPORT[layerOf(e.from)] ?? []).includes(layerOf(e.to))).map((e) => e.from)).toEqual(['src/runtime/a.ts']);
    expect(importCycles(fake)).toEqual([['src/lint/b.ts', 'src/runtime/a.ts']]);
    const lengths = functionLengths('src/runtime/reconcile.ts');
    expect(lengths.find((f) => f.name === 'rolloutCanary')?.lines).toBeGreaterThan(10);
  });
});
