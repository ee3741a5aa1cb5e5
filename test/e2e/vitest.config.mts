import { defineConfig } from 'vitest/config';

// The e2e suite needs the local control plane that e2e/run.sh starts (npm run e2e); the default
// vitest config excludes test/e2e/** so `npm test` never needs it.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    // One cluster is shared: files run one after another, each in its own namespaces.
    fileParallelism: false,
    // above the scenarios' own 300 s bound, so their timeout (which writes the partial trace) fires first
    testTimeout: 420_000,
    hookTimeout: 120_000,
  },
});
