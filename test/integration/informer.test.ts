import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  APPS_REFS,
  createInformer,
  type InformerChange,
  type KubeGateway,
  type KubeObject,
  type WatchEnd,
} from '../../apps/api/src/kube';
import { adminGateway, podKill, uniqueName } from '../support/kube';

let gateway: KubeGateway;
beforeAll(() => {
  gateway = adminGateway();
});
afterAll(() => {
  gateway.close();
});

const deployment = (name: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'chaos-dev', labels: { app: name } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] },
    },
  },
});

const described = (change: InformerChange<KubeObject>) =>
  'object' in change ? `${change.type} ${change.object.metadata.name}` : change.type;

describe('informer', () => {
  it('shows a Deployment added to and removed from chaos-dev', async () => {
    const informer = gateway.createInformer(APPS_REFS.deployments, 'chaos-dev');
    const changes: string[] = [];
    informer.onChange((c) => changes.push(described(c)));
    await informer.start();
    expect(informer.get('chaos-dev/order')?.kind).toBe('Deployment');

    const name = uniqueName('it-informer');
    await gateway.create(deployment(name));
    await vi.waitFor(() => expect(informer.get(`chaos-dev/${name}`)).toBeDefined(), { timeout: 10_000 });
    await gateway.delete(APPS_REFS.deployments, 'chaos-dev', name);
    await vi.waitFor(() => expect(informer.get(`chaos-dev/${name}`)).toBeUndefined(), { timeout: 10_000 });

    expect(changes).toContain(`ADDED ${name}`);
    expect(changes.at(-1)).toBe(`DELETED ${name}`);
    expect(informer.stats.lists).toBe(1);
    informer.stop();
  });

  it('gets 410 Gone when watching from a compacted resourceVersion', async () => {
    const ref = await gateway.chaosKind('PodChaos');
    const end = await new Promise<WatchEnd>((resolve) => {
      gateway.watch(ref, 'chaos-dev', { resourceVersion: '1', onEvent: () => {}, onEnd: resolve });
    });
    expect(end).toEqual({ reason: 'gone' });
  });

  it('re-lists after a 410 Gone and keeps following the collection', async () => {
    const ref = await gateway.chaosKind('PodChaos');
    let firstWatch = true;
    // The first watch starts from resourceVersion "1", long compacted away: the server answers 410.
    const informer = createInformer<KubeObject>({
      list: () => gateway.list(ref, 'chaos-dev'),
      watch: (options) => {
        const resourceVersion = firstWatch ? '1' : options.resourceVersion;
        firstWatch = false;
        return gateway.watch(ref, 'chaos-dev', { ...options, resourceVersion });
      },
    });
    const changes: string[] = [];
    informer.onChange((c) => changes.push(described(c)));
    await informer.start();
    await vi.waitFor(() => expect(informer.stats).toEqual({ lists: 2, watches: 2 }), { timeout: 10_000 });
    expect(changes.filter((c) => c === 'SYNCED')).toHaveLength(2);

    const name = uniqueName('it-after-gone');
    await gateway.apply(podKill(name, 'chaos-dev'));
    await vi.waitFor(() => expect(informer.get(`chaos-dev/${name}`)).toBeDefined(), { timeout: 10_000 });
    await gateway.delete(ref, 'chaos-dev', name);
    await vi.waitFor(() => expect(informer.get(`chaos-dev/${name}`)).toBeUndefined(), { timeout: 15_000 });
    expect(informer.stats.lists).toBe(2);
    informer.stop();
  });
});
