import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CORE_REFS, type KubeGateway } from '../../apps/api/src/kube';
import { hashManifest } from '../../apps/api/src/modules/experiments/manifest-render';
import { adminGateway } from '../support/kube';
import { Api, type Harness, importExample, labelled, startHarness } from './runs-harness';

let h: Harness;
let dev: Api;
let gateway: KubeGateway;
beforeAll(async () => {
  h = await startHarness();
  dev = await Api.as(h.app, 'dev');
  gateway = adminGateway();
});
afterAll(async () => {
  await holdFinalizers('false').catch(() => undefined);
  await h?.close();
  gateway?.close();
});

const holdFinalizers = (value: string) =>
  gateway.patch(CORE_REFS.configMaps, 'chaos-mesh', 'chaos-mesh-simulator', { data: { holdFinalizers: value } });

const longFault = (test: string) =>
  labelled(
    importExample('pod-kill-example.yaml', 'http://127.0.0.1:1').replace('action: pod-kill', 'action: pod-failure'),
    test,
  ).concat('  duration: 10m\n');

describe('what runs is what was shown', () => {
  it('applies exactly the previewed manifest: the live object hashes to the preview hash', {
    timeout: 60_000,
  }, async () => {
    const run = await dev.submit(longFault('hash-check'));
    await dev.post(`/api/runs/${run.id}/execute`, { previewHash: run.manifestHash });
    const ref = await gateway.chaosKind('PodChaos');
    const live = await gateway.get(ref, 'chaos-dev', run.crName);
    const { name, namespace, labels, annotations } = live.metadata;
    const applied = {
      apiVersion: live.apiVersion,
      kind: live.kind,
      metadata: { name, namespace, labels, annotations },
      spec: live.spec,
    };
    expect(hashManifest(applied)).toBe(run.manifestHash);
    const managers = (live.metadata.managedFields as { manager: string; operation: string }[]).map(
      (m) => `${m.manager}/${m.operation}`,
    );
    expect(managers).toContain('chaosgate/Apply');
    await dev.post(`/api/runs/${run.id}/abort`, {});
  });
});

describe('recovery held by finalizers', () => {
  it('ends the run at once and follows the CR until Chaos Mesh lets it go', { timeout: 90_000 }, async () => {
    const run = await dev.submit(longFault('held'));
    await dev.post(`/api/runs/${run.id}/execute`, { previewHash: run.manifestHash });
    await vi.waitFor(async () => expect((await dev.run(run.id)).records.map((r) => r.phase)).toContain('Injected'), {
      timeout: 30_000,
    });
    await holdFinalizers('true');
    const res = await dev.post(`/api/runs/${run.id}/abort`, { reason: 'stop it' });
    expect(res.json().status).toBe('aborted');
    const ref = await gateway.chaosKind('PodChaos');
    const held = await gateway.get(ref, 'chaos-dev', run.crName);
    expect(held.metadata.deletionTimestamp).toBeTruthy();
    expect((await dev.run(run.id)).timeline.map((e) => e.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^deleting PodChaos .* Chaos Mesh is recovering the targets$/)]),
    );
    await holdFinalizers('false');
    await vi.waitFor(() => expect(gateway.get(ref, 'chaos-dev', run.crName)).rejects.toThrow(), { timeout: 30_000 });
    await vi.waitFor(
      async () =>
        expect((await dev.run(run.id)).timeline.map((e) => e.message)).toEqual(
          expect.arrayContaining([expect.stringMatching(/is gone: Chaos Mesh recovered the targets$/)]),
        ),
      { timeout: 10_000 },
    );
  });
});
