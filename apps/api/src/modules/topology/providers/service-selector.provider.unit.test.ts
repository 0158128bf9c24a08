import { describe, expect, it } from 'vitest';
import { NS, service, shopSnapshot, workload } from '../topology.fixtures';
import { createTopologyContext } from '../topology-context';
import { serviceSelectorProvider } from './service-selector.provider';

const settings = { prometheusUrl: null };

function edgesOf(snapshot = shopSnapshot()) {
  const outcome = serviceSelectorProvider.find(createTopologyContext(snapshot), settings);
  if (outcome instanceof Promise) throw new Error('synchronous provider expected');
  return outcome.edges.map((e) => `${e.source} -> ${e.target}`);
}

describe('service-selector provider', () => {
  it('draws each Service to the workload whose pod-template labels contain its selector', () => {
    const edges = edgesOf();
    expect(edges).toContain(`Service/${NS}/order -> Deployment/${NS}/order`);
    expect(edges).toContain(`Service/${NS}/redis -> StatefulSet/${NS}/redis`);
    expect(edges).toHaveLength(7);
  });

  it('needs the whole selector to be a subset, not one shared label', () => {
    const snapshot = shopSnapshot({
      workloads: [workload('order'), workload('payment')],
      services: [service('backend-v2', { tier: 'backend', version: 'v2' })],
    });
    expect(edgesOf(snapshot)).toEqual([]);
  });

  it('draws a Service to every workload it selects', () => {
    const snapshot = shopSnapshot({
      workloads: [workload('order'), workload('payment'), workload('gateway', { tier: 'frontend' })],
      services: [service('backend', { tier: 'backend' })],
    });
    expect(edgesOf(snapshot)).toEqual([
      `Service/${NS}/backend -> Deployment/${NS}/order`,
      `Service/${NS}/backend -> Deployment/${NS}/payment`,
    ]);
  });

  it('draws nothing for a Service without a selector', () => {
    const snapshot = shopSnapshot({ workloads: [workload('order')], services: [service('external', {})] });
    expect(edgesOf(snapshot)).toEqual([]);
  });

  it('says which selector matched', () => {
    const context = createTopologyContext(
      shopSnapshot({ workloads: [workload('order')], services: [service('order')] }),
    );
    const outcome = serviceSelectorProvider.find(context, settings) as { edges: { evidence: string }[] };
    expect(outcome.edges[0]?.evidence).toBe('selector app=order');
  });
});
