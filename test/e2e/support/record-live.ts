/**
 * Records a live Rollout as `status` reads it: every distinct read (by the objects'
 * resourceVersions) as `<dir>/<n>.json` = `{ at, objects }`, for unit-test fixtures.
 * Usage: npx tsx test/e2e/support/record-live.ts NAMESPACE/NAME DIR SECONDS (KUBECONFIG from the environment).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeKubeConnector } from '../../../src/cli/kube-live';
import { resourceVersions } from '../../../src/cli/commands/status';

async function main(): Promise<void> {
  const [target, dir, seconds] = process.argv.slice(2);
  const [namespace, name] = target.split('/');
  mkdirSync(dir, { recursive: true });
  const source = await nodeKubeConnector({});
  const end = Date.now() + Number(seconds) * 1000;
  let last = '';
  let n = 0;
  while (Date.now() < end) {
    const objects = await source.read(namespace, name);
    const v = resourceVersions(objects);
    if (v !== last) {
      last = v;
      writeFileSync(join(dir, `${String(n++).padStart(3, '0')}.json`), JSON.stringify({ at: Date.now() / 1000, objects }, null, 1));
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

void main();
