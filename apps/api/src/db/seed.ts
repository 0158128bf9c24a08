import { randomBytes } from 'node:crypto';
import type { EnvironmentPolicy, Role } from '@chaosgate/shared';
import type { PrismaClient } from '../generated/prisma/client';
import { hashPassword } from '../modules/auth/passwords';

interface SeedEnvironment {
  name: string;
  displayName: string;
  chaosNamespace: string;
  targetNamespaces: string[];
  policy: EnvironmentPolicy;
}

const HOUR = 3600;

/** The field's defaults (ARCHITECTURE.md, Domain): dev is open, staging needs an SRE, prod four eyes. */
export const DEFAULT_ENVIRONMENTS: SeedEnvironment[] = [
  {
    name: 'dev',
    displayName: 'Development',
    chaosNamespace: 'chaos-dev',
    targetNamespaces: ['chaos-dev'],
    policy: {
      submitRoles: ['developer', 'sre'],
      approval: 'none',
      executeRoles: ['sre'],
      submitterMayExecute: true,
      maxDurationSeconds: 2 * HOUR,
      maxPods: 50,
      allowedKinds: [],
      probeAllowList: ['http://127.0.0.1', 'http://localhost'],
    },
  },
  {
    name: 'staging',
    displayName: 'Staging',
    chaosNamespace: 'chaos-staging',
    targetNamespaces: ['chaos-staging'],
    policy: {
      submitRoles: ['developer', 'sre'],
      approval: 'one_sre',
      executeRoles: ['sre'],
      submitterMayExecute: false,
      maxDurationSeconds: HOUR,
      maxPods: 20,
      allowedKinds: [],
      probeAllowList: ['http://127.0.0.1', 'http://localhost'],
    },
  },
  {
    name: 'prod',
    displayName: 'Production',
    chaosNamespace: 'chaos-prod',
    targetNamespaces: ['chaos-prod'],
    policy: {
      submitRoles: ['sre'],
      approval: 'four_eyes',
      executeRoles: ['sre'],
      submitterMayExecute: false,
      maxDurationSeconds: 30 * 60,
      maxPods: 5,
      allowedKinds: ['PodChaos', 'NetworkChaos', 'StressChaos', 'HTTPChaos'],
      probeAllowList: [],
    },
  },
];

interface SeedUser {
  username: string;
  displayName: string;
  roles: Role[];
}

/** The built-in local users of the embedded default: one per job chaosgate serves. */
export const LOCAL_USERS: SeedUser[] = [
  { username: 'dev', displayName: 'Dana Developer', roles: ['developer'] },
  { username: 'sre', displayName: 'Sam SRE', roles: ['sre'] },
  { username: 'oncall', displayName: 'Olivia On-call', roles: ['oncall'] },
  { username: 'auditor', displayName: 'Avery Auditor', roles: ['auditor'] },
];

export interface SeedResult {
  /** Passwords generated for users created just now, to be shown once and never logged. */
  generatedPasswords: { username: string; password: string }[];
  environmentsCreated: string[];
}

/** Creates the default environments and local users that do not exist yet; idempotent. */
export async function seedDefaults(
  prisma: PrismaClient,
  passwords: Record<string, string | undefined>,
  options: { localUsers: boolean } = { localUsers: true },
): Promise<SeedResult> {
  const result: SeedResult = { generatedPasswords: [], environmentsCreated: [] };
  for (const [position, env] of DEFAULT_ENVIRONMENTS.entries()) {
    const created = await prisma.environment.createManyAndReturn({
      data: [
        {
          name: env.name,
          displayName: env.displayName,
          position,
          chaosNamespace: env.chaosNamespace,
          targetNamespaces: env.targetNamespaces,
          ...env.policy,
        },
      ],
      skipDuplicates: true,
    });
    if (created.length > 0) result.environmentsCreated.push(env.name);
  }
  if (!options.localUsers) return result;
  for (const user of LOCAL_USERS) {
    const existing = await prisma.user.findUnique({ where: { username: user.username } });
    if (existing) continue;
    const given = passwords[user.username];
    const password = given ?? randomBytes(12).toString('base64url');
    const created = await prisma.user.createManyAndReturn({
      data: [{ ...user, passwordHash: await hashPassword(password), source: 'local' }],
      skipDuplicates: true,
    });
    if (created.length > 0 && given === undefined) {
      result.generatedPasswords.push({ username: user.username, password });
    }
  }
  return result;
}
