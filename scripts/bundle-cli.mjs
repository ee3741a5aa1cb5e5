#!/usr/bin/env node
/**
 * `npm run build:cli [-- --outdir DIR]`: bundles the CLI with esbuild into lib/cli (what
 * bin/cdk8s-canary.js runs; `prepack` calls this after `npm run build`). One file for the command
 * table (lib/cli/main.js) and one per command (lib/cli/commands/NAME.js, with yaml and the code that
 * command uses), so a command loads a few files instead of ~150 modules; commander, cdk8s,
 * cdk8s-plus-28, constructs and @kubernetes/client-node stay in node_modules (only convert and
 * migrate load cdk8s, only status the Kubernetes client).
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

/**
 * Modules of src/cli that main.js and the commands must share, not copy: main.ts tells a
 * UsageError (exit 2, one line) from an internal error with `instanceof`. Each is a file of its own
 * in lib/cli, imported as `./NAME` from main.js and `../NAME` from the commands.
 */
const SHARED = ['usage-error'];

/** Resolves an import of a SHARED module to that module's file, as seen from a bundle in `fromDir` (relative to lib/cli). */
function shareModules(fromDir) {
  return {
    name: 'share-cli-modules',
    setup(build) {
      build.onResolve({ filter: new RegExp(`/(${SHARED.join('|')})(\\.js)?$`) }, (args) => {
        const file = path.resolve(args.resolveDir, args.path).replace(/\.js$/, '');
        const shared = SHARED.find((m) => file === path.join(root, 'src', 'cli', m));
        if (shared === undefined) return undefined;
        return { path: `${fromDir === '' ? './' : '../'}${shared}.js`, external: true };
      });
    },
  };
}

const common = {
  absWorkingDir: root,
  outbase: path.join(root, 'src', 'cli'),
  outdir: path.resolve(values.outdir),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // commander stays one module that main.js and the command share (a copy per file would load it
  // twice); the Kubernetes client is an ES module that `status` imports when it connects
  external: ['commander', 'cdk8s', 'cdk8s-plus-28', 'constructs', '@kubernetes/client-node'],
  logLevel: 'warning',
};
// main.js: each command stays a file of its own, loaded when it runs. Its `await
// import('./commands/x.js')` becomes a plain require(): a dynamic import() of a CommonJS file
// would go through Node's ESM loader and scan the whole file for its exports.
await esbuild.build({
  ...common,
  entryPoints: [path.join(root, 'src', 'cli', 'main.ts')],
  external: [...common.external, './commands/*'],
  supported: { 'dynamic-import': false },
  plugins: [shareModules('')],
});
await esbuild.build({ ...common, entryPoints: commands, plugins: [shareModules('commands')] });
await esbuild.build({ ...common, entryPoints: SHARED.map((m) => path.join(root, 'src', 'cli', `${m}.ts`)) });
