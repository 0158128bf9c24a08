import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Database, databaseFromPglite, openDatabase } from '../db/database';
import { migrate, readMigrations } from '../db/migrator';
import { migrationsDir } from '../db/paths';
import { seedDefaults } from '../db/seed';

/** Passwords of the seeded local users in every test database. */
export const TEST_PASSWORDS: Record<string, string> = {
  dev: 'dev-test-password',
  sre: 'sre-test-password',
  oncall: 'oncall-test-password',
  auditor: 'auditor-test-password',
};

export interface TestDatabase {
  database: Database;
  /** PostgreSQL connection string of this database; absent for PGlite. */
  url?: string;
  /** Closes the connection and removes the database. */
  drop(): Promise<void>;
}

/**
 * A fresh database for one test, already migrated and seeded: a new PostgreSQL database copied
 * from a per-process template on the server named by `TEST_DATABASE_URL` when it is set,
 * otherwise a clone of a per-process in-memory PGlite template.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  return serverUrl ? createPostgresTestDatabase(serverUrl) : createPgliteTestDatabase();
}

/** A fresh database with nothing in it, not even migrations: for testing the migrator. */
export async function createEmptyTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ dataDir: 'memory://' });
    return { database, drop: () => database.close() };
  }
  const name = `cg_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  return postgresTestDatabase(serverUrl, name);
}

/** Another connection pool to the same database, as a second API replica would have. */
export async function openSecondConnection(db: TestDatabase): Promise<Database | null> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl || db.database.kind !== 'postgres') return null;
  return openDatabase({ databaseUrl: db.url ?? '', dataDir: 'memory://' });
}

async function prepare(database: Database): Promise<void> {
  await migrate(database.sql, await readMigrations(migrationsDir()));
  await seedDefaults(database.prisma, TEST_PASSWORDS);
}

let pgliteTemplate: Promise<PGlite> | undefined;

async function createPgliteTestDatabase(): Promise<TestDatabase> {
  pgliteTemplate ??= (async () => {
    const client = await PGlite.create('memory://');
    await prepare(databaseFromPglite(client));
    return client;
  })();
  const database = databaseFromPglite(await (await pgliteTemplate).clone());
  return { database, drop: () => database.close() };
}

let postgresTemplate: Promise<string> | undefined;

async function createPostgresTestDatabase(serverUrl: string): Promise<TestDatabase> {
  postgresTemplate ??= (async () => {
    const name = `cg_template_${process.pid}_${randomBytes(3).toString('hex')}`;
    await withAdminClient(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
    const template = await openDatabase({ databaseUrl: databaseUrl(serverUrl, name), dataDir: 'memory://' });
    await prepare(template);
    await template.close();
    return name;
  })();
  const template = await postgresTemplate;
  const name = `cg_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return postgresTestDatabase(serverUrl, name);
}

async function postgresTestDatabase(serverUrl: string, name: string): Promise<TestDatabase> {
  const url = databaseUrl(serverUrl, name);
  const database = await openDatabase({ databaseUrl: url, dataDir: 'memory://' });
  return {
    database,
    url,
    async drop() {
      await database.close();
      await withAdminClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdminClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
