import { defineConfig } from 'vitest/config';

// `npm run test:package`: the packed package installed into a new cdk8s project (test/package).
// Separate from `npm test` because it packs (builds lib/) and installs: about a minute or two.
export default defineConfig({
  test: {
    include: ['test/package/**/*.test.ts'],
    globalSetup: ['test/support/run-tmpdir.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
