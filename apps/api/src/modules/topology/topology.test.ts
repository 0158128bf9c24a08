import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BrowserSession, buildTestApp, signIn, type TestApp } from '../../testing/test-app';

/** Policy answers come before any cluster call; with Kubernetes off, a valid request answers 503. */
let t: TestApp;
let session: BrowserSession;
beforeEach(async () => {
  t = await buildTestApp({ CHAOSGATE_KUBE: 'none' });
  session = await signIn(t.app, 'dev');
});
afterEach(async () => {
  await t.close();
});

const get = (url: string, headers: Record<string, string> = session.headers) =>
  t.app.inject({ method: 'GET', url, headers });

describe('GET /api/envs/:env/topology', () => {
  it('requires a session', async () => {
    const res = await get('/api/envs/dev/topology?namespace=chaos-dev', {});
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('CG_AUTH_REQUIRED');
  });

  it('answers 404 CG_ENV_NOT_FOUND for an unknown environment', async () => {
    const res = await get('/api/envs/qa/topology?namespace=chaos-dev');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('CG_ENV_NOT_FOUND');
  });

  it.each([
    ['kube-system', 403, 'CG_POLICY_NAMESPACE_FORBIDDEN'],
    ['default', 403, 'CG_POLICY_NAMESPACE_FORBIDDEN'],
    ['monitoring', 403, 'CG_POLICY_NAMESPACE_FORBIDDEN'],
    ['chaos-prod', 403, 'CG_POLICY_NAMESPACE_OUTSIDE_ENV'],
    ['Not_A_Namespace', 400, 'CG_POLICY_INVALID_NAMESPACE'],
    ['a'.repeat(64), 400, 'CG_POLICY_INVALID_NAMESPACE'],
  ])('refuses namespace %s with %i %s', async (namespace, status, code) => {
    const res = await get(`/api/envs/dev/topology?namespace=${namespace}`);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
  });

  it('answers 503 CG_KUBE_UNAVAILABLE for an allowed namespace when Kubernetes is off', async () => {
    const res = await get('/api/envs/dev/topology?namespace=chaos-dev');
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('CG_KUBE_UNAVAILABLE');
  });

  it("defaults to the environment's first target namespace", async () => {
    const res = await get('/api/envs/dev/topology');
    expect(res.statusCode).toBe(503);
  });
});

describe('GET /api/envs/:env/topology/stream', () => {
  it('answers policy errors as JSON before opening the stream', async () => {
    const res = await get('/api/envs/dev/topology/stream?namespace=kube-system');
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json().error.code).toBe('CG_POLICY_NAMESPACE_FORBIDDEN');
  });

  it('requires a session', async () => {
    const res = await get('/api/envs/dev/topology/stream?namespace=chaos-dev', {});
    expect(res.statusCode).toBe(401);
  });
});

describe('POST /api/envs/:env/selector/preview', () => {
  const preview = (payload: unknown, headers: Record<string, string> = session.headers) =>
    t.app.inject({ method: 'POST', url: '/api/envs/dev/selector/preview', headers, payload: payload as object });

  it('needs the CSRF header', async () => {
    const res = await preview(
      { namespace: 'chaos-dev', labelSelector: { matchLabels: { app: 'order' } } },
      { cookie: session.cookie },
    );
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CG_AUTH_CSRF_INVALID');
  });

  it('refuses an empty selector with 422 CG_POLICY_SELECTOR_EMPTY', async () => {
    const res = await preview({ namespace: 'chaos-dev', labelSelector: { matchLabels: {} } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('CG_POLICY_SELECTOR_EMPTY');
  });

  it('refuses a malformed expression with 400 CG_VALIDATION_FAILED', async () => {
    const res = await preview({
      namespace: 'chaos-dev',
      labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('CG_VALIDATION_FAILED');
  });

  it('checks the namespace like the map does', async () => {
    const res = await preview({ namespace: 'kube-system', labelSelector: { matchLabels: { app: 'x' } } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CG_POLICY_NAMESPACE_FORBIDDEN');
  });
});
