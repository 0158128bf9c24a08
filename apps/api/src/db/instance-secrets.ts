import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client';

/**
 * Returns the installation's secret called `name`, creating it on first use. Every replica
 * reads the same row, so cookies signed by one are accepted by the others.
 */
export async function getOrCreateInstanceSecret(prisma: PrismaClient, name: string): Promise<string> {
  await prisma.instanceSecret.createMany({
    data: [{ name, value: randomBytes(32).toString('base64url') }],
    skipDuplicates: true,
  });
  const row = await prisma.instanceSecret.findUniqueOrThrow({ where: { name } });
  return row.value;
}
