#!/usr/bin/env node
/**
 * `npm run build:cli [-- --outdir DIR]`: bundles the CLI with esbuild into lib/cli (what
 * bin/cdk8s-canary.js runs; `prepack` calls this after `npm run build`). One file for the command
 * table (lib/cli/main.js) and one per command (lib/cli/commands/NAME.js, with yaml and the code that
 * command uses), so a command loads a few files instead of ~150 modules; commander, cdk8s,
 * cdk8s-plus-28 and constructs stay in node_modules (only convert and migrate load cdk8s).
 * docs/performance.md ("CLI start-up") has the figures.
 */
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { outdir: { type: 'string', default: path.join(root, 'lib', 'cli') } } });
const commands = readdirSync(path.join(root, 'src', 'cli', 'commands'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => path.join(root, 'src', 'cli', 'commands', f));

await esbuild.build({
  absWorkingDir: root,
  entryPoints: [path.join(root, 'src', 'cli', 'main.ts'), ...commands],
  outbase: path.join(root, 'src', 'cli'),
  outdir: path.resolve(values.outdir),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // each command stays a file of its own, loaded by main.js when it runs; commander stays one
  // module that main.js and the command share (a copy per file would load it twice)
  external: ['./commands/*', 'commander', 'cdk8s', 'cdk8s-plus-28', 'constructs'],
  // main.ts's `await import('./commands/x.js')` becomes a plain require(): a dynamic import()
  // of a CommonJS file would go through Node's ESM loader and scan the whole file for its exports
  supported: { 'dynamic-import': false },
  logLevel: 'warning',
});
