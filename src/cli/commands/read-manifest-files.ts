import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestText } from '../../migration/manifest-object';
import { UsageError } from '../usage-error';

/**
 * Reads manifest files for the migration commands: each argument is a YAML file or a folder
 * (its `*.yaml` / `*.yml` files, sorted). Unreadable input is a `UsageError` naming the path.
 */
export function readManifestFiles(paths: readonly string[]): ManifestText[] {
  const texts: ManifestText[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (err) {
      throw new UsageError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    const files = isDir
      ? readdirSync(path)
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => join(path, f))
      : [path];
    if (isDir && files.length === 0) throw new UsageError(`${path}: folder holds no .yaml or .yml file`);
    for (const file of files) {
      try {
        texts.push({ text: readFileSync(file, 'utf8'), file });
      } catch (err) {
        throw new UsageError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
    }
  }
  return texts;
}
