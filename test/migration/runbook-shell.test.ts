import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readExistingApp } from '../../src/migration/existing-app';
import { type MigrationPlan, planMigration } from '../../src/migration/migration-plan';
import { renderRunbook, runbookJson } from '../../src/migration/render-runbook';
import { jsonVar, manifestsYaml, renderCommand } from '../../src/migration/shell-command';
import { parseAllDocuments } from 'yaml';
import { fixtureObjects, inNamespace, readFixture } from './helpers';

/**
 * Runs the rendered runbooks with bash against a stub `kubectl` (and a stub `sleep`) put first on
 * PATH. The stub answers by rules: the first rule whose text occurs in its arguments gives the
 * next of its answers (the last one repeats); a call no rule matches gets `defaultRc` and no
 * output. Every call is logged, every here-document kept.
 */
interface Answer {
  readonly out?: string;
  readonly rc?: number;
}
interface Rule {
  readonly match: string;
  readonly answers: readonly Answer[];
}
interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** kubectl argument lists, one line each, in call order. */
  readonly calls: string[];
  /** The here-documents kubectl read, in order. */
  readonly stdins: string[];
  readonly sleeps: number;
  /** The STOP lines printed, in order. */
  readonly stops: string[];
}

const STUB_KUBECTL = `#!/usr/bin/env bash
args="$*"
printf '%s\\n' "$args" >> "$STUB_DIR/calls.log"
if [ "$1" = apply ]; then n=$(ls "$STUB_DIR" | grep -c '^stdin\\.'); cat > "$STUB_DIR/stdin.$n"; fi
for m in "$STUB_DIR"/rules/*.match; do
  [ -e "$m" ] || break
  r="\${m%.match}"
  if [[ "$args" == *"$(cat "$m")"* ]]; then
    c=$(cat "$r.count" 2>/dev/null || echo 0)
    last=$(( $(cat "$r.answers") - 1 ))
    k=$(( c < last ? c : last ))
    echo $(( c + 1 )) > "$r.count"
    cat "$r.out.$k"
    exit "$(cat "$r.rc.$k")"
  fi
done
exit "$STUB_DEFAULT_RC"
`;

function runRunbook(text: string, rules: readonly Rule[], options: { errexit: boolean; defaultRc: number }): Run {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-stub-'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'bin', 'kubectl'), STUB_KUBECTL);
  writeFileSync(join(dir, 'bin', 'sleep'), '#!/bin/sh\necho "$@" >> "$STUB_DIR/sleep.log"\n');
  for (const f of ['kubectl', 'sleep']) chmodSync(join(dir, 'bin', f), 0o755);
  rules.forEach((rule, i) => {
    const base = join(dir, 'rules', String(i).padStart(3, '0'));
    writeFileSync(`${base}.match`, rule.match);
    writeFileSync(`${base}.answers`, String(rule.answers.length));
    rule.answers.forEach((a, k) => {
      writeFileSync(`${base}.out.${k}`, a.out ?? '');
      writeFileSync(`${base}.rc.${k}`, String(a.rc ?? 0));
    });
  });
  writeFileSync(join(dir, 'calls.log'), '');
  writeFileSync(join(dir, 'sleep.log'), '');
  const result = spawnSync('bash', options.errexit ? ['-e', '-s'] : ['-s'], {
    input: text,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, STUB_DIR: dir, STUB_DEFAULT_RC: String(options.defaultRc) },
  });
  const stdins = readdirSync(dir)
    .filter((f) => f.startsWith('stdin.'))
    .sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    calls: readFileSync(join(dir, 'calls.log'), 'utf8').split('\n').filter(Boolean),
    stdins,
    sleeps: readFileSync(join(dir, 'sleep.log'), 'utf8').split('\n').filter(Boolean).length,
    stops: result.stderr.split('\n').filter((l) => l.startsWith('STOP: ')),
  };
}

const out = (...values: string[]): Answer[] => values.map((v) => ({ out: v }));
const podNames = (n: number, prefix = 'pod'): string => `${Array.from({ length: n }, (_, i) => `${prefix}-${i}`).join('\n')}\n`;
const slices = (svc: string): string => `get endpointslices -l kubernetes.io/service-name=${svc} `;

function articlePlan(ns?: string): MigrationPlan {
  const before = ns ? inNamespace(readFixture('article-before.yaml'), ns) : readFixture('article-before.yaml');
  const after = ns ? inNamespace(fixtureObjects('article-after.yaml'), ns) : fixtureObjects('article-after.yaml');
  return planMigration({ after, existing: readExistingApp(before) });
}

/** Check commands of a direction that print a STOP line when they fail, as rendered shell. */
function checkShells(plan: MigrationPlan, direction: 'forward' | 'reverse'): { type: string; shell: string }[] {
  const pre = direction === 'forward' ? plan.preflight : plan.reversePreflight;
  const steps = direction === 'forward' ? plan.stages : plan.reverse;
  return [...pre, ...steps.flatMap((s) => s.checks)]
    .flatMap((c) => c.commands)
    .filter((c) => c.type !== 'capture' && c.type !== 'echo')
    .map((c) => ({ type: c.type, shell: renderCommand(c) }));
}

describe('the rendered runbook run by bash against a stub kubectl', () => {
  const plan = articlePlan();
  const forward = renderRunbook(plan, 'forward');
  const reverse = renderRunbook(plan, 'reverse');

  it('forward, every check passing: runs to the end under bash -e, waits for endpoints, applies the Rollout with its replicas in one go', () => {
    const run = runRunbook(
      forward,
      [
        { match: 'get deployment my-app-dep -o jsonpath={.spec.replicas}', answers: out('4', '4', '0') },
        { match: 'get apiservice v1beta1.metrics.k8s.io', answers: out('True') },
        { match: 'get hpa my-app-hpa -o jsonpath={.spec.scaleTargetRef.kind}/{.spec.scaleTargetRef.name}', answers: out('Deployment/my-app-dep') },
        // the canary Service's EndpointSlices are empty at the first look, then list 4 pods (one twice, in two slices)
        { match: slices('my-app-canary-svc'), answers: out('', `${podNames(4)}pod-0\n`) },
        { match: 'get virtualservice my-app-vs', answers: out('100 0') },
        { match: 'get hpa my-app-hpa -o jsonpath={.spec.minReplicas}', answers: out('4', '2') },
        { match: 'get rollout my-app-rollout -o jsonpath={.spec.paused}/{.spec.replicas}', answers: out('true/4') },
        { match: 'get service my-app-svc -o jsonpath={.spec.selector.rollouts-pod-template-hash}', answers: out('', '6d8f7c') },
        { match: 'get rollout my-app-rollout -o jsonpath={.status.availableReplicas}', answers: out('4') },
        { match: slices('my-app-svc'), answers: out(podNames(4, 'ro')) },
        { match: 'get rollout my-app-rollout -o jsonpath={.spec.replicas}', answers: out('4') },
      ],
      { errexit: true, defaultRc: 0 },
    );
    expect(run.stops, run.stderr).toEqual([]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('my-app-dep runs 4 replicas');
    expect(run.stdout).toContain('Migration of Deployment/my-app-dep to Rollout/my-app-rollout complete.');
    // one poll of the canary Service's slices came back short: one sleep, then the second look passed
    expect(run.calls.filter((c) => c.startsWith(slices('my-app-canary-svc')))).toHaveLength(2);
    expect(run.sleeps).toBe(1);
    // the Rollout is applied once, paused, with replicas 4 already in it, and never patched for replicas
    const rollouts = run.stdins.flatMap((s) => parseAllDocuments(s).map((d) => d.toJS() as { kind?: string })).filter((o) => o?.kind === 'Rollout');
    expect(rollouts).toMatchObject([{ spec: { replicas: 4, paused: true } }]);
    expect(run.calls.filter((c) => c.startsWith('patch rollout') && c.includes('replicas'))).toEqual([]);
    // v1 Endpoints are never read
    expect(run.calls.filter((c) => /^get (endpoints|ep) /.test(c))).toEqual([]);
    expect(run.calls.filter((c) => c.startsWith('get endpointslices '))).toHaveLength(4);
  });

  it('forward, every check failing: each one prints its own STOP line, with $REPLICAS expanded', () => {
    const run = runRunbook(forward, [{ match: 'get deployment my-app-dep -o jsonpath={.spec.replicas}', answers: out('11', '12') }], { errexit: false, defaultRc: 1 });
    // with REPLICAS=11 and every other kubectl call failing without output, only two checks pass:
    // "REPLICAS -ge 1" and "no pod-template-hash in the stable selector" (test -z on empty output)
    const checks = checkShells(plan, 'forward');
    const passing = checks.filter((c) => c.shell.startsWith('test "$REPLICAS" -ge 1 ') || c.shell.startsWith('test -z '));
    expect(passing).toHaveLength(2);
    expect(run.stops, run.stderr).toHaveLength(checks.length - passing.length);
    for (const line of run.stops) expect(line).not.toMatch(/\$[A-Z{]/);
    expect(run.stops).toEqual(
      expect.arrayContaining([
        'STOP: Deployment my-app-dep is not fully rolled out after 10m (kubectl rollout status failed)',
        'STOP: HPA my-app-hpa maxReplicas 10 is below the current replica count 11',
        'STOP: Service my-app-canary-svc has fewer than 11 ready endpoints after 120 s (it should select the Deployment pods)',
        'STOP: HPA my-app-hpa minReplicas is not 11',
        'STOP: Rollout my-app-rollout is not paused at 11 replicas',
        'STOP: Rollout my-app-rollout is not Healthy after 10m (kubectl argo rollouts status failed)',
        'STOP: Rollout my-app-rollout has fewer than 11 available pods',
        "STOP: Deployment my-app-dep's pods (app=my-app,!rollouts-pod-template-hash) are not gone after 10m (kubectl wait failed)",
        'STOP: Rollout my-app-rollout was scaled below 11 replicas',
      ]),
    );
    expect(run.stops.some((l) => l.startsWith('STOP: APIService v1beta1.metrics.k8s.io is missing or not Available') && l.includes('install metrics-server'))).toBe(true);
    expect(run.stops.some((l) => l.startsWith('STOP: HPA my-app-hpa is not ScalingActive after 3m'))).toBe(true);
    // the endpoint checks are bounded loops: 60 looks 2 s apart, then STOP
    expect(run.calls.filter((c) => c.startsWith(slices('my-app-canary-svc')))).toHaveLength(60);
    const awaits = checks.filter((c) => c.type === 'await').length;
    expect(run.sleeps).toBe(awaits * 60);
  });

  const reverseRules: Rule[] = [
    { match: 'get rollout my-app-rollout -o jsonpath={.spec.replicas}', answers: out('3') },
    { match: 'get hpa my-app-hpa -o jsonpath={.spec.minReplicas}', answers: out('3', '2') },
    { match: 'get hpa my-app-hpa -o jsonpath={.spec.scaleTargetRef.kind}', answers: out('Deployment') },
    { match: 'get rollout my-app-rollout -o jsonpath={.spec.paused}', answers: out('true') },
    // the controller has not released the stable Service at the first look, has at the second
    { match: 'get service my-app-svc -o jsonpath={.spec.selector.rollouts-pod-template-hash}', answers: out('6d8f7c', '') },
    { match: 'get service my-app-canary-svc -o jsonpath={.spec.selector.rollouts-pod-template-hash}', answers: out('') },
    { match: slices('my-app-svc'), answers: out(podNames(6)) },
    { match: 'get virtualservice my-app-vs', answers: out('my-app-svc') },
  ];

  it('reverse, every check passing: the controller releases the Services, the runbook never patches them', () => {
    const run = runRunbook(reverse, reverseRules, { errexit: true, defaultRc: 0 });
    expect(run.stops, run.stderr).toEqual([]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Reverse migration to Deployment/my-app-dep complete.');
    expect(run.calls.filter((c) => c.startsWith('patch service'))).toEqual([]);
    expect(run.sleeps).toBe(1);
    // detach, then the wait for the release, then the Rollout is deleted
    const detach = run.calls.findIndex((c) => c.startsWith('patch rollout my-app-rollout --type json'));
    const released = run.calls.findIndex((c) => c.startsWith('get service my-app-canary-svc'));
    const deleted = run.calls.findIndex((c) => c.startsWith('delete rollout my-app-rollout'));
    expect(detach).toBeGreaterThanOrEqual(0);
    expect(detach).toBeLessThan(released);
    expect(released).toBeLessThan(deleted);
  });

  it('reverse, every check failing: each one prints its own STOP line, with $REPLICAS expanded', () => {
    const run = runRunbook(reverse, [{ match: 'get rollout my-app-rollout -o jsonpath={.spec.replicas}', answers: out('3') }], { errexit: false, defaultRc: 1 });
    const checks = checkShells(plan, 'reverse');
    // only "REPLICAS -ge 1" and the waits for an empty selector (test -z on empty output) pass
    const passing = checks.filter((c) => c.shell.startsWith('test "$REPLICAS" -ge 1 ') || c.shell.includes('do test -z '));
    expect(passing).toHaveLength(3);
    expect(run.stops, run.stderr).toHaveLength(checks.length - passing.length);
    for (const line of run.stops) expect(line).not.toMatch(/\$[A-Z{]/);
    expect(run.stops).toEqual(
      expect.arrayContaining([
        'STOP: Rollout my-app-rollout is not Healthy after 1m (kubectl argo rollouts status failed)',
        'STOP: HPA my-app-hpa minReplicas is not 3',
        'STOP: Service my-app-svc has fewer than 3 ready endpoints after 120 s (Deployment and Rollout pods)',
        "STOP: Rollout my-app-rollout's pods (app=my-app,rollouts-pod-template-hash) are not gone after 10m (kubectl wait failed)",
        'STOP: Service my-app-svc has fewer than 3 ready endpoints after 120 s (the Deployment pods)',
      ]),
    );
  });

  it('a Service the controller never releases: bounded wait, then a STOP line naming the patch that does it by hand', () => {
    const run = runRunbook(
      reverse,
      // (the first matching rule answers: this one shadows the release in reverseRules)
      [{ match: 'get service my-app-svc -o jsonpath={.spec.selector.rollouts-pod-template-hash}', answers: out('6d8f7c') }, ...reverseRules],
      { errexit: true, defaultRc: 0 },
    );
    expect(run.status).not.toBe(0);
    expect(run.calls.filter((c) => c.startsWith('get service my-app-svc'))).toHaveLength(30);
    expect(run.stops).toHaveLength(1);
    expect(run.stops[0]).toContain('STOP: Service my-app-svc still carries rollouts-pod-template-hash in its selector after 60 s');
    expect(run.stops[0]).toContain(
      `kubectl patch service my-app-svc --type merge -p '{"metadata":{"annotations":{"argo-rollouts.argoproj.io/managed-by-rollouts":null}},"spec":{"selector":{"rollouts-pod-template-hash":null}}}'`,
    );
    // bash -e stopped there: the Rollout was not deleted
    expect(run.calls.some((c) => c.startsWith('delete rollout'))).toBe(false);
  });
});

describe('here-documents with shell variables', () => {
  it('expand only the variables: $, backquotes and backslashes in the manifest reach kubectl unchanged', () => {
    const object = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', annotations: { cmd: 'echo $HOME `id` \\ "q" \'s\' $(date) ${PATH}' } },
      spec: { replicas: jsonVar('REPLICAS') },
    };
    const line = renderCommand({ type: 'run', call: { program: 'cat', args: [], stdin: manifestsYaml([object]) } });
    expect(line.split('\n')[0]).toBe('cat <<MANIFEST');
    const result = spawnSync('bash', ['-c', `REPLICAS=7\n${line}`], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(parseAllDocuments(result.stdout).map((d) => d.toJS())).toEqual([{ ...object, spec: { replicas: 7 } }]);
  });

  it('are YAML that reads back the same under YAML 1.1 (kubectl) and 1.2', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { a: 'on', b: 'yes', c: '0644', d: '12:30', e: 'N' } }, data: { mode: 420 } };
    const text = manifestsYaml([object]);
    expect(typeof text).toBe('string');
    for (const version of ['1.1', '1.2'] as const) expect(parseAllDocuments(text as string, { version }).map((d) => d.toJS()), version).toEqual([object]);
  });

  it('stay quoted (no expansion at all) when the manifest holds no variable', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { cmd: 'echo $HOME `id`' } } };
    const line = renderCommand({ type: 'run', call: { program: 'cat', args: [], stdin: manifestsYaml([object]) } });
    expect(line.split('\n')[0]).toBe("cat <<'MANIFEST'");
    const result = spawnSync('bash', ['-c', line], { encoding: 'utf8' });
    expect(parseAllDocuments(result.stdout).map((d) => d.toJS())).toEqual([object]);
  });
});

describe('every rendered runbook is valid bash', () => {
  const withoutHpa = (): MigrationPlan => {
    const before = readFixture('article-before.yaml').filter((m) => m.object.kind !== 'HorizontalPodAutoscaler');
    const after = fixtureObjects('article-after.yaml')
      .filter((o) => o.kind !== 'HorizontalPodAutoscaler')
      .map((o) => (o.kind === 'Rollout' ? { ...o, spec: { replicas: 3, ...(o.spec as object) } } : o));
    return planMigration({ after, existing: readExistingApp(before) });
  };
  const plans: [string, () => MigrationPlan][] = [
    ['article', () => articlePlan()],
    ['article in a namespace', () => articlePlan('prod')],
    ['article without HPA', withoutHpa],
    ['article, canary set only', () => planMigration({ after: fixtureObjects('article-after.yaml') })],
  ];
  for (const [name, make] of plans) {
    it(`${name}: bash -n accepts the forward and the reverse runbook, and every JSON command`, () => {
      const plan = make();
      const json = JSON.stringify(runbookJson(plan));
      const shells = [...json.matchAll(/"shell":("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]) as string);
      expect(shells.length).toBeGreaterThan(20);
      for (const text of [renderRunbook(plan, 'forward'), renderRunbook(plan, 'reverse'), ...shells]) {
        const result = spawnSync('bash', ['-n'], { input: text, encoding: 'utf8' });
        expect(result.status, `${result.stderr}\n${text.slice(0, 300)}`).toBe(0);
      }
    });
  }
});
