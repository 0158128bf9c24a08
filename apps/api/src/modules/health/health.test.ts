import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../testing/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('health and conventions', () => {
  it('reports liveness and database readiness', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.database.ok).toBe(true);
  });

  it('answers readiness 503 when the database is gone', async () => {
    await t.db.database.close();
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.database.ok).toBe(false);
    t.db.drop = async () => {};
  });

  it('answers an unknown API route with a JSON 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nope', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('CG_ROUTE_NOT_FOUND');
  });

  it('echoes a caller-supplied request id and invents one otherwise', async () => {
    const given = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id\n' } });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets the REST security headers and the request id on JSON answers and errors alike', async () => {
    for (const url of ['/healthz', '/api/nope', '/api/me', '/metrics']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { 'x-request-id': 'req-42' } });
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['content-security-policy'], url).toBe("default-src 'none';frame-ancestors 'none'");
      expect(res.headers['cache-control'], url).toBe('no-store');
      expect(res.headers['strict-transport-security'], url).toContain('max-age=');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['x-request-id'], url).toBe('req-42');
      expect(res.headers['x-powered-by'], url).toBeUndefined();
    }
  });

  it('gives pages a browser renders the full document policy', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("img-src 'self' data:");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['cache-control']).not.toBe('no-store');
  });

  it('publishes the OpenAPI document with the auth routes and their error responses', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/me', '/api/envs']));
    expect(Object.keys(doc.paths['/api/auth/login'].post.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '429']),
    );
  });
});
