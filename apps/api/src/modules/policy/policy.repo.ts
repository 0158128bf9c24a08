import type { PrismaClient } from '../../generated/prisma/client';

export function createPolicyRepository(prisma: PrismaClient) {
  return {
    listEnvironments() {
      return prisma.environment.findMany({ orderBy: [{ position: 'asc' }, { name: 'asc' }] });
    },
    findEnvironment(name: string) {
      return prisma.environment.findUnique({ where: { name } });
    },
  };
}

export type PolicyRepository = ReturnType<typeof createPolicyRepository>;
export type EnvironmentRow = NonNullable<Awaited<ReturnType<PolicyRepository['findEnvironment']>>>;
