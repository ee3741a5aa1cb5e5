import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { KubeConnector } from './kube-live';

/** Everything the CLI reads from or writes to the outside world; tests pass an in-memory one. */
export interface CliIo {
  /** Reads a UTF-8 text file; throws (with the OS error) when it cannot. */
  readFile(path: string): string;
  /** Writes a UTF-8 text file, replacing it. */
  writeFile(path: string, content: string): void;
  /** Names of the entries of a directory (unsorted); throws (with the OS error) when it cannot. */
  readDir(path: string): string[];
  /** True for a directory, false for anything else; throws (with the OS error) when `path` does not exist. */
  isDirectory(path: string): boolean;
  /** Creates a directory and its missing parents; no error when it exists. */
  makeDir(path: string): void;
  stdout(text: string): void;
  stderr(text: string): void;
  /** The clock `status` reads and waits on. @default - the real clock */
  readonly clock?: { now(): number; sleep(ms: number): Promise<void> };
  /** How `status` connects to a cluster. @default - `@kubernetes/client-node`, loaded on first use */
  readonly kube?: KubeConnector;
  /** Whether stdout is a terminal (`status --watch` redraws in place there). @default - process.stdout.isTTY */
  readonly stdoutIsTty?: boolean;
}

/** The real file system and process streams. */
export function nodeIo(): CliIo {
  return {
    readFile: (path) => readFileSync(path, 'utf8'),
    writeFile: (path, content) => writeFileSync(path, content, 'utf8'),
    readDir: (path) => readdirSync(path),
    isDirectory: (path) => statSync(path).isDirectory(),
    makeDir: (path) => {
      mkdirSync(path, { recursive: true });
    },
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
}
