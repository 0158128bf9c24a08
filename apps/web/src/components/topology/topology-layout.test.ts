import { describe, expect, it } from 'vitest';
import { connectedGroups, DEFAULT_LAYOUT, freshLayout, stableLayout } from './topology-layout';

const shopIds = ['gw', 'svc-order', 'order', 'svc-pay', 'pay', 'agent'];
const shopEdges = [
  { source: 'gw', target: 'svc-order' },
  { source: 'svc-order', target: 'order' },
  { source: 'order', target: 'svc-pay' },
  { source: 'svc-pay', target: 'pay' },
];

function overlapping(positions: Map<string, { x: number; y: number }>): string[] {
  const entries = [...positions];
  const pairs: string[] = [];
  for (let i = 0; i < entries.length; i += 1) {
    for (let j = i + 1; j < entries.length; j += 1) {
      const [a, p] = entries[i] as [string, { x: number; y: number }];
      const [b, q] = entries[j] as [string, { x: number; y: number }];
      if (Math.abs(p.x - q.x) < DEFAULT_LAYOUT.nodeWidth && Math.abs(p.y - q.y) < DEFAULT_LAYOUT.nodeHeight) {
        pairs.push(`${a}/${b}`);
      }
    }
  }
  return pairs;
}

describe('connectedGroups', () => {
  it('splits the graph into groups of connected nodes in a fixed order', () => {
    expect(connectedGroups(shopIds, shopEdges)).toEqual([['agent'], ['gw', 'order', 'pay', 'svc-order', 'svc-pay']]);
  });
});

describe('freshLayout', () => {
  it('lays callers out left of what they call', () => {
    const positions = freshLayout(shopIds, shopEdges);
    const x = (id: string) => positions.get(id)?.x ?? Number.NaN;
    expect(x('gw')).toBeLessThan(x('svc-order'));
    expect(x('svc-order')).toBeLessThan(x('order'));
    expect(x('order')).toBeLessThan(x('svc-pay'));
    expect(overlapping(positions)).toEqual([]);
  });

  it('gives the same positions for the same graph in any order', () => {
    const a = freshLayout(shopIds, shopEdges);
    const b = freshLayout([...shopIds].reverse(), [...shopEdges].reverse());
    expect([...b].sort()).toEqual([...a].sort());
  });
});

describe('stableLayout', () => {
  it('is the fresh layout without previous positions', () => {
    expect(stableLayout(shopIds, shopEdges, null)).toEqual(freshLayout(shopIds, shopEdges));
  });

  it('keeps every position when nothing changed', () => {
    const before = freshLayout(shopIds, shopEdges);
    expect(stableLayout(shopIds, shopEdges, before)).toEqual(before);
  });

  it('does not move existing nodes when one is added, and places it next to its neighbour', () => {
    const before = freshLayout(shopIds, shopEdges);
    const ids = [...shopIds, 'svc-inv'];
    const edges = [...shopEdges, { source: 'order', target: 'svc-inv' }];
    const after = stableLayout(ids, edges, before);
    for (const id of shopIds) expect(after.get(id)).toEqual(before.get(id));
    const added = after.get('svc-inv');
    expect(added?.x).toBe(before.get('svc-pay')?.x);
    expect(overlapping(after)).toEqual([]);
  });

  it('does not move others when a node is removed', () => {
    const before = freshLayout(shopIds, shopEdges);
    const after = stableLayout(
      shopIds.filter((id) => id !== 'agent'),
      shopEdges,
      before,
    );
    for (const [id, p] of after) expect(p).toEqual(before.get(id));
  });

  it('puts a new unconnected group below everything', () => {
    const before = freshLayout(shopIds, shopEdges);
    const after = stableLayout([...shopIds, 'cron'], shopEdges, before);
    const lowest = Math.max(...[...before.values()].map((p) => p.y));
    expect(after.get('cron')?.y).toBeGreaterThan(lowest);
    expect(overlapping(after)).toEqual([]);
  });

  it('gives the same result for the same change', () => {
    const before = freshLayout(shopIds, shopEdges);
    const ids = [...shopIds, 'svc-inv', 'inv'];
    const edges = [...shopEdges, { source: 'order', target: 'svc-inv' }, { source: 'svc-inv', target: 'inv' }];
    expect(stableLayout(ids, edges, before)).toEqual(stableLayout(ids, edges, before));
  });
});
