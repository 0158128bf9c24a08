import { describe, expect, it } from 'vitest';
import type { Topology, TopologyNode } from './topology';
import { applyTopologyPatch, diffTopology, isEmptyTopologyPatch } from './topology-patch';

function node(name: string, ready = 1): TopologyNode {
  return {
    id: `Deployment/shop/${name}`,
    kind: 'Deployment',
    name,
    namespace: 'shop',
    labels: { app: name },
    selector: { app: name },
    replicas: { ready, desired: 1 },
    podsMatched: 1,
    services: [],
    targetedBy: [],
  };
}

function topology(revision: string, nodes: TopologyNode[]): Topology {
  return {
    environment: 'dev',
    namespace: 'shop',
    revision,
    generatedAt: '2026-01-01T00:00:00.000Z',
    nodes,
    edges: [],
    providers: [{ name: 'annotation', enabled: true, edgeCount: 0, unresolved: 0 }],
    warnings: [],
  };
}

describe('diffTopology and applyTopologyPatch', () => {
  it('carries added, changed and removed nodes from one revision to the next', () => {
    const before = topology('1', [node('order'), node('payment')]);
    const after = topology('2', [node('inventory'), node('order', 0)]);
    const patch = diffTopology(before, after);
    expect(patch.nodes.upsert.map((n) => n.name)).toEqual(['inventory', 'order']);
    expect(patch.nodes.remove).toEqual(['Deployment/shop/payment']);
    expect(applyTopologyPatch(before, patch)).toEqual(after);
  });

  it('reports an unchanged map as an empty patch', () => {
    const before = topology('1', [node('order')]);
    const patch = diffTopology(before, topology('2', [node('order')]));
    expect(isEmptyTopologyPatch(patch, before)).toBe(true);
  });

  it('refuses a patch that does not start at the current revision', () => {
    const before = topology('1', [node('order')]);
    const patch = diffTopology(topology('7', []), topology('8', [node('order')]));
    expect(applyTopologyPatch(before, patch)).toBeNull();
  });

  it('keeps nodes sorted by id after applying', () => {
    const before = topology('1', [node('b')]);
    const after = applyTopologyPatch(before, diffTopology(before, topology('2', [node('c'), node('a'), node('b')])));
    expect(after?.nodes.map((n) => n.name)).toEqual(['a', 'b', 'c']);
  });
});
