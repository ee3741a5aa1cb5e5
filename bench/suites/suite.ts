import { Reported } from '../harness';

/** What every suite gets from the runner. */
export interface SuiteContext {
  /** Smaller sizes and fewer repeats (`--quick`). */
  readonly quick: boolean;
  /** Repeats override (`--repeats N`), if given. */
  readonly repeats?: number;
  /** Progress line on stderr (stdout is reserved for the JSON lines and the table). */
  log(message: string): void;
  /** A fresh temporary directory, removed when the run ends. */
  tempDir(): string;
  /** Absolute path of the repository root. */
  readonly root: string;
}

/** A named group of figures. */
export interface Suite {
  readonly name: string;
  readonly run: (ctx: SuiteContext) => Iterable<Reported>;
}
