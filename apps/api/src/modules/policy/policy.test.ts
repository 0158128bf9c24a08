import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, signIn, type TestApp } from '../../testing/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('GET /api/envs', () => {
  it('lists dev, staging and prod with the default policies', async () => {
    const session = await signIn(t.app, 'dev');
    const res = await t.app.inject({ method: 'GET', url: '/api/envs', headers: { cookie: session.cookie } });
    expect(res.statusCode).toBe(200);
    const envs = res.json().environments;
    expect(envs.map((e: { name: string }) => e.name)).toEqual(['dev', 'staging', 'prod']);
    const prod = envs[2];
    expect(prod.chaosNamespace).toBe('chaos-prod');
    expect(prod.policy).toMatchObject({ approval: 'four_eyes', submitRoles: ['sre'], executeRoles: ['sre'] });
    expect(envs[0].policy.approval).toBe('none');
    expect(envs[1].policy.approval).toBe('one_sre');
  });

  it('requires a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/envs' });
    expect(res.statusCode).toBe(401);
  });
});

describe('GET /api/envs/:env', () => {
  it('answers 404 CG_ENV_NOT_FOUND for an unknown environment', async () => {
    const session = await signIn(t.app, 'dev');
    const res = await t.app.inject({ method: 'GET', url: '/api/envs/qa', headers: { cookie: session.cookie } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('CG_ENV_NOT_FOUND');
  });

  it('answers 400 for a name that cannot be an environment', async () => {
    const session = await signIn(t.app, 'dev');
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/envs/DROP%20TABLE',
      headers: { cookie: session.cookie },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('CG_VALIDATION_FAILED');
  });
});
