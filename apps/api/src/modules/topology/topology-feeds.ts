import type { KubeGateway } from '../../kube';
import { ChaosWatch } from './chaos-watch';
import { NamespaceWatch } from './namespace-watch';
import type { EdgeProviderDefinition, ProviderSettings } from './providers/edge-provider';
import { TopologyFeed } from './topology-feed';

/** Which map: an environment's namespace, with what the environment says about it. */
export interface FeedKey {
  environment: string;
  namespace: string;
  chaosNamespace: string;
  settings: ProviderSettings;
}

export interface TopologyFeedsOptions {
  gatewayFor(environment: string): Promise<KubeGateway>;
  providers: readonly EdgeProviderDefinition[];
  /** A feed nobody streams or asked for this long stops its watches (default five minutes). */
  idleMs?: number;
  throttleMs?: number;
  now?: () => number;
}

interface SharedChaosWatch {
  watch: Promise<ChaosWatch>;
  users: number;
}

/**
 * The watch-backed caches behind the topology: one {@link TopologyFeed} per environment and
 * namespace, started on first use and stopped when idle, and one chaos-object watch per
 * environment shared by its feeds. Concurrent first requests share one start.
 */
export function createTopologyFeeds(options: TopologyFeedsOptions) {
  const idleMs = options.idleMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const feeds = new Map<string, Promise<TopologyFeed>>();
  const chaosWatches = new Map<string, SharedChaosWatch>();

  function acquireChaosWatch(gateway: KubeGateway, environment: string, chaosNamespace: string) {
    const key = `${environment}/${chaosNamespace}`;
    let shared = chaosWatches.get(key);
    if (!shared) {
      const watch = new ChaosWatch(gateway, chaosNamespace);
      // ChaosWatch.start never rejects: failures become warnings on the map.
      shared = { watch: watch.start().then(() => watch), users: 0 };
      chaosWatches.set(key, shared);
    }
    shared.users += 1;
    const entry = shared;
    return {
      watch: entry.watch,
      release() {
        entry.users -= 1;
        if (entry.users > 0 || chaosWatches.get(key) !== entry) return;
        chaosWatches.delete(key);
        void entry.watch.then((w) => w.stop());
      },
    };
  }

  async function startFeed(key: FeedKey): Promise<{ feed: TopologyFeed; release(): void }> {
    const gateway = await options.gatewayFor(key.environment);
    const namespaceWatch = new NamespaceWatch(gateway, key.namespace);
    const chaos = acquireChaosWatch(gateway, key.environment, key.chaosNamespace);
    try {
      const [, chaosWatch] = await Promise.all([namespaceWatch.start(), chaos.watch]);
      const feed = new TopologyFeed({
        environment: key.environment,
        namespace: key.namespace,
        namespaceWatch,
        chaosWatch,
        providers: options.providers,
        settings: key.settings,
        throttleMs: options.throttleMs,
        now,
      });
      return { feed, release: chaos.release };
    } catch (error) {
      namespaceWatch.stop();
      chaos.release();
      throw error;
    }
  }

  const stoppers = new Map<TopologyFeed, () => void>();

  /** The feed of a namespace, started (lists done, watches running) before it resolves. */
  async function acquire(key: FeedKey): Promise<TopologyFeed> {
    const id = `${key.environment}/${key.namespace}`;
    let pending = feeds.get(id);
    if (!pending) {
      pending = startFeed(key).then(({ feed, release }) => {
        stoppers.set(feed, () => {
          feed.stop();
          release();
          stoppers.delete(feed);
        });
        return feed;
      });
      feeds.set(id, pending);
      // A feed that failed to start is forgotten so that the next request tries again.
      pending.catch(() => {
        if (feeds.get(id) === pending) feeds.delete(id);
      });
    }
    const feed = await pending;
    feed.updateSettings(key.settings);
    return feed;
  }

  /** Stops feeds that nobody streams and nobody asked for within the idle time. */
  async function sweep(): Promise<void> {
    for (const [id, pending] of feeds) {
      const feed = await pending.catch(() => null);
      if (!feed || feed.subscriberCount > 0 || now() - feed.lastUsed < idleMs) continue;
      feeds.delete(id);
      stoppers.get(feed)?.();
    }
  }

  const sweeper = setInterval(() => void sweep(), Math.max(1_000, Math.floor(idleMs / 2)));
  sweeper.unref();

  return {
    acquire,
    sweep,
    /** How many namespaces are being watched right now. */
    get size() {
      return feeds.size;
    },
    async close(): Promise<void> {
      clearInterval(sweeper);
      const all = await Promise.all([...feeds.values()].map((p) => p.catch(() => null)));
      feeds.clear();
      for (const feed of all) if (feed) stoppers.get(feed)?.();
    },
  };
}

export type TopologyFeeds = ReturnType<typeof createTopologyFeeds>;
