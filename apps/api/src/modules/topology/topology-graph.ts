import {
  EDGE_PROVIDERS,
  type LabelMap,
  type Topology,
  type TopologyEdge,
  type TopologyNode,
  type TopologyWarning,
} from '@chaosgate/shared';
import { chaosTargetsOf, mergeTargets } from './chaos-targets';
import { LabelIndex } from './label-index';
import type { EdgeProviderDefinition, ProviderSettings } from './providers/edge-provider';
import type { PodObject, ProviderOutcome, ServiceObject, WorkloadObject } from './topology.model';
import { nodeIdOf, type TopologyContext } from './topology-context';

/**
 * The labels an experiment on this workload selects with: `spec.selector.matchLabels` when the
 * selector is only labels (what owns the pods, e.g. `{"app":"order"}`), else the pod-template
 * labels, which every pod of the workload carries and a plain label map can express.
 */
export function experimentSelectorOf(workload: WorkloadObject): LabelMap {
  const { matchLabels = {}, matchExpressions = [] } = workload.selector;
  return Object.keys(matchLabels).length > 0 && matchExpressions.length === 0 ? matchLabels : workload.templateLabels;
}

function selectPods(index: LabelIndex<PodObject>, selector: LabelMap): PodObject[] {
  return Object.keys(selector).length === 0 ? [] : index.withLabels(selector);
}

function workloadNode(context: TopologyContext, pods: LabelIndex<PodObject>, workload: WorkloadObject): TopologyNode {
  const selector = experimentSelectorOf(workload);
  // The workload's own pods matter only to chaos objects that list pods by name: computed on demand.
  const owned = () =>
    Object.keys(workload.selector.matchLabels ?? {}).length > 0 ? pods.matching(workload.selector) : [];
  return {
    id: nodeIdOf(workload),
    kind: workload.kind,
    name: workload.name,
    namespace: workload.namespace,
    labels: { ...workload.templateLabels },
    selector: { ...selector },
    replicas: { ...workload.replicas },
    podsMatched: selectPods(pods, selector).length,
    services: (context.frontedBy.get(workload) ?? []).map((s) => s.name),
    targetedBy: chaosTargetsOf(workload, owned, context.snapshot.chaosObjects),
  };
}

function serviceNode(service: ServiceObject, pods: PodObject[], fronted: readonly TopologyNode[]): TopologyNode {
  return {
    id: nodeIdOf(service),
    kind: 'Service',
    name: service.name,
    namespace: service.namespace,
    labels: { ...service.selector },
    selector: { ...service.selector },
    replicas: { ready: pods.filter((p) => p.ready).length, desired: pods.length },
    podsMatched: pods.length,
    services: [],
    targetedBy: mergeTargets(fronted.map((n) => n.targetedBy)),
  };
}

const podIndexes = new WeakMap<readonly PodObject[], { namespace: string; index: LabelIndex<PodObject> }>();

/** The pods of the namespace indexed by label; reused while the pod list is the same array. */
function podIndexOf(pods: readonly PodObject[], namespace: string): LabelIndex<PodObject> {
  const hit = podIndexes.get(pods);
  if (hit && hit.namespace === namespace) return hit.index;
  const index = new LabelIndex(
    pods.filter((p) => p.namespace === namespace),
    (p) => p.labels,
  );
  podIndexes.set(pods, { namespace, index });
  return index;
}

/** Nodes for every workload and Service of the namespace, sorted by id. */
export function buildNodes(context: TopologyContext): TopologyNode[] {
  const pods = podIndexOf(context.snapshot.pods, context.snapshot.namespace);
  const byWorkload = new Map<WorkloadObject, TopologyNode>();
  for (const workload of context.snapshot.workloads) byWorkload.set(workload, workloadNode(context, pods, workload));
  const services = context.snapshot.services.map((service) => {
    const fronted = (context.fronted.get(service) ?? []).flatMap((w) => byWorkload.get(w) ?? []);
    return serviceNode(service, selectPods(pods, service.selector), fronted);
  });
  return [...byWorkload.values(), ...services].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Edges of all providers, one per (provider, source, target), with the evidence merged. */
export function mergeEdges(outcomes: readonly ProviderOutcome[], nodeIds: ReadonlySet<string>): TopologyEdge[] {
  const merged = new Map<string, TopologyEdge>();
  for (const outcome of outcomes) {
    for (const edge of outcome.edges) {
      if (!nodeIds.has(edge.source) || !nodeIds.has(edge.target)) continue;
      const id = `${outcome.name}:${edge.source}->${edge.target}`;
      const existing = merged.get(id);
      if (!existing) {
        merged.set(id, {
          id,
          source: edge.source,
          target: edge.target,
          provider: outcome.name,
          evidence: [edge.evidence],
          ...(edge.requestsPerSecond === undefined ? {} : { requestsPerSecond: edge.requestsPerSecond }),
        });
        continue;
      }
      if (!existing.evidence.includes(edge.evidence)) existing.evidence.push(edge.evidence);
      if (edge.requestsPerSecond !== undefined) {
        existing.requestsPerSecond = (existing.requestsPerSecond ?? 0) + edge.requestsPerSecond;
      }
    }
  }
  for (const edge of merged.values()) edge.evidence.sort();
  return [...merged.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Runs every provider; one that throws yields a warning and no edges, never a failed map. */
export async function runProviders(
  context: TopologyContext,
  providers: readonly EdgeProviderDefinition[],
  settings: ProviderSettings,
): Promise<ProviderOutcome[]> {
  return Promise.all(
    providers.map(async (provider): Promise<ProviderOutcome> => {
      try {
        return await provider.find(context, settings);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { name: provider.name, enabled: true, edges: [], unresolved: 0, warning: message };
      }
    }),
  );
}

export interface AssembleOptions {
  revision: string;
  generatedAt: string;
  /** Warnings from outside the providers, e.g. chaos objects that could not be read. */
  warnings?: readonly TopologyWarning[];
}

/** The map of one namespace: nodes, merged edges, a status per provider and the warnings. */
export function assembleTopology(
  context: TopologyContext,
  outcomes: readonly ProviderOutcome[],
  options: AssembleOptions,
): Topology {
  const nodes = buildNodes(context);
  const edges = mergeEdges(outcomes, new Set(nodes.map((n) => n.id)));
  const providers = EDGE_PROVIDERS.map((name) => {
    const outcome = outcomes.find((o) => o.name === name);
    return {
      name,
      enabled: outcome?.enabled ?? false,
      edgeCount: edges.filter((e) => e.provider === name).length,
      unresolved: outcome?.unresolved ?? 0,
    };
  });
  const warnings = [
    ...outcomes.flatMap((o) => (o.warning ? [{ provider: o.name, message: o.warning }] : [])),
    ...(options.warnings ?? []),
  ];
  return {
    environment: context.snapshot.environment,
    namespace: context.snapshot.namespace,
    revision: options.revision,
    generatedAt: options.generatedAt,
    nodes,
    edges,
    providers,
    warnings,
  };
}
