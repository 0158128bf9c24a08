import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Migration, migrate, readMigrations } from '../../apps/api/src/db/migrator';
import { migrationsDir } from '../../apps/api/src/db/paths';
import {
  createEmptyTestDatabase,
  openSecondConnection,
  type TestDatabase,
} from '../../apps/api/src/testing/test-database';

let db: TestDatabase;
let migrations: Migration[];
beforeEach(async () => {
  db = await createEmptyTestDatabase();
  migrations = await readMigrations(migrationsDir());
});
afterEach(async () => {
  await db.drop();
});

const appliedRows = () =>
  db.database.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
    'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
  );

describe('migrate', () => {
  it('applies every migration once and records it the way prisma migrate does', async () => {
    const first = await migrate(db.database.sql, migrations);
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    const second = await migrate(db.database.sql, migrations);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(migrations.map((m) => m.name));
    const rows = await appliedRows();
    expect(rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(
        createHash('sha256')
          .update((migrations[i] as Migration).sql)
          .digest('hex'),
      );
      expect(row.finished_at).not.toBeNull();
    }
  });

  it('applies each migration exactly once when two processes start at the same moment', async () => {
    const other = (await openSecondConnection(db)) ?? db.database;
    try {
      const [a, b] = await Promise.all([migrate(db.database.sql, migrations), migrate(other.sql, migrations)]);
      expect([...a.applied, ...b.applied].sort()).toEqual(migrations.map((m) => m.name).sort());
      expect(await appliedRows()).toHaveLength(migrations.length);
    } finally {
      if (other !== db.database) await other.close();
    }
  });

  it('refuses to start when an applied migration was edited afterwards', async () => {
    await migrate(db.database.sql, migrations);
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    await expect(migrate(db.database.sql, edited)).rejects.toThrow(/modified after it was applied/);
  });

  it('rolls a failing migration back and refuses to go on until it is repaired', async () => {
    await migrate(db.database.sql, migrations);
    const broken: Migration = {
      name: '29991231000000_broken',
      sql: 'CREATE TABLE "x" (a int); SELECT nope;',
      checksum: 'a'.repeat(64),
    };
    await expect(migrate(db.database.sql, [...migrations, broken])).rejects.toThrow(/failed/);
    const tables = await db.database.sql.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'x'");
    expect(tables).toHaveLength(0);
    await expect(migrate(db.database.sql, [...migrations, broken])).rejects.toThrow(/needs manual repair/);
  });
});
