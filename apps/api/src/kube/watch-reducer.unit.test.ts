import { describe, expect, it } from 'vitest';
import type { KubeObject, WatchEvent } from './kube-types';
import { applyWatchEvent, isStaleResourceVersion, type ObjectStore, objectKey, storeFromList } from './watch-reducer';

const pod = (name: string, resourceVersion: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'chaos-dev', resourceVersion },
  ...extra,
});
const event = (type: WatchEvent['type'], object: KubeObject): WatchEvent => ({ type, object });

const start = (): ObjectStore => storeFromList({ items: [pod('a', '10'), pod('b', '11')], resourceVersion: '12' });

describe('applyWatchEvent', () => {
  it('adds an object and advances the resourceVersion', () => {
    const next = applyWatchEvent(start(), event('ADDED', pod('c', '13')));
    expect([...next.items.keys()]).toEqual(['chaos-dev/a', 'chaos-dev/b', 'chaos-dev/c']);
    expect(next.resourceVersion).toBe('13');
  });

  it('replaces a modified object', () => {
    const next = applyWatchEvent(start(), event('MODIFIED', pod('a', '14', { spec: { x: 1 } })));
    expect(next.items.get('chaos-dev/a')).toMatchObject({ spec: { x: 1 } });
    expect(next.items.size).toBe(2);
  });

  it('removes a deleted object', () => {
    const next = applyWatchEvent(start(), event('DELETED', pod('b', '15')));
    expect([...next.items.keys()]).toEqual(['chaos-dev/a']);
    expect(next.resourceVersion).toBe('15');
  });

  it('returns the very same store for an event that is not newer than the store', () => {
    const state = start();
    expect(applyWatchEvent(state, event('MODIFIED', pod('a', '12')))).toBe(state);
    expect(applyWatchEvent(state, event('DELETED', pod('b', '3')))).toBe(state);
    expect(applyWatchEvent(state, event('ADDED', pod('z', '11')))).toBe(state);
  });

  it('moves only the resourceVersion on a bookmark', () => {
    const state = start();
    const next = applyWatchEvent(state, event('BOOKMARK', { metadata: { resourceVersion: '99' } }));
    expect(next.resourceVersion).toBe('99');
    expect(next.items).toBe(state.items);
  });

  it('never mutates the store it was given', () => {
    const state = start();
    const before = [...state.items.entries()];
    applyWatchEvent(state, event('ADDED', pod('c', '20')));
    applyWatchEvent(state, event('DELETED', pod('a', '21')));
    expect([...state.items.entries()]).toEqual(before);
    expect(state.resourceVersion).toBe('12');
  });

  it('applies a sequence the way the server produced it, dropping a replayed event', () => {
    const events = [
      event('ADDED', pod('c', '13')),
      event('MODIFIED', pod('c', '14', { status: 'up' })),
      event('ADDED', pod('c', '13')), // replay from an older watch: stale
      event('DELETED', pod('a', '15')),
    ];
    const final = events.reduce(applyWatchEvent, start());
    expect([...final.items.keys()]).toEqual(['chaos-dev/b', 'chaos-dev/c']);
    expect(final.items.get('chaos-dev/c')).toMatchObject({ status: 'up' });
    expect(final.resourceVersion).toBe('15');
  });

  it('applies events whose resourceVersion cannot be compared', () => {
    const state = storeFromList({ items: [], resourceVersion: 'opaque-1' });
    const next = applyWatchEvent(state, event('ADDED', pod('a', 'opaque-0')));
    expect(next.items.has('chaos-dev/a')).toBe(true);
  });
});

describe('isStaleResourceVersion', () => {
  it('compares decimal versions as integers, beyond Number precision', () => {
    expect(isStaleResourceVersion('9', '10')).toBe(true);
    expect(isStaleResourceVersion('10', '10')).toBe(true);
    expect(isStaleResourceVersion('11', '10')).toBe(false);
    expect(isStaleResourceVersion('90071992547409931', '90071992547409930')).toBe(false);
  });

  it('treats a missing or non-numeric side as not stale', () => {
    expect(isStaleResourceVersion(undefined, '10')).toBe(false);
    expect(isStaleResourceVersion('10', '')).toBe(false);
    expect(isStaleResourceVersion('abc', '10')).toBe(false);
  });
});

describe('objectKey', () => {
  it('is namespace/name, or name for cluster-scoped objects', () => {
    expect(objectKey(pod('a', '1'))).toBe('chaos-dev/a');
    expect(objectKey({ metadata: { name: 'chaos-dev' } })).toBe('chaos-dev');
  });
});
