import { describe, expect, it } from 'vitest';
import { readManifestPaths } from '../../src/cli/load-manifests';
import { UsageError } from '../../src/cli/usage-error';
import { MemoryIo } from '../support/cli';

describe('readManifestPaths (convert, migrate)', () => {
  const io = new MemoryIo(
    {
      'app/b.yml': 'kind: B',
      'app/a.yaml': 'kind: A',
      'app/notes.txt': 'not yaml',
      'app/nested/c.yaml': 'kind: C',
      'svc.yaml': 'kind: Service',
      'docs/readme.md': '# no yaml here',
    },
    false,
  );

  it('a folder stands for its .yaml and .yml files, sorted by name; files are read as given', () => {
    expect(readManifestPaths(io, ['svc.yaml', 'app'])).toEqual([
      { file: 'svc.yaml', text: 'kind: Service' },
      { file: 'app/a.yaml', text: 'kind: A' },
      { file: 'app/b.yml', text: 'kind: B' },
    ]);
  });

  it('a missing path or a folder without YAML is a UsageError naming the path', () => {
    expect(() => readManifestPaths(io, ['svc.yaml', 'gone.yaml'])).toThrow(new UsageError('cannot read manifest file gone.yaml (ENOENT)'));
    expect(() => readManifestPaths(io, ['docs'])).toThrow(new UsageError('docs: folder holds no .yaml or .yml file'));
  });
});
