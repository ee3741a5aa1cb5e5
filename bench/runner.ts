/**
 * How this bench runs: `compiled` (tsc output in .cache/bench-js, what bench/start.mjs runs by
 * default and the form the package ships in) or `tsx` (TypeScript through `node -r tsx/cjs`).
 * Child processes run the same way as their parent.
 */
import * as path from 'path';

export type Runner = 'compiled' | 'tsx';

export const RUNNER: Runner = __filename.endsWith('.js') ? 'compiled' : 'tsx';

/** node arguments that run the bench script `relative` (e.g. `children/peak-rss`) the way this process runs. */
export function benchScriptArgs(relative: string): string[] {
  const script = path.join(__dirname, `${relative}${RUNNER === 'compiled' ? '.js' : '.ts'}`);
  return RUNNER === 'compiled' ? [script] : ['-r', 'tsx/cjs', script];
}
