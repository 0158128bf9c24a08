import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTopologyStore } from './topology';

describe('useTopologyStore', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
  });

  it('selects one node on click and adds or removes nodes on shift-click', () => {
    const store = useTopologyStore();
    store.select('a', false);
    store.select('b', true);
    expect(store.selectedIds).toEqual(['a', 'b']);
    store.select('a', true);
    expect(store.selectedIds).toEqual(['b']);
    store.select('c', false);
    expect(store.selectedIds).toEqual(['c']);
  });

  it('remembers the namespace per environment while it is still a target', () => {
    const store = useTopologyStore();
    expect(store.namespaceFor('dev', ['shop', 'cart'])).toBe('shop');
    store.setNamespace('dev', 'cart');
    expect(store.namespaceFor('dev', ['shop', 'cart'])).toBe('cart');
    expect(store.namespaceFor('dev', ['shop'])).toBe('shop');
    expect(store.namespaceFor('prod', [])).toBeNull();
  });

  it('drops selected nodes that left the map', () => {
    const store = useTopologyStore();
    store.select('a', false);
    store.select('b', true);
    store.keepOnly(new Set(['b']));
    expect(store.selectedIds).toEqual(['b']);
  });
});
