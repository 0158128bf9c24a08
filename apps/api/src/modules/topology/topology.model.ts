import type {
  EdgeProvider,
  LabelMap,
  LabelSelector,
  LabelSelectorRequirement,
  TopologyTargetRef,
  WorkloadKind,
} from '@chaosgate/shared';

/**
 * The slim, typed shapes the topology is computed from. The cache maps raw Kubernetes objects
 * onto these (see `kube-mappers.ts`) so providers and the graph never see a raw object.
 */

/** Literal references a container makes: env values (not `valueFrom`), args and command. */
export interface ContainerRefs {
  name: string;
  env: { name: string; value: string }[];
  args: string[];
  command: string[];
}

export interface WorkloadObject {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  annotations: LabelMap;
  /** `spec.selector`: which pods the workload owns. */
  selector: LabelSelector;
  /** `spec.template.metadata.labels`. */
  templateLabels: LabelMap;
  replicas: { ready: number; desired: number };
  containers: ContainerRefs[];
}

export interface ServiceObject {
  name: string;
  namespace: string;
  annotations: LabelMap;
  /** `spec.selector`; empty for Services without one (ExternalName, manual endpoints). */
  selector: LabelMap;
}

export interface PodObject {
  name: string;
  namespace: string;
  labels: LabelMap;
  phase: string;
  ready: boolean;
  nodeName: string | null;
}

/** One pod selector of a chaos object (`spec.selector`, and `spec.target.selector` for NetworkChaos). */
export interface ChaosPodSelector {
  namespaces: string[];
  labelSelectors: LabelMap;
  expressionSelectors: LabelSelectorRequirement[];
  /** Explicit pods by namespace; when present it replaces every other criterion. */
  pods: Record<string, string[]>;
}

export interface ChaosObject {
  kind: string;
  name: string;
  namespace: string;
  selectors: ChaosPodSelector[];
  /** `finished` objects (desired phase Stop, or being deleted) target nothing. */
  phase: TopologyTargetRef['phase'] | 'finished';
}

/** Everything the cache knows about one namespace of one environment. */
export interface NamespaceSnapshot {
  environment: string;
  namespace: string;
  workloads: readonly WorkloadObject[];
  services: readonly ServiceObject[];
  pods: readonly PodObject[];
  /** Chaos objects of the environment's chaos namespace. */
  chaosObjects: readonly ChaosObject[];
}

/** One edge as a provider reports it, between node ids. Merged per (provider, source, target). */
export interface ProvidedEdge {
  source: string;
  target: string;
  evidence: string;
  requestsPerSecond?: number;
}

/** What one provider contributed to a map. */
export interface ProviderOutcome {
  name: EdgeProvider;
  enabled: boolean;
  edges: ProvidedEdge[];
  /** References it found that point outside this namespace's map. */
  unresolved: number;
  /** Set when the provider failed; its edges are then empty. */
  warning?: string;
}
