import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { APPS_REFS } from '../kube';
import { buildTestApp, type TestApp } from '../testing/test-app';

let t: TestApp | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A kubeconfig pointing at `server` (nothing real behind it). */
function kubeconfigFor(server: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'chaosgate-kubeconfig-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'kubeconfig');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{ name: c, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]`,
      'users: [{ name: u, user: { token: t } }]',
      'contexts: [{ name: ctx, context: { cluster: c, user: u } }]',
      'current-context: ctx',
    ].join('\n'),
  );
  return file;
}

/** A TCP server that accepts connections and never answers. */
async function silentServer(): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return `https://127.0.0.1:${address.port}`;
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('kube plugin', () => {
  it('with CHAOSGATE_KUBE=none: ready, reported as disabled, and every cluster call answers CG_KUBE_UNAVAILABLE', async () => {
    t = await buildTestApp({ CHAOSGATE_KUBE: 'none' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.kubernetes).toEqual({ ok: true, message: 'disabled: CHAOSGATE_KUBE=none' });
    expect(t.app.kube.enabled).toBe(false);
    const dev = await t.app.kube.forEnvironment('dev');
    const err = await rejection(dev.list(APPS_REFS.deployments, 'chaos-dev'));
    expect(err.code).toBe('CG_KUBE_UNAVAILABLE');
    expect(err.statusCode).toBe(503);
    expect(err.message).toContain('CHAOSGATE_KUBE=none');
  });

  it('without any kubeconfig: disabled with the reason named', async () => {
    t = await buildTestApp();
    expect(t.app.kube.enabled).toBe(false);
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.json().checks.kubernetes.message).toMatch(/^disabled: no kubeconfig found/);
  });

  it('answers CG_ENV_NOT_FOUND for an unknown environment', async () => {
    t = await buildTestApp({ CHAOSGATE_KUBE: 'none' });
    expect((await rejection(t.app.kube.forEnvironment('nope'))).code).toBe('CG_ENV_NOT_FOUND');
  });

  it('reports readiness 503 within about two seconds when the API server never answers', async () => {
    t = await buildTestApp({ KUBECONFIG: kubeconfigFor(await silentServer()) });
    const started = Date.now();
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.database.ok).toBe(true);
    expect(ready.json().checks.kubernetes).toMatchObject({ ok: false });
    expect(ready.json().checks.kubernetes.message).toContain('timed out');
  });
});
