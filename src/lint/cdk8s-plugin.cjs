// Entry point for a cdk8s.yaml `validations:` entry that points at this repository (or an
// unbuilt checkout of it): `package: ./src/lint/cdk8s-plugin.cjs`, `class: CanaryLintValidation`.
// Uses the compiled library when lib/ exists, otherwise the TypeScript sources through tsx.
const path = require('node:path');
const fs = require('node:fs');

const compiled = path.join(__dirname, '..', '..', 'lib', 'src', 'lint', 'index.js');
if (fs.existsSync(compiled)) {
  module.exports = require(compiled);
} else {
  require('tsx/cjs');
  module.exports = require('./index.ts');
}
