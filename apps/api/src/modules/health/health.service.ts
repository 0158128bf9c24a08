import type { ReadinessResponse } from '@chaosgate/shared';
import type { Database } from '../../db/database';

type ReadinessCheck = ReadinessResponse['checks'][string];

/** The cluster side of readiness (the kube plugin's `app.kube`); reports, never throws. */
export interface ClusterReadiness {
  readiness(timeoutMs: number): Promise<ReadinessCheck>;
}

const TIMEOUT_MS = 2000;

/**
 * Ready when the database answers a trivial query and the default cluster's API server
 * answers `/readyz`, each within two seconds (checked in parallel). A cluster switched off
 * with `CHAOSGATE_KUBE=none` is reported as disabled and does not make the API unready.
 */
export async function checkReadiness(db: Database, cluster?: ClusterReadiness): Promise<ReadinessResponse> {
  const [database, kubernetes] = await Promise.all([checkDatabase(db), cluster?.readiness(TIMEOUT_MS)]);
  const checks: ReadinessResponse['checks'] = { database };
  if (kubernetes) checks.kubernetes = kubernetes;
  const ok = Object.values(checks).every((c) => c.ok);
  return { status: ok ? 'ok' : 'unavailable', checks };
}

async function checkDatabase(db: Database): Promise<ReadinessCheck> {
  try {
    await withTimeout(db.sql.query('SELECT 1'), TIMEOUT_MS);
    return { ok: true };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
