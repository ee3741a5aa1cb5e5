import { ManifestError, parseManifests, type ManifestText, type SourcedObject } from '../runtime/manifests';
import type { CliIo } from './io';
import { UsageError } from './usage-error';

/** Reads each file as text; an unreadable file is bad input (exit 2) and the error names it. */
export function readManifestTexts(io: CliIo, files: readonly string[]): ManifestText[] {
  return files.map((file) => ({ file, text: readText(io, file, 'manifest file') }));
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
