import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../apps/api/src/db/database';
import { migrate, readMigrations } from '../../apps/api/src/db/migrator';
import { migrationsDir } from '../../apps/api/src/db/paths';
import { seedDefaults } from '../../apps/api/src/db/seed';
import { encodeCursor } from '../../apps/api/src/modules/experiments/runs-cursor';
import { createTestDatabase, SEEDED_USERS, seededUser, startChaosgate } from '../../test/e2e/harness';
import { startBaselines } from '../support/baseline';
import { signInOverHttp } from '../support/http';
import { median, requestsPerSecond } from '../support/load';

/** Requests per second of each target, medians over the rounds. */
export interface ListBenchResult {
  rows: number;
  database: 'PostgreSQL' | 'PGlite';
  /** Size of the first page's body, which the constant baseline matches. */
  pageBytes: number;
  hello: number;
  constant: number;
  /** `GET /api/me`: a signed-in request that only resolves the session. */
  session: number;
  /** `GET /api/runs?limit=50`, the page everybody opens. */
  firstPage: number;
  /** Pages behind 2,000 different cursors in turn: every request misses the page cache. */
  deepPages: number;
}

const TARGETS = JSON.stringify([
  {
    path: 'spec.selector',
    mode: 'one',
    value: null,
    namespaces: ['chaos-dev'],
    labelSelectors: { app: 'order' },
    expressionSelectors: [],
    annotationSelectors: {},
    fieldSelectors: {},
    pods: {},
  },
]);

/** Seeds `rows` finished runs in one statement (the list reads neither manifests nor configs). */
const SEED = (rows: number) => `
INSERT INTO "experiment_runs" ("id", "name", "config", "status", "created_by", "environment", "namespace", "kind",
  "action", "manifest_hash", "cr_name", "targets", "duration_seconds", "created_at", "updated_at", "submitted_at",
  "approved_at", "started_at", "finished_at")
SELECT gen_random_uuid(), 'bench-' || g, '{}'::jsonb, 'completed', CASE WHEN g % 2 = 0 THEN 'dev' ELSE 'sre' END,
  'dev', 'chaos-dev', 'PodChaos', 'pod-kill', repeat('a', 64), 'cg-' || lpad(to_hex(g), 10, '0'), '${TARGETS}'::jsonb,
  0, now() - (g || ' seconds')::interval, now(), now(), now(), now(), now()
FROM generate_series(1, ${rows}) AS g;`;

const ROUNDS = 5;

/** Where the seeded database lives: a PostgreSQL database or a PGlite data directory. */
type Store = { databaseUrl: string; drop(): Promise<void> } | { dataDir: string; drop(): Promise<void> };

/**
 * Migrates and seeds a database before chaosgate starts on it (PGlite admits one process at a
 * time), settles it with VACUUM ANALYZE so autovacuum does not run during the measurements, and
 * returns the cursors of every page boundary.
 */
async function seededStore(rows: number): Promise<{ store: Store; cursors: string[] }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  let store: Store;
  let database: Awaited<ReturnType<typeof openDatabase>>;
  if (adminUrl) {
    const created = await createTestDatabase(adminUrl);
    store = { databaseUrl: created.url, drop: created.drop };
    database = await openDatabase({ databaseUrl: created.url, dataDir: 'memory://' });
  } else {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'chaosgate-bench-'));
    store = { dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
    database = await openDatabase({ dataDir });
  }
  try {
    await migrate(database.sql, await readMigrations(migrationsDir()));
    await seedDefaults(database.prisma, Object.fromEntries(SEEDED_USERS.map((u) => [u.username, u.password])));
    await database.sql.exec(SEED(rows));
    await database.sql.exec('VACUUM ANALYZE "experiment_runs"');
    const boundaries = await database.sql.query<{ created_at: Date; id: string }>(
      `SELECT "created_at", "id" FROM (SELECT "created_at", "id",
         row_number() OVER (ORDER BY "created_at" DESC, "id" DESC) AS n FROM "experiment_runs") AS t
       WHERE n % 50 = 0 ORDER BY n LIMIT 2000`,
    );
    return { store, cursors: boundaries.map((b) => encodeCursor({ createdAt: new Date(b.created_at), id: b.id })) };
  } finally {
    await database.close();
  }
}

/**
 * `GET /api/runs?limit=50` over `rows` seeded runs, with chaosgate and the Fastify baselines each
 * in a process of their own and autocannon as the client. After a warm-up pass the targets take
 * turns over five rounds, so that machine noise spreads over all of them; each figure is a median.
 */
export async function runListBench(rows: number, log: (line: string) => void): Promise<ListBenchResult> {
  log(`seeding ${rows} runs`);
  const { store, cursors } = await seededStore(rows);
  const chaosgate = await startChaosgate('databaseUrl' in store ? { databaseUrl: store.databaseUrl } : store);
  try {
    const dev = seededUser('dev');
    const session = await signInOverHttp(chaosgate.baseUrl, dev.username, dev.password);
    const first = await session.get('/api/runs?limit=50');
    const page = await first.text();
    if ((JSON.parse(page) as { items: unknown[] }).items.length !== 50)
      throw new Error('the list did not answer 50 runs');
    const baselines = await startBaselines(Buffer.byteLength(page));
    try {
      const targets = {
        hello: () => requestsPerSecond(baselines.helloUrl),
        constant: () => requestsPerSecond(baselines.constantUrl),
        session: () => requestsPerSecond(`${chaosgate.baseUrl}/api/me`, { headers: session.headers }),
        firstPage: () => requestsPerSecond(`${chaosgate.baseUrl}/api/runs?limit=50`, { headers: session.headers }),
        deepPages: () =>
          requestsPerSecond(`${chaosgate.baseUrl}/api/runs`, {
            headers: session.headers,
            paths: cursors.map((c) => `/api/runs?limit=50&cursor=${c}`),
          }),
      };
      const samples: Record<keyof typeof targets, number[]> = {
        hello: [],
        constant: [],
        session: [],
        firstPage: [],
        deepPages: [],
      };
      // A warm-up pass first, discarded: a fresh process answers slower until its code is optimised.
      for (const measure of Object.values(targets)) await measure();
      for (let round = 1; round <= ROUNDS; round++) {
        for (const [name, measure] of Object.entries(targets) as [keyof typeof targets, () => Promise<number>][]) {
          const perSecond = await measure();
          samples[name].push(perSecond);
          log(`round ${round}: ${name.padEnd(10)} ${perSecond.toFixed(0).padStart(7)} req/s`);
        }
      }
      return {
        rows,
        database: 'databaseUrl' in store ? 'PostgreSQL' : 'PGlite',
        pageBytes: Buffer.byteLength(page),
        hello: median(samples.hello),
        constant: median(samples.constant),
        session: median(samples.session),
        firstPage: median(samples.firstPage),
        deepPages: median(samples.deepPages),
      };
    } finally {
      await baselines.stop();
    }
  } finally {
    await chaosgate.stop();
    await store.drop();
  }
}
