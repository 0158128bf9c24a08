import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../apps/api/src/app';
import { signIn, testConfig } from '../../apps/api/src/testing/test-app';
import { createTestDatabase } from '../../apps/api/src/testing/test-database';

type FastifyFactory = typeof import('../../apps/api/node_modules/fastify/fastify.js').default;
/** Fastify as the API resolves it (bench/ is not a workspace package of its own). */
const Fastify = createRequire(new URL('../../apps/api/package.json', import.meta.url))('fastify') as FastifyFactory;

export interface ListBenchResult {
  rows: number;
  runsPerSecond: number;
  /** `GET /api/me`: a signed-in request that reads only the session, the ceiling of any list. */
  sessionPerSecond: number;
  helloPerSecond: number;
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

/** Requests per second of `url` with `concurrency` clients for `durationMs` (after a warm-up). */
export async function requestsPerSecond(
  url: string,
  headers: Record<string, string>,
  concurrency = 8,
  durationMs = 5000,
) {
  const hit = async () => {
    const res = await fetch(url, { headers });
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    await res.arrayBuffer();
  };
  for (let i = 0; i < 50; i++) await hit();
  let count = 0;
  const end = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await hit();
        count += 1;
      }
    }),
  );
  return count / (durationMs / 1000);
}

/**
 * `GET /api/runs` (50 rows, signed in) over `rows` seeded runs, against a Fastify hello-world
 * on the same machine, both over real HTTP.
 */
export async function runListBench(rows: number, log: (line: string) => void): Promise<ListBenchResult> {
  const db = await createTestDatabase();
  const app = await buildApp({ config: testConfig({ CHAOSGATE_KUBE: 'none' }), database: db.database, logger: false });
  const hello = Fastify({ logger: false });
  hello.get('/', async () => ({ hello: 'world' }));
  try {
    await app.ready();
    log(`seeding ${rows} runs`);
    await db.database.sql.exec(SEED(rows));
    await db.database.sql.exec('ANALYZE "experiment_runs"');
    const session = await signIn(app, 'dev');
    await app.listen({ port: 0, host: '127.0.0.1' });
    await hello.listen({ port: 0, host: '127.0.0.1' });
    const runsUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/runs?limit=50`;
    const helloUrl = `http://127.0.0.1:${(hello.server.address() as AddressInfo).port}/`;
    const first = await (await fetch(runsUrl, { headers: { cookie: session.cookie } })).json();
    if ((first as { items: unknown[] }).items.length !== 50) throw new Error('the list did not answer 50 runs');
    log('measuring GET /api/runs?limit=50');
    const runsPerSecond = await requestsPerSecond(runsUrl, { cookie: session.cookie });
    log('measuring GET /api/me (session lookup only)');
    const base = runsUrl.slice(0, runsUrl.indexOf('/api/'));
    const sessionPerSecond = await requestsPerSecond(`${base}/api/me`, { cookie: session.cookie });
    log('measuring the hello-world');
    const helloPerSecond = await requestsPerSecond(helloUrl, {});
    return { rows, runsPerSecond, sessionPerSecond, helloPerSecond };
  } finally {
    await hello.close();
    await app.close();
    await db.drop();
  }
}
