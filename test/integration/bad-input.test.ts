import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPS_REFS, CORE_REFS, createKubeGateway, type KubeGateway } from '../../apps/api/src/kube';
import { adminGateway, expectAppError, kubectl, podKill, uniqueName } from '../support/kube';

let gateway: KubeGateway;
const cleanup: string[] = [];
beforeAll(() => {
  gateway = adminGateway();
});
afterAll(async () => {
  const ref = await gateway.chaosKind('PodChaos');
  await Promise.all(cleanup.map((name) => gateway.delete(ref, 'chaos-dev', name).catch(() => undefined)));
  gateway.close();
});

/** A name for a PodChaos this file creates (deleted afterwards). */
const tracked = (prefix: string) => {
  const name = uniqueName(prefix);
  cleanup.push(name);
  return name;
};

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

describe('kube gateway: unknown kinds', () => {
  it('answers CG_KUBE_UNKNOWN_KIND for a kind the cluster does not serve', async () => {
    const err = await expectAppError(
      gateway.apply({ ...podKill('x', 'chaos-dev'), kind: 'ExplodeChaos' }),
      'CG_KUBE_UNKNOWN_KIND',
    );
    expect(err.statusCode).toBe(422);
    expect(err.details).toEqual({ apiVersion: 'chaos-mesh.org/v1alpha1', kind: 'ExplodeChaos' });
    await expectAppError(gateway.chaosKind('ExplodeChaos'), 'CG_KUBE_UNKNOWN_KIND');
    await expectAppError(
      gateway.create({
        apiVersion: 'nope.example.com/v1',
        kind: 'Thing',
        metadata: { name: 'x', namespace: 'chaos-dev' },
      }),
      'CG_KUBE_UNKNOWN_KIND',
    );
  });
});

describe('kube gateway: objects the API server rejects', () => {
  it('answers CG_KUBE_INVALID with the field paths of every schema violation', async () => {
    const err = await expectAppError(
      gateway.apply(podKill(uniqueName('it-bad'), 'chaos-dev', 'order', { action: 'explode', mode: 'sometimes' })),
      'CG_KUBE_INVALID',
    );
    expect(err.statusCode).toBe(422);
    const issues = (err.details as { issues: { path: string; message: string }[] }).issues;
    expect(issues.map((i) => i.path).sort()).toEqual(['spec.action', 'spec.mode']);
    expect(issues.find((i) => i.path === 'spec.action')?.message).toContain('"explode"');
  });

  it('answers CG_KUBE_INVALID before asking the server when the object has no namespace', async () => {
    const object = podKill('x', 'chaos-dev');
    delete object.metadata.namespace;
    const err = await expectAppError(gateway.apply(object), 'CG_KUBE_INVALID');
    expect(err.details).toMatchObject({ issues: [{ path: 'metadata.namespace' }] });
  });

  it('answers CG_KUBE_CONFLICT when the object already exists', async () => {
    const name = tracked('it-twice');
    await gateway.create(podKill(name, 'chaos-dev'));
    const err = await expectAppError(gateway.create(podKill(name, 'chaos-dev')), 'CG_KUBE_CONFLICT');
    expect(err.statusCode).toBe(409);
    expect(err.details).toMatchObject({ reason: 'AlreadyExists' });
  });

  it('answers CG_KUBE_CONFLICT when applying over a field another manager owns, unless forced', async () => {
    const name = tracked('it-owned');
    await gateway.apply(podKill(name, 'chaos-dev'));
    await kubectl('patch', 'podchaos', name, '-n', 'chaos-dev', '--type=merge', '-p', '{"spec":{"duration":"45s"}}');
    const changed = podKill(name, 'chaos-dev', 'order', { duration: '60s' });
    const err = await expectAppError(gateway.apply(changed), 'CG_KUBE_CONFLICT');
    expect((err.details as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain('.spec.duration');
    const forced = await gateway.apply(changed, { force: true });
    expect((forced.spec as { duration: string }).duration).toBe('60s');
  });
});

describe('kube gateway: dry runs', () => {
  it('validates and admits a create, apply or delete on the server and persists nothing', async () => {
    const ref = await gateway.chaosKind('PodChaos');
    const name = uniqueName('it-dry');
    const created = await gateway.create(podKill(name, 'chaos-dev'), { dryRun: true });
    expect(created.metadata.name).toBe(name);
    expect(created.metadata.uid).toBeTruthy();
    await expectAppError(gateway.get(ref, 'chaos-dev', name), 'CG_KUBE_NOT_FOUND');

    await gateway.apply(podKill(name, 'chaos-dev'), { dryRun: true });
    await expectAppError(gateway.get(ref, 'chaos-dev', name), 'CG_KUBE_NOT_FOUND');

    // A dry run still rejects what the schema forbids.
    await expectAppError(
      gateway.create(podKill(name, 'chaos-dev', 'order', { action: 'explode' }), { dryRun: true }),
      'CG_KUBE_INVALID',
    );

    const kept = tracked('it-kept');
    await gateway.create(podKill(kept, 'chaos-dev'));
    await gateway.delete(ref, 'chaos-dev', kept, { dryRun: true });
    expect((await gateway.get(ref, 'chaos-dev', kept)).metadata.deletionTimestamp).toBeUndefined();
  });
});

describe('kube gateway: an unreachable cluster', () => {
  it('answers CG_KUBE_UNAVAILABLE for calls, watches and informers', async () => {
    const down = createKubeGateway({
      kubeConfig: { mode: 'token', server: `https://127.0.0.1:${await closedPort()}`, token: 'x' },
    });
    const err = await expectAppError(down.version(), 'CG_KUBE_UNAVAILABLE');
    expect(err.message).toContain('connection refused');
    expect(err.statusCode).toBe(503);
    await expectAppError(down.discoverChaosKinds(), 'CG_KUBE_UNAVAILABLE');
    const end = await new Promise((resolve) =>
      down.watch(CORE_REFS.pods, 'chaos-dev', { onEvent: () => {}, onEnd: resolve }),
    );
    expect(end).toMatchObject({ reason: 'failed', error: { code: 'CG_KUBE_UNAVAILABLE' } });
    await expectAppError(down.createInformer(APPS_REFS.deployments, 'chaos-dev').start(), 'CG_KUBE_UNAVAILABLE');
    down.close();
  });
});
