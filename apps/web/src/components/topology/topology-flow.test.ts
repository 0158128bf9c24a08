import type { TopologyEdge, TopologyNode } from '@chaosgate/shared';
import { describe, expect, it } from 'vitest';
import { arrowMarkerId, handlesOf, matchesSearch, toFlowEdges, toFlowNodes } from './topology-flow';

function node(kind: TopologyNode['kind'], name: string): TopologyNode {
  return {
    id: `${kind}/shop/${name}`,
    kind,
    name,
    namespace: 'shop',
    labels: { app: name },
    selector: { app: name },
    replicas: { ready: 1, desired: 1 },
    podsMatched: 1,
    services: [],
    targetedBy: [],
  };
}

const edge = (provider: TopologyEdge['provider'], source: string, target: string): TopologyEdge => ({
  id: `${provider}:${source}->${target}`,
  source,
  target,
  provider,
  evidence: [],
});

const order = node('Deployment', 'order');
const orderSvc = node('Service', 'order');
const payment = node('Deployment', 'payment');
const edges = [
  edge('service-selector', orderSvc.id, order.id),
  edge('annotation', order.id, payment.id),
  edge('env-reference', order.id, payment.id),
];

describe('toFlowNodes', () => {
  it('places nodes, hides filtered kinds and dims what the search does not match', () => {
    const positions = new Map([[order.id, { x: 10, y: 20 }]]);
    const nodes = toFlowNodes([order, orderSvc, payment], positions, {
      kinds: new Set(['Deployment'] as const),
      search: 'pay',
      selected: new Set([order.id]),
    });
    expect(nodes.map((n) => [n.id, n.hidden, n.data?.dimmed, n.data?.matched, n.data?.selected])).toEqual([
      [order.id, false, true, false, true],
      [orderSvc.id, true, true, false, false],
      [payment.id, false, false, true, false],
    ]);
    expect(nodes[0]?.position).toEqual({ x: 10, y: 20 });
  });
});

describe('handlesOf', () => {
  it('gives each node a handle per provider of its edges, in provider order', () => {
    const handles = handlesOf(edges);
    expect(handles.get(order.id)).toEqual({ in: ['service-selector'], out: ['annotation', 'env-reference'] });
    expect(handles.get(payment.id)).toEqual({ in: ['annotation', 'env-reference'], out: [] });
  });
});

describe('toFlowEdges', () => {
  it('draws edges per provider from its own handle with its arrowhead, hidden with either end', () => {
    const flow = toFlowEdges(edges, new Set([order.id, payment.id]));
    expect(flow.map((e) => [e.sourceHandle, e.targetHandle, e.markerEnd, e.hidden, e.type])).toEqual([
      ['out-service-selector', 'in-service-selector', arrowMarkerId('service-selector'), true, 'smoothstep'],
      ['out-annotation', 'in-annotation', arrowMarkerId('annotation'), false, 'smoothstep'],
      ['out-env-reference', 'in-env-reference', arrowMarkerId('env-reference'), false, 'smoothstep'],
    ]);
    expect(flow[1]?.style).toMatchObject({ strokeDasharray: '7 4' });
  });
});

describe('matchesSearch', () => {
  it('matches names case-insensitively and everything for an empty search', () => {
    expect(matchesSearch(order, 'ORD')).toBe(true);
    expect(matchesSearch(order, 'shop/ord')).toBe(true);
    expect(matchesSearch(order, 'pay')).toBe(false);
    expect(matchesSearch(order, '  ')).toBe(true);
  });
});
