import type { TopologyPatch } from '@chaosgate/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createInformer, type KubeGateway, type KubeObject, type ResourceRef, type WatchEvent } from '../../kube';
import { serviceSelectorProvider } from './providers/service-selector.provider';
import { createTopologyFeeds, type TopologyFeeds } from './topology-feeds';

type Watcher = (event: WatchEvent) => void;

/** An in-memory cluster behind the real informer: lists count, watches get every change. */
function fakeCluster() {
  const collections = new Map<string, Map<string, KubeObject>>();
  const watchers = new Map<string, Set<Watcher>>();
  let version = 1;
  let lists = 0;
  const key = (ref: ResourceRef, namespace: string | null) => `${ref.plural}/${namespace ?? ''}`;
  const collection = (k: string) => collections.get(k) ?? collections.set(k, new Map()).get(k) ?? new Map();

  function change(type: 'ADDED' | 'MODIFIED' | 'DELETED', plural: string, namespace: string, object: KubeObject) {
    version += 1;
    const stamped = { ...object, metadata: { ...object.metadata, namespace, resourceVersion: String(version) } };
    const k = `${plural}/${namespace}`;
    if (type === 'DELETED') collection(k).delete(object.metadata.name ?? '');
    else collection(k).set(object.metadata.name ?? '', stamped);
    for (const watcher of watchers.get(k) ?? []) watcher({ type, object: stamped });
  }

  const gateway = {
    discoverChaosKinds: async () => [],
    createInformer(ref: ResourceRef, namespace: string | null) {
      const k = key(ref, namespace);
      return createInformer({
        list: async () => {
          lists += 1;
          return { items: [...collection(k).values()], resourceVersion: String(version) };
        },
        watch: ({ onEvent }) => {
          const set = watchers.get(k) ?? watchers.set(k, new Set()).get(k) ?? new Set<Watcher>();
          set.add(onEvent as Watcher);
          return () => set.delete(onEvent as Watcher);
        },
      });
    },
  } as unknown as KubeGateway;

  return { gateway, change, lists: () => lists };
}

const deployment = (name: string): KubeObject => ({
  metadata: { name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [] } },
  },
  status: { readyReplicas: 1 },
});
const service = (name: string): KubeObject => ({ metadata: { name }, spec: { selector: { app: name } } });

const key = { environment: 'dev', namespace: 'shop', chaosNamespace: 'chaos-dev', settings: { prometheusUrl: null } };
let feeds: TopologyFeeds;
afterEach(async () => {
  await feeds?.close();
});

function start(cluster: ReturnType<typeof fakeCluster>, options: { idleMs?: number; now?: () => number } = {}) {
  feeds = createTopologyFeeds({
    gatewayFor: async () => cluster.gateway,
    providers: [serviceSelectorProvider],
    throttleMs: 10,
    ...options,
  });
  return feeds;
}

describe('topology feeds', () => {
  it('lists once and serves later requests from the watch cache', async () => {
    const cluster = fakeCluster();
    cluster.change('ADDED', 'deployments', 'shop', deployment('order'));
    cluster.change('ADDED', 'services', 'shop', service('order'));
    const feed = await start(cluster).acquire(key);
    const first = await feed.current();
    expect(first.nodes.map((n) => n.id)).toEqual(['Deployment/shop/order', 'Service/shop/order']);
    expect(first.edges).toHaveLength(1);
    const listsAfterStart = cluster.lists();

    await feeds.acquire(key);
    const again = await feed.current();
    expect(again).toBe(first);
    expect(cluster.lists()).toBe(listsAfterStart);
  });

  it('shares one start between concurrent first requests', async () => {
    const cluster = fakeCluster();
    const [a, b] = await Promise.all([start(cluster).acquire(key), feeds.acquire(key)]);
    expect(a).toBe(b);
    expect(cluster.lists()).toBe(5);
  });

  it('sends a patch from the revision a subscriber read when a workload comes and goes', async () => {
    const cluster = fakeCluster();
    const feed = await start(cluster).acquire(key);
    const first = await feed.current();
    const patches: TopologyPatch[] = [];
    feed.subscribe((patch) => patches.push(patch));

    cluster.change('ADDED', 'deployments', 'shop', deployment('payment'));
    await expect.poll(() => patches.length).toBe(1);
    expect(patches[0]).toMatchObject({ fromRevision: first.revision, nodes: { remove: [] } });
    expect(patches[0]?.nodes.upsert.map((n) => n.name)).toEqual(['payment']);

    cluster.change('DELETED', 'deployments', 'shop', deployment('payment'));
    await expect.poll(() => patches.length).toBe(2);
    expect(patches[1]).toMatchObject({
      fromRevision: patches[0]?.revision,
      nodes: { remove: ['Deployment/shop/payment'] },
    });
  });

  it('keeps the revision when a change leaves the map as it was', async () => {
    const cluster = fakeCluster();
    cluster.change('ADDED', 'deployments', 'shop', deployment('order'));
    const feed = await start(cluster).acquire(key);
    const first = await feed.current();
    cluster.change('MODIFIED', 'deployments', 'shop', deployment('order'));
    expect((await feed.current()).revision).toBe(first.revision);
  });

  it('stops an idle feed and starts a fresh one on the next request', async () => {
    const cluster = fakeCluster();
    let clock = 0;
    const feed = await start(cluster, { idleMs: 1_000, now: () => clock }).acquire(key);
    clock = 5_000;
    await feeds.sweep();
    expect(feeds.size).toBe(0);
    expect(await feeds.acquire(key)).not.toBe(feed);
  });

  it('keeps a streamed feed however long nobody asked for it', async () => {
    const cluster = fakeCluster();
    let clock = 0;
    const feed = await start(cluster, { idleMs: 1_000, now: () => clock }).acquire(key);
    feed.subscribe(() => {});
    clock = 5_000;
    await feeds.sweep();
    expect(feeds.size).toBe(1);
  });
});
