import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { KubeGateway } from '../../apps/api/src/kube';
import { type Api, type Harness, importExample, labelled, type ProbeTarget, useRunsSuite } from './runs-harness';

const suite = useRunsSuite();
let h: Harness;
let dev: Api;
let gateway: KubeGateway;
let target: ProbeTarget;
beforeAll(() => {
  ({ h, dev, gateway, target } = suite);
});

/** A ten-minute pod-failure on the demo's order pods (long enough to be aborted). */
const longFault = (test: string) =>
  labelled(
    importExample('pod-kill-example.yaml', target.url).replace('action: pod-kill', 'action: pod-failure'),
    test,
  ).concat('  duration: 10m\n');

const rules = () => ({
  http: [{ name: 'order-health', url: target.url, expectStatus: 200, timeoutMs: 1000 }],
  intervalSeconds: 1,
  failureThreshold: 2,
});

describe('validation-rule probes on the local control plane', () => {
  it('aborts a run when a probe fails too often in a row, deleting the CR', { timeout: 90_000 }, async () => {
    target.status.code = 200;
    const run = await dev.submit(longFault('probe-abort'), rules());
    const res = await dev.post(`/api/runs/${run.id}/execute`, { previewHash: run.manifestHash });
    expect(res.json().status).toBe('running');
    await vi.waitFor(
      async () => {
        const now = await dev.run(run.id);
        expect(now.records.map((r) => r.phase)).toContain('Injected');
        expect(now.probeResults.filter((p) => p.phase === 'during' && p.ok).length).toBeGreaterThan(0);
      },
      { timeout: 30_000, interval: 250 },
    );
    target.status.code = 503;
    const aborted = await dev.waitForStatus(run.id, 'aborted', 30_000);
    expect(aborted.reason).toMatch(/^probe order-health failed 2 times in a row: HTTP 503, expected 200/);
    const ref = await gateway.chaosKind('PodChaos');
    await vi.waitFor(() => expect(gateway.get(ref, 'chaos-dev', aborted.crName)).rejects.toThrow(), {
      timeout: 30_000,
    });
    const detail = await vi.waitFor(
      async () => {
        const now = await dev.run(run.id);
        expect(now.probeResults.some((p) => p.phase === 'after')).toBe(true);
        return now;
      },
      { timeout: 10_000 },
    );
    const phases = detail.probeResults.map((p) => `${p.phase}:${p.ok}`);
    expect(phases[0]).toBe('before:true');
    expect(phases).toContain('during:false');
    const audit = await h.app.db.prisma.auditEvent.findFirst({ where: { targetId: run.id, action: 'run.abort' } });
    expect(audit?.actor).toBe('chaosgate');
  });

  it('does not start a run whose pre-check fails, and applies nothing', { timeout: 30_000 }, async () => {
    target.status.code = 500;
    const run = await dev.submit(longFault('pre-check'), rules());
    const res = await dev.post(`/api/runs/${run.id}/execute`, { previewHash: run.manifestHash });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^pre-check probe order-health failed/),
    });
    const ref = await gateway.chaosKind('PodChaos');
    await expect(gateway.get(ref, 'chaos-dev', res.json().crName)).rejects.toMatchObject({ code: 'CG_KUBE_NOT_FOUND' });
  });
});
