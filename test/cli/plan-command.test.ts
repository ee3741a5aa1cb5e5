import { formatSimulationTable } from '../../src/cli/format/simulate-table';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifests } from '../../src/model/manifests';
import { plan } from '../../src/runtime/plan';
import { LINT_FIXTURES } from '../lint/helpers';
import { packageVersion } from '../../src/cli/package-version';
import { MemoryIo, runCli } from '../support/cli';
import { FIXTURES_DIR } from '../support/paths';

const AUTOMATIC = join(FIXTURES_DIR, 'article-automatic.yaml');
const MANUAL = join(FIXTURES_DIR, 'article-manual.yaml');

/** Data lines of a plan table (between the dashed rule and the blank line). */
function tableRows(out: string): string[] {
  const lines = out.split('\n');
  const start = lines.findIndex((l) => /^-+ {2}-+/.test(l)) + 1;
  return lines.slice(start, lines.indexOf('', start));
}

describe('cdk8s-canary plan', () => {
  it("table: the article's automatic profile, one aligned line per step with weights, pods, added and pause", async () => {
    const { code, out } = await runCli(['plan', AUTOMATIC, '--replicas', '10']);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toBe('Rollout my-app-rollout: 12 steps with 10 replicas (pods after each step)');
    const rows = tableRows(out);
    expect(rows).toHaveLength(12);
    expect(rows[0].split(/ +/).filter(Boolean)).toEqual(['0', 'setWeight', '1%', '1', '99', '2', '10', '12', '+2']);
    expect(rows[10].split(/ +/).filter(Boolean)).toEqual(['10', 'setWeight', '100%', '100', '0', '10', '10', '20', '+1']);
    expect(rows[11].split(/ +/).filter(Boolean)).toEqual(['11', 'pause', '15s', '100', '0', '10', '10', '20', '0', '15s']);
    expect(out).toContain('No surge: no step adds more than 30% of 10 replicas at once.');
  });

  it('table fits 100 columns for the 14-step manual profile', async () => {
    const { code, out } = await runCli(['plan', MANUAL, '--replicas', '10']);
    expect(code).toBe(0);
    expect(tableRows(out)).toHaveLength(14);
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(out).toContain('canary scale: match weight');
    expect(out).toMatch(/until promoted\n/);
  });

  it('marks surges with "!" and names their steps', async () => {
    const { out } = await runCli(['plan', join(LINT_FIXTURES, 'pod-surge.yaml'), '--replicas', '10']);
    const rows = tableRows(out);
    expect(rows[1]).toMatch(/ \+4! *$/);
    expect(rows[0]).toMatch(/ \+2 *$/);
    expect(out).toContain('! Surge at step 1, 2: more than 30% of 10 replicas added at once.');
  });

  it('json is exactly the runtime plan (design.md §5 shape)', async () => {
    const { code, out } = await runCli(['plan', AUTOMATIC, '--replicas', '10', '--format', 'json']);
    expect(code).toBe(0);
    const expected = plan(readManifests({ text: readFileSync(AUTOMATIC, 'utf8'), file: AUTOMATIC }), { replicas: 10 });
    expect(JSON.parse(out)).toEqual(expected);
    expect(Object.keys(JSON.parse(out).rows[0])).toEqual([
      'step', 'action', 'canaryWeight', 'stableWeight', 'canaryReplicas', 'stableReplicas', 'totalPods', 'podsAdded', 'pause',
    ]);
  });

  it('markdown: a GitHub table with one row per step, pauses and surges marked', async () => {
    const { out } = await runCli(['plan', join(LINT_FIXTURES, 'pod-surge.yaml'), '--replicas', '10', '--format', 'markdown']);
    const lines = out.split('\n');
    expect(lines[0]).toBe('### Canary plan: `my-app-rollout` with 10 replicas');
    const rows = lines.filter((l) => /^\| \d/.test(l));
    expect(rows).toEqual([
      '| 0 | setWeight 10% | 10 | 90 | 2 | 10 | 12 | +2 |  |',
      '| 1 | setWeight 60% | 60 | 40 | 6 | 10 | 16 | **+4** ⚠️ surge |  |',
      '| 2 | setWeight 100% | 100 | 0 | 10 | 10 | 20 | **+4** ⚠️ surge |  |',
      '| 3 | pause 15s | 100 | 0 | 10 | 10 | 20 | 0 | ⏸ 15s |',
    ]);
    expect(out).toContain('⚠️ Surge at step 1, 2');
  });

  it('--output writes the file and nothing to stdout; an unwritable path exits 2 naming it', async () => {
    const io = new MemoryIo();
    expect((await runCli(['plan', AUTOMATIC, '--format', 'svg', '--output', 'out/plan.svg'], io)).code).toBe(0);
    expect(io.out).toBe('');
    expect(io.written.get('out/plan.svg')).toMatch(/^<svg /);
    const bad = await runCli(['plan', AUTOMATIC, '--output', '/unwritable/plan.txt']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('cannot write --output /unwritable/plan.txt');
  });

  it('without --replicas it plans with the HPA minimum (the article: 2)', async () => {
    const { out } = await runCli(['plan', AUTOMATIC, '--format', 'json']);
    expect(JSON.parse(out).replicas).toBe(2);
  });

  it('bad input exits 2 with a message naming the problem', async () => {
    const zero = await runCli(['plan', AUTOMATIC, '--replicas', '0']);
    expect(zero.code).toBe(2);
    expect(zero.err).toContain('"0" is not a whole number of at least 1');
    const unknown = await runCli(['plan', AUTOMATIC, '--rollout', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('nope');
    const missing = await runCli(['plan', 'no/such.yaml'], new MemoryIo({}, false));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read manifest file no/such.yaml');
    const svcOnly = await runCli(['plan', 'svc.yaml'], new MemoryIo({ 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: x}\n' }, false));
    expect(svcOnly.code).toBe(2);
    expect(svcOnly.err).toMatch(/Rollout/);
  });
});

describe('cdk8s-canary simulate', () => {
  const scenario = 'replicas: 10\npodReadySeconds: 5\nuntil: 200\nevents:\n  - {at: 0, update: {image: "my-image:2"}}\n  - {at: 60, abort: {}}\n';

  it('table: merged tick lines, the abort and the final state', async () => {
    const { code, out } = await runCli(['simulate', AUTOMATIC, '--scenario', 'abort.yaml'], new MemoryIo({ 'abort.yaml': scenario }));
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[2]).toMatch(/^ *TICK +T +STEP +PHASE +CANARY% +STABLE% +REPLICASETS/);
    const abortRow = out.match(/ 1m00s +0 +Degraded +0 +100 +r1:S 10\/10 +r2:C 7\/7 +r1\/r1 +aborted +(\d+)$/m);
    expect(abortRow).not.toBeNull();
    // MSG numbers the message; the list under the table has it in full
    expect(out).toContain(`\n  ${abortRow![1]}  RolloutAborted: Rollout aborted update to revision 2\n`);
    expect(out).toContain('End at 1m30s: Degraded, weights canary 0 / stable 100.');
  });

  it('table: a long message does not widen the table; it is listed whole, wrapped at 100 columns', async () => {
    const long = `ProgressDeadlineExceeded: ${'ReplicaSet "my-app-rollout-5f8c9b" has timed out progressing. '.repeat(3)}`.trim();
    const result = (last: string) => ({
      rollout: 'r',
      ticks: [0, 1, 2].map((i) => ({
        t: i * 10,
        stepIndex: i,
        phase: i === 2 ? 'Degraded' : 'Progressing',
        message: i === 2 ? last : 'more replicas need to be updated',
        weights: { canary: 10, stable: 90 },
        replicaSets: [
          { revision: 2, role: 'stable' as const, replicas: 10, available: 10 },
          { revision: 3, role: 'canary' as const, replicas: 10, available: 10 },
        ],
        services: { stable: 2, canary: 3 },
        paused: false,
        aborted: i === 2,
      })),
    });
    const out = formatSimulationTable(result(long));
    const short = formatSimulationTable(result('x'));
    const tableWidth = (text: string) => Math.max(...text.split('\n\n')[1].split('\n').map((l) => l.length));
    expect(tableWidth(out)).toBe(tableWidth(short));
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    const listed = out.slice(out.indexOf('Messages:\n') + 'Messages:\n'.length, out.indexOf('\n\nEnd at'));
    const entries = listed.split(/\n(?= {2}\d)/).map((e) => e.trim().split(/\s+/));
    expect(entries.map((words) => words[0])).toEqual(['1', '2']);
    expect(entries[1].slice(1).join(' ')).toBe(long);
    expect(out).toMatch(/ 20s +2 +Degraded .* aborted +2$/m);
  });

  it('table: the example app\'s abort and retry run fits 100 columns', async () => {
    const abortRetry = `${scenario.replace('until: 200\n', '')}  - {at: 90, retry: {}}\n`;
    const { code, out } = await runCli(['simulate', AUTOMATIC, '--scenario', 'retry.yaml'], new MemoryIo({ 'retry.yaml': abortRetry }));
    expect(code).toBe(0);
    expect(out).toContain('Healthy');
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('json is exactly the runtime simulation', async () => {
    const { out } = await runCli(['simulate', AUTOMATIC, '--scenario', 'abort.yaml', '--format', 'json'], new MemoryIo({ 'abort.yaml': scenario }));
    const parsed = JSON.parse(out);
    expect(parsed.rollout).toBe('my-app-rollout');
    const last = parsed.ticks[parsed.ticks.length - 1];
    expect(last).toMatchObject({ phase: 'Degraded', aborted: true, weights: { canary: 0, stable: 100 } });
  });

  it('a missing --scenario, an unreadable one, or an invalid one exits 2 naming the file', async () => {
    const none = await runCli(['simulate', AUTOMATIC]);
    expect(none.code).toBe(2);
    expect(none.err).toContain("required option '--scenario <file>' not specified");
    const unreadable = await runCli(['simulate', AUTOMATIC, '--scenario', 'gone.yaml'], new MemoryIo({}, true));
    expect(unreadable.code).toBe(2);
    expect(unreadable.err).toContain('cannot read scenario file gone.yaml');
    const invalid = await runCli(['simulate', AUTOMATIC, '--scenario', 'bad.yaml'], new MemoryIo({ 'bad.yaml': 'events:\n  - {at: -5, promote: {}}\n' }));
    expect(invalid.code).toBe(2);
    expect(invalid.err).toContain('bad.yaml: ');
    expect(invalid.err).toContain('-5');
    const yaml = await runCli(['simulate', AUTOMATIC, '--scenario', 'broken.yaml'], new MemoryIo({ 'broken.yaml': 'events: [\n' }));
    expect(yaml.code).toBe(2);
    expect(yaml.err).toContain('broken.yaml: invalid YAML/JSON');
  });
});

describe('help', () => {
  it.each([
    ['plan', ['--rollout <name>', '--replicas <n>', '--format <format>', '(choices: "table", "json", "markdown", "svg", default: "table")', '--output <file>', '--surge-threshold <percent>', 'Exit codes']],
    ['simulate', ['--scenario <file>', '--rollout <name>', '(choices: "table", "json", default: "table")', 'podReadySeconds', 'Exit codes']],
    ['lint', ['--format <format>', '(choices: "text", "json", default: "text")', '--surge-threshold <percent>', '--replicas <n>', '--disable <rules>', 'Exit codes']],
  ])('%s --help documents every option and exits 0', async (command, expected) => {
    const { code, out } = await runCli([command, '--help']);
    expect(code).toBe(0);
    const flat = out.replace(/\s+/g, ' '); // commander wraps to the terminal width
    for (const text of expected) expect(flat).toContain(text);
  });

  it('the top-level help lists the commands', async () => {
    const { code, out } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of ['plan', 'simulate', 'lint']) expect(out).toMatch(new RegExp(`\\n  ${command} \\[options\\] <files\\.\\.\\.>`));
  });
});

describe('--version', () => {
  it.each([['--version'], ['-V']])('%s prints the package.json version and exits 0', async (flag) => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    const { code, out, err } = await runCli([flag]);
    expect({ code, out, err }).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });

  it('names the folder when no cdk8s-canary package.json is above it', () => {
    expect(() => packageVersion('/proc/self')).toThrow('no package.json of cdk8s-canary in /proc/self or above it');
  });
});
