import type { RunStatus } from '@chaosgate/shared';
import type { SqlExecutor } from '../../db/database';
import type { RunListRow } from './runs.dto';
import type { RunCursor, RunListFilters } from './runs.repo';

/** The columns a run list shows, in the order `RunListRow` names them. */
const COLUMNS = {
  id: 'id',
  name: 'name',
  status: 'status',
  createdBy: 'created_by',
  approvedBy: 'approved_by',
  environment: 'environment',
  namespace: 'namespace',
  kind: 'kind',
  manifestHash: 'manifest_hash',
  reason: 'reason',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  submittedAt: 'submitted_at',
  approvedAt: 'approved_at',
  rejectedAt: 'rejected_at',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  action: 'action',
  crName: 'cr_name',
  targets: 'targets',
  durationSeconds: 'duration_seconds',
} as const satisfies Record<keyof RunListRow, string>;

const SELECT = Object.entries(COLUMNS)
  .map(([field, column]) => `"${column}" AS "${field}"`)
  .join(', ');

const FILTER_COLUMNS: Record<keyof RunListFilters, string> = {
  environment: 'environment',
  status: 'status',
  createdBy: 'created_by',
  namespace: 'namespace',
  kind: 'kind',
};

/**
 * One page of the run list in a single SQL statement, newest first: keyset pagination with a
 * row comparison on (created_at, id), which walks the `(created_at DESC, id DESC)` index from the
 * cursor on however deep the page is. Plain SQL because this is the hottest read of the API and
 * the ORM's per-row mapping costs more than the query itself.
 */
export async function listRunPage(
  sql: SqlExecutor,
  filters: RunListFilters,
  limit: number,
  cursor?: RunCursor,
): Promise<RunListRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [field, column] of Object.entries(FILTER_COLUMNS) as [keyof RunListFilters, string][]) {
    const value = filters[field];
    if (value === undefined) continue;
    params.push(value);
    where.push(field === 'status' ? `"${column}" = $${params.length}::"RunStatus"` : `"${column}" = $${params.length}`);
  }
  if (cursor) {
    params.push(cursor.createdAt, cursor.id);
    where.push(`("created_at", "id") < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(limit + 1);
  const text = `SELECT ${SELECT} FROM "experiment_runs"${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
    ORDER BY "created_at" DESC, "id" DESC LIMIT $${params.length}`;
  const rows = await sql.query<RunListRow & Record<string, unknown>>(text, params);
  return rows.map((r) => ({ ...r, status: r.status as RunStatus }));
}
