import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adapterKey, normalizeFunctionName, runVectorFile } from '../../src/conformance/run-vector-file';
import { runCli } from '../support/cli';

const META = { argoRollouts: { tag: 'v1.9.1' }, provenance: 'synthetic test vectors' };

describe('cdk8s-canary conformance DIR', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: unknown): void =>
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));

  it('runs unseen cases of known schemas, reports failures with file, name, expected, actual, and exits 1', async () => {
    write('mine.json', {
      file: 'mine',
      ...META,
      cases: [
        { name: 'unseen: 7 replicas at 30 %', function: 'trafficWeightToReplicas', input: { replicas: 7, weight: 30, maxWeight: 100 }, expected: 3 },
        { name: 'unseen, wrong expectation', function: 'trafficWeightToReplicas', input: { replicas: 7, weight: 30, maxWeight: 100 }, expected: 2 },
        { name: 'unknown function', function: 'ComputeSomethingNew', input: {}, expected: 1 },
      ],
    });
    write('grouped.json', {
      ...META,
      groups: { GetCurrentSetWeight: [{ name: 'leading pause then weight', input: { steps: [{ pause: {} }, { setWeight: 40 }], currentStepIndex: 0, abort: false, maxTrafficWeight: null }, expected: 0 }] },
    });
    write('broken.json', '{"cases": [');
    const { code, out } = await runCli(['conformance', dir]);
    expect(code).toBe(1);
    const lines = out.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('2 passed, 3 failed');
    expect(out).toContain('FAIL mine :: unseen, wrong expectation\n  expected: 2\n  actual:   3\n');
    expect(out).toMatch(/FAIL mine :: unknown function\n {2}expected: 1\n {2}actual: {3}\(none\)\n {2}reason: {3}no adapter for function "ComputeSomethingNew"/);
    expect(out).toMatch(/FAIL broken\.json :: \(file\)\n.*\n.*\n {2}reason: {3}cannot parse: /);
    expect(out).not.toContain('unseen: 7 replicas');
  });

  it('all passing: exit 0 and only the summary line', async () => {
    write('ok.json', { ...META, cases: [{ name: 'ok', function: 'trafficWeightToReplicas', input: { replicas: 4, weight: 50, maxWeight: 100 }, expected: 2 }] });
    expect(await runCli(['conformance', dir])).toEqual({ code: 0, out: '1 passed, 0 failed\n', err: '' });
  });

  describe('--disputes FILE', () => {
    const wrong = { name: 'wrong expectation', function: 'trafficWeightToReplicas', input: { replicas: 7, weight: 30, maxWeight: 100 }, expected: 2 };
    const right = { name: 'right expectation', function: 'trafficWeightToReplicas', input: { replicas: 4, weight: 50, maxWeight: 100 }, expected: 2 };
    const disputesFile = (entries: unknown): string => {
      const file = path.join(dir, 'disputes.json.txt');
      fs.writeFileSync(file, JSON.stringify(entries));
      return file;
    };

    it('a failing disputed case is printed with its reasoning and counted apart, exit 0', async () => {
      write('v.json', { file: 'v', ...META, cases: [wrong, right] });
      const file = disputesFile([{ file: 'v', name: 'wrong expectation', reason: 'ceil(2.1) is 3' }]);
      const { code, out } = await runCli(['conformance', dir, '--disputes', file]);
      expect(code).toBe(0);
      expect(out).toBe('DISPUTED v :: wrong expectation\n  expected: 2\n  actual:   3\n  dispute:  ceil(2.1) is 3\n1 passed, 0 failed, 1 disputed\n');
    });

    it('without --disputes the same case is an ordinary failure', async () => {
      write('v.json', { file: 'v', ...META, cases: [wrong] });
      const { code, out } = await runCli(['conformance', dir]);
      expect(code).toBe(1);
      expect(out.trimEnd().split('\n').at(-1)).toBe('0 passed, 1 failed');
    });

    it('a disputed case that passes counts as a pass; a dispute matching no case fails the run', async () => {
      write('v.json', { file: 'v', ...META, cases: [right] });
      const file = disputesFile([
        { file: 'v', name: 'right expectation', reason: 'stale' },
        { file: 'v', name: 'renamed case', reason: 'gone' },
      ]);
      const { code, out } = await runCli(['conformance', dir, '--disputes', file]);
      expect(code).toBe(1);
      expect(out).toBe('UNMATCHED DISPUTE v :: renamed case (no such case)\n1 passed, 0 failed\n');
    });

    it('a malformed disputes file is bad usage naming the entry and field', async () => {
      write('v.json', { file: 'v', ...META, cases: [right] });
      const { code, err } = await runCli(['conformance', dir, '--disputes', disputesFile([{ file: 'v', name: 'x' }])]);
      expect(code).toBe(2);
      expect(err).toContain('disputes[0].reason (undefined) must be a non-empty string');
    });
  });

  it('an unreadable or empty directory is bad usage (exit 2)', async () => {
    const missing = await runCli(['conformance', path.join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read directory');
    expect((await runCli(['conformance', dir])).code).toBe(2);
  });
});

describe('dispatch never uses file or case names', () => {
  it('normalizes Go names and annotated names', () => {
    expect(normalizeFunctionName('reconcileVirtualService (SetWeight)')).toBe('reconcileVirtualService');
    expect(normalizeFunctionName('CalculateReplicaCountsForBasicCanary')).toBe('calculateReplicaCountsForBasicCanary');
  });
  it('uses function, then command, then the group name, then the input shape', () => {
    expect(adapterKey({ function: 'MaxSurge' }, 'whatever')).toBe('maxSurge');
    expect(adapterKey({ command: 'retry rollout' }, 'other')).toBe('cli:retry');
    expect(adapterKey({}, 'GetScaleDownDelaySecondsOrDefault')).toBe('getScaleDownDelaySecondsOrDefault');
    expect(adapterKey({ input: { rollout: {}, replicaSets: [] } }, 'cases')).toBe('controllerScenario');
    expect(adapterKey({ input: {} }, 'cases')).toBeUndefined();
  });
  it('a file with no cases is a failure, not a silent pass', () => {
    const [result] = runVectorFile('empty.json', { file: 'empty', ...META });
    expect(result).toMatchObject({ passed: false, message: 'the file holds no cases' });
  });
});
