import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANGES_CHANNEL, createPostgresChangeFeed } from '../../apps/api/src/db/change-feed';
import { createTestDatabase, type TestDatabase } from '../../apps/api/src/testing/test-database';
import { startTcpProxy } from '../support/tcp-proxy';

let db: TestDatabase;
let heard: (string | null)[];
beforeEach(async () => {
  db = await createTestDatabase();
  heard = [];
  db.database.changes.subscribe((table) => heard.push(table));
  await vi.waitFor(() => expect(db.database.changes.live).toBe(true));
  heard = [];
});
afterEach(async () => {
  await db.drop();
});

describe('the change feed', () => {
  it('announces each statement that changes runs, sessions or users, by table', async () => {
    const { sql } = db.database;
    await sql.exec(`INSERT INTO "experiment_runs" ("id", "name", "config", "status", "created_by", "environment",
      "namespace", "kind", "updated_at")
      SELECT gen_random_uuid(), 'r' || g, '{}', 'completed', 'dev', 'dev', 'chaos-dev', 'PodChaos', now()
      FROM generate_series(1, 3) AS g`);
    await sql.exec(`UPDATE "users" SET "display_name" = "display_name" WHERE "username" = 'dev'`);
    await sql.exec(`DELETE FROM "sessions"`);
    await vi.waitFor(() => expect(heard).toEqual(['experiment_runs', 'users', 'sessions']));
  });

  it('says nothing of a new session: nothing about it can be cached before it exists', async () => {
    const dev = await db.database.prisma.user.findUniqueOrThrow({ where: { username: 'dev' } });
    await db.database.prisma.session.create({
      data: { id: 'a'.repeat(64), userId: dev.id, expiresAt: new Date(Date.now() + 60_000) },
    });
    // Notifications arrive in commit order: once this one is heard, the insert's would have been.
    await db.database.sql.exec(`UPDATE "users" SET "disabled" = false WHERE "username" = 'dev'`);
    await vi.waitFor(() => expect(heard).toEqual(['users']));
  });

  // PGlite lives in this process: it has no connection to lose.
  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'tells listeners it is not live when its connection dies, then reconnects by itself',
    async () => {
      const [listener] = await db.database.sql.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`,
      );
      expect(listener).toBeDefined();
      await db.database.sql.query('SELECT pg_terminate_backend($1)', [listener?.pid]);
      await vi.waitFor(() => expect(heard).toContain(null));
      await vi.waitFor(() => expect(db.database.changes.live).toBe(true), { timeout: 5_000 });
      heard = [];
      await db.database.sql.exec(`DELETE FROM "sessions"`);
      await vi.waitFor(() => expect(heard).toEqual(['sessions']));
    },
  );

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'stops being live when its connection goes quiet without closing, then comes back',
    async () => {
      const url = new URL(db.url as string);
      const proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
      url.hostname = '127.0.0.1';
      url.port = String(proxy.port);
      const feed = createPostgresChangeFeed({
        connectionString: url.toString(),
        notify: async (payload) => {
          await db.database.sql.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, payload]);
        },
        probeEveryMs: 100,
        probeTimeoutMs: 400,
      });
      const told: (string | null)[] = [];
      try {
        feed.subscribe((table) => told.push(table));
        await vi.waitFor(() => expect(feed.live).toBe(true));
        told.length = 0;
        proxy.freeze();
        // A change made now never reaches the frozen connection: the feed must stop vouching.
        await db.database.sql.exec('DELETE FROM "sessions"');
        await vi.waitFor(() => expect(feed.live).toBe(false), { timeout: 2_000 });
        expect(told).toEqual([null]);
        await vi.waitFor(() => expect(feed.live).toBe(true), { timeout: 5_000 });
        told.length = 0;
        await db.database.sql.exec('DELETE FROM "sessions"');
        await vi.waitFor(() => expect(told).toEqual(['sessions']));
      } finally {
        await feed.close();
        await proxy.close();
      }
    },
  );
});
