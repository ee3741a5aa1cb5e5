import { type Adapter, type CaseResult, fileFailure, type VectorCase } from './case-result';
import { CONTROLLER_ADAPTERS } from './controller-adapters';
import { plainEqual } from '../runtime/plain-equal';
import { toJsonValue } from './deep-equal';
import { REPLICA_ADAPTERS } from './replica-adapters';
import { STATUS_ADAPTERS } from './status-adapters';
import { TRAFFIC_ADAPTERS } from './traffic-adapters';

/** Every adapter, by normalized function name (`cli:<command>` for CLI vectors). */
export const ADAPTERS: Readonly<Record<string, Adapter>> = {
  ...REPLICA_ADAPTERS,
  ...TRAFFIC_ADAPTERS,
  ...STATUS_ADAPTERS,
  ...CONTROLLER_ADAPTERS,
};

/** Top-level keys that describe a vector file rather than hold cases. */
const METADATA_KEYS = new Set(['file', 'argoRollouts', 'provenance', 'note', 'notes', 'description']);
/** Container keys that say nothing about the function (`cases: [...]`, `groups: {...}`). */
const GENERIC_CONTAINERS = new Set(['cases', 'groups']);

/**
 * A Go/JS function name reduced to the adapters' key: the leading identifier with a lower-case
 * first letter (`"reconcileVirtualService (SetWeight)"` -> `reconcileVirtualService`,
 * `"CalculateReplicaCountsForBasicCanary"` -> `calculateReplicaCountsForBasicCanary`).
 */
export function normalizeFunctionName(raw: string): string | undefined {
  const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(raw.trim());
  if (!match) return undefined;
  return match[0].charAt(0).toLowerCase() + match[0].slice(1);
}

/** A case located in a file, with the container it came from. */
interface LocatedCase {
  readonly testCase: unknown;
  readonly container: string;
  readonly position: string;
}

/** Walks the payload: `cases: []`, `groups: {name: []}`, or named lists `{name: []}`. */
function collectCases(payload: Record<string, unknown>): { cases: LocatedCase[]; problems: string[] } {
  const cases: LocatedCase[] = [];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(payload)) {
    if (METADATA_KEYS.has(key)) continue;
    if (Array.isArray(value)) {
      value.forEach((testCase, i) => cases.push({ testCase, container: key, position: `${key}[${i}]` }));
    } else if (value !== null && typeof value === 'object') {
      for (const [group, list] of Object.entries(value as Record<string, unknown>)) {
        if (Array.isArray(list)) {
          list.forEach((testCase, i) => cases.push({ testCase, container: group, position: `${key}.${group}[${i}]` }));
        } else {
          problems.push(`${key}.${group} is not a list of cases`);
        }
      }
    } else if (typeof value !== 'string') {
      problems.push(`top-level key "${key}" is neither a list of cases nor an object of lists`);
    }
  }
  return { cases, problems };
}

/**
 * Which adapter a case needs: its `function` field, else its `command` (CLI vectors), else the
 * name of the list it is in (groups named after the function), else the shape of its input
 * (controller scenarios: `input.rollout` + `input.replicaSets`). Never the file or case name.
 */
export function adapterKey(testCase: VectorCase, container: string): string | undefined {
  if (typeof testCase.function === 'string') return normalizeFunctionName(testCase.function);
  if (typeof testCase.command === 'string') return `cli:${testCase.command.trim().split(/\s+/)[0]}`;
  if (!GENERIC_CONTAINERS.has(container)) return normalizeFunctionName(container);
  const input = testCase.input;
  if (input !== null && typeof input === 'object' && 'rollout' in input && 'replicaSets' in input) return 'controllerScenario';
  return undefined;
}

function runCase(file: string, located: LocatedCase): CaseResult {
  const { testCase: raw, container, position } = located;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { file, name: position, passed: false, expected: undefined, actual: raw, message: `${position} is not a case object` };
  }
  const testCase = raw as VectorCase;
  const name = typeof testCase.name === 'string' && testCase.name !== '' ? testCase.name : position;
  const failed = (message: string): CaseResult => ({ file, name, passed: false, expected: toJsonValue(testCase.expected), actual: undefined, message });
  const key = adapterKey(testCase, container);
  const adapter = key === undefined ? undefined : ADAPTERS[key];
  if (!adapter) {
    const described = typeof testCase.function === 'string' ? `function "${testCase.function}"` : key ? `"${key}"` : 'no function, command or known input shape';
    return failed(`no adapter for ${described} (known: ${Object.keys(ADAPTERS).sort().join(', ')})`);
  }
  try {
    const outcome = adapter(testCase);
    const expected = toJsonValue('expected' in outcome ? outcome.expected : testCase.expected);
    const actual = toJsonValue(outcome.actual);
    const passed = outcome.passed ?? plainEqual(actual, expected);
    return { file, name, passed, expected, actual, message: outcome.message };
  } catch (err) {
    return failed(`adapter ${key} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Runs every case of one parsed vector file (any schema of docs/runtime.md, "Conformance vectors").
 * `fileName` is used when the file has no `file` field. A file that is not an object, or holds
 * no case, yields one failing result saying so; nothing is skipped silently.
 */
export function runVectorFile(fileName: string, parsed: unknown): CaseResult[] {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return [fileFailure(fileName, 'a JSON object with cases', parsed, 'the file is not a JSON object')];
  }
  const payload = parsed as Record<string, unknown>;
  const file = typeof payload['file'] === 'string' ? payload['file'] : fileName;
  const { cases, problems } = collectCases(payload);
  const results = cases.map((located) => runCase(file, located));
  for (const problem of problems) {
    results.push(fileFailure(file, 'lists of cases', undefined, problem));
  }
  if (cases.length === 0 && problems.length === 0) {
    results.push(fileFailure(file, 'at least one case', 0, 'the file holds no cases'));
  }
  return results;
}

/** Parses a vector file's text and runs it; text that is not JSON is one failing result saying so. */
export function runVectorText(fileName: string, text: string): CaseResult[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return [fileFailure(fileName, 'valid JSON', undefined, `cannot parse: ${(err as Error).message}`)];
  }
  return runVectorFile(fileName, parsed);
}
