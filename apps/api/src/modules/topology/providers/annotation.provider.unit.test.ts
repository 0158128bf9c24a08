import { describe, expect, it } from 'vitest';
import { NS, service, shopSnapshot, workload } from '../topology.fixtures';
import type { ProviderOutcome } from '../topology.model';
import { createTopologyContext } from '../topology-context';
import { annotationProvider, parseDependency } from './annotation.provider';

function run(snapshot = shopSnapshot()): ProviderOutcome {
  return annotationProvider.find(createTopologyContext(snapshot), { prometheusUrl: null }) as ProviderOutcome;
}
const pairs = (outcome: ProviderOutcome) => outcome.edges.map((e) => `${e.source} -> ${e.target}`);

describe('annotation provider', () => {
  it('draws the declared dependencies of the shop to their Services', () => {
    const edges = pairs(run());
    expect(edges).toEqual([
      `Deployment/${NS}/gateway -> Service/${NS}/order`,
      `Deployment/${NS}/gateway -> Service/${NS}/user`,
      `Deployment/${NS}/order -> Service/${NS}/payment`,
      `Deployment/${NS}/order -> Service/${NS}/inventory`,
      `Deployment/${NS}/payment -> Service/${NS}/mysql`,
    ]);
  });

  it('falls back to the workload when no Service has the name', () => {
    const snapshot = shopSnapshot({
      workloads: [workload('order', { dependsOn: 'worker' }), workload('worker', { kind: 'StatefulSet' })],
      services: [],
    });
    expect(pairs(run(snapshot))).toEqual([`Deployment/${NS}/order -> StatefulSet/${NS}/worker`]);
  });

  it('accepts namespace/name, spaces and empty entries, and counts names it cannot place', () => {
    const snapshot = shopSnapshot({
      workloads: [workload('order', { dependsOn: ` ${NS}/payment , ,other-ns/auth, missing, Bad_Name` })],
      services: [service('payment')],
    });
    const outcome = run(snapshot);
    expect(pairs(outcome)).toEqual([`Deployment/${NS}/order -> Service/${NS}/payment`]);
    expect(outcome.unresolved).toBe(3);
    expect(outcome.edges[0]?.evidence).toBe(`chaosgate.dev/depends-on: ${NS}/payment`);
  });

  it('ignores a workload declaring a dependency on itself or its own Service', () => {
    const snapshot = shopSnapshot({
      workloads: [workload('order', { dependsOn: 'order' })],
      services: [service('order')],
    });
    expect(pairs(run(snapshot))).toEqual([]);
  });

  it('reads the annotation on Services too', () => {
    const snapshot = shopSnapshot({
      workloads: [workload('payment')],
      services: [{ ...service('order'), annotations: { 'chaosgate.dev/depends-on': 'payment' } }, service('payment')],
    });
    expect(pairs(run(snapshot))).toEqual([`Service/${NS}/order -> Service/${NS}/payment`]);
  });
});

describe('parseDependency', () => {
  it('splits namespace/name and defaults to the own namespace', () => {
    expect(parseDependency('payment', NS)).toEqual({ namespace: NS, name: 'payment' });
    expect(parseDependency('shop/payment', NS)).toEqual({ namespace: 'shop', name: 'payment' });
  });

  it('refuses malformed entries', () => {
    expect(parseDependency('a/b/c', NS)).toBeNull();
    expect(parseDependency('UPPER', NS)).toBeNull();
    expect(parseDependency('/payment', NS)).toBeNull();
  });
});
