import { CSRF_HEADER } from '@chaosgate/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  anonymousSession,
  buildTestApp,
  signIn,
  startSecondReplica,
  TEST_PASSWORDS,
  TEST_USER_ROLES,
  type TestApp,
} from '../../testing/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => {
  await t.close();
});

async function auditActions(): Promise<string[]> {
  const rows = await t.db.database.prisma.auditEvent.findMany({ orderBy: { seq: 'asc' } });
  return rows.map((r) => `${r.action}:${r.actor}`);
}

describe('POST /api/auth/login', () => {
  it.each(Object.keys(TEST_PASSWORDS))('signs in %s and /api/me returns the user with its role', async (username) => {
    const session = await signIn(t.app, username);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: session.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user).toMatchObject({ username, roles: [TEST_USER_ROLES[username]] });
  });

  it('sets an http-only SameSite session cookie', async () => {
    const anon = await anonymousSession(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: anon.headers,
      payload: { username: 'dev', password: TEST_PASSWORDS.dev },
    });
    const session = res.cookies.find((c) => c.name === 'cg_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  });

  it('rejects a wrong password with 401 and records the attempt in the audit log', async () => {
    const anon = await anonymousSession(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: anon.headers,
      payload: { username: 'dev', password: 'not-the-password' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('CG_AUTH_INVALID_CREDENTIALS');
    expect(res.cookies.find((c) => c.name === 'cg_session')).toBeUndefined();
    expect(await auditActions()).toEqual(['auth.sign_in_failed:dev']);
  });

  it('gives an unknown user the same answer as a wrong password', async () => {
    const anon = await anonymousSession(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: anon.headers,
      payload: { username: 'mallory', password: 'x' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('CG_AUTH_INVALID_CREDENTIALS');
  });

  it('counts wrong passwords in the rate limiter and then refuses even the right one', async () => {
    const limited = await buildTestApp({ CHAOSGATE_LOGIN_RATE_LIMIT: '3' });
    try {
      const anon = await anonymousSession(limited.app);
      const attempt = (password: string) =>
        limited.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers: anon.headers,
          payload: { username: 'sre', password },
        });
      for (let i = 0; i < 3; i++) expect((await attempt('wrong')).statusCode).toBe(401);
      const blocked = await attempt(TEST_PASSWORDS.sre as string);
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json().error.code).toBe('CG_RATE_LIMITED');
      expect(blocked.cookies.find((c) => c.name === 'cg_session')).toBeUndefined();
    } finally {
      await limited.close();
    }
  });

  it('refuses a sign-in without a CSRF token and opens no session', async () => {
    const anon = await anonymousSession(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: anon.cookie },
      payload: { username: 'dev', password: TEST_PASSWORDS.dev },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CG_AUTH_CSRF_INVALID');
    expect(await t.db.database.prisma.session.count()).toBe(0);
  });

  it('refuses a forged CSRF token', async () => {
    const anon = await anonymousSession(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: anon.cookie, [CSRF_HEADER]: `${anon.csrf.slice(0, -4)}AAAA` },
      payload: { username: 'dev', password: TEST_PASSWORDS.dev },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CG_AUTH_CSRF_INVALID');
  });

  it('answers a schema violation with 400 and the failing paths', async () => {
    const anon = await anonymousSession(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: anon.headers,
      payload: { username: 'Not A Valid Name!', extra: 1 },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('CG_VALIDATION_FAILED');
    const paths = body.error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.username', 'body.password']));
  });

  it('answers malformed JSON with 400 CG_INVALID_JSON', async () => {
    const anon = await anonymousSession(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { ...anon.headers, 'content-type': 'application/json' },
      payload: '{"username": "dev", "password":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('CG_INVALID_JSON');
  });

  it('answers a body over the limit with 413 and changes nothing', async () => {
    const small = await buildTestApp({ CHAOSGATE_BODY_LIMIT_BYTES: '1024' });
    try {
      const anon = await anonymousSession(small.app);
      const res = await small.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: anon.headers,
        payload: { username: 'dev', password: 'x'.repeat(4096) },
      });
      expect(res.statusCode).toBe(413);
      expect(res.json().error.code).toBe('CG_BODY_TOO_LARGE');
      expect(await small.db.database.prisma.auditEvent.count()).toBe(0);
    } finally {
      await small.close();
    }
  });
});

describe('POST /api/auth/logout', () => {
  it('ends the session so /api/me answers 401 afterwards', async () => {
    const session = await signIn(t.app, 'oncall');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: session.cookie } })).statusCode,
    ).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: session.headers });
    expect(out.statusCode).toBe(204);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: session.cookie } });
    expect(me.statusCode).toBe(401);
    expect(await auditActions()).toEqual(['auth.sign_in:oncall', 'auth.sign_out:oncall']);
  });

  it('refuses to sign out without the CSRF token', async () => {
    const session = await signIn(t.app, 'dev');
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: session.cookie } });
    expect(out.statusCode).toBe(403);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: session.cookie } });
    expect(me.statusCode).toBe(200);
  });
});

describe('GET /api/me', () => {
  it('answers 401 CG_AUTH_REQUIRED without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('CG_AUTH_REQUIRED');
  });

  it('answers 401 for a made-up session cookie', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: 'cg_session=forged' } });
    expect(res.statusCode).toBe(401);
  });
});

describe('sessions held in memory between requests', () => {
  const me = (app: TestApp['app'], cookie: string) =>
    app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });

  it('stop working as soon as the session is removed elsewhere', async () => {
    const session = await signIn(t.app, 'dev');
    expect((await me(t.app, session.cookie)).statusCode).toBe(200);
    await t.db.database.prisma.session.deleteMany({});
    await vi.waitFor(async () => expect((await me(t.app, session.cookie)).statusCode).toBe(401), { timeout: 3_000 });
  });

  it('stop working as soon as the user is disabled', async () => {
    const session = await signIn(t.app, 'sre');
    expect((await me(t.app, session.cookie)).statusCode).toBe(200);
    await t.db.database.prisma.user.update({ where: { username: 'sre' }, data: { disabled: true } });
    await vi.waitFor(async () => expect((await me(t.app, session.cookie)).statusCode).toBe(401), { timeout: 3_000 });
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('end on every replica when the user signs out on one', async () => {
    const other = await startSecondReplica(t);
    try {
      const session = await signIn(t.app, 'oncall');
      expect((await me(t.app, session.cookie)).statusCode).toBe(200);
      expect((await me(other.app, session.cookie)).statusCode).toBe(200);
      const out = await other.app.inject({ method: 'POST', url: '/api/auth/logout', headers: session.headers });
      expect(out.statusCode).toBe(204);
      expect((await me(other.app, session.cookie)).statusCode).toBe(401);
      await vi.waitFor(async () => expect((await me(t.app, session.cookie)).statusCode).toBe(401), { timeout: 3_000 });
    } finally {
      await other.close();
    }
  });
});
