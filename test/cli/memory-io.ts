import { readFileSync } from 'node:fs';
import type { CliIo } from '../../src/cli/io';

/** An in-memory CliIo: files from a map (falling back to the real disk when allowed), captured output. */
export class MemoryIo implements CliIo {
  out = '';
  err = '';
  readonly written = new Map<string, string>();

  constructor(
    private readonly files: Record<string, string> = {},
    private readonly diskFallback = true,
  ) {}

  readFile(path: string): string {
    if (path in this.files) return this.files[path];
    if (this.diskFallback) return readFileSync(path, 'utf8');
    throw new Error(`ENOENT: no such file or directory, open '${path}'`);
  }

  writeFile(path: string, content: string): void {
    if (path.startsWith('/unwritable/')) throw new Error(`EACCES: permission denied, open '${path}'`);
    this.written.set(path, content);
  }

  stdout(text: string): void {
    this.out += text;
  }

  stderr(text: string): void {
    this.err += text;
  }
}
