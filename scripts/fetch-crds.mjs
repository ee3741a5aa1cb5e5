#!/usr/bin/env node
// Fills .cache/crds/ (gitignored) with the CRDs the schema tests validate against, downloaded from
// the pinned upstream URLs listed under `imports:` in cdk8s.yaml (Argo Rollouts v1.9.1, Istio 1.30.3).
// Only needed where ../shared/crds is absent: the tests prefer ../shared/crds, so this script is a
// no-op when that folder exists (or when the cache is complete), unless --force is given.
//
// Layout written (the same as ../shared/crds): argo-rollouts/rollout-crd.yaml,
// argo-rollouts/analysis-template-crd.yaml, istio/virtualservice.yaml, istio/destinationrule.yaml.
// Istio ships all its CRDs in one multi-document file; the two we need are picked by name.
//
// Usage: node scripts/fetch-crds.mjs [--force]
// Mirrors: CRD_URL_REWRITE="https://raw.githubusercontent.com=https://mirror.example.com" rewrites URL prefixes.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments, stringify } from 'yaml';

/** CRD name -> file in the cache layout. */
export const WANTED = {
  'rollouts.argoproj.io': 'argo-rollouts/rollout-crd.yaml',
  'analysistemplates.argoproj.io': 'argo-rollouts/analysis-template-crd.yaml',
  'virtualservices.networking.istio.io': 'istio/virtualservice.yaml',
  'destinationrules.networking.istio.io': 'istio/destinationrule.yaml',
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, '.cache', 'crds');
const shared = join(root, '..', 'shared', 'crds');
const force = process.argv.includes('--force');

/** The https URLs of `imports:` in cdk8s.yaml (entries are `[NAME:=]SPEC`). */
export function upstreamUrls(cdk8sYamlText) {
  const config = parse(cdk8sYamlText) ?? {};
  return (config.imports ?? [])
    .map((entry) => String(entry).replace(/^[^:=]+:=/, ''))
    .filter((spec) => spec.startsWith('https://'));
}

/** Picks the wanted CRDs out of one downloaded YAML text: { relativePath: yamlText }. */
export function pickCrds(text, source) {
  const out = {};
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0].message}`);
    const obj = doc.toJS();
    if (obj?.kind !== 'CustomResourceDefinition') continue;
    const file = WANTED[obj.metadata?.name];
    if (file) out[file] = stringify(obj, { lineWidth: 0 });
  }
  return out;
}

function rewrite(url) {
  const rule = process.env.CRD_URL_REWRITE;
  if (!rule) return url;
  const [from, to] = rule.split('=');
  return url.startsWith(from) ? to + url.slice(from.length) : url;
}

async function main() {
  const complete = Object.values(WANTED).every((f) => existsSync(join(cache, f)));
  if (!force && (existsSync(shared) || complete)) return;
  const urls = upstreamUrls(readFileSync(join(root, 'cdk8s.yaml'), 'utf8'));
  if (urls.length === 0) throw new Error('cdk8s.yaml lists no https:// imports to fetch CRDs from');
  const files = {};
  for (const url of urls) {
    const effective = rewrite(url);
    const res = await fetch(effective);
    if (!res.ok) throw new Error(`download of ${effective} failed: HTTP ${res.status}`);
    Object.assign(files, pickCrds(await res.text(), effective));
  }
  const missing = Object.entries(WANTED).filter(([, f]) => !files[f]).map(([name]) => name);
  if (missing.length > 0) throw new Error(`the URLs in cdk8s.yaml do not contain ${missing.join(', ')}`);
  const tmp = `${cache}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(tmp, file)), { recursive: true });
    writeFileSync(join(tmp, file), text);
  }
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(dirname(cache), { recursive: true });
  renameSync(tmp, cache);
  process.stderr.write(`fetch-crds: wrote ${Object.keys(files).length} CRDs to ${cache}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    process.stderr.write(`fetch-crds: ${err.message}\n`);
    process.exit(1);
  });
}
