import type { RunStatus } from '@chaosgate/shared';
import type { SqlExecutor } from '../../db/database';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { listRunPage } from './runs-list.repo';

type Tx = Prisma.TransactionClient;
type Db = PrismaClient | Tx;

export type RunRow = NonNullable<Awaited<ReturnType<RunRepository['findById']>>>;
export type RunEventRow = Awaited<ReturnType<RunRepository['listEvents']>>[number];
export type ProbeResultRow = Awaited<ReturnType<RunRepository['listProbeResults']>>[number];

/** A timeline entry to record with a run. */
export interface RunEventInput {
  type: 'status' | 'probe' | 'condition' | 'kube' | 'note';
  message: string;
  fromStatus?: RunStatus | null;
  toStatus?: RunStatus | null;
  actor?: string | null;
  details?: Record<string, unknown>;
}

export interface RunTransition {
  id: string;
  from: RunStatus;
  to: RunStatus;
  /** Other columns to set with the status (timestamps, reason, approver, …). */
  data?: Omit<Prisma.ExperimentRunUpdateManyMutationInput, 'status'>;
  event: Omit<RunEventInput, 'type' | 'fromStatus' | 'toStatus'>;
}

export interface RunListFilters {
  environment?: string | undefined;
  status?: RunStatus | undefined;
  createdBy?: string | undefined;
  namespace?: string | undefined;
  kind?: string | undefined;
}

/** Position of the last row of a page in (createdAt desc, id desc) order. */
export interface RunCursor {
  createdAt: Date;
  id: string;
}

/**
 * Experiment runs, their timeline and probe results. Every method takes an optional
 * transaction so a service can make a status change, its timeline entry and its audit event
 * commit together.
 */
export function createRunRepository(prisma: PrismaClient, sql: SqlExecutor) {
  const db = (tx?: Tx): Db => tx ?? prisma;

  function addEvent(runId: string, event: RunEventInput, tx?: Tx) {
    return db(tx).runEvent.create({
      data: {
        runId,
        type: event.type,
        message: event.message,
        fromStatus: event.fromStatus ?? null,
        toStatus: event.toStatus ?? null,
        actor: event.actor ?? null,
        details: (event.details ?? {}) as Prisma.InputJsonObject,
      },
    });
  }

  return {
    findById(id: string, tx?: Tx) {
      return db(tx).experimentRun.findUnique({ where: { id } });
    },

    create(data: Prisma.ExperimentRunUncheckedCreateInput, tx?: Tx) {
      return db(tx).experimentRun.create({ data });
    },

    /**
     * One compare-and-set status change: the row moves only if its status is still `from`.
     * Records the timeline entry when it did. Returns whether this call made the change.
     */
    async transition(t: RunTransition, tx?: Tx): Promise<boolean> {
      const { count } = await db(tx).experimentRun.updateMany({
        where: { id: t.id, status: t.from },
        data: { ...t.data, status: t.to },
      });
      if (count === 0) return false;
      await addEvent(t.id, { ...t.event, type: 'status', fromStatus: t.from, toStatus: t.to }, tx);
      return true;
    },

    addEvent,

    /** Updates columns of a run only while it has `status` (observations of a live run). */
    async updateWhile(id: string, status: RunStatus, data: Prisma.ExperimentRunUpdateManyMutationInput, tx?: Tx) {
      const { count } = await db(tx).experimentRun.updateMany({ where: { id, status }, data });
      return count === 1;
    },

    /** One page of runs, newest first, after `cursor`, plus one row to tell whether more follow. */
    list(filters: RunListFilters, limit: number, cursor?: RunCursor) {
      return listRunPage(sql, filters, limit, cursor);
    },

    listByStatus(status: RunStatus, environment?: string) {
      return prisma.experimentRun.findMany({ where: { status, ...(environment ? { environment } : {}) } });
    },

    listEvents(runId: string, afterSeq?: bigint) {
      return prisma.runEvent.findMany({
        where: { runId, ...(afterSeq !== undefined ? { seq: { gt: afterSeq } } : {}) },
        orderBy: { seq: 'asc' },
        take: 1000,
      });
    },

    listProbeResults(runId: string) {
      return prisma.runProbeResult.findMany({ where: { runId }, orderBy: { at: 'asc' }, take: 1000 });
    },

    addProbeResult(data: Prisma.RunProbeResultUncheckedCreateInput, tx?: Tx) {
      return db(tx).runProbeResult.create({ data });
    },

    /**
     * Takes or renews the supervision lease of a running run: succeeds when nobody holds it, the
     * caller already does, or the holder let it expire (a replica that died).
     */
    async claimLease(id: string, owner: string, ttlMs: number): Promise<boolean> {
      const now = new Date();
      const { count } = await prisma.experimentRun.updateMany({
        where: {
          id,
          status: 'running',
          OR: [{ leaseOwner: null }, { leaseOwner: owner }, { leaseExpiresAt: { lt: now } }],
        },
        data: { leaseOwner: owner, leaseExpiresAt: new Date(now.getTime() + ttlMs) },
      });
      return count === 1;
    },
  };
}

export type RunRepository = ReturnType<typeof createRunRepository>;
