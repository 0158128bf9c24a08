import type { WorkloadKind } from '@chaosgate/shared';
import { APPS_REFS, CORE_REFS, type Informer, type KubeGateway, type KubeObject, type ResourceRef } from '../../kube';
import { InformerGroup } from './informer-group';
import { memoizeMapper, toPodObject, toServiceObject, toWorkloadObject } from './kube-mappers';
import type { PodObject, ServiceObject, WorkloadObject } from './topology.model';

/** The collections of a namespace the map is drawn from, by the name used in messages. */
export const NAMESPACE_COLLECTIONS: readonly { name: string; ref: ResourceRef }[] = [
  { name: 'deployments', ref: APPS_REFS.deployments },
  { name: 'statefulsets', ref: APPS_REFS.statefulSets },
  { name: 'daemonsets', ref: APPS_REFS.daemonSets },
  { name: 'services', ref: CORE_REFS.services },
  { name: 'pods', ref: CORE_REFS.pods },
];

const WORKLOAD_COLLECTIONS: readonly [string, WorkloadKind][] = [
  ['deployments', 'Deployment'],
  ['statefulsets', 'StatefulSet'],
  ['daemonsets', 'DaemonSet'],
];

/** The watched objects of one namespace, mapped to the topology's shapes. */
export interface NamespaceObjects {
  workloads: WorkloadObject[];
  services: ServiceObject[];
  pods: PodObject[];
}

/** Informers over the workloads, Services and Pods of one namespace. */
export class NamespaceWatch {
  private readonly group: InformerGroup;
  private readonly toWorkload = new Map(
    WORKLOAD_COLLECTIONS.map(([name, kind]) => [name, memoizeMapper((o) => toWorkloadObject(kind, o))]),
  );
  private readonly toService = memoizeMapper(toServiceObject);
  private readonly toPod = memoizeMapper(toPodObject);

  constructor(gateway: KubeGateway, namespace: string) {
    const informers = new Map<string, Informer<KubeObject>>();
    for (const { name, ref } of NAMESPACE_COLLECTIONS) informers.set(name, gateway.createInformer(ref, namespace));
    this.group = new InformerGroup(informers);
  }

  start(): Promise<void> {
    return this.group.start();
  }

  /** The objects, mapped; a collection that did not change since the last call is not mapped again. */
  objects(): NamespaceObjects {
    return {
      workloads: WORKLOAD_COLLECTIONS.flatMap(([name]) => {
        const map = this.toWorkload.get(name);
        return map ? this.mapped(name, map) : [];
      }),
      services: this.mapped('services', this.toService),
      pods: this.mapped('pods', this.toPod),
    };
  }

  private readonly cache = new Map<string, { store: unknown; items: unknown[] }>();

  private mapped<T>(name: string, map: (object: KubeObject) => T): T[] {
    const store = this.group.store(name);
    const hit = this.cache.get(name);
    if (hit && hit.store === store) return hit.items as T[];
    const items = this.group.items(name).map(map);
    this.cache.set(name, { store, items });
    return items;
  }

  onChange(listener: () => void): () => void {
    return this.group.onChange(listener);
  }

  problems() {
    return this.group.problems();
  }

  stop(): void {
    this.group.stop();
  }
}
