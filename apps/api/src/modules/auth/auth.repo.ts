import type { PrismaClient } from '../../generated/prisma/client';

export function createAuthRepository(prisma: PrismaClient) {
  return {
    findUserByUsername(username: string) {
      return prisma.user.findUnique({ where: { username } });
    },
    createSession(data: { id: string; userId: string; expiresAt: Date; userAgent: string | null }) {
      return prisma.session.create({ data });
    },
    /** The session with its user, or null when unknown, expired or the user is disabled. */
    async findLiveSession(id: string, now: Date) {
      const session = await prisma.session.findUnique({ where: { id }, include: { user: true } });
      if (!session || session.expiresAt <= now || session.user.disabled) return null;
      return session;
    },
    async deleteSession(id: string) {
      await prisma.session.deleteMany({ where: { id } });
    },
    async recordLogin(userId: string, at: Date) {
      await prisma.user.update({ where: { id: userId }, data: { lastLoginAt: at } });
    },
    async deleteExpiredSessions(now: Date) {
      const { count } = await prisma.session.deleteMany({ where: { expiresAt: { lte: now } } });
      return count;
    },
  };
}

export type AuthRepository = ReturnType<typeof createAuthRepository>;
