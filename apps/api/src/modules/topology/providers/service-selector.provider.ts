import { formatLabelSelector } from '@chaosgate/shared';
import type { ProvidedEdge } from '../topology.model';
import { nodeIdOf } from '../topology-context';
import type { EdgeProviderDefinition } from './edge-provider';

/**
 * Service → workload, when the Service selector is a subset of the workload's pod-template
 * labels: the Service routes to that workload's pods. Services without a selector draw nothing.
 */
export const serviceSelectorProvider: EdgeProviderDefinition = {
  name: 'service-selector',
  find(context) {
    const edges: ProvidedEdge[] = [];
    for (const [service, workloads] of context.fronted) {
      const evidence = `selector ${formatLabelSelector({ matchLabels: service.selector })}`;
      for (const workload of workloads) {
        edges.push({ source: nodeIdOf(service), target: nodeIdOf(workload), evidence });
      }
    }
    return { name: 'service-selector', enabled: true, edges, unresolved: 0 };
  },
};
