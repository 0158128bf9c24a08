import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { KubeGateway } from '../../apps/api/src/kube';
import { openSecondConnection } from '../../apps/api/src/testing/test-database';
import {
  Api,
  exampleFiles,
  type Harness,
  importExample,
  labelled,
  type ProbeTarget,
  type RunDetail,
  startApp,
  useRunsSuite,
} from './runs-harness';

/** Examples that end by themselves within a minute (timed, or one-shot); the others are aborted. */
const SELF_ENDING = new Set([
  'burn-cpu.yaml',
  'container-kill-example.yaml',
  'dns-chaos-example.yaml',
  'network-bandwidth-example.yaml',
  'network-delay-example.yaml',
  'network-loss-example.yaml',
  'network-partition-example.yaml',
  'pod-kill-example.yaml',
  'time-chaos-example.yaml',
]);

const suite = useRunsSuite();
let h: Harness;
let dev: Api;
let gateway: KubeGateway;
let target: ProbeTarget;
beforeAll(() => {
  ({ h, dev, gateway, target } = suite);
});

async function crExists(run: RunDetail): Promise<boolean> {
  const ref = await gateway.chaosKind(run.kind);
  return gateway.get(ref, 'chaos-dev', run.crName).then(
    () => true,
    () => false,
  );
}

async function waitForCrGone(run: RunDetail): Promise<void> {
  await vi.waitFor(async () => expect(await crExists(run)).toBe(false), { timeout: 30_000, interval: 250 });
}

/** Runs one example from import to its end; returns the finished run. */
async function runExample(file: string): Promise<RunDetail> {
  const created = await dev.submit(importExample(file, target.url));
  expect(created.status).toBe('approved');
  const executed = await dev.post(`/api/runs/${created.id}/execute`, { previewHash: created.manifestHash });
  expect(executed.statusCode, executed.body).toBe(202);
  expect(executed.json().status).toBe('running');
  const run = await dev.run(created.id);
  expect(run.timeline.some((e) => e.type === 'kube' && e.message.startsWith('applied'))).toBe(true);
  if (run.kind !== 'StatusCheck' && run.kind !== 'Workflow' && run.kind !== 'Schedule') {
    await vi.waitFor(
      async () => {
        const now = await dev.run(created.id);
        expect(
          now.status === 'completed' || now.conditions.some((c) => c.type === 'AllInjected' && c.status === 'True'),
        ).toBe(true);
      },
      { timeout: 30_000, interval: 250 },
    );
  }
  if (!SELF_ENDING.has(file)) {
    if (run.kind === 'Schedule' || run.kind === 'Workflow') {
      await vi.waitFor(async () => expect((await dev.run(created.id)).records.length).toBeGreaterThan(0), {
        timeout: 30_000,
      });
    }
    const aborted = await dev.post(`/api/runs/${created.id}/abort`, { reason: 'long example' });
    expect(aborted.statusCode, aborted.body).toBe(200);
  }
  const finished = await dev.waitForStatus(created.id, SELF_ENDING.has(file) ? 'completed' : 'aborted', 90_000);
  await waitForCrGone(finished);
  return finished;
}

describe('runs on the local control plane', () => {
  it('imports, validates, previews and runs every Chaos Mesh example in dev', { timeout: 180_000 }, async () => {
    const files = exampleFiles();
    expect(files).toHaveLength(16);
    const finished = await Promise.all(files.map(runExample));
    for (const run of finished) {
      expect(run.timeline.map((e) => e.toStatus).filter(Boolean)).toEqual(
        expect.arrayContaining(['draft', 'approved', 'running', run.status]),
      );
    }
    const withRecords = finished.filter((r) => r.kind.endsWith('Chaos'));
    expect(withRecords.every((r) => r.records.length > 0)).toBe(true);
  });

  it('aborts a running fault by hand: the CR is deleted and the targets recover', { timeout: 90_000 }, async () => {
    const manifest = labelled(
      importExample('pod-kill-example.yaml', target.url).replace('action: pod-kill', 'action: pod-failure'),
      'abort-by-hand',
    ).concat('  duration: 10m\n');
    const run = await dev.submit(manifest);
    const executed = await dev.post(`/api/runs/${run.id}/execute`, { previewHash: run.manifestHash });
    expect(executed.json(), executed.body).toMatchObject({ status: 'running' });
    await vi.waitFor(
      async () => {
        const now = await dev.run(run.id);
        expect(
          now.records.map((r) => r.phase),
          JSON.stringify(now.timeline),
        ).toContain('Injected');
      },
      { timeout: 30_000 },
    );
    const res = await dev.post(`/api/runs/${run.id}/abort`, { reason: 'seen enough' });
    expect(res.json()).toMatchObject({ status: 'aborted', reason: 'seen enough' });
    const aborted = await dev.run(run.id);
    await waitForCrGone(aborted);
    expect(aborted.timeline.map((e) => e.message)).toEqual(
      expect.arrayContaining(['AllInjected: True', expect.stringMatching(/^aborted by dev/)]),
    );
    const audit = await h.app.db.prisma.auditEvent.findMany({ where: { targetId: run.id }, orderBy: { seq: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['run.submit', 'run.approve', 'run.execute', 'run.abort']);
  });

  it('applies once when two execute calls race', { timeout: 60_000 }, async () => {
    const manifest = labelled(importExample('network-delay-example.yaml', target.url), 'race');
    const run = await dev.submit(manifest);
    const calls = await Promise.all(
      [0, 1].map(() => dev.post(`/api/runs/${run.id}/execute`, { previewHash: run.manifestHash })),
    );
    expect(calls.map((c) => c.statusCode).sort()).toEqual([202, 409]);
    const loser = calls.find((c) => c.statusCode === 409);
    expect(['CG_RUN_CONFLICT', 'CG_RUN_ILLEGAL_TRANSITION']).toContain(loser?.json().error.code);
    const detail = await dev.run(run.id);
    expect(detail.timeline.filter((e) => e.message.startsWith('applied'))).toHaveLength(1);
    const executes = await h.app.db.prisma.auditEvent.count({ where: { targetId: run.id, action: 'run.execute' } });
    expect(executes).toBe(1);
    await dev.waitForStatus(run.id, 'completed', 40_000);
  });

  it('applies once when two replicas execute the same run at the same moment', { timeout: 60_000 }, async () => {
    const second = await startApp((await openSecondConnection(h.db)) ?? h.db.database);
    try {
      const run = await dev.submit(labelled(importExample('network-loss-example.yaml', target.url), 'replicas'));
      const replicaTwo = new Api(second, dev.session);
      const calls = await Promise.all(
        [dev, replicaTwo].map((api) => api.post(`/api/runs/${run.id}/execute`, { previewHash: run.manifestHash })),
      );
      expect(calls.map((c) => c.statusCode).sort()).toEqual([202, 409]);
      const executes = await h.app.db.prisma.auditEvent.count({ where: { targetId: run.id, action: 'run.execute' } });
      expect(executes).toBe(1);
      const detail = await dev.waitForStatus(run.id, 'completed', 40_000);
      expect(detail.timeline.filter((e) => e.message.startsWith('applied'))).toHaveLength(1);
      expect(detail.timeline.filter((e) => e.toStatus === 'completed')).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('refuses a selector that reaches more pods than the environment allows', async () => {
    await h.app.db.prisma.environment.update({ where: { name: 'dev' }, data: { maxPods: 1 } });
    try {
      const manifest = importExample('pod-kill-example.yaml', target.url).replace('mode: one', 'mode: all');
      const res = await dev.post('/api/runs/preview', { environment: 'dev', manifest });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('CG_POLICY_LIMIT_EXCEEDED');
    } finally {
      await h.app.db.prisma.environment.update({ where: { name: 'dev' }, data: { maxPods: 50 } });
    }
  });

  it('validates against the cluster without skipping anything', async () => {
    const res = await dev.post('/api/runs/validate', {
      environment: 'dev',
      manifest: importExample('pod-kill-example.yaml', target.url),
    });
    expect(res.json()).toMatchObject({ valid: true, errors: [] });
    expect(res.json().warnings.join(' ')).not.toContain('skipped');
  });
});
