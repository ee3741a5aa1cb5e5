// Entry point for a cdk8s.yaml `validations:` entry in a checkout of this repository:
// `package: ./src/lint/cdk8s-plugin.cjs`, `class: CanaryLintValidation`. It runs the TypeScript
// sources through tsx (a devDependency), so it always lints with the code as it is now, never a
// stale lib/. It is not in the published package: there the package itself is the plugin
// (`package: cdk8s-canary`, see docs/package.md).
require('tsx/cjs');
module.exports = require('./index.ts');
