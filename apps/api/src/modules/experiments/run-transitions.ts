import { canTransition, type RunStatus } from '@chaosgate/shared';
import { AppError } from '../../errors';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import type { AuditRepository } from '../audit/audit.repo';
import type { RunEventInput, RunRepository, RunRow } from './runs.repo';

type Tx = Prisma.TransactionClient;

/** One status change of a run, as requested by a person or by chaosgate itself. */
export interface RunStatusChange {
  run: Pick<RunRow, 'id' | 'environment' | 'manifestHash'>;
  from: RunStatus;
  to: RunStatus;
  /** Username, or `chaosgate` for the executor, watcher and reconciler. */
  actor: string;
  /** Audit action, e.g. `run.execute`. */
  action: string;
  message: string;
  reason?: string | null;
  data?: Prisma.ExperimentRunUpdateManyMutationInput;
  requestId?: string | null;
  details?: Record<string, unknown>;
  /** Checks inside the transaction before the change (may throw to refuse it). */
  guard?: (tx: Tx) => Promise<void>;
}

export interface RunTransitionsDeps {
  prisma: PrismaClient;
  runs: RunRepository;
  audit: AuditRepository;
}

/**
 * Status changes as the architecture demands them: one guarded update (compare-and-set on the
 * previous status), its timeline entry and its audit event, in one transaction.
 */
export function createRunTransitions(deps: RunTransitionsDeps) {
  /** Applies the change if the run still has `from`; returns whether this call made it. */
  function change(c: RunStatusChange): Promise<boolean> {
    return deps.prisma.$transaction(async (tx) => {
      const event: Omit<RunEventInput, 'type'> = {
        message: c.message,
        actor: c.actor,
        details: { ...(c.reason ? { reason: c.reason } : {}), ...(c.details ?? {}) },
      };
      const data = { ...(c.data ?? {}), ...(c.reason !== undefined ? { reason: c.reason } : {}) };
      await c.guard?.(tx);
      const changed = await deps.runs.transition({ id: c.run.id, from: c.from, to: c.to, data, event }, tx);
      if (!changed) return false;
      await deps.audit.appendIn(tx, {
        actor: c.actor,
        action: c.action,
        targetType: 'run',
        targetId: c.run.id,
        environment: c.run.environment,
        manifestHash: c.run.manifestHash,
        requestId: c.requestId ?? null,
        details: { from: c.from, to: c.to, ...(c.reason ? { reason: c.reason } : {}), ...(c.details ?? {}) },
      });
      return true;
    });
  }

  /**
   * A change a person asked for: 409 `CG_RUN_ILLEGAL_TRANSITION` when the run's status does not
   * allow it, 409 `CG_RUN_CONFLICT` when another request changed the run first.
   */
  async function changeOrThrow(current: RunStatus, c: RunStatusChange): Promise<void> {
    assertTransition(c.run.id, current, c.from, c.to);
    if (!(await change(c))) {
      throw new AppError('CG_RUN_CONFLICT', `run ${c.run.id} changed meanwhile; reload it`, { to: c.to });
    }
  }

  return { change, changeOrThrow };
}

/** 409 `CG_RUN_ILLEGAL_TRANSITION` unless the run is in `from` and the machine allows `from → to`. */
export function assertTransition(id: string, current: RunStatus, from: RunStatus, to: RunStatus): void {
  if (current !== from || !canTransition(from, to)) {
    throw new AppError('CG_RUN_ILLEGAL_TRANSITION', `run ${id} is ${current}; it cannot become ${to}`, {
      from: current,
      to,
    });
  }
}

export type RunTransitions = ReturnType<typeof createRunTransitions>;
