import { defineProject } from 'vitest/config';

/**
 * The test projects of chaosgate. `vitest.config.ts` imports this list; `scripts/test.sh`
 * runs them all. Projects that need the local control plane or a browser start them in
 * their own global setup.
 */
export const projects = [
  'apps/web/vitest.config.ts',
  'test/e2e/vitest.config.ts',
  defineProject({
    test: {
      name: 'unit',
      include: ['packages/*/src/**/*.test.ts', 'apps/api/src/**/*.unit.test.ts'],
      environment: 'node',
    },
  }),
  defineProject({
    test: {
      name: 'api',
      include: ['apps/api/src/**/*.test.ts'],
      exclude: ['apps/api/src/**/*.unit.test.ts'],
      environment: 'node',
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  }),
  defineProject({
    test: {
      name: 'db',
      include: ['test/db/**/*.test.ts'],
      environment: 'node',
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  }),
  defineProject({
    test: {
      // Against a real kube-apiserver: one local control plane per run (or CHAOSGATE_TEST_KUBECONFIG).
      name: 'integration',
      include: ['test/integration/**/*.test.ts'],
      globalSetup: ['test/support/local-cluster.global-setup.ts'],
      environment: 'node',
      testTimeout: 60_000,
      hookTimeout: 120_000,
      fileParallelism: false,
    },
  }),
];
