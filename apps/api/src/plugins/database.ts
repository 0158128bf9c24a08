import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';
import type { AppConfig } from '../config';
import { type Database, openDatabase } from '../db/database';
import { migrate, readMigrations } from '../db/migrator';
import { migrationsDir } from '../db/paths';
import { seedDefaults } from '../db/seed';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
  }
}

export interface DatabasePluginOptions {
  config: AppConfig;
  /** An already opened database (tests share one); otherwise opened from the config. */
  database?: Database;
}

/** Opens the database, applies pending migrations, seeds defaults and closes it on shutdown. */
async function databasePlugin(app: FastifyInstance, opts: DatabasePluginOptions): Promise<void> {
  const { config } = opts;
  const owned = opts.database === undefined;
  const db =
    opts.database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      onConnectionError: (err) => app.log.warn({ err }, 'idle database connection lost'),
    }));
  try {
    const result = await migrate(db.sql, await readMigrations(migrationsDir()));
    if (result.applied.length > 0) app.log.info({ applied: result.applied }, 'database migrated');
    const seeded = await seedDefaults(db.prisma, config.seedPasswords);
    if (seeded.generatedPasswords.length > 0) printGeneratedPasswords(seeded.generatedPasswords);
  } catch (err) {
    if (owned) await db.close();
    throw err;
  }
  app.decorate('db', db);
  new Gauge({
    name: 'chaosgate_change_feed_live',
    help: '1 while this replica hears the database announce changes (its caches are in use), else 0',
    registers: [app.metrics],
    collect() {
      this.set(db.changes.live ? 1 : 0);
    },
  });
  if (owned) app.addHook('onClose', () => db.close());
}

/** Shown once, on the terminal only: passwords must never reach the structured logs. */
function printGeneratedPasswords(users: { username: string; password: string }[]): void {
  const lines = users.map((u) => `    ${u.username.padEnd(10)} ${u.password}`);
  process.stdout.write(
    `\n  chaosgate created local users (shown once; set CHAOSGATE_SEED_PASSWORD_<USER> to choose):\n${lines.join('\n')}\n\n`,
  );
}

export default fp(databasePlugin, { name: 'chaosgate-database', dependencies: ['chaosgate-metrics'] });
