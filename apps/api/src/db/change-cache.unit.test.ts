import { describe, expect, it } from 'vitest';
import { createChangeCache } from './change-cache';
import type { ChangeFeed, ChangeListener } from './change-feed';

/** A change feed driven by hand. */
function manualFeed(live = true) {
  const listeners = new Set<ChangeListener>();
  const feed: ChangeFeed & { live: boolean; announce(table: string | null): void } = {
    live,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {},
    announce(table) {
      for (const l of listeners) l(table);
    },
  };
  return feed;
}

/** A loader that counts its reads and answers the current value of `source`. */
function counter(source: { value: string | null }) {
  const calls = { n: 0 };
  const load = async () => {
    calls.n += 1;
    return source.value;
  };
  return { calls, load };
}

const options = { tables: ['sessions', 'users'], max: 10, ttlMs: 60_000 };

describe('createChangeCache', () => {
  it('reads once, then answers from memory until one of its tables changes', async () => {
    const feed = manualFeed();
    const cache = createChangeCache<string>({ feed, ...options });
    const source = { value: 'alice' as string | null };
    const { calls, load } = counter(source);
    expect(await cache.get('k', load)).toBe('alice');
    source.value = 'bob';
    expect(await cache.get('k', load)).toBe('alice');
    expect(calls.n).toBe(1);

    feed.announce('experiment_runs');
    expect(await cache.get('k', load)).toBe('alice');
    feed.announce('users');
    expect(await cache.get('k', load)).toBe('bob');
    expect(calls.n).toBe(2);
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 2, size: 1 });
  });

  it('drops everything when the feed restarts, since notifications were missed', async () => {
    const feed = manualFeed();
    const cache = createChangeCache<string>({ feed, ...options });
    const source = { value: 'one' as string | null };
    const { load } = counter(source);
    await cache.get('k', load);
    source.value = 'two';
    feed.announce(null);
    expect(await cache.get('k', load)).toBe('two');
  });

  it('serves nothing from memory while the feed is not live', async () => {
    const feed = manualFeed(false);
    const cache = createChangeCache<string>({ feed, ...options });
    const source = { value: 'x' as string | null };
    const { calls, load } = counter(source);
    await cache.get('k', load);
    await cache.get('k', load);
    expect(calls.n).toBe(2);
    expect(cache.stats().size).toBe(0);
  });

  it('does not keep a value whose read overlapped a change', async () => {
    const feed = manualFeed();
    const cache = createChangeCache<string>({ feed, ...options });
    let release: (value: string) => void = () => {};
    const slow = cache.get('k', () => new Promise<string>((resolve) => (release = resolve)));
    feed.announce('sessions');
    release('read before the change');
    expect(await slow).toBe('read before the change');
    expect(await cache.get('k', async () => 'fresh')).toBe('fresh');
  });

  it('never keeps a missing value, and honours a shorter life per entry', async () => {
    const feed = manualFeed();
    const cache = createChangeCache<string>({ feed, ...options });
    const source = { value: null as string | null };
    const { calls, load } = counter(source);
    expect(await cache.get('k', load)).toBeNull();
    expect(await cache.get('k', load)).toBeNull();
    expect(calls.n).toBe(2);

    source.value = 'expired';
    await cache.get('e', load, () => 0);
    source.value = 'renewed';
    expect(await cache.get('e', load, () => 0)).toBe('renewed');
  });

  it('invalidate() empties it at once, and close() stops listening', async () => {
    const feed = manualFeed();
    const cache = createChangeCache<string>({ feed, ...options });
    const source = { value: 'a' as string | null };
    const { load } = counter(source);
    await cache.get('k', load);
    source.value = 'b';
    cache.invalidate();
    expect(await cache.get('k', load)).toBe('b');

    cache.close();
    source.value = 'c';
    feed.announce('users');
    expect(await cache.get('k', load)).toBe('b');
  });
});
