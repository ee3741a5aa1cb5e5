import { join } from 'node:path';
import * as cdk8s from 'cdk8s';
import ts from 'typescript';
import * as constructs from '../../src/constructs';
import { REPO_ROOT } from '../support/paths';

/**
 * Runs a TypeScript snippet written by `convert`: transpiles it with the TypeScript compiler and
 * evaluates it with `cdk8s` and the snippet's CanaryApp import mapped to this repository's source.
 * Returns the snippet's exports.
 */
export function loadSnippet(code: string, importFrom: string): Record<string, unknown> {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const fakeRequire = (id: string): unknown => {
    if (id === 'cdk8s') return cdk8s;
    if (id === importFrom) return constructs;
    throw new Error(`snippet imports ${id}`);
  };
  const module = { exports: {} as Record<string, unknown> };
  new Function('require', 'module', 'exports', js)(fakeRequire, module, module.exports);
  return module.exports;
}

/** Type-checks a snippet against this repository (its import of CanaryApp mapped to src/constructs). */
export function typeCheckSnippet(code: string, importFrom: string): string[] {
  const file = join(REPO_ROOT, 'test', 'migration', '__snippet_under_test.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: ['node'],
    skipLibCheck: true,
    baseUrl: REPO_ROOT,
    paths: { [importFrom]: ['src/constructs/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (f) => (f === file ? code : read(f));
  const exists = host.fileExists.bind(host);
  host.fileExists = (f) => f === file || exists(f);
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
