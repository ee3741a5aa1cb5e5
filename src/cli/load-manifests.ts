import { join } from 'node:path';
import { ManifestError, parseManifests, readManifests, type ManifestText, type RolloutModel, type SourcedObject } from '../model/manifests';
import { SimulationError } from '../runtime/simulate';
import type { CliIo } from './io';
import { UsageError } from './usage-error';

/**
 * The one manifest reader of every command (lint, plan, simulate, convert, migrate): each path is a
 * YAML file or a folder (its `*.yaml` / `*.yml` files, sorted by name). Unreadable input, or a
 * folder without YAML, is bad input (exit 2) and the one-line error names the path and the OS
 * error code. Parse the texts with {@link parseManifestTexts} or {@link withRolloutModel}, whose
 * errors (invalid YAML, aliases that expand too far) name the file and document the same way.
 */
export function readManifestPaths(io: CliIo, paths: readonly string[]): ManifestText[] {
  return paths.flatMap((path) => {
    if (!orCannotRead(path, () => io.isDirectory(path))) return [{ file: path, text: orCannotRead(path, () => io.readFile(path)) }];
    const files = orCannotRead(path, () => io.readDir(path))
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => join(path, name));
    if (files.length === 0) throw new UsageError(`${path}: folder holds no .yaml or .yml file`);
    return files.map((file) => ({ file, text: orCannotRead(file, () => io.readFile(file)) }));
  });
}

/** Reads one text file or throws a UsageError naming it and what it was for. */
export function readText(io: CliIo, file: string, what: string): string {
  try {
    return io.readFile(file);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new UsageError(`cannot read ${what} ${file}: ${reason}`);
  }
}

/** Parses the files' documents (a YAML error names the file and document: exit 2). */
export function parseManifestTexts(texts: readonly ManifestText[]): SourcedObject[] {
  try {
    return parseManifests(texts);
  } catch (err) {
    if (err instanceof ManifestError) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * Reads the Rollout (`rollout`, or the only one) from the files' texts and runs `use` on its
 * model. The runtime's input errors are bad input (exit 2): a ManifestError as it is (it names
 * the file and object), a SimulationError prefixed with the file names.
 */
export function withRolloutModel<T>(
  files: readonly string[],
  texts: readonly ManifestText[],
  rollout: string | undefined,
  use: (model: RolloutModel) => T,
): T {
  try {
    return use(readManifests(texts, { rollout }));
  } catch (err) {
    if (err instanceof ManifestError) throw new UsageError(err.message);
    if (err instanceof SimulationError) throw new UsageError(`${files.join(', ')}: ${err.message}`);
    throw err;
  }
}

/** `read()`, with a failure turned into a UsageError naming `path` and the OS error code. */
function orCannotRead<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw new UsageError(`cannot read manifest file ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}
