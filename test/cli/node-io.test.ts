import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeIo } from '../../src/cli/io';

describe('nodeIo (the real file system behind every command)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cdk8s-canary-io-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const io = nodeIo();

  it('makes nested folders (again without error), writes, lists and reads back', () => {
    const out = join(dir, 'a', 'b');
    io.makeDir(out);
    io.makeDir(out);
    io.writeFile(join(out, 'x.yaml'), 'kind: X\n');
    expect(io.isDirectory(out)).toBe(true);
    expect(io.isDirectory(join(out, 'x.yaml'))).toBe(false);
    expect(io.readDir(out)).toEqual(['x.yaml']);
    expect(io.readFile(join(out, 'x.yaml'))).toBe('kind: X\n');
  });

  it('a missing path throws the OS error with its code', () => {
    expect(() => io.isDirectory(join(dir, 'nope'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => io.readDir(join(dir, 'nope'))).toThrow(/ENOENT/);
  });
});
