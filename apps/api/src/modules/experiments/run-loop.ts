import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/database';
import type { RunReconciler } from './run-reconciler';
import type { RunSupervisor } from './run-supervisor';

/** The advisory lock of the reconciler: one replica repairs, the others skip that round. */
export const RECONCILE_LOCK_KEY = 72_707_401;

/**
 * Runs `work` only if this process gets the PostgreSQL advisory lock `key` now
 * (`pg_try_advisory_xact_lock`, held by a transaction that stays open while `work` runs, so a
 * crashed replica releases it with its connection); returns null when another replica holds it.
 * Embedded PGlite is one process by definition, so there is nobody to exclude.
 */
export async function withTryAdvisoryLock<T>(db: Database, key: number, work: () => Promise<T>): Promise<T | null> {
  if (db.kind === 'pglite') return work();
  return db.prisma.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${key}) AS locked`;
      return row?.locked ? work() : null;
    },
    { maxWait: 5_000, timeout: 10 * 60_000 },
  );
}

export interface RunLoopOptions {
  db: Database;
  supervisor: RunSupervisor;
  reconciler: RunReconciler;
  log: FastifyBaseLogger;
  tickMs: number;
  reconcileEveryMs: number;
}

/**
 * The background work of the runs module: the reconciler at start-up and then periodically
 * (under a PostgreSQL advisory lock, skipped while another replica holds it), and the supervisor's ticks. `stop` waits for work in flight.
 */
export function startRunLoop(options: RunLoopOptions) {
  const { supervisor, log } = options;
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;
  let ticking = false;

  function track(work: Promise<unknown>): void {
    const guarded = work.catch((err: unknown) => log.warn({ err }, 'run loop work failed'));
    inFlight.add(guarded);
    void guarded.finally(() => inFlight.delete(guarded));
  }

  const reconcile = () => track(withTryAdvisoryLock(options.db, RECONCILE_LOCK_KEY, options.reconciler.reconcile));

  function tick(): void {
    if (stopped || ticking) return;
    ticking = true;
    track(supervisor.tick().finally(() => (ticking = false)));
  }

  reconcile();
  const ticker = setInterval(tick, options.tickMs);
  const reconciling = setInterval(reconcile, options.reconcileEveryMs);
  ticker.unref();
  reconciling.unref();

  return {
    /** Looks at a run now rather than on the next tick. */
    wake(runId: string): void {
      if (!stopped) track(supervisor.wake(runId));
    },
    /** Looks at every running run now (a watched CR changed). */
    tickNow: tick,
    /** Runs `work` as background work the loop waits for on stop. */
    track,
    /**
     * Stops the timers and waits for work in flight, at most `graceMs`: a call to a cluster that
     * does not answer must not hold up shutdown (it fails on its own timeout and is only logged).
     */
    async stop(graceMs = 3000): Promise<void> {
      stopped = true;
      clearInterval(ticker);
      clearInterval(reconciling);
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      clearTimeout(timer);
    },
  };
}

export type RunLoop = ReturnType<typeof startRunLoop>;
