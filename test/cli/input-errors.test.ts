import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryIo, runCli } from '../support/cli';
import { FIXTURES_DIR } from '../support/paths';

const CLEAN = join(FIXTURES_DIR, 'lint', 'clean.yaml');

/**
 * Issue 20 #12, #19, #11: every command reads manifests through the one reader
 * (src/cli/load-manifests.ts) and fails on unreadable input the same way: exit 2, one line that
 * names the file, no stack trace.
 */

/** Nine levels of nine aliases each: 9^9 strings once expanded ("billion laughs"). */
const LAUGHS = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat('bcdefghi'.split('').map((name, i) => {
    const prev = 'abcdefghi'[i];
    return `${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`;
  }))
  .join('\n');

const SCENARIO = 'replicas: 2\nevents:\n  - {at: 0, update: {image: "x:2"}}\n';

describe('hostile and empty input: one error path for every command', () => {
  const laughsMessage =
    'cdk8s-canary: laughs.yaml: invalid YAML in document 1: its aliases expand beyond 100 alias uses ' +
    '(Excessive alias count indicates a resource exhaustion attack)\n';

  it.each([
    ['lint', ['lint', 'laughs.yaml']],
    ['plan', ['plan', 'laughs.yaml']],
    ['simulate', ['simulate', 'laughs.yaml', '--scenario', 'scenario.yaml']],
    ['convert', ['convert', 'laughs.yaml']],
    ['migrate', ['migrate', 'laughs.yaml']],
    ['migrate --existing', ['migrate', join(FIXTURES_DIR, 'migration', 'article-after.yaml'), '--existing', 'laughs.yaml']],
  ])('%s: billion-laughs YAML exits 2 with one line naming the file', async (_name, argv) => {
    const io = new MemoryIo({ 'laughs.yaml': LAUGHS, 'scenario.yaml': SCENARIO });
    const { code, out, err } = await runCli(argv, io);
    expect(code).toBe(2);
    expect(err).toBe(laughsMessage);
    expect(out).toBe('');
  });

  it('simulate: a billion-laughs scenario file is bad input naming the scenario file', async () => {
    const io = new MemoryIo({ 'laughs.yaml': LAUGHS });
    const { code, err } = await runCli(['simulate', join(FIXTURES_DIR, 'basic-canary.yaml'), '--scenario', 'laughs.yaml'], io);
    expect(code).toBe(2);
    expect(err).toBe('cdk8s-canary: laughs.yaml: invalid YAML/JSON: Excessive alias count indicates a resource exhaustion attack\n');
  });

  it.each([
    ['plan', ['plan', 'svc.yaml', 'empty.yaml']],
    ['simulate', ['simulate', 'svc.yaml', 'empty.yaml', '--scenario', 'scenario.yaml']],
  ])('%s: "no Rollout" names the files read and what they held (#19)', async (_name, argv) => {
    const io = new MemoryIo({ 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n', 'empty.yaml': '', 'scenario.yaml': SCENARIO }, false);
    const { code, err } = await runCli(argv, io);
    expect(code).toBe(2);
    expect(err).toBe('cdk8s-canary: no Rollout (apiVersion argoproj.io/v1alpha1, kind Rollout) in svc.yaml, empty.yaml (read: Service/web)\n');
  });

  it('lint: a file without a Rollout is not "No findings": exit 2 naming the file (#11)', async () => {
    const io = new MemoryIo({ 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n' }, false);
    const { code, out, err } = await runCli(['lint', 'svc.yaml'], io);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe('cdk8s-canary: lint: no Rollout (apiVersion argoproj.io/v1alpha1, kind Rollout) in svc.yaml (read: Service/web)\n');
  });

  it('lint, plan and simulate also read a folder (its .yaml files), like convert and migrate', async () => {
    const folder = new MemoryIo({ 'app/clean.yaml': readFileSync(CLEAN, 'utf8'), 'app/notes.txt': 'not read' }, false);
    const viaFolder = await runCli(['lint', 'app'], folder);
    expect(viaFolder.code).toBe(0);
    expect(viaFolder.out).toBe('No findings in 1 file.\n');
  });

  it('a missing file exits 2 with the same message in every command', async () => {
    for (const command of ['lint', 'plan', 'convert', 'migrate']) {
      const { code, err } = await runCli([command, 'gone.yaml'], new MemoryIo({}, false));
      expect(code).toBe(2);
      expect(err).toBe('cdk8s-canary: cannot read manifest file gone.yaml (ENOENT)\n');
    }
  });

  it('replica counts: --replicas above int32 is bad usage; a scenario above the simulator bound is refused before any pod is made (#13)', async () => {
    const plan = await runCli(['plan', join(FIXTURES_DIR, 'basic-canary.yaml'), '--replicas', '2147483648']);
    expect(plan.code).toBe(2);
    expect(plan.err).toContain(
      "error: option '--replicas <n>' argument '2147483648' is invalid. \"2147483648\" is above 2147483647, the most replicas a Rollout can hold (spec.replicas is an int32).",
    );
    const io = new MemoryIo({ 'big.yaml': 'replicas: 20000000\nevents:\n  - {at: 0, update: {image: "x:2"}}\n' });
    const file = join(FIXTURES_DIR, 'basic-canary.yaml');
    const simulate = await runCli(['simulate', file, '--scenario', 'big.yaml'], io);
    expect(simulate.code).toBe(2);
    expect(simulate.err).toBe(
      `cdk8s-canary: ${file}: Rollout/basic: replicas (20000000) is above the 2000 replicas the simulator models (it keeps every pod, so time and ` +
        'memory grow with the square of the replicas); plan or simulate at 2000 or fewer (--replicas, scenario replicas): the step proportions are the same\n',
    );
  });
});

describe('migrate --existing takes one path per use (issue 20 #16)', () => {
  const after = join(FIXTURES_DIR, 'migration', 'article-after.yaml');
  const before = join(FIXTURES_DIR, 'migration', 'article-before.yaml');

  it('the FILES after --existing stay the command\'s FILES (a variadic option swallowed them)', async () => {
    const separate = await runCli(['migrate', '--existing', before, after, '--format', 'json']);
    const usual = await runCli(['migrate', after, '--existing', before, '--format', 'json']);
    expect(separate.err).toBe('');
    expect(separate.code).toBe(0);
    expect(separate.out).toBe(usual.out);
  });

  it('repeated, it reads every path (files and folders)', async () => {
    const io = new MemoryIo({ 'today/app.yaml': readFileSync(before, 'utf8') });
    const folder = await runCli(['migrate', after, '--existing', 'today', '--format', 'json'], io);
    const file = await runCli(['migrate', after, '--existing', before, '--format', 'json']);
    expect(folder.code).toBe(0);
    expect(folder.out).toBe(file.out);
    const twice = await runCli(['migrate', after, '--existing', before, '--existing', before, '--format', 'json']);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('2 Deployments in the input (my-app-dep, my-app-dep)'); // both uses were read
  });
});
