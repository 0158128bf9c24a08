import { type TopologyNodeKind, topologyNodeId, WORKLOAD_KINDS } from '@chaosgate/shared';
import { LabelIndex } from './label-index';
import type { NamespaceSnapshot, ServiceObject, WorkloadObject } from './topology.model';

/** A workload or a Service, the two things a node is drawn for. */
export type TopologyObject = WorkloadObject | ServiceObject;

export function isWorkload(object: TopologyObject): object is WorkloadObject {
  return 'kind' in object;
}

export function nodeIdOf(object: TopologyObject): string {
  const kind: TopologyNodeKind = isWorkload(object) ? object.kind : 'Service';
  return topologyNodeId(kind, object.namespace, object.name);
}

/**
 * Lookups every provider and the graph builder share, computed once per map: node ids by
 * name, and which workloads each Service fronts (its selector is a subset of their pod-template
 * labels; a Service without selector fronts nothing).
 */
export interface TopologyContext {
  snapshot: NamespaceSnapshot;
  /** Workloads fronted by each Service, in workload id order. */
  fronted: ReadonlyMap<ServiceObject, readonly WorkloadObject[]>;
  /** Services fronting each workload, in name order. */
  frontedBy: ReadonlyMap<WorkloadObject, readonly ServiceObject[]>;
  service(namespace: string, name: string): ServiceObject | undefined;
  /** The workload of that name; Deployment before StatefulSet before DaemonSet when names repeat. */
  workload(namespace: string, name: string): WorkloadObject | undefined;
  /** Node id a `[namespace/]name` reference means: the Service of that name, else the workload. */
  resolveName(namespace: string, name: string): string | undefined;
  /** True when `targetId` is `source` itself or a Service that fronts it (a call to itself). */
  isSelfReference(source: TopologyObject, targetId: string): boolean;
}

const KIND_ORDER = new Map<string, number>(WORKLOAD_KINDS.map((kind, i) => [kind, i]));
/** Code-point order: the same on every machine, and far cheaper than `localeCompare`. */
const nameOrder = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function createTopologyContext(snapshot: NamespaceSnapshot): TopologyContext {
  const workloads = [...snapshot.workloads].sort(
    (a, b) => (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0) || nameOrder(a, b),
  );
  const services = [...snapshot.services].sort(nameOrder);
  const workloadIndex = new LabelIndex(workloads, (w) => w.templateLabels);

  const fronted = new Map<ServiceObject, WorkloadObject[]>();
  const frontedBy = new Map<WorkloadObject, ServiceObject[]>(workloads.map((w) => [w, []]));
  for (const service of services) {
    const matches =
      Object.keys(service.selector).length === 0
        ? []
        : workloadIndex.withLabels(service.selector).filter((w) => w.namespace === service.namespace);
    fronted.set(service, matches);
    for (const workload of matches) frontedBy.get(workload)?.push(service);
  }

  const byName = <T extends TopologyObject>(items: T[]) => {
    const map = new Map<string, T>();
    for (const item of items) {
      const key = `${item.namespace}/${item.name}`;
      if (!map.has(key)) map.set(key, item);
    }
    return map;
  };
  const servicesByName = byName(services);
  const workloadsByName = byName(workloads);

  return {
    snapshot,
    fronted,
    frontedBy,
    service: (namespace, name) => servicesByName.get(`${namespace}/${name}`),
    workload: (namespace, name) => workloadsByName.get(`${namespace}/${name}`),
    resolveName(namespace, name) {
      const target = servicesByName.get(`${namespace}/${name}`) ?? workloadsByName.get(`${namespace}/${name}`);
      return target ? nodeIdOf(target) : undefined;
    },
    isSelfReference(source, targetId) {
      if (nodeIdOf(source) === targetId) return true;
      if (!isWorkload(source)) return false;
      return (frontedBy.get(source) ?? []).some((service) => nodeIdOf(service) === targetId);
    },
  };
}
