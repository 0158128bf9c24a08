import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite, type PGliteInterface } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client';
import { CHANGES_CHANNEL, type ChangeFeed, createPgliteChangeFeed, createPostgresChangeFeed } from './change-feed';

/** Raw SQL for the few jobs Prisma has no words for: migrations, advisory locks, health. */
export interface SqlExecutor {
  /** Runs one or more statements with the simple query protocol. */
  exec(sql: string): Promise<void>;
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `work` on one connection holding a session advisory lock, released afterwards. */
  withAdvisoryLock<T>(key: number, work: (sql: SqlExecutor) => Promise<T>): Promise<T>;
}

export interface Database {
  kind: 'postgres' | 'pglite';
  prisma: PrismaClient;
  sql: SqlExecutor;
  /** Notifications of changed tables, for caches (see `change-cache.ts`). */
  changes: ChangeFeed;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** Told about errors of idle pooled connections (a server restart, a terminated backend). */
  onConnectionError?: (err: Error) => void;
  /** Directory for embedded PGlite data; `memory://` keeps it in memory. */
  dataDir: string;
}

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite database. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.onConnectionError)
    : openPglite(options.dataDir);
}

async function openPostgres(databaseUrl: string, onConnectionError?: (err: Error) => void): Promise<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  // An idle client losing its connection must not crash the process: the pool replaces it,
  // and the next query either succeeds or reports the outage to its caller.
  pool.on('error', (err) => onConnectionError?.(err));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const sql = postgresExecutor(pool);
  const changes = createPostgresChangeFeed({
    connectionString: databaseUrl,
    notify: async (payload) => {
      await pool.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, payload]);
    },
    ...(onConnectionError ? { onConnectionError } : {}),
  });
  return {
    kind: 'postgres',
    prisma,
    sql,
    changes,
    async close() {
      await changes.close();
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

function postgresExecutor(queryable: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    async exec(text) {
      await queryable.query(text);
    },
    async query(text, params) {
      const result = await queryable.query(text, params as unknown[]);
      return result.rows;
    },
    async withAdvisoryLock(key, work) {
      if (!(queryable instanceof pg.Pool)) {
        throw new Error('advisory locks are taken from the pool, not inside a held connection');
      }
      const client = await queryable.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [key]);
        try {
          return await work(postgresExecutor(client));
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [key]);
        }
      } finally {
        client.release();
      }
    },
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  const location = inMemory ? dataDir : path.join(dataDir, 'pglite');
  if (!inMemory) await fs.mkdir(location, { recursive: true });
  return databaseFromPglite(await PGlite.create(location));
}

/** Wraps an open PGlite instance; closing the database closes the instance. */
export function databaseFromPglite(client: PGliteInterface): Database {
  let queue: Promise<void> = Promise.resolve();
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client as PGlite) });
  const sql: SqlExecutor = {
    async exec(text) {
      await client.exec(text);
    },
    async query(text, params) {
      const result = await client.query(text, params as unknown[]);
      return result.rows as never[];
    },
    // PGlite is one connection in one process, where an advisory lock is re-entrant and so
    // serialises nothing: holders queue on a promise chain instead.
    async withAdvisoryLock(_key, work) {
      const previous = queue;
      let release = () => {};
      queue = new Promise<void>((resolve) => {
        release = resolve;
      });
      await previous;
      try {
        return await work(sql);
      } finally {
        release();
      }
    },
  };
  const changes = createPgliteChangeFeed(client);
  return {
    kind: 'pglite',
    prisma,
    sql,
    changes,
    async close() {
      await changes.close();
      await prisma.$disconnect();
      await client.close();
    },
  };
}
