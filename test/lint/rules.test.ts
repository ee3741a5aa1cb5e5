import { describe, expect, it } from 'vitest';
import { lintManifests } from '../../src/lint/lint-manifests';
import { clone, fixture, objectOf } from './helpers';

type Doc = Record<string, any>;

/** Lints the clean baseline after `edit` changed it; returns [rule, object, path] triples. */
function lintEdited(edit: (docs: Doc[]) => void, options = {}): [string, string, string][] {
  const docs = clone(fixture('clean')) as Doc[];
  edit(docs);
  return lintManifests(docs, options).map((f) => [f.rule, f.object, f.path]);
}

const rollout = (docs: Doc[]) => objectOf(docs, 'Rollout');
const canary = (docs: Doc[]) => rollout(docs).spec.strategy.canary;
const pdb = (docs: Doc[], role: 'stable' | 'canary') => objectOf(docs, 'PodDisruptionBudget', `my-app-${role}-pdb`);
const vs = (docs: Doc[]) => objectOf(docs, 'VirtualService');
const hpa = (docs: Doc[]) => objectOf(docs, 'HorizontalPodAutoscaler');
const R = 'Rollout/my-app-rollout';

describe('all-at-once', () => {
  it('flags a Rollout without any steps key', () => {
    expect(lintEdited((d) => delete canary(d).steps)).toEqual([['all-at-once', R, 'spec.strategy.canary.steps']]);
  });
  it('flags steps that only pause (0% to 100% after the last step)', () => {
    expect(lintEdited((d) => (canary(d).steps = [{ pause: { duration: '15s' } }]))).toEqual([['all-at-once', R, 'spec.strategy.canary.steps']]);
  });
  it('flags setWeight 0 then 100, pointing at the 100', () => {
    const found = lintEdited((d) => (canary(d).steps = [{ setWeight: 0 }, { setWeight: 100 }, { pause: { duration: '15s' } }]));
    expect(found).toEqual([['all-at-once', R, 'spec.strategy.canary.steps[1].setWeight']]);
  });
  it('accepts one intermediate weight', () => {
    const found = lintEdited((d) => (canary(d).steps = [{ setWeight: 1 }, { setWeight: 100 }, { pause: { duration: '15s' } }]));
    expect(found.filter(([rule]) => rule === 'all-at-once')).toEqual([]);
  });
});

describe('no-settle-pause', () => {
  it('flags steps whose last setWeight is below 100 (here 90: the promotion itself adds only 1 pod)', () => {
    const found = lintEdited((d) => canary(d).steps.splice(10, 1));
    expect(found).toEqual([['no-settle-pause', R, 'spec.strategy.canary.steps[9].setWeight']]);
  });
  it('flags a settle pause shorter than 15s', () => {
    const found = lintEdited((d) => (canary(d).steps[11] = { pause: { duration: '5s' } }));
    expect(found).toEqual([['no-settle-pause', R, 'spec.strategy.canary.steps[11].pause']]);
  });
  it('accepts an indefinite pause, a longer one in seconds, or an analysis after setWeight 100', () => {
    expect(lintEdited((d) => (canary(d).steps[11] = { pause: {} }))).toEqual([]);
    expect(lintEdited((d) => (canary(d).steps[11] = { pause: { duration: 20 } }))).toEqual([]);
    expect(lintEdited((d) => (canary(d).steps[11] = { analysis: { templates: [{ templateName: 'x' }] } }))).toEqual([]);
  });
  it('does not apply without traffic routing (no Istio propagation to wait for)', () => {
    const found = lintEdited((d) => {
      delete canary(d).trafficRouting;
      canary(d).steps.pop();
    });
    expect(found.filter(([rule]) => rule === 'no-settle-pause')).toEqual([]);
  });
});

describe('short-scale-down-delay', () => {
  it('flags 29 and accepts 30 or the default', () => {
    expect(lintEdited((d) => (canary(d).scaleDownDelaySeconds = 29))).toEqual([
      ['short-scale-down-delay', R, 'spec.strategy.canary.scaleDownDelaySeconds'],
    ]);
    expect(lintEdited((d) => (canary(d).scaleDownDelaySeconds = 30))).toEqual([]);
    expect(lintEdited((d) => delete canary(d).scaleDownDelaySeconds)).toEqual([]);
  });
});

describe('shared-pdb', () => {
  it('flags an empty selector (every pod of the namespace) and an In over both roles', () => {
    expect(lintEdited((d) => (pdb(d, 'stable').spec.selector = {}))).toEqual([
      ['shared-pdb', 'PodDisruptionBudget/my-app-stable-pdb', 'spec.selector'],
    ]);
    const found = lintEdited(
      (d) =>
        (pdb(d, 'stable').spec.selector = {
          matchLabels: { app: 'my-app' },
          matchExpressions: [{ key: 'role', operator: 'In', values: ['stable', 'canary'] }],
        }),
    );
    expect(found).toEqual([['shared-pdb', 'PodDisruptionBudget/my-app-stable-pdb', 'spec.selector']]);
  });
  it('accepts a NotIn that leaves only stable pods', () => {
    const found = lintEdited(
      (d) =>
        (pdb(d, 'stable').spec.selector = {
          matchLabels: { app: 'my-app' },
          matchExpressions: [{ key: 'role', operator: 'NotIn', values: ['canary'] }],
        }),
    );
    expect(found).toEqual([]);
  });
});

describe('pdb-blocks-eviction', () => {
  it('flags maxUnavailable 0, "0%" and minAvailable "100%"', () => {
    for (const spec of [{ maxUnavailable: 0 }, { maxUnavailable: '0%' }, { minAvailable: '100%' }]) {
      const found = lintEdited((d) => {
        const p = pdb(d, 'stable');
        p.spec = { selector: p.spec.selector, ...spec };
      });
      const field = 'maxUnavailable' in spec ? 'spec.maxUnavailable' : 'spec.minAvailable';
      expect(found).toEqual([['pdb-blocks-eviction', 'PodDisruptionBudget/my-app-stable-pdb', field]]);
    }
  });
  it('flags minAvailable equal to the stable pods at the HPA minimum, accepts one less', () => {
    const set = (n: number) => (d: Doc[]) => {
      const p = pdb(d, 'stable');
      p.spec = { selector: p.spec.selector, minAvailable: n };
    };
    expect(lintEdited(set(2))).toEqual([['pdb-blocks-eviction', 'PodDisruptionBudget/my-app-stable-pdb', 'spec.minAvailable']]);
    expect(lintEdited(set(1))).toEqual([]);
  });
  it("flags another app's PDB only when it can never allow an eviction", () => {
    const other = (spec: Doc) => (d: Doc[]) =>
      d.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'other' }, spec: { selector: { matchLabels: { app: 'other' } }, ...spec } });
    expect(lintEdited(other({ maxUnavailable: 0 }))).toEqual([['pdb-blocks-eviction', 'PodDisruptionBudget/other', 'spec.maxUnavailable']]);
    expect(lintEdited(other({ minAvailable: 5 }))).toEqual([]);
  });
});

describe('pdb-role-metadata', () => {
  it('flags both roles when the Rollout sets neither metadata', () => {
    const found = lintEdited((d) => {
      delete canary(d).stableMetadata;
      delete canary(d).canaryMetadata;
    });
    expect(found).toEqual([
      ['pdb-role-metadata', R, 'spec.strategy.canary.stableMetadata.labels'],
      ['pdb-role-metadata', R, 'spec.strategy.canary.canaryMetadata.labels'],
    ]);
  });
  it("ignores role PDBs of another app", () => {
    const found = lintEdited((d) => {
      pdb(d, 'canary').spec.selector.matchLabels.app = 'other';
      pdb(d, 'stable').spec.selector.matchLabels.app = 'other';
    });
    expect(found).toEqual([]);
  });
});

describe('HPA rules', () => {
  it('hpa-targets-deployment ignores an HPA on some other Deployment', () => {
    const found = lintEdited((d) =>
      d.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' }, spec: { minReplicas: 2, maxReplicas: 3, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'other' } } }),
    );
    expect(found).toEqual([]);
  });
  it('replicas-with-hpa ignores spec.replicas when no HPA targets the Rollout', () => {
    const found = lintEdited((d) => {
      d.splice(d.indexOf(hpa(d)), 1);
      rollout(d).spec.replicas = 4;
    });
    expect(found).toEqual([]);
  });
  it('min-two-pods: no HPA and no replicas means 1 pod; 0 (switched off) is fine; an HPA without minReplicas means 1', () => {
    const noHpa = (replicas?: number) => (d: Doc[]) => {
      d.splice(d.indexOf(hpa(d)), 1);
      if (replicas !== undefined) rollout(d).spec.replicas = replicas;
    };
    expect(lintEdited(noHpa())).toEqual([['min-two-pods', R, 'spec.replicas']]);
    expect(lintEdited(noHpa(0))).toEqual([]);
    expect(lintEdited(noHpa(2))).toEqual([]);
    expect(lintEdited((d) => delete hpa(d).spec.minReplicas)).toEqual([['min-two-pods', 'HorizontalPodAutoscaler/my-app-hpa', 'spec.minReplicas']]);
  });
});

describe('virtual-service-routes', () => {
  const ref = (d: Doc[]) => canary(d).trafficRouting.istio.virtualService;
  it('flags a VirtualService that is not in the manifests', () => {
    expect(lintEdited((d) => (ref(d).name = 'nope-vs'))).toEqual([
      ['virtual-service-routes', R, 'spec.strategy.canary.trafficRouting.istio.virtualService.name'],
    ]);
  });
  it('reads name.namespace as the controller does (istioutil.GetVirtualServiceNamespaceName), not namespace/name', () => {
    expect(lintEdited((d) => (ref(d).name = 'my-app-vs.default'))).toEqual([]);
    // the controller would look up a VirtualService literally named "default/my-app-vs"
    expect(lintEdited((d) => (ref(d).name = 'default/my-app-vs'))).toEqual([
      ['virtual-service-routes', R, 'spec.strategy.canary.trafficRouting.istio.virtualService.name'],
    ]);
    // a namespace other than the VirtualService's: not found
    const inNamespace = (name: string) => (d: Doc[]) => {
      vs(d).metadata.namespace = 'default';
      ref(d).name = name;
    };
    expect(lintEdited(inNamespace('my-app-vs.default'))).toEqual([]);
    expect(lintEdited(inNamespace('my-app-vs.other'))).toEqual([
      ['virtual-service-routes', R, 'spec.strategy.canary.trafficRouting.istio.virtualService.name'],
    ]);
  });
  it('flags omitted routes when the VirtualService has several http routes', () => {
    const found = lintEdited((d) => {
      delete ref(d).routes;
      const http = vs(d).spec.http;
      delete http[0].name;
      http.push({ ...clone(http[0]), match: [{ uri: { prefix: '/api' } }] });
    });
    expect(found).toEqual([['virtual-service-routes', R, 'spec.strategy.canary.trafficRouting.istio.virtualService.routes']]);
  });
  it("accepts the article's single unnamed route with routes omitted, and FQDN hosts", () => {
    const found = lintEdited((d) => {
      delete ref(d).routes;
      delete vs(d).spec.http[0].name;
      vs(d).spec.http[0].route[0].destination.host = 'my-app-svc.default.svc.cluster.local';
    });
    expect(found).toEqual([]);
  });
  it('accepts a TLS-only VirtualService with routes listed (Argo e2e TestIstioHostSplitOnlyTls); flags one with no route at all', () => {
    const tlsOnly = lintEdited((d) => {
      const route = vs(d).spec.http[0].route;
      vs(d).spec.tls = [{ match: [{ port: 3000, sniHosts: ['www.example.com'] }], route }];
      delete vs(d).spec.http;
    });
    expect(tlsOnly.filter(([r]) => r === 'virtual-service-routes')).toEqual([]);
    const none = lintEdited((d) => delete vs(d).spec.http);
    expect(none.filter(([r]) => r === 'virtual-service-routes')).toEqual([['virtual-service-routes', 'VirtualService/my-app-vs', 'spec.http']]);
  });
  it('flags a managed route without the canary destination', () => {
    const found = lintEdited((d) => {
      vs(d).spec.http[0].route = [vs(d).spec.http[0].route[0]];
    });
    expect(found).toEqual([['virtual-service-routes', 'VirtualService/my-app-vs', 'spec.http[0].route']]);
  });
});

describe('virtual-service-weights', () => {
  it('reads a missing canary weight as 0 (fine) and a missing stable weight as 0 (not fine)', () => {
    expect(lintEdited((d) => delete vs(d).spec.http[0].route[1].weight)).toEqual([]);
    expect(lintEdited((d) => delete vs(d).spec.http[0].route[0].weight)).toEqual([
      ['virtual-service-weights', 'VirtualService/my-app-vs', 'spec.http[0].route'],
    ]);
  });
  it('reports a weight the model reader refuses in its words, with the value written (not as a weight of 0)', () => {
    const docs = clone(fixture('clean')) as Doc[];
    vs(docs).spec.http[0].route[0].weight = 50.5;
    const found = lintManifests(docs).filter((f) => f.rule === 'virtual-service-weights');
    expect(found.map((f) => [f.object, f.path, f.message])).toEqual([
      [
        'VirtualService/my-app-vs',
        'spec.http[0].route',
        'spec.http[0].route[0].weight (50.5) must be an integer >= 0; Git must hold stable 100 / canary 0.',
      ],
    ]);
  });
});

describe('canary-services', () => {
  it('flags a missing Service, the same Service twice, and an unset one with traffic routing', () => {
    // The route then also lacks a destination for the renamed Service (reported by virtual-service-routes).
    expect(lintEdited((d) => (canary(d).canaryService = 'gone-svc')).filter(([r]) => r === 'canary-services')).toEqual([
      ['canary-services', R, 'spec.strategy.canary.canaryService'],
    ]);
    const same = lintEdited((d) => (canary(d).canaryService = 'my-app-svc'));
    expect(same).toContainEqual(['canary-services', R, 'spec.strategy.canary.canaryService']);
    expect(lintEdited((d) => delete canary(d).stableService).filter(([r]) => r === 'canary-services')).toEqual([
      ['canary-services', R, 'spec.strategy.canary.stableService'],
    ]);
  });
  it('does not require the two Services for a subset-level split (DestinationRule), as Argo\'s own subset fixtures omit them', () => {
    const found = lintEdited((d) => {
      delete canary(d).stableService;
      delete canary(d).canaryService;
      canary(d).trafficRouting.istio.destinationRule = { name: 'my-app-dr', canarySubsetName: 'canary', stableSubsetName: 'stable' };
    });
    expect(found.filter(([r]) => r === 'canary-services')).toEqual([]);
  });
  it('ignores the controller-managed pod-template-hash in a Service selector', () => {
    const found = lintEdited((d) => (objectOf(d, 'Service', 'my-app-svc').spec.selector['rollouts-pod-template-hash'] = 'abc'));
    expect(found).toEqual([]);
  });
});

describe('dynamic-stable-scale-delay, workload rules', () => {
  it('accepts dynamicStableScale without scaleDownDelaySeconds', () => {
    expect(
      lintEdited((d) => {
        canary(d).dynamicStableScale = true;
        delete canary(d).scaleDownDelaySeconds;
      }),
    ).toEqual([]);
  });
  it('workload-scaled-up: flags replicas 3, accepts it while the Rollout is paused (migration window)', () => {
    const dep = (d: Doc[]) => objectOf(d, 'Deployment');
    expect(lintEdited((d) => (dep(d).spec.replicas = 3))).toEqual([['workload-scaled-up', 'Deployment/my-app-dep', 'spec.replicas']]);
    expect(
      lintEdited((d) => {
        dep(d).spec.replicas = 3;
        rollout(d).spec.paused = true;
      }),
    ).toEqual([]);
  });
  it('workload-ref-template: an empty template is fine', () => {
    expect(lintEdited((d) => (rollout(d).spec.template = {}))).toEqual([]);
  });
});

describe('lintManifests options', () => {
  it('rejects a threshold outside (0, 100] and a replica count below 1, naming the option and value', () => {
    expect(() => lintManifests([], { surgeThresholdPercent: 0 })).toThrow('surgeThresholdPercent (0) must be a number above 0 and at most 100');
    expect(() => lintManifests([], { replicas: 0 })).toThrow('replicas (0) must be a whole number of at least 1');
  });
  it('ignores documents that are not Kubernetes objects', () => {
    expect(lintManifests([null, 'text', 42, { no: 'kind' }, ...fixture('clean')])).toEqual([]);
  });
});

describe('pod-surge (uses the runtime plan)', () => {
  it('flags each step above the threshold at the HPA maximum, with the pods and share in the message', () => {
    const docs = clone(fixture('pod-surge')) as Doc[];
    const findings = lintManifests(docs);
    expect(findings.map((f) => f.path)).toEqual(['spec.strategy.canary.steps[1]', 'spec.strategy.canary.steps[2]']);
    expect(findings[0].message).toBe(
      'step 1 (setWeight: 60) adds 4 pods at once with 10 replicas (40%, above the 30% threshold): canary 6, stable 10.',
    );
  });
  it('the threshold is configurable: 40% accepts the same profile', () => {
    expect(lintManifests(fixture('pod-surge'), { surgeThresholdPercent: 40 })).toEqual([]);
  });
  it("--replicas plans at one count only (2 replicas: the 10% -> 60% jump adds no pod beyond minPodsPerReplicaSet)", () => {
    expect(lintManifests(fixture('pod-surge'), { replicas: 2 })).toEqual([]);
  });
  it('flags the promotion jump when the steps stop below 100', () => {
    const found = lintEdited((d) => {
      canary(d).steps = [{ setWeight: 10 }, { setWeight: 20 }, { setWeight: 30 }, { setWeight: 40 }, { pause: { duration: '15s' } }];
    });
    // 40% -> 100% at promotion with 10 replicas: +6 pods. (The ending without setWeight 100 is no-settle-pause.)
    expect(found).toEqual([
      ['pod-surge', R, 'spec.strategy.canary.steps'],
      ['no-settle-pause', R, 'spec.strategy.canary.steps[3].setWeight'],
    ]);
  });
  it("accepts the article's automatic and manual profiles at 2 and 10 replicas", () => {
    const manual = [
      { setCanaryScale: { replicas: 2 } },
      { pause: {} },
      { setCanaryScale: { matchTrafficWeight: true } },
      { setWeight: 1 },
      { pause: {} },
      { setWeight: 10 },
      { pause: {} },
      { setWeight: 30 },
      { setWeight: 50 },
      { pause: {} },
      { setWeight: 70 },
      { setWeight: 90 },
      { setWeight: 100 },
      { pause: { duration: '15s' } },
    ];
    expect(lintEdited((d) => (canary(d).steps = manual))).toEqual([]);
    expect(lintEdited(() => undefined)).toEqual([]);
  });
});
