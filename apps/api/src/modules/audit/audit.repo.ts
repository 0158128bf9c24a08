import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { type ChainedAuditFields, GENESIS_HASH, hashAuditEvent } from './audit-chain';

/** Serialises appends so that every event links to exactly one predecessor. */
const AUDIT_CHAIN_LOCK_KEY = 72_707_302;

/** What a caller records; the repository adds the id, the time and the chain hashes. */
export type AuditEventInput = Omit<ChainedAuditFields, 'id' | 'occurredAt' | 'details'> & {
  details?: Record<string, unknown>;
};

type Tx = Prisma.TransactionClient;

export function createAuditRepository(prisma: PrismaClient) {
  async function appendIn(tx: Tx, event: AuditEventInput) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`;
    const last = await tx.auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { hash: true } });
    const prevHash = last?.hash ?? GENESIS_HASH;
    const id = crypto.randomUUID();
    const occurredAt = new Date();
    const hash = hashAuditEvent(prevHash, { ...event, id, occurredAt });
    return tx.auditEvent.create({
      data: {
        id,
        occurredAt,
        actor: event.actor,
        action: event.action,
        targetType: event.targetType,
        targetId: event.targetId ?? null,
        environment: event.environment ?? null,
        manifestHash: event.manifestHash ?? null,
        requestId: event.requestId ?? null,
        details: (event.details ?? {}) as Prisma.InputJsonObject,
        prevHash,
        hash,
      },
    });
  }

  return {
    /** Appends inside the caller's transaction, so the action and its record commit together. */
    appendIn,
    append(event: AuditEventInput) {
      return prisma.$transaction((tx) => appendIn(tx, event));
    },
    listChronological(take: number, afterSeq?: bigint) {
      return prisma.auditEvent.findMany({
        where: afterSeq === undefined ? {} : { seq: { gt: afterSeq } },
        orderBy: { seq: 'asc' },
        take,
      });
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
