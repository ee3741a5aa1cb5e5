#!/usr/bin/env node
// Fills .cache/k8s-schemas/v1.28.0-local-strict/ with the Kubernetes 1.28 strict JSON schemas the
// tests validate core objects against. Source: the PyPI wheel of kubernetes-validate 1.37.0, which
// ships kubernetes_validate/kubernetes-json-schema/v1.28.0-local-strict/*.json. Only the files
// listed below are extracted (with fflate). A fast no-op when they are already there.
//
// Usage: node scripts/fetch-k8s-schemas.mjs [--force]
// Runs as the `pretest` npm script, so `npm ci && npm test` works on a fresh clone.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';

const PACKAGE = 'kubernetes-validate';
const VERSION = '1.37.0';
const WHEEL = `kubernetes_validate-${VERSION}-py3-none-any.whl`;
/** sha256 of the wheel, pinned; the one PyPI lists must match it too. */
const WHEEL_SHA256 = '85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9';
const SCHEMA_SET = 'v1.28.0-local-strict';
const PREFIX = `kubernetes_validate/kubernetes-json-schema/${SCHEMA_SET}/`;
/** `_definitions.json` plus one file per kind we render or may render. */
const FILES = [
  '_definitions.json',
  'deployment-apps-v1.json',
  'service-v1.json',
  'horizontalpodautoscaler-autoscaling-v2.json',
  'poddisruptionbudget-policy-v1.json',
  'role-rbac-v1.json',
  'rolebinding-rbac-v1.json',
  'clusterrole-rbac-v1.json',
  'clusterrolebinding-rbac-v1.json',
  'configmap-v1.json',
  'secret-v1.json',
  'serviceaccount-v1.json',
  'namespace-v1.json',
  'pod-v1.json',
  'replicaset-apps-v1.json',
  'statefulset-apps-v1.json',
  'daemonset-apps-v1.json',
  'job-batch-v1.json',
  'cronjob-batch-v1.json',
  'ingress-networking-v1.json',
  'networkpolicy-networking-v1.json',
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, '.cache', 'k8s-schemas', SCHEMA_SET);
const force = process.argv.includes('--force');

if (!force && FILES.every((f) => existsSync(join(target, f)))) {
  process.exit(0);
}

/** Release files from PyPI's JSON API: the version endpoint, else the project endpoint. */
async function releaseFiles() {
  const urls = [`https://pypi.org/pypi/${PACKAGE}/${VERSION}/json`, `https://pypi.org/pypi/${PACKAGE}/json`];
  const failures = [];
  for (const url of urls) {
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    if (!res.ok) {
      failures.push(`${url}: HTTP ${res.status}`);
      continue;
    }
    const body = await res.json();
    const files = url.endsWith(`/${VERSION}/json`) ? body.urls : body.releases?.[VERSION];
    if (Array.isArray(files)) return { files, base: url };
    failures.push(`${url}: no files listed for ${VERSION}`);
  }
  throw new Error(`cannot list ${PACKAGE} ${VERSION} on PyPI:\n  ${failures.join('\n  ')}`);
}

async function main() {
  const { files, base } = await releaseFiles();
  const wheel = files.find((f) => f.filename === WHEEL);
  if (!wheel) throw new Error(`${WHEEL} is not among the files PyPI lists for ${PACKAGE} ${VERSION}`);
  if (wheel.digests?.sha256 !== WHEEL_SHA256) {
    throw new Error(`PyPI lists sha256 ${wheel.digests?.sha256} for ${WHEEL}, expected the pinned ${WHEEL_SHA256}`);
  }
  const url = new URL(wheel.url, base).toString();
  process.stderr.write(`fetch-k8s-schemas: downloading ${WHEEL} (${Math.round(wheel.size / 1e6)} MB)\n`);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`download of ${url} failed: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== WHEEL_SHA256) throw new Error(`${WHEEL}: sha256 ${sha} does not match the pinned ${WHEEL_SHA256}`);

  const wanted = new Set(FILES.map((f) => PREFIX + f));
  const entries = unzipSync(bytes, { filter: (file) => wanted.has(file.name) });
  const missing = FILES.filter((f) => !entries[PREFIX + f]);
  if (missing.length > 0) throw new Error(`${WHEEL} lacks ${missing.join(', ')}`);

  // Write to a temporary folder first so an interrupted run never leaves half a schema set.
  const tmp = `${target}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const f of FILES) writeFileSync(join(tmp, f), entries[PREFIX + f]);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  renameSync(tmp, target);
  process.stderr.write(`fetch-k8s-schemas: wrote ${FILES.length} files to ${target}\n`);
}

main().catch((err) => {
  process.stderr.write(`fetch-k8s-schemas: ${err.message}\n`);
  process.exit(1);
});
