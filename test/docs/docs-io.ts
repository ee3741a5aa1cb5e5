import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { App } from 'cdk8s';
import { parse } from 'shell-quote';
import type { CliIo } from '../../src/cli/io';
import { ArgoRolloutsControllerValues } from '../../src/constructs';
import { buildExampleApp } from '../../src/main';
import { REPO_ROOT } from '../support/paths';

/** What `npm run synth` writes to dist/ (src/main.ts), keyed `dist/<file>`, rendered afresh. */
export function exampleDist(): Map<string, string> {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk8s-canary-docs-dist-'));
  try {
    const app = new App({ outdir });
    buildExampleApp(app);
    app.synth();
    const files = new Map(readdirSync(outdir).map((f) => [`dist/${f}`, readFileSync(join(outdir, f), 'utf8')] as const));
    files.set('dist/argo-rollouts-values.yaml', new ArgoRolloutsControllerValues().toYaml());
    return files;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const norm = (p: string): string => posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '');

/**
 * The CLI's outside world for the documented examples: paths are relative to the repository (as a
 * reader runs them from a clone), `dist/` holds what `npm run synth` writes, and files the examples
 * write are kept in memory (later examples of the same page read them), never on disk.
 */
export class DocsIo implements CliIo {
  out = '';
  err = '';

  /** The cluster `status` examples read: recorded states (`<!-- test: cli cluster=FILE,FILE -->`). */
  kube?: CliIo['kube'];
  clock?: CliIo['clock'];
  /** The examples show what a pipe or CI log gets. */
  readonly stdoutIsTty = false;

  constructor(private readonly files: Map<string, string>) {}

  readFile(path: string): string {
    const file = this.files.get(norm(path));
    return file ?? readFileSync(resolve(REPO_ROOT, path), 'utf8');
  }

  writeFile(path: string, content: string): void {
    this.files.set(norm(path), content);
  }

  readDir(path: string): string[] {
    const prefix = `${norm(path)}/`;
    const virtual = [...this.files.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length).split('/')[0]);
    const disk = existsSync(resolve(REPO_ROOT, path)) || virtual.length === 0 ? readdirSync(resolve(REPO_ROOT, path)) : [];
    return [...new Set([...virtual, ...disk])];
  }

  isDirectory(path: string): boolean {
    const p = norm(path);
    if (this.files.has(p)) return false;
    if ([...this.files.keys()].some((k) => k.startsWith(`${p}/`))) return true;
    return statSync(resolve(REPO_ROOT, path)).isDirectory();
  }

  makeDir(): void {}

  stdout(text: string): void {
    this.out += text;
  }

  stderr(text: string): void {
    this.err += text;
  }

  /** `dir/*.yaml`-style patterns (one `*` in the last segment), sorted as a shell sorts them. */
  expandGlob(pattern: string): string[] {
    const slash = pattern.lastIndexOf('/');
    const dir = slash < 0 ? '.' : pattern.slice(0, slash);
    const re = new RegExp(`^${pattern.slice(slash + 1).split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    const matches = this.readDir(dir).filter((f) => re.test(f)).sort().map((f) => (slash < 0 ? f : `${dir}/${f}`));
    if (matches.length === 0) throw new Error(`no file matches ${pattern}`);
    return matches;
  }
}

/** The argv of a documented `cdk8s-canary ...` (or `npx cdk8s-canary ...`) command, globs expanded. */
export function commandArgv(command: string, io: DocsIo): string[] {
  const tokens = parse(command).filter((t) => !(typeof t === 'object' && 'comment' in t));
  const words = tokens.flatMap((t) => {
    if (typeof t === 'string') return [t];
    if ('op' in t && t.op === 'glob') return io.expandGlob(t.pattern);
    throw new Error(`unsupported shell syntax in "${command}": ${JSON.stringify(t)}`);
  });
  const start = words[0] === 'npx' ? 1 : 0;
  if (words[start] !== 'cdk8s-canary') throw new Error(`not a cdk8s-canary command: ${command}`);
  return words.slice(start + 1);
}
