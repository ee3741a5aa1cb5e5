#!/usr/bin/env node
// The `cdk8s-canary` command: runs the bundled CLI (lib/cli, built by `npm run build:cli` and on
// `npm pack`), else the compiled one (lib/src/cli, `npm run build`). In a checkout, build first, or
// run the sources directly: `npx tsx src/cli/main.ts <args>`.
const fs = require('node:fs');
const path = require('node:path');

const bundled = path.join(__dirname, '..', 'lib', 'cli', 'main.js');
const compiled = path.join(__dirname, '..', 'lib', 'src', 'cli', 'main.js');
/** Modification time of `file` in ms, or undefined when it does not exist. */
const mtime = (file) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
// Installed (no src/): the bundle whenever it is there; npm writes the files in its own order,
// so their times say nothing. In a checkout: the bundle unless a later `npm run build` left it behind.
const bundledTime = mtime(bundled);
const checkout = fs.existsSync(path.join(__dirname, '..', 'src', 'cli', 'main.ts'));
const entry = bundledTime !== undefined && (!checkout || bundledTime >= (mtime(compiled) ?? -Infinity)) ? bundled : compiled;
let cli;
try {
  cli = require(entry);
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(entry)) {
    process.stderr.write(`cdk8s-canary: ${entry} is missing: run \`npm run build\` in ${path.dirname(__dirname)} first\n`);
    process.exit(2);
  }
  throw err;
}
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`cdk8s-canary: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 2;
  },
);
