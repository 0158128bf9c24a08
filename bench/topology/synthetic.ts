import type { Topology, TopologyEdge, TopologyNode } from '../../packages/shared/src/topology';
import { callsOf, serviceName } from './shape';

/**
 * A map of `size` nodes shaped like the seeded namespace (see `shape.ts`): half Deployments,
 * half the Services in front of them; calls drawn by the annotation provider, and every other
 * call also by the env-reference provider.
 */
export function syntheticTopology(size: number, namespace = 'chaos-dev'): Topology {
  const count = Math.floor(size / 2);
  const name = serviceName;
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  const edge = (provider: TopologyEdge['provider'], source: string, target: string): TopologyEdge => ({
    id: `${provider}:${source}->${target}`,
    source,
    target,
    provider,
    evidence: [provider],
  });
  for (let i = 0; i < count; i += 1) {
    const app = name(i);
    const base = { namespace, labels: { app }, selector: { app }, podsMatched: 5, targetedBy: [] };
    const deployment = `Deployment/${namespace}/${app}`;
    const service = `Service/${namespace}/${app}`;
    nodes.push({
      ...base,
      id: deployment,
      kind: 'Deployment',
      name: app,
      replicas: { ready: 5, desired: 5 },
      services: [app],
    });
    nodes.push({ ...base, id: service, kind: 'Service', name: app, replicas: { ready: 5, desired: 5 }, services: [] });
    edges.push(edge('service-selector', service, deployment));
    for (const target of callsOf(i, count)) {
      edges.push(edge('annotation', deployment, `Service/${namespace}/${name(target)}`));
      if (target % 2 === 0) edges.push(edge('env-reference', deployment, `Service/${namespace}/${name(target)}`));
    }
  }
  nodes.sort((a, b) => (a.id < b.id ? -1 : 1));
  edges.sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    environment: 'dev',
    namespace,
    revision: `synthetic-${size}`,
    generatedAt: new Date(0).toISOString(),
    nodes,
    edges,
    providers: [
      { name: 'service-selector', enabled: true, edgeCount: count, unresolved: 0 },
      {
        name: 'annotation',
        enabled: true,
        edgeCount: edges.filter((e) => e.provider === 'annotation').length,
        unresolved: 0,
      },
      {
        name: 'env-reference',
        enabled: true,
        edgeCount: edges.filter((e) => e.provider === 'env-reference').length,
        unresolved: 0,
      },
      { name: 'istio-metrics', enabled: false, edgeCount: 0, unresolved: 0 },
    ],
    warnings: [],
  };
}
