import { diffTopology, type Topology } from '@chaosgate/shared';
import { describe, expect, it } from 'vitest';
import { applyTopologyStreamEvent } from './useTopology';
import { unionOfPods } from './useTopologyBlastRadius';

const map = (revision: string, names: string[]): Topology => ({
  environment: 'dev',
  namespace: 'shop',
  revision,
  generatedAt: '2026-01-01T00:00:00.000Z',
  nodes: names.map((name) => ({
    id: `Deployment/shop/${name}`,
    kind: 'Deployment',
    name,
    namespace: 'shop',
    labels: { app: name },
    selector: { app: name },
    replicas: { ready: 1, desired: 1 },
    podsMatched: 1,
    services: [],
    targetedBy: [],
  })),
  edges: [],
  providers: [],
  warnings: [],
});

describe('applyTopologyStreamEvent', () => {
  it('takes a snapshot as the new map', () => {
    const snapshot = map('1', ['order']);
    expect(applyTopologyStreamEvent(null, 'snapshot', JSON.stringify(snapshot))).toEqual({
      type: 'map',
      topology: snapshot,
    });
  });

  it('applies a patch that starts at the map in hand', () => {
    const before = map('1', ['order']);
    const after = map('2', ['order', 'payment']);
    const outcome = applyTopologyStreamEvent(before, 'patch', JSON.stringify(diffTopology(before, after)));
    expect(outcome).toEqual({ type: 'map', topology: after });
  });

  it('asks for a resync when a patch was missed', () => {
    const patch = diffTopology(map('5', []), map('6', ['order']));
    expect(applyTopologyStreamEvent(map('1', []), 'patch', JSON.stringify(patch))).toEqual({ type: 'resync' });
  });

  it('ignores malformed data and unknown events', () => {
    expect(applyTopologyStreamEvent(null, 'snapshot', '{not json')).toEqual({ type: 'ignore' });
    expect(applyTopologyStreamEvent(null, 'snapshot', '{"nodes":1}')).toEqual({ type: 'ignore' });
    expect(applyTopologyStreamEvent(null, 'other', '{}')).toEqual({ type: 'ignore' });
  });
});

describe('unionOfPods', () => {
  const preview = (names: string[], truncated = false) => ({
    namespace: 'shop',
    labelSelector: {},
    total: names.length,
    truncated,
    pods: names.map((name) => ({ name, phase: 'Running', ready: true, node: null })),
  });

  it('counts every pod once across selectors', () => {
    expect(unionOfPods([preview(['a', 'b']), preview(['b', 'c'])])).toEqual({ count: 3, exact: true });
  });

  it('says when a preview listed only part of its pods', () => {
    expect(unionOfPods([preview(['a'], true)]).exact).toBe(false);
  });
});
