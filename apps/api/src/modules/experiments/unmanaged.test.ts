import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/test-app';
import { buildRunsTestApp, Client, snapshot } from './testing/api';

let t: TestApp;
beforeEach(async () => {
  t = await buildRunsTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('GET /api/envs/:env/unmanaged', () => {
  it('answers 503 CG_KUBE_UNAVAILABLE without a cluster, 404 for an unknown environment', async () => {
    const dev = await Client.as(t, 'dev');
    const res = await dev.get('/api/envs/dev/unmanaged');
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('CG_KUBE_UNAVAILABLE');
    expect((await dev.get('/api/envs/qa/unmanaged')).statusCode).toBe(404);
  });

  it('requires a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/envs/dev/unmanaged' })).statusCode).toBe(401);
  });
});

describe('POST /api/envs/:env/unmanaged/stop', () => {
  it('is for SRE and on-call only', async () => {
    const dev = await Client.as(t, 'dev');
    const before = await snapshot(t);
    const res = await dev.post('/api/envs/dev/unmanaged/stop', { kind: 'PodChaos', name: 'someone-elses' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CG_AUTH_FORBIDDEN_ROLE');
    expect(await snapshot(t)).toEqual(before);
  });

  it('validates the object name', async () => {
    const oncall = await Client.as(t, 'oncall');
    const res = await oncall.post('/api/envs/dev/unmanaged/stop', { kind: 'PodChaos', name: '../secrets' });
    expect(res.statusCode).toBe(400);
  });
});
