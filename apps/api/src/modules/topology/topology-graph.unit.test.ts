import { describe, expect, it } from 'vitest';
import { annotationProvider } from './providers/annotation.provider';
import { envReferenceProvider } from './providers/env-reference.provider';
import { serviceSelectorProvider } from './providers/service-selector.provider';
import { NS, pod, podChaos, service, shopSnapshot, workload } from './topology.fixtures';
import { createTopologyContext } from './topology-context';
import { assembleTopology, buildNodes, experimentSelectorOf, mergeEdges, runProviders } from './topology-graph';

const providers = [serviceSelectorProvider, annotationProvider, envReferenceProvider];
const meta = { revision: 'r1', generatedAt: '2026-01-01T00:00:00.000Z' };

async function shopTopology(snapshot = shopSnapshot()) {
  const context = createTopologyContext(snapshot);
  return assembleTopology(context, await runProviders(context, providers, { prometheusUrl: null }), meta);
}

describe('buildNodes', () => {
  it('gives every workload and Service a node with labels, selector, replicas and pods', async () => {
    const topology = await shopTopology();
    expect(topology.nodes).toHaveLength(15);
    const order = topology.nodes.find((n) => n.id === `Deployment/${NS}/order`);
    expect(order).toEqual({
      id: `Deployment/${NS}/order`,
      kind: 'Deployment',
      name: 'order',
      namespace: NS,
      labels: { app: 'order', tier: 'backend', version: 'v1' },
      selector: { app: 'order' },
      replicas: { ready: 2, desired: 2 },
      podsMatched: 2,
      services: ['order'],
      targetedBy: [],
    });
    const orderService = topology.nodes.find((n) => n.id === `Service/${NS}/order`);
    expect(orderService).toMatchObject({
      selector: { app: 'order' },
      podsMatched: 2,
      replicas: { ready: 2, desired: 2 },
    });
  });

  it('falls back to the pod-template labels when the workload selector uses expressions', () => {
    const w = {
      ...workload('order'),
      selector: { matchExpressions: [{ key: 'app', operator: 'In' as const, values: ['order'] }] },
    };
    expect(experimentSelectorOf(w)).toEqual({ app: 'order', tier: 'backend', version: 'v1' });
  });

  it('counts ready pods of a Service and highlights targets on workloads and their Services', () => {
    const snapshot = shopSnapshot({
      workloads: [workload('order', { replicas: 2, ready: 1 })],
      services: [service('order')],
      pods: [pod('order-0', { app: 'order', tier: 'backend', version: 'v1' }), pod('order-1', { app: 'order' }, false)],
      chaosObjects: [podChaos('kill-order', { app: 'order' })],
    });
    const nodes = buildNodes(createTopologyContext(snapshot));
    expect(nodes.map((n) => [n.id, n.replicas, n.targetedBy.map((t) => t.name)])).toEqual([
      [`Deployment/${NS}/order`, { ready: 1, desired: 2 }, ['kill-order']],
      [`Service/${NS}/order`, { ready: 1, desired: 2 }, ['kill-order']],
    ]);
  });

  it('ignores pods of other namespaces', () => {
    const snapshot = shopSnapshot({
      workloads: [workload('order')],
      services: [],
      pods: [{ ...pod('order-0', { app: 'order' }), namespace: 'elsewhere' }],
    });
    expect(buildNodes(createTopologyContext(snapshot))[0]?.podsMatched).toBe(0);
  });
});

describe('assembleTopology', () => {
  it('reports every provider, the edges it drew and sorts everything by id', async () => {
    const topology = await shopTopology();
    expect(topology.providers).toEqual([
      { name: 'service-selector', enabled: true, edgeCount: 7, unresolved: 0 },
      { name: 'annotation', enabled: true, edgeCount: 5, unresolved: 0 },
      { name: 'env-reference', enabled: true, edgeCount: 11, unresolved: 0 },
      { name: 'istio-metrics', enabled: false, edgeCount: 0, unresolved: 0 },
    ]);
    expect(topology.edges.map((e) => e.id)).toEqual([...topology.edges.map((e) => e.id)].sort());
    expect(topology.warnings).toEqual([]);
  });

  it('is the same map for the same objects in another order', async () => {
    const snapshot = shopSnapshot();
    const shuffled = {
      ...snapshot,
      workloads: [...snapshot.workloads].reverse(),
      services: [...snapshot.services].reverse(),
      pods: [...snapshot.pods].reverse(),
    };
    expect(await shopTopology(shuffled)).toEqual(await shopTopology(snapshot));
  });

  it('turns a provider that throws into a warning and keeps the others', async () => {
    const context = createTopologyContext(shopSnapshot());
    const broken = {
      name: 'env-reference' as const,
      find: () => {
        throw new Error('boom');
      },
    };
    const outcomes = await runProviders(context, [serviceSelectorProvider, broken], { prometheusUrl: null });
    const topology = assembleTopology(context, outcomes, meta);
    expect(topology.warnings).toEqual([{ provider: 'env-reference', message: 'boom' }]);
    expect(topology.providers.find((p) => p.name === 'env-reference')).toMatchObject({ enabled: true, edgeCount: 0 });
    expect(topology.edges).toHaveLength(7);
  });
});

describe('mergeEdges', () => {
  it('merges evidence of one provider between the same nodes and drops edges to unknown nodes', () => {
    const a = `Deployment/${NS}/order`;
    const b = `Service/${NS}/mysql`;
    const edges = mergeEdges(
      [
        {
          name: 'env-reference',
          enabled: true,
          unresolved: 0,
          edges: [
            { source: a, target: b, evidence: 'env DB_URL → mysql' },
            { source: a, target: b, evidence: 'env DB_HOST → mysql' },
            { source: a, target: 'Service/x/y', evidence: 'nope' },
          ],
        },
      ],
      new Set([a, b]),
    );
    expect(edges).toEqual([
      {
        id: `env-reference:${a}->${b}`,
        source: a,
        target: b,
        provider: 'env-reference',
        evidence: ['env DB_HOST → mysql', 'env DB_URL → mysql'],
      },
    ]);
  });
});
