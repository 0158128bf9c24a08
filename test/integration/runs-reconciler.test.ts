import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KubeGateway } from '../../apps/api/src/kube';
import { createTestDatabase, type TestDatabase } from '../../apps/api/src/testing/test-database';
import { adminGateway, podKill, uniqueName } from '../support/kube';
import { Api, importExample, labelled, startApp } from './runs-harness';

let db: TestDatabase;
let gateway: KubeGateway;
beforeEach(async () => {
  db = await createTestDatabase();
  gateway = adminGateway();
});
afterEach(async () => {
  gateway.close();
  await db.drop();
});

const longFault = () =>
  labelled(
    importExample('pod-kill-example.yaml', 'http://127.0.0.1:1').replace('action: pod-kill', 'action: pod-failure'),
    'reconciler',
  ).concat('  duration: 10m\n');

describe('the run reconciler', () => {
  it('fails a run whose CR vanished while no chaosgate was watching', { timeout: 60_000 }, async () => {
    const first = await startApp(db.database);
    const dev = await Api.as(first, 'dev');
    const run = await dev.submit(longFault());
    await dev.post(`/api/runs/${run.id}/execute`, { previewHash: run.manifestHash });
    await first.close();
    const ref = await gateway.chaosKind('PodChaos');
    await gateway.delete(ref, 'chaos-dev', run.crName);
    await vi.waitFor(() => expect(gateway.get(ref, 'chaos-dev', run.crName)).rejects.toThrow(), { timeout: 15_000 });

    const second = await startApp(db.database);
    try {
      const again = await Api.as(second, 'dev');
      const failed = await again.waitForStatus(run.id, 'failed', 20_000);
      expect(failed.reason).toMatch(/CR was deleted outside chaosgate/);
    } finally {
      await second.close();
    }
  });

  it('deletes a CR labelled as chaosgate run that has no running run, and audits it', { timeout: 60_000 }, async () => {
    const name = uniqueName('cg-orphan');
    const orphan = podKill(name, 'chaos-dev', 'order', { action: 'pod-failure', duration: '10m' });
    orphan.metadata.labels = { 'app.kubernetes.io/managed-by': 'chaosgate', 'chaosgate.dev/run-id': 'deadbeef00' };
    await gateway.apply(orphan);
    const unrelated = podKill(uniqueName('not-ours'), 'chaos-dev', 'order', { action: 'pod-failure', duration: '10m' });
    await gateway.apply(unrelated);
    const ref = await gateway.chaosKind('PodChaos');

    const app = await startApp(db.database);
    try {
      await vi.waitFor(() => expect(gateway.get(ref, 'chaos-dev', name)).rejects.toThrow(), { timeout: 20_000 });
      const audit = await app.db.prisma.auditEvent.findFirst({ where: { action: 'run.cr.orphan_deleted' } });
      expect(audit).toMatchObject({ actor: 'chaosgate', targetId: `chaos-dev/PodChaos/${name}`, environment: 'dev' });
      await expect(gateway.get(ref, 'chaos-dev', unrelated.metadata.name as string)).resolves.toBeTruthy();

      const oncall = await Api.as(app, 'oncall');
      const listed = await oncall.get('/api/envs/dev/unmanaged');
      expect(listed.statusCode).toBe(200);
      expect(listed.json().items).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'PodChaos', name: unrelated.metadata.name })]),
      );
      const stopped = await oncall.post('/api/envs/dev/unmanaged/stop', {
        kind: 'PodChaos',
        name: unrelated.metadata.name,
      });
      expect(stopped.statusCode, stopped.body).toBe(200);
      await vi.waitFor(
        () => expect(gateway.get(ref, 'chaos-dev', unrelated.metadata.name as string)).rejects.toThrow(),
        {
          timeout: 15_000,
        },
      );
      expect(await app.db.prisma.auditEvent.count({ where: { action: 'unmanaged.stop', actor: 'oncall' } })).toBe(1);
    } finally {
      await app.close();
      await gateway.delete(ref, 'chaos-dev', unrelated.metadata.name as string).catch(() => undefined);
    }
  });
});
