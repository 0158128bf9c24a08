import type { ReadinessResponse } from '@chaosgate/shared';
import type { Database } from '../../db/database';

/** Ready when the database answers a trivial query within two seconds. */
export async function checkReadiness(db: Database): Promise<ReadinessResponse> {
  const checks: ReadinessResponse['checks'] = {};
  try {
    await withTimeout(db.sql.query('SELECT 1'), 2000);
    checks.database = { ok: true };
  } catch (err) {
    checks.database = { ok: false, message: (err as Error).message };
  }
  const ok = Object.values(checks).every((c) => c.ok);
  return { status: ok ? 'ok' : 'unavailable', checks };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
