import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';

/** The error Node throws for a missing path, with its `code`. */
function notFound(syscall: string, path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, ${syscall} '${path}'`), { code: 'ENOENT' });
}

/**
 * An in-memory CliIo: files from a map (falling back to the real disk when allowed), captured
 * output. A folder is any prefix `dir/` of a file in the map. Writes never touch the disk.
 */
export class MemoryIo implements CliIo {
  out = '';
  err = '';
  readonly written = new Map<string, string>();
  readonly madeDirs = new Set<string>();

  constructor(
    private readonly files: Record<string, string> = {},
    private readonly diskFallback = true,
  ) {}

  readFile(path: string): string {
    if (path in this.files) return this.files[path];
    if (this.diskFallback) return readFileSync(path, 'utf8');
    throw notFound('open', path);
  }

  writeFile(path: string, content: string): void {
    if (path.startsWith('/unwritable/')) throw new Error(`EACCES: permission denied, open '${path}'`);
    this.written.set(path, content);
  }

  readDir(path: string): string[] {
    const entries = this.entriesOf(path);
    if (entries.length > 0) return entries;
    if (this.diskFallback) return readdirSync(path);
    throw notFound('scandir', path);
  }

  isDirectory(path: string): boolean {
    if (path in this.files) return false;
    if (this.entriesOf(path).length > 0) return true;
    if (this.diskFallback) return statSync(path).isDirectory();
    throw notFound('stat', path);
  }

  makeDir(path: string): void {
    this.madeDirs.add(path);
  }

  stdout(text: string): void {
    this.out += text;
  }

  stderr(text: string): void {
    this.err += text;
  }

  /** Names directly under the in-memory folder `path`. */
  private entriesOf(path: string): string[] {
    const prefix = `${path.replace(/\/+$/, '')}/`;
    const names = Object.keys(this.files)
      .filter((file) => file.startsWith(prefix))
      .map((file) => file.slice(prefix.length).split('/')[0]);
    return [...new Set(names)];
  }
}

/**
 * Runs the CLI in-process on `io` (by default a MemoryIo that reads the real disk and keeps every
 * write in memory) and returns the exit code and the captured output.
 */
export async function runCli(argv: readonly string[], io = new MemoryIo()): Promise<{ code: number; out: string; err: string }> {
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}
