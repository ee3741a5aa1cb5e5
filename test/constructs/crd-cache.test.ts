/**
 * The fallback CRD source: scripts/fetch-crds.mjs picks the CRDs out of the upstream files named in
 * cdk8s.yaml (Istio ships all its CRDs in one multi-document file) and the validator works from
 * such a folder exactly as from ../shared/crds.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CanaryApp, StepProfile, TrafficSplit } from '../../src/constructs';
import { myAppProps } from '../../src/main';
import { synth } from '../support/manifests';
import { ManifestValidator, REPO_ROOT, crdSourceDir } from '../support/schema-validator';

const script = () => import('../../scripts/fetch-crds.mjs');

describe('CRD cache (no ../shared/crds)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cdk8s-canary-crds-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('cdk8s.yaml pins the upstream URLs of Argo Rollouts v1.9.1 and Istio 1.30.3', async () => {
    const { upstreamUrls } = await script();
    const urls = upstreamUrls(readFileSync(join(REPO_ROOT, 'cdk8s.yaml'), 'utf8'));
    expect(urls).toEqual([
      'https://raw.githubusercontent.com/argoproj/argo-rollouts/v1.9.1/manifests/crds/rollout-crd.yaml',
      'https://raw.githubusercontent.com/argoproj/argo-rollouts/v1.9.1/manifests/crds/analysis-template-crd.yaml',
      'https://raw.githubusercontent.com/istio/istio/1.30.3/manifests/charts/base/files/crd-all.gen.yaml',
    ]);
  });

  it('picks the wanted CRDs out of multi-document files; the validator works from that folder', async () => {
    const { pickCrds, WANTED } = await script();
    const source = crdSourceDir();
    const read = (f: string) => readFileSync(join(source, f), 'utf8');
    const unrelated = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: gateways.networking.istio.io\nspec: {}\n';
    const istioAll = [unrelated, read('istio/virtualservice.yaml'), read('istio/destinationrule.yaml')].join('\n---\n');
    const files = {
      ...pickCrds(read('argo-rollouts/rollout-crd.yaml'), 'rollout'),
      ...pickCrds(read('argo-rollouts/analysis-template-crd.yaml'), 'analysis'),
      ...pickCrds(istioAll, 'istio'),
    };
    expect(Object.keys(files).sort()).toEqual(Object.values(WANTED).sort());
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const validator = new ManifestValidator({ crdDir: dir });
    expect(validator.sources.crds).toBe(relative(REPO_ROOT, dir));
    const objects = synth((chart) => new CanaryApp(chart, 'App', { ...myAppProps(StepProfile.manual()), trafficSplit: TrafficSplit.subset() }));
    for (const o of objects) expect(validator.validate(o)).toEqual([]);
    const rollout = structuredClone(objects.find((o) => o.kind === 'Rollout')!);
    rollout.spec.strategy.canary.bogus = 1;
    expect(validator.validate(rollout)).toEqual(['Rollout/my-app-rollout /spec/strategy/canary: unknown field "bogus"']);
  }, 180_000); // parses and re-serializes ~1 MB of YAML: slow on a busy shared machine
});
