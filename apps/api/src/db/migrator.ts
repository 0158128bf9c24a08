import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SqlExecutor } from './database';

/** Arbitrary but fixed: every chaosgate process migrating the same database takes this lock. */
const MIGRATION_LOCK_KEY = 72_707_301;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

interface AppliedRow extends Record<string, unknown> {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Prisma's own bookkeeping table, so `prisma migrate deploy` agrees with what ran here. */
const CREATE_PRISMA_MIGRATIONS = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

/** Reads `prisma/migrations/<timestamp>_<name>/migration.sql` in name order. */
export async function readMigrations(migrationsDir: string): Promise<Migration[]> {
  const entries = await fs.readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await fs.readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so two processes starting at
 * once apply each migration exactly once. Refuses to go on when an applied migration was
 * edited afterwards or a previous attempt failed halfway.
 */
export async function migrate(sql: SqlExecutor, migrations: Migration[]): Promise<MigrationResult> {
  return sql.withAdvisoryLock(MIGRATION_LOCK_KEY, async (locked) => {
    await locked.exec(CREATE_PRISMA_MIGRATIONS);
    const rows = await locked.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const applied = new Map(rows.filter((r) => r.rolled_back_at === null).map((r) => [r.migration_name, r]));
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const row = applied.get(migration.name);
      if (row) {
        assertIntact(row, migration);
        result.alreadyApplied.push(migration.name);
        continue;
      }
      await applyOne(locked, migration);
      result.applied.push(migration.name);
    }
    return result;
  });
}

function assertIntact(row: AppliedRow, migration: Migration): void {
  if (row.finished_at === null) {
    throw new Error(`migration ${migration.name} failed earlier and needs manual repair`);
  }
  if (row.checksum !== migration.checksum) {
    throw new Error(`migration ${migration.name} was modified after it was applied`);
  }
}

async function applyOne(sql: SqlExecutor, migration: Migration): Promise<void> {
  const id = randomUUID();
  await sql.query(
    'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())',
    [id, migration.checksum, migration.name],
  );
  try {
    await sql.exec(`BEGIN;\n${migration.sql}\nCOMMIT;`);
  } catch (err) {
    await sql.exec('ROLLBACK;').catch(() => undefined);
    await sql.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, String(err)]);
    throw new Error(`migration ${migration.name} failed: ${(err as Error).message}`);
  }
  await sql.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
}
