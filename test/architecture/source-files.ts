import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../support/paths';

/** Every `.ts` file under `src/`, as a path relative to the repository (`src/runtime/plan.ts`). */
export function sourceFiles(dir = join(REPO_ROOT, 'src')): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(relative(REPO_ROOT, path));
  }
  return files.sort();
}

/** A parsed source file. */
export function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(join(REPO_ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
}

/** One function of `src/` and its length in lines (from its first line, after the doc comment, to its closing line). */
export interface FunctionLength {
  readonly file: string;
  /** `Class.method`, `function`, or `outer > (arrow)` for an unnamed function inside a named one. */
  readonly name: string;
  readonly line: number;
  readonly lines: number;
}

/** The name of a function-like node, or undefined for an unnamed one. */
function nameOf(node: ts.FunctionLikeDeclaration): string | undefined {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) || ts.isPrivateIdentifier(node.name))) return node.name.text;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

/** Every function, method, constructor, accessor and arrow function of a file with its length. */
export function functionLengths(file: string): FunctionLength[] {
  const source = parse(file);
  const out: FunctionLength[] = [];
  const visit = (node: ts.Node, scope: string[]): void => {
    let inner = scope;
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      inner = [...scope, node.name?.text ?? '(class)'];
    } else if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const fn = node as ts.FunctionLikeDeclaration;
      const name = [...scope, nameOf(fn) ?? '(arrow)'].join(ts.isMethodDeclaration(fn) || ts.isConstructorDeclaration(fn) || ts.isAccessor(fn) ? '.' : ' > ');
      const start = source.getLineAndCharacterOfPosition(fn.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(fn.getEnd()).line;
      out.push({ file, name, line: start + 1, lines: end - start + 1 });
      inner = [name];
    }
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(source, []);
  return out;
}
