/**
 * Vitest setup: every fast-check property runs with a fixed seed, so a CI run is reproducible and a
 * red run can be replayed. `FC_SEED=<n> npm test` explores another seed; `FC_SEED=random` draws a
 * fresh one per run (fast-check prints the seed and path of any counterexample).
 */
import fc from 'fast-check';

const DEFAULT_SEED = 20261126;
const raw = process.env.FC_SEED;
if (raw !== 'random') {
  const seed = raw === undefined ? DEFAULT_SEED : Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED (${JSON.stringify(raw)}) must be an integer or "random"`);
  fc.configureGlobal({ seed });
}
