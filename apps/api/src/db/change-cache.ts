import { LRUCache } from 'lru-cache';
import type { ChangeFeed } from './change-feed';

export interface ChangeCacheOptions<V> {
  feed: ChangeFeed;
  /** The tables the cached values are read from: a change to any of them drops everything. */
  tables: readonly string[];
  /** Most entries kept. */
  max: number;
  /** Longest an entry is kept even when nothing announces a change. */
  ttlMs: number;
  /** Bound on the total size, as measured by `sizeOf`. */
  maxSize?: number;
  sizeOf?: (value: V) => number;
}

/**
 * A bounded cache of values read from the database that is emptied whenever one of their tables
 * changes. It serves nothing while the change feed is not live, and a value loaded while a change
 * came in is returned but not kept, so a slow read can never put back what a change removed.
 */
export function createChangeCache<V extends {}>(options: ChangeCacheOptions<V>) {
  const { feed, tables } = options;
  const lru = new LRUCache<string, V>({
    max: options.max,
    ttl: options.ttlMs,
    ...(options.maxSize && options.sizeOf ? { maxSize: options.maxSize, sizeCalculation: options.sizeOf } : {}),
  });
  let generation = 0;
  const stats = { hits: 0, misses: 0 };

  function invalidate(): void {
    generation += 1;
    lru.clear();
  }

  const unsubscribe = feed.subscribe((table) => {
    if (table === null || tables.includes(table)) invalidate();
  });

  return {
    /**
     * The cached value of `key`, or what `load` reads (kept unless it is null or the data changed
     * meanwhile). `ttlMs` shortens the entry's life, e.g. to a session's expiry.
     */
    async get<L extends V | null>(key: string, load: () => Promise<L>, ttlMs?: (value: V) => number): Promise<V | L> {
      if (!feed.live) return load();
      const cached = lru.get(key);
      if (cached !== undefined) {
        stats.hits += 1;
        return cached;
      }
      stats.misses += 1;
      const seen = generation;
      const value = await load();
      if (value === null || seen !== generation || !feed.live) return value;
      const ttl = ttlMs ? Math.min(ttlMs(value), options.ttlMs) : options.ttlMs;
      if (ttl > 0) lru.set(key, value, { ttl });
      return value;
    },
    /** Drops everything now, for a change this replica just made (the notification follows). */
    invalidate,
    /** How often `get` was answered from the cache, since start. */
    stats: () => ({ ...stats, size: lru.size }),
    close: unsubscribe,
  };
}

export type ChangeCache<V extends {}> = ReturnType<typeof createChangeCache<V>>;
