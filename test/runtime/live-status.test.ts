import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LiveObjects } from '../../src/runtime/live-objects';
import { liveStatus, untilOutcome, type LiveStatus } from '../../src/runtime/live-status';

// Live states recorded from the real Argo Rollouts v1.9.1 controller on the e2e cluster
// (test/e2e/support/record-live.ts, article fixtures, 2 replicas, minReadySeconds 5): the
// automatic profile and the manual one, whose promote at step 4 was sent while the controller
// process was stopped (SIGSTOP), so nothing acted on it.
const FIXTURES = join(__dirname, '..', 'fixtures', 'status');
interface Recorded {
  readonly at: number;
  readonly objects: LiveObjects;
}
function recorded(name: string): Recorded {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Recorded;
}
/** A deep copy of a recorded state, changed by `edit` (objects as plain JSON). */
function edited(name: string, edit: (o: any) => void): Recorded {
  const r = recorded(name);
  edit(r.objects);
  return r;
}
function judge(r: Recorded, secondsLater = 0, lastChangeAt?: number): LiveStatus {
  return liveStatus(r.objects, { now: r.at + secondsLater, ...(lastChangeAt !== undefined ? { lastChangeAt } : {}) });
}
const rules = (s: LiveStatus) => s.divergences.map((d) => d.rule);

describe('now', () => {
  it('reads step, weights, pods per revision and the pause of a Rollout at its timed pause', () => {
    const s = judge(recorded('automatic-pause15s'));
    expect(s.rollout).toBe('rec1/my-app-rollout');
    expect(s.now.phase).toBe('Paused');
    expect(s.now.step).toEqual({ index: 11, count: 12, step: { pause: { duration: '15s' } } });
    expect(s.now.weights).toEqual({ canary: 100, stable: 0 });
    expect(s.now.routes).toEqual([{ virtualService: 'my-app-vs', route: '0', canary: 100, stable: 0 }]);
    expect(s.now.revisions.map((r) => [r.revision, r.role, r.desired, r.ready, r.available])).toEqual([
      [2, 'canary', 2, 2, 2],
      [1, 'stable', 2, 2, 2],
    ]);
    expect(s.now.paused).toBe(true);
    expect(s.now.pauseReasons).toEqual([expect.stringMatching(/^CanaryPauseStep since 20\d\d-/)]);
    expect(s.now.aborted).toBe(false);
    expect(s.now.completed).toBe(false);
    expect(s.divergences).toEqual([]);
  });

  it('completed: revision 2 stable, the old ReplicaSet at 0, nothing next, nothing diverging even an hour later', () => {
    const r = recorded('manual-completed');
    const s = judge(r, 3600);
    expect(s.now.completed).toBe(true);
    expect(s.now.revisions.map((x) => [x.revision, x.role, x.desired])).toEqual([
      [2, 'stable', 2],
      [1, 'old', 0],
    ]);
    expect(s.next).toEqual({ steps: [], completionAt: null });
    expect(s.divergences).toEqual([]);
    expect(untilOutcome(s, 'completed')).toEqual({ outcome: 'reached' });
    expect(untilOutcome(s, 'paused')).toEqual({ outcome: 'waiting' });
  });
});

describe('next', () => {
  it('with every canary pod available at step 0, the remaining weights are instant and the 15 s pause ends the update', () => {
    const r = recorded('automatic-step0-pods-ready');
    const s = judge(r);
    expect(s.next.steps.map((x) => x.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    for (const step of s.next.steps) expect(step.at).toBeCloseTo(r.at, 0);
    expect(s.next.completionAt! - r.at).toBeCloseTo(15, 0);
  });

  it('a step that is no pause, with every pod available, is due now however recent its start', () => {
    // the controller's last status write one second ago: the model's 5 s of minReadySeconds for
    // step 0 are already behind, the pods are available
    const r = edited('automatic-step0-pods-ready', (o) => {
      const entry = o.rollout.metadata.managedFields.find((e: any) => e.subresource === 'status');
      entry.time = new Date(Math.floor(JSON.parse(readFileSync(join(FIXTURES, 'automatic-step0-pods-ready.json'), 'utf8')).at - 1) * 1000).toISOString().replace('.000Z', 'Z');
    });
    const s = judge(r);
    expect(s.next.currentStepDueAt).toBeLessThanOrEqual(r.at);
    expect(s.next.completionAt! - r.at).toBeCloseTo(15, 0);
  });

  it('a timed pause counts down from its pause condition', () => {
    const r = recorded('automatic-pause15s');
    const start = Date.parse((r.objects.rollout.status as any).pauseConditions[0].startTime) / 1000;
    const s = judge(r);
    expect(s.next.pauseEndsAt).toBe(start + 15);
    expect(s.next.currentStepDueAt).toBeCloseTo(start + 15, 1);
    expect(s.next.completionAt).toBeCloseTo(start + 15, 1);
  });

  it('an indefinite pause names who must act and the command; later steps are timed from the promotion', () => {
    const s = judge(recorded('manual-indefinite-pause-step4'), 600);
    expect(s.next.waitingFor).toEqual({
      reason: 'indefinite pause at step 4',
      who: 'someone allowed to patch rollouts/status (the rollouts-writer role)',
      command: 'kubectl argo rollouts promote my-app-rollout -n rec2',
    });
    expect(s.next.steps.map((x) => [x.index, x.at, x.afterPromotion?.step])).toEqual([
      [5, null, 4],
      [6, null, 4],
      [7, null, 6],
      [8, null, 6],
      [9, null, 6],
      [10, null, 9],
      [11, null, 9],
      [12, null, 9],
      [13, null, 9],
    ]);
    // after the last indefinite pause (9): weights 70, 90, 100 at once, then the 15 s pause
    expect(s.next.completionAfterPromotion).toEqual({ step: 9, seconds: 15 });
    expect(s.next.completionAt).toBeNull();
    // waiting for a person is never a stall
    expect(s.divergences).toEqual([]);
  });

  it('an aborted Rollout waits for a retry and forecasts nothing', () => {
    const r = edited('manual-indefinite-pause-step4', (o) => {
      o.rollout.status.abort = true;
      o.rollout.status.phase = 'Degraded';
      o.rollout.status.message = 'RolloutAborted: Rollout aborted update to revision 2';
    });
    const s = judge(r, 600);
    expect(s.next).toEqual({
      steps: [],
      completionAt: null,
      waitingFor: { reason: 'aborted', who: expect.stringContaining('rollouts-writer'), command: 'kubectl argo rollouts retry rollout my-app-rollout -n rec2 (or update the pod template)' },
    });
    expect(rules(s)).toEqual([]);
    expect(untilOutcome(s, 'healthy')).toEqual({ outcome: 'failed', reason: 'aborted: RolloutAborted: Rollout aborted update to revision 2' });
    expect(untilOutcome(s, 'degraded')).toEqual({ outcome: 'reached' });
  });
});

describe('stall', () => {
  it('a promote the controller never acted on: no stall within the grace, a STALL with the nudge after it', () => {
    const r = recorded('manual-promoted-controller-stopped');
    expect((r.objects.rollout.status as any).pauseConditions).toBeUndefined();
    expect(rules(judge(r, 10))).toEqual([]);
    const s = judge(r, 60);
    expect(s.divergences).toHaveLength(1);
    const [stall] = s.divergences;
    expect(stall.rule).toBe('stall');
    expect(stall.object).toBe('Rollout/my-app-rollout');
    expect(stall.message).toMatch(/^STALL: no progress for \d+ s; step 4 of 14 has every pod available and nothing to wait for, so it should be done/);
    expect(stall.fix).toContain('kubectl annotate rollout my-app-rollout -n rec2 cdk8s-canary.io/nudge="$(date +%s)" --overwrite');
    expect(stall.fix).toContain('argoproj/argo-rollouts#4073');
  });

  it('a change the caller saw while watching counts as progress', () => {
    const r = recorded('manual-promoted-controller-stopped');
    expect(rules(judge(r, 60, r.at + 45))).toEqual([]);
  });

  it('a timed pause is no stall until it should have ended, plus the grace', () => {
    const r = recorded('automatic-pause15s');
    const s = judge(r);
    const end = s.next.pauseEndsAt!;
    expect(rules(liveStatus(r.objects, { now: end + 25 }))).toEqual([]);
    expect(rules(liveStatus(r.objects, { now: end + 35 }))).toEqual(['stall']);
    expect(liveStatus(r.objects, { now: end + 35, stallGraceSeconds: 60 }).divergences).toEqual([]);
  });

  it('the old ReplicaSet is due for scale-down only at its scale-down-deadline', () => {
    const r = recorded('manual-promoted-old-rs-scaling-down');
    const s = judge(r);
    const old = s.now.revisions.find((x) => x.role === 'old')!;
    expect(old.desired).toBe(2);
    expect(old.scaleDownAt).toBeGreaterThan(r.at);
    expect(rules(liveStatus(r.objects, { now: old.scaleDownAt! + 20 }))).toEqual([]);
    const late = liveStatus(r.objects, { now: old.scaleDownAt! + 40 });
    expect(late.divergences.map((d) => d.message)).toEqual([expect.stringContaining('revision 1 should be scaled down')]);
  });

  it('an update of the workload the controller has not picked up', () => {
    const r = edited('manual-completed', (o) => {
      o.workload.metadata.generation = Number(o.rollout.status.workloadObservedGeneration) + 1;
    });
    const s = judge(r, 3600);
    // a wait started right after the update must not end on the previous revision
    expect(s.now.observed).toBe(false);
    expect(s.now.completed).toBe(false);
    expect(untilOutcome(s, 'completed')).toEqual({ outcome: 'waiting' });
    expect(untilOutcome(s, 'healthy')).toEqual({ outcome: 'waiting' });
    expect(s.divergences.map((d) => d.message)).toEqual([
      expect.stringMatching(/^STALL: .*the controller has not picked up Deployment\/my-app-dep generation \d+ \(status\.workloadObservedGeneration is \d+\)/),
    ]);
  });
});

describe('observed', () => {
  it('an update whose workload-generation annotation is written but not yet the status is not observed (seen on the e2e cluster)', () => {
    // the controller writes the annotation, then the status: a read in between saw the old,
    // Healthy status with the new annotation, and `--until completed` ended on the old revision
    const r = edited('manual-completed', (o) => {
      const next = Number(o.rollout.status.workloadObservedGeneration) + 1;
      o.workload.metadata.generation = next;
      o.rollout.metadata.annotations['rollout.argoproj.io/workload-generation'] = String(next);
    });
    const s = judge(r);
    expect([s.now.phase, s.now.observed, s.now.completed]).toEqual(['Healthy', false, false]);
    expect(untilOutcome(s, 'completed')).toEqual({ outcome: 'waiting' });
  });
});

describe('divergences', () => {
  it('vs-weights: the VirtualService route ahead of status.canary.weights (seen between the two writes of one reconcile)', () => {
    const s = judge(recorded('automatic-step5-vs-ahead-of-status'));
    expect(s.divergences).toEqual([
      {
        rule: 'vs-weights',
        object: 'VirtualService/my-app-vs',
        message: 'route 0 sends canary 50 / stable 50, but Rollout/my-app-rollout status.canary.weights says 40 / 60',
        fix: expect.stringContaining('leave the managed route'),
      },
    ]);
  });

  it('service-selector: the stable Service on the canary revision, the canary Service on no revision of the Rollout', () => {
    const r = edited('automatic-pause15s', (o) => {
      const status = o.rollout.status;
      for (const svc of o.services) {
        svc.spec.selector['rollouts-pod-template-hash'] = svc.metadata.name === 'my-app-svc' ? status.currentPodHash : 'deadbeef';
      }
    });
    const s = judge(r);
    expect(s.divergences.map((d) => [d.rule, d.object])).toEqual([
      ['service-selector', 'Service/my-app-svc'],
      ['service-selector', 'Service/my-app-canary-svc'],
    ]);
    expect(s.divergences[1].message).toMatch(/^the canary Service selects rollouts-pod-template-hash=deadbeef, expected \w+ or \w+/);
  });

  it('hpa-target: an HPA aimed at the referenced Deployment', () => {
    const r = edited('manual-completed', (o) => {
      o.hpas[0].spec.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'my-app-dep' };
    });
    expect(judge(r).divergences).toEqual([
      {
        rule: 'hpa-target',
        object: 'HorizontalPodAutoscaler/my-app-hpa',
        message: 'scales Deployment/my-app-dep (apps/v1), not Rollout/my-app-rollout: the Rollout runs the pods, the referenced workload is kept at 0',
        fix: 'Set spec.scaleTargetRef to {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: my-app-rollout}',
      },
    ]);
  });

  it('replicas-vs-hpa: spec.replicas last written by a sync, and outside the HPA bounds', () => {
    const r = edited('manual-completed', (o) => {
      o.rollout.spec.replicas = 12;
      o.rollout.metadata.managedFields.push({ manager: 'argocd-controller', operation: 'Update', apiVersion: 'argoproj.io/v1alpha1', time: '2026-12-07T21:44:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    });
    expect(judge(r).divergences.map((d) => [d.rule, d.message])).toEqual([
      ['replicas-vs-hpa', "spec.replicas is 12, outside HorizontalPodAutoscaler/my-app-hpa's 2..10"],
      ['replicas-vs-hpa', "spec.replicas (12) was last written by argocd-controller, not by HorizontalPodAutoscaler/my-app-hpa: each write undoes the HPA's count"],
    ]);
  });

  it('the HPA writing spec.replicas through the scale subresource is no divergence', () => {
    const r = recorded('manual-completed');
    const owners = (r.objects.rollout.metadata as any).managedFields.filter((e: any) => e.fieldsV1?.['f:spec']?.['f:replicas']);
    expect(owners.map((e: any) => [e.manager, e.subresource])).toEqual([['kube-controller-manager', 'scale']]);
    expect(judge(r).divergences).toEqual([]);
  });
});
