#!/usr/bin/env node
// The `cdk8s-canary` command: runs the compiled CLI only (lib/, built by `npm run build` and on `npm pack`).
// In a checkout, `npm run build` first, or run the sources directly: `npx tsx src/cli/main.ts <args>`.
const path = require('node:path');

const compiled = path.join(__dirname, '..', 'lib', 'src', 'cli', 'main.js');
let cli;
try {
  cli = require(compiled);
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(compiled)) {
    process.stderr.write(`cdk8s-canary: ${compiled} is missing: run \`npm run build\` in ${path.dirname(__dirname)} first\n`);
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
