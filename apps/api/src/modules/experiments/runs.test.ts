import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anonymousSession, type TestApp } from '../../testing/test-app';
import { buildRunsTestApp, Client, POD_KILL, podKillYaml, snapshot } from './testing/api';

let t: TestApp;
let dev: Client;
beforeEach(async () => {
  t = await buildRunsTestApp();
  dev = await Client.as(t, 'dev');
});
afterEach(async () => {
  await t.close();
});

const setStatus = (id: string, status: 'draft' | 'completed' | 'running') =>
  t.app.db.prisma.experimentRun.update({ where: { id }, data: { status } });

describe('POST /api/runs', () => {
  it('records a dev run as draft and approves it at once, with timeline and audit', async () => {
    const preview = (await dev.post('/api/runs/preview', { environment: 'dev', manifest: POD_KILL })).json();
    const res = await dev.post('/api/runs', { environment: 'dev', manifest: POD_KILL, previewHash: preview.hash });
    expect(res.statusCode).toBe(201);
    const run = res.json();
    expect(run).toMatchObject({
      name: 'kill-order',
      environment: 'dev',
      namespace: 'chaos-dev',
      kind: 'PodChaos',
      action: 'pod-kill',
      status: 'approved',
      createdBy: 'dev',
      manifestHash: preview.hash,
      crName: preview.manifest.metadata.name,
      durationSeconds: 0,
      targets: [{ path: 'spec.selector', mode: 'one', namespaces: ['chaos-dev'], labelSelectors: { app: 'order' } }],
    });
    expect(run.approvedAt).not.toBeNull();
    const events = await t.app.db.prisma.runEvent.findMany({ where: { runId: run.id }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => `${e.fromStatus ?? '-'}→${e.toStatus}`)).toEqual(['-→draft', 'draft→approved']);
    const audit = await t.app.db.prisma.auditEvent.findMany({ where: { targetId: run.id }, orderBy: { seq: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['run.submit', 'run.approve']);
    expect(audit[0]?.manifestHash).toBe(preview.hash);
  });

  it('sends a staging run to pending approval', async () => {
    const run = await dev.submit(POD_KILL.replaceAll('chaos-dev', 'chaos-staging'), 'staging');
    expect(run.status).toBe('pending_approval');
  });

  it('requires the preview hash, and refuses a stale one, changing nothing', async () => {
    const before = await snapshot(t);
    const missing = await dev.post('/api/runs', { environment: 'dev', manifest: POD_KILL });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('CG_PREVIEW_HASH_REQUIRED');
    const preview = (await dev.post('/api/runs/preview', { environment: 'dev', manifest: POD_KILL })).json();
    const changed = podKillYaml('labelSelectors:\n      app: payment');
    const stale = await dev.post('/api/runs', { environment: 'dev', manifest: changed, previewHash: preview.hash });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CG_PREVIEW_HASH_STALE');
    expect(await snapshot(t)).toEqual(before);
  });

  it('refuses an invalid manifest even with a hash', async () => {
    const before = await snapshot(t);
    const res = await dev.post('/api/runs', { environment: 'dev', manifest: 'kind: [', previewHash: 'a'.repeat(64) });
    expect(res.json().error.code).toBe('CG_MANIFEST_INVALID_YAML');
    expect(await snapshot(t)).toEqual(before);
  });

  it('refuses a role the environment does not let submit', async () => {
    const auditor = await Client.as(t, 'auditor');
    const before = await snapshot(t);
    const res = await auditor.post('/api/runs', { environment: 'dev', manifest: POD_KILL, previewHash: 'x' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CG_AUTH_FORBIDDEN_ROLE');
    const inProd = await dev.post('/api/runs', { environment: 'prod', manifest: POD_KILL, previewHash: 'x' });
    expect(inProd.statusCode).toBe(403);
    expect(await snapshot(t)).toEqual(before);
  });

  it('requires a session and a CSRF token', async () => {
    const body = { environment: 'dev', manifest: POD_KILL, previewHash: 'x' };
    const anon = await anonymousSession(t.app);
    const noSession = await t.app.inject({ method: 'POST', url: '/api/runs', headers: anon.headers, payload: body });
    expect(noSession.statusCode).toBe(401);
    expect(noSession.json().error.code).toBe('CG_AUTH_REQUIRED');
    const res = await dev.post('/api/runs', body, { cookie: dev.session.cookie });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CG_AUTH_CSRF_INVALID');
    const signedOut = await t.app.inject({ method: 'GET', url: '/api/runs' });
    expect(signedOut.statusCode).toBe(401);
    expect(signedOut.json().error.code).toBe('CG_AUTH_REQUIRED');
  });
});

describe('POST /api/runs/:id/execute', () => {
  it('refuses to execute a pending or draft run', async () => {
    const sre = await Client.as(t, 'sre');
    const pending = await sre.submit(POD_KILL, 'staging');
    const res = await sre.post(`/api/runs/${pending.id}/execute`, { previewHash: pending.manifestHash });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'CG_RUN_ILLEGAL_TRANSITION',
      details: { from: 'pending_approval', to: 'running' },
    });
    const draft = await dev.submit(POD_KILL);
    await setStatus(draft.id, 'draft');
    const before = await snapshot(t);
    const again = await dev.post(`/api/runs/${draft.id}/execute`, { previewHash: draft.manifestHash });
    expect(again.json().error.code).toBe('CG_RUN_ILLEGAL_TRANSITION');
    expect(await snapshot(t)).toEqual(before);
  });

  it('requires the preview hash of the run', async () => {
    const run = await dev.submit(POD_KILL);
    const missing = await dev.post(`/api/runs/${run.id}/execute`, {});
    expect(missing.json().error.code).toBe('CG_PREVIEW_HASH_REQUIRED');
    const stale = await dev.post(`/api/runs/${run.id}/execute`, { previewHash: 'f'.repeat(64) });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CG_PREVIEW_HASH_STALE');
  });

  it('lets only the submitter or an execute role execute', async () => {
    const run = await dev.submit(POD_KILL);
    const other = await Client.as(t, 'oncall');
    const res = await other.post(`/api/runs/${run.id}/execute`, { previewHash: run.manifestHash });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CG_AUTH_FORBIDDEN_ROLE');
  });

  it('answers 503 without a cluster and leaves the run approved', async () => {
    const run = await dev.submit(POD_KILL);
    const before = await snapshot(t);
    const res = await dev.post(`/api/runs/${run.id}/execute`, { previewHash: run.manifestHash });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('CG_KUBE_UNAVAILABLE');
    expect((await dev.get(`/api/runs/${run.id}`)).json().status).toBe('approved');
    expect(await snapshot(t)).toEqual(before);
  });

  it('answers 404 for an unknown run', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await dev.post(`/api/runs/${id}/execute`, { previewHash: 'x' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('CG_RUN_NOT_FOUND');
    }
  });
});

describe('POST /api/runs/:id/abort', () => {
  it('aborts an approved run once', async () => {
    const run = await dev.submit(POD_KILL);
    const res = await dev.post(`/api/runs/${run.id}/abort`, { reason: 'changed my mind' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'aborted', reason: 'changed my mind' });
    expect(res.json().finishedAt).not.toBeNull();
    const again = await dev.post(`/api/runs/${run.id}/abort`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CG_RUN_ILLEGAL_TRANSITION');
    const audit = await t.app.db.prisma.auditEvent.findMany({ where: { targetId: run.id, action: 'run.abort' } });
    expect(audit).toHaveLength(1);
  });

  it('refuses to abort a completed run, changing nothing', async () => {
    const run = await dev.submit(POD_KILL);
    await setStatus(run.id, 'completed');
    const before = await snapshot(t);
    const res = await dev.post(`/api/runs/${run.id}/abort`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'CG_RUN_ILLEGAL_TRANSITION',
      details: { from: 'completed', to: 'aborted' },
    });
    expect(await snapshot(t)).toEqual(before);
  });

  it('refuses someone who is neither the submitter, an SRE nor on-call', async () => {
    const run = await dev.submit(POD_KILL);
    const auditor = await Client.as(t, 'auditor');
    const res = await auditor.post(`/api/runs/${run.id}/abort`, {});
    expect(res.statusCode).toBe(403);
  });
});

describe('GET /api/runs/:id', () => {
  it('shows the manifest, YAML, rules and timeline', async () => {
    const rules = { http: [{ name: 'order', url: 'http://127.0.0.1:9/healthz' }], intervalSeconds: 5 };
    const run = await dev.submit(POD_KILL, 'dev', { rules });
    const res = await dev.get(`/api/runs/${run.id}`);
    expect(res.statusCode).toBe(200);
    const detail = res.json();
    expect(detail.hash).toBe(run.manifestHash);
    expect(detail.yaml).toContain('app.kubernetes.io/managed-by: chaosgate');
    expect(detail.rules).toMatchObject({
      intervalSeconds: 5,
      failureThreshold: 3,
      http: [{ name: 'order', method: 'GET' }],
    });
    expect(detail.timeline.map((e: { toStatus: string }) => e.toStatus)).toEqual(['draft', 'approved']);
    expect(detail.records).toEqual([]);
  });

  it('answers 404 for an unknown run', async () => {
    const res = await dev.get('/api/runs/00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('CG_RUN_NOT_FOUND');
  });
});
