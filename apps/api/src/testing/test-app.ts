import { CSRF_HEADER, type Role } from '@chaosgate/shared';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app';
import { type AppConfig, loadConfig } from '../config';
import { createTestDatabase, openSecondConnection, TEST_PASSWORDS, type TestDatabase } from './test-database';

export { TEST_PASSWORDS };

export const TEST_USER_ROLES: Record<string, Role> = {
  dev: 'developer',
  sre: 'sre',
  oncall: 'oncall',
  auditor: 'auditor',
};

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase;
  close(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    CHAOSGATE_SEED_PASSWORD_DEV: TEST_PASSWORDS.dev,
    CHAOSGATE_SEED_PASSWORD_SRE: TEST_PASSWORDS.sre,
    CHAOSGATE_SEED_PASSWORD_ONCALL: TEST_PASSWORDS.oncall,
    CHAOSGATE_SEED_PASSWORD_AUDITOR: TEST_PASSWORDS.auditor,
    ...overrides,
  });
}

/** The real app on a fresh database (PostgreSQL when TEST_DATABASE_URL is set, else PGlite). */
export async function buildTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const app = await buildApp({ config: testConfig(overrides), database: db.database, logger: false });
  await app.ready();
  return {
    app,
    db,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

/**
 * A second replica of `t`'s app: the same database through a pool of its own, as another pod
 * would have it. PostgreSQL only (PGlite is one process); close it before `t`.
 */
export async function startSecondReplica(
  t: TestApp,
  overrides: Record<string, string> = {},
): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const connection = await openSecondConnection(t.db);
  if (!connection) throw new Error('a second replica needs PostgreSQL (TEST_DATABASE_URL)');
  const app = await buildApp({ config: testConfig(overrides), database: connection, logger: false });
  try {
    await app.ready();
  } catch (err) {
    await connection.close();
    throw err;
  }
  return {
    app,
    async close() {
      await app.close();
      await connection.close();
    },
  };
}

/** Cookies a response set, as one `cookie` request header merged over `previous`. */
export function mergeCookies(previous: string, response: LightMyRequestResponse): string {
  const jar = new Map(
    previous
      .split('; ')
      .filter(Boolean)
      .map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)] as const),
  );
  for (const cookie of response.cookies) jar.set(cookie.name, cookie.value);
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

export interface BrowserSession {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

/** Fetches a CSRF token the way the SPA does, before any sign-in. */
export async function anonymousSession(app: FastifyInstance): Promise<BrowserSession> {
  const res = await app.inject({ method: 'GET', url: '/api/auth/csrf' });
  const cookie = mergeCookies('', res);
  const csrf = res.json<{ csrfToken: string }>().csrfToken;
  return { cookie, csrf, headers: { cookie, [CSRF_HEADER]: csrf } };
}

/** Signs in as a seeded user and returns the headers a browser would send afterwards. */
export async function signIn(app: FastifyInstance, username: string): Promise<BrowserSession> {
  const anon = await anonymousSession(app);
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: anon.headers,
    payload: { username, password: TEST_PASSWORDS[username] },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = mergeCookies(anon.cookie, res);
  const csrf = res.json<{ csrfToken: string }>().csrfToken;
  return { cookie, csrf, headers: { cookie, [CSRF_HEADER]: csrf } };
}
