import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

/**
 * End-to-end suite: the real API process and the built SPA in Chromium. Files run one after
 * another because each starts its own chaosgate and browser.
 */
export default defineProject({
  test: {
    name: 'e2e',
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
