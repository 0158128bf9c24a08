import type { Environment } from '@chaosgate/shared';

/** A dev-like environment for the pure tests of the composer (two target namespaces). */
export const DEV: Environment = {
  name: 'dev',
  displayName: 'Development',
  chaosNamespace: 'chaos-dev',
  targetNamespaces: ['chaos-dev', 'shop'],
  policy: {
    submitRoles: ['developer', 'sre'],
    approval: 'none',
    executeRoles: ['sre'],
    submitterMayExecute: true,
    maxDurationSeconds: 3600,
    maxPods: 10,
    allowedKinds: [],
    probeAllowList: ['http://127.0.0.1', 'https://status.example.com/health'],
  },
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};
