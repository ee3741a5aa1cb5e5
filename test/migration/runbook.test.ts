import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readExistingApp } from '../../src/migration/existing-app';
import { planMigration } from '../../src/migration/migration-plan';
import { renderRunbook, runbookJson } from '../../src/migration/render-runbook';
import { fixtureObjects, inNamespace, kubectlInvocations, kubectlProblems, readFixture, yamlOf } from './helpers';

interface CommandJson {
  readonly shell: string;
  readonly type: string;
}
interface StepJson {
  readonly id: string;
  readonly commands: CommandJson[];
  readonly checks: { text: string; commands: CommandJson[] }[];
  readonly wayBack: { text: string; commands: CommandJson[] };
}

function articlePlan(ns?: string) {
  const before = ns ? inNamespace(readFixture('article-before.yaml'), ns) : readFixture('article-before.yaml');
  const after = ns ? inNamespace(fixtureObjects('article-after.yaml'), ns) : fixtureObjects('article-after.yaml');
  return planMigration({ after, existing: readExistingApp(before) });
}

function allCommands(json: ReturnType<typeof runbookJson>): string[] {
  const j = json as { preflight: StepJson['checks']; stages: StepJson[]; reversePreflight: StepJson['checks']; reverse: StepJson[] };
  const fromSteps = (steps: StepJson[]): string[] =>
    steps.flatMap((s) => [...s.commands, ...s.checks.flatMap((c) => c.commands), ...s.wayBack.commands].map((c) => c.shell));
  return [
    ...j.preflight.flatMap((c) => c.commands.map((x) => x.shell)),
    ...fromSteps(j.stages),
    ...j.reversePreflight.flatMap((c) => c.commands.map((x) => x.shell)),
    ...fromSteps(j.reverse),
  ];
}

/** The JSON payload of the `-p` flag of a rendered `kubectl patch` (shell variables substituted). */
function payloadOf(shell: string): unknown {
  const [inv] = kubectlInvocations(shell);
  return JSON.parse(inv.argv[inv.argv.indexOf('-p') + 1]);
}

describe('migrate runbook for the article app', () => {
  const plan = articlePlan();
  const json = runbookJson(plan) as { stages: StepJson[]; reverse: StepJson[] };

  it('follows the article order, adjusted: companions and route first, Deployment scaled down only after the Rollout is Healthy', () => {
    expect(json.stages.map((s) => s.id)).toEqual([
      'add-companions',
      'route-weights',
      'pin-hpa-min',
      'create-rollout-paused',
      'unpause-rollout',
      'scale-deployment-to-zero',
      'hpa-to-rollout',
      'restore-hpa-min',
    ]);
    const unpause = json.stages.find((s) => s.id === 'unpause-rollout')!;
    const checks = unpause.checks.flatMap((c) => c.commands.map((x) => x.shell));
    expect(checks.some((c) => c.startsWith('kubectl argo rollouts status my-app-rollout --timeout 10m || { echo '))).toBe(true);
    expect(checks.some((c) => c.includes('{.status.availableReplicas}') && c.includes('-ge "$REPLICAS"'))).toBe(true);
    expect(checks.some((c) => c.startsWith('test -n') && c.includes('rollouts-pod-template-hash'))).toBe(true);
  });

  it("issues the article's commands for the user's names", () => {
    const cmd = (id: string, i = 0): string => json.stages.find((s) => s.id === id)!.commands[i].shell;
    expect(payloadOf(cmd('pin-hpa-min'))).toEqual({ spec: { minReplicas: 4 } });
    expect(cmd('pin-hpa-min')).toMatch(/^kubectl patch hpa my-app-hpa /);
    // one apply with the replica count (REPLICAS=4 once the shell expands the here-document), no patch after it
    const create = json.stages.find((s) => s.id === 'create-rollout-paused')!.commands;
    expect(create).toHaveLength(1);
    const [applied] = kubectlInvocations(create[0].shell);
    expect(applied.argv.slice(0, 3)).toEqual(['apply', '-f', '-']);
    expect(yamlOf(applied.stdin!)).toMatchObject({ kind: 'Rollout', spec: { replicas: 4, paused: true, workloadRef: { name: 'my-app-dep' } } });
    expect(payloadOf(cmd('unpause-rollout'))).toEqual({ spec: { paused: false } });
    expect(cmd('scale-deployment-to-zero')).toMatch(/^kubectl patch deployment my-app-dep /);
    expect(payloadOf(cmd('scale-deployment-to-zero'))).toEqual({ spec: { replicas: 0 } });
    expect(payloadOf(cmd('hpa-to-rollout'))).toEqual({
      spec: { scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'my-app-rollout' } },
    });
    expect(payloadOf(cmd('restore-hpa-min'))).toEqual({ spec: { minReplicas: 2 } });
  });

  it('adds the canary destination with a JSON patch that first tests the live route', () => {
    const ops = payloadOf(json.stages.find((s) => s.id === 'route-weights')!.commands[0].shell) as { op: string; path: string; value: unknown }[];
    expect(ops[0]).toEqual({ op: 'test', path: '/spec/http/0/route/0/destination/host', value: 'my-app-svc' });
    expect(ops[1].path).toBe('/spec/http/0');
    expect(ops[1].value).toEqual({
      name: 'primary',
      route: [
        { destination: { host: 'my-app-svc', port: { number: 80 } }, weight: 100 },
        { destination: { host: 'my-app-canary-svc', port: { number: 80 } }, weight: 0 },
      ],
    });
    const back = payloadOf(json.stages.find((s) => s.id === 'route-weights')!.wayBack.commands[0].shell) as { value: unknown }[];
    expect(back[1].value).toEqual({ route: [{ destination: { host: 'my-app-svc', port: { number: 80 } } }] });
  });

  it('has a check and a way back at every step, forward and reverse', () => {
    for (const step of [...json.stages, ...json.reverse]) {
      expect(step.wayBack.text.length, step.id).toBeGreaterThan(10);
      if (step.id !== 'remove-companions') expect(step.checks.length, step.id).toBeGreaterThan(0);
    }
    const withoutCommands = [...json.stages, ...json.reverse].filter((s) => s.wayBack.commands.length === 0).map((s) => s.id);
    expect(withoutCommands).toEqual(['delete-rollout']);
  });

  it('renders only valid kubectl: every command tokenizes, uses known subcommands and flags, and every -p payload is JSON', () => {
    const commands = allCommands(runbookJson(plan));
    const invocations = commands.flatMap(kubectlInvocations);
    expect(invocations.length).toBeGreaterThan(50);
    const problems = invocations.flatMap((inv) => kubectlProblems(inv).map((p) => `${p} in: ${inv.source}`));
    expect(problems).toEqual([]);
  });

  it('the kubectl checker rejects broken commands (so the test above can fail)', () => {
    const bad = [
      `kubectl patch hpa x --type merge -p '{"spec":{"minReplicas": }}'`,
      `kubectl pach hpa x`,
      `kubectl get hpa x --output-format json`,
      `kubectl wait --for=ready pod -l app=x`,
      `kubectl apply -f -`,
    ];
    for (const b of bad) expect(kubectlInvocations(b).flatMap(kubectlProblems), b).not.toEqual([]);
  });

  it('passes bash -n, forward and reverse, and every active line of the JSON appears in the runbook', () => {
    for (const direction of ['forward', 'reverse'] as const) {
      const text = renderRunbook(plan, direction);
      const result = spawnSync('bash', ['-n'], { input: text, encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      const steps = direction === 'forward' ? json.stages : json.reverse;
      for (const s of steps) for (const c of s.commands) expect(text).toContain(c.shell);
      for (const s of steps) for (const c of s.wayBack.commands) expect(text).toContain(`#   ${c.shell.split('\n')[0]}`);
    }
  });

  it('names the namespace on every namespaced command', () => {
    const nsPlan = articlePlan('prod');
    const invocations = allCommands(runbookJson(nsPlan)).flatMap(kubectlInvocations);
    const clusterScoped = (inv: { argv: string[] }): boolean => inv.argv[0] === 'get' && ['crd', 'apiservice'].includes(inv.argv[1]);
    const missing = invocations.filter((inv) => !clusterScoped(inv) && !inv.argv.join(' ').includes('-n prod'));
    expect(missing.map((m) => m.source)).toEqual([]);
  });

  it('reverse procedure: Deployment up and ready before the Rollout lets go of the Services, Rollout deleted last', () => {
    expect(json.reverse.map((s) => s.id)).toEqual([
      'pin-hpa-min',
      'scale-deployment-up',
      'hpa-to-deployment',
      'detach-rollout',
      'delete-rollout',
      'restore-route',
      'restore-hpa-min',
      'remove-companions',
    ]);
    const up = json.reverse.find((s) => s.id === 'scale-deployment-up')!;
    expect(up.commands[0].shell).toBe('kubectl scale deployment/my-app-dep --replicas="$REPLICAS"');
    expect(up.checks[0].commands[0].shell).toMatch(/^kubectl rollout status deployment\/my-app-dep --timeout=10m \|\| \{ echo 'STOP: /);
    const detach = payloadOf(json.reverse.find((s) => s.id === 'detach-rollout')!.commands[0].shell);
    expect(detach).toEqual([
      { op: 'add', path: '/spec/paused', value: true },
      { op: 'replace', path: '/spec/strategy', value: { canary: {} } },
    ]);
    // the controller releases both Services once the strategy no longer names them: the step waits for
    // it (bounded), and only the STOP message names the patch that would do it by hand
    const detachStep = json.reverse.find((s) => s.id === 'detach-rollout')!;
    expect(detachStep.commands).toHaveLength(1);
    const released = detachStep.checks.flatMap((c) => c.commands).filter((c) => c.type === 'await' && c.shell.includes('{.spec.selector.rollouts-pod-template-hash}'));
    expect(released.map((c) => /kubectl get service (\S+)/.exec(c.shell)![1])).toEqual(['my-app-svc', 'my-app-canary-svc']);
    const byHand = /(kubectl patch service my-app-svc .*\}\}\}'\\'')/.exec(released[0].shell)![1].replace(/'\\''/g, "'");
    expect(payloadOf(byHand)).toEqual({
      metadata: { annotations: { 'argo-rollouts.argoproj.io/managed-by-rollouts': null } },
      spec: { selector: { 'rollouts-pod-template-hash': null } },
    });
    expect(payloadOf(json.reverse.find((s) => s.id === 'restore-hpa-min')!.commands[0].shell)).toEqual({ spec: { minReplicas: 2 } });
  });

  it('without an HPA there is no HPA step and the fixed replica count is checked up front', () => {
    const before = readFixture('article-before.yaml').filter((m) => m.object.kind !== 'HorizontalPodAutoscaler');
    const after = fixtureObjects('article-after.yaml')
      .filter((o) => o.kind !== 'HorizontalPodAutoscaler')
      .map((o) => (o.kind === 'Rollout' ? { ...o, spec: { replicas: 3, ...(o.spec as object) } } : o));
    const p = planMigration({ after, existing: readExistingApp(before) });
    expect(p.stages.map((s) => s.id)).toEqual(['add-companions', 'route-weights', 'create-rollout-paused', 'unpause-rollout', 'scale-deployment-to-zero']);
    const pre = runbookJson(p) as { preflight: { commands: CommandJson[] }[] };
    expect(pre.preflight.flatMap((c) => c.commands.map((x) => x.shell))).toContain(
      `test "$REPLICAS" -le 3 || { echo 'STOP: the Rollout'\\''s replicas (3) are below the current replica count '"$REPLICAS" >&2; false; }`,
    );
  });

  it('checks up front that the metrics API each HPA metric type needs is served, and says what to install', () => {
    const withMetrics = (metrics: unknown[] | undefined) =>
      planMigration({
        after: fixtureObjects('article-after.yaml').map((o) => (o.kind === 'HorizontalPodAutoscaler' ? { ...o, spec: { ...(o.spec as object), metrics } } : o)),
      });
    const apiServices = (p: ReturnType<typeof withMetrics>): string[] =>
      p.preflight.flatMap((c) => c.commands).flatMap((c) => (c.type === 'assert' && c.call.args[1] === 'apiservice' ? [String(c.call.args[2])] : []));
    expect(apiServices(plan)).toEqual(['v1beta1.metrics.k8s.io']);
    expect(apiServices(withMetrics(undefined))).toEqual(['v1beta1.metrics.k8s.io']);
    expect(apiServices(withMetrics([{ type: 'External' }, { type: 'Pods' }, { type: 'ContainerResource' }]))).toEqual([
      'v1beta1.metrics.k8s.io',
      'v1beta1.custom.metrics.k8s.io',
      'v1beta1.external.metrics.k8s.io',
    ]);
    const noHpa = planMigration({ after: fixtureObjects('article-after.yaml').filter((o) => o.kind !== 'HorizontalPodAutoscaler').map((o) => (o.kind === 'Rollout' ? { ...o, spec: { replicas: 3, ...(o.spec as object) } } : o)) });
    expect(apiServices(noHpa)).toEqual([]);
    const pre = (runbookJson(plan) as { preflight: { commands: CommandJson[] }[] }).preflight.flatMap((c) => c.commands.map((x) => x.shell));
    expect(pre.find((c) => c.includes('apiservice'))).toMatch(/^test "\$\(kubectl get apiservice v1beta1\.metrics\.k8s\.io -o 'jsonpath=\{\.status\.conditions\[\?\(@\.type=="Available"\)\]\.status\}'\)" = True \|\| \{ echo 'STOP: .*install metrics-server/);
  });
});
