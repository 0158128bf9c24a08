import { z } from 'zod';
import { labelMapSchema, labelSelectorSchema } from './topology-selector';

export * from './topology-patch';
export * from './topology-selector';

/**
 * The annotation a workload (or Service) carries to declare what it calls: comma-separated
 * workload or Service names, each optionally `namespace/name`, e.g. `payment,inventory,shared/auth`.
 * A name resolves to the Service of that name when there is one, else to the workload.
 */
export const DEPENDS_ON_ANNOTATION = 'chaosgate.dev/depends-on';

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;
export const workloadKindSchema = z.enum(WORKLOAD_KINDS);
export type WorkloadKind = z.infer<typeof workloadKindSchema>;

export const TOPOLOGY_NODE_KINDS = [...WORKLOAD_KINDS, 'Service'] as const;
export const topologyNodeKindSchema = z.enum(TOPOLOGY_NODE_KINDS);
export type TopologyNodeKind = z.infer<typeof topologyNodeKindSchema>;

/** Where an edge comes from. Each provider is optional and reported in every response. */
export const EDGE_PROVIDERS = ['service-selector', 'annotation', 'env-reference', 'istio-metrics'] as const;
export const edgeProviderSchema = z.enum(EDGE_PROVIDERS);
export type EdgeProvider = z.infer<typeof edgeProviderSchema>;

/** Something currently aimed at a node: a chaos object in the environment's chaos namespace, or a run. */
export const topologyTargetRefSchema = z.object({
  source: z.enum(['chaos-object', 'run']),
  kind: z.string(),
  name: z.string(),
  namespace: z.string(),
  /** `paused` chaos objects still hold their target but inject nothing right now. */
  phase: z.enum(['running', 'paused']),
  runId: z.string().optional(),
});
export type TopologyTargetRef = z.infer<typeof topologyTargetRefSchema>;

export const topologyNodeSchema = z.object({
  /** `<Kind>/<namespace>/<name>`, stable across responses. */
  id: z.string(),
  kind: topologyNodeKindSchema,
  name: z.string(),
  namespace: z.string(),
  /** Workloads: the pod-template labels. Services: the Service selector. */
  labels: labelMapSchema,
  /**
   * The labels an experiment targeting this node selects pods with: the workload's
   * `spec.selector.matchLabels` (what owns its pods, e.g. `{"app":"order"}`), or the whole
   * pod-template label set when that selector uses expressions; for a Service, its selector.
   * Empty when nothing selects this node's pods (a Service without selector).
   */
  selector: labelMapSchema,
  /**
   * Workloads: ready and desired replicas from their status (DaemonSets: scheduled pods).
   * Services: ready pods among the pods they select, and how many they select.
   */
  replicas: z.object({ ready: z.number().int().min(0), desired: z.number().int().min(0) }),
  /** Pods in the namespace that `selector` matches: the blast radius of an experiment on this node. */
  podsMatched: z.number().int().min(0),
  /** Workloads: the Services whose selector is a subset of the pod-template labels. */
  services: z.array(z.string()),
  targetedBy: z.array(topologyTargetRefSchema),
});
export type TopologyNode = z.infer<typeof topologyNodeSchema>;

export const topologyEdgeSchema = z.object({
  /** `<provider>:<source id>-><target id>`. */
  id: z.string(),
  source: z.string(),
  target: z.string(),
  provider: edgeProviderSchema,
  /** Why the provider drew this edge, e.g. `env ORDER_URL=http://order:8080`. */
  evidence: z.array(z.string()),
  /** istio-metrics only: requests per second over the last 5 minutes. */
  requestsPerSecond: z.number().optional(),
});
export type TopologyEdge = z.infer<typeof topologyEdgeSchema>;

export const topologyProviderStatusSchema = z.object({
  name: edgeProviderSchema,
  enabled: z.boolean(),
  edgeCount: z.number().int().min(0),
  /** References the provider found but could not place in this namespace's map. */
  unresolved: z.number().int().min(0),
});
export type TopologyProviderStatus = z.infer<typeof topologyProviderStatusSchema>;

/** A provider (or the chaos-object source) that failed; the rest of the map is still true. */
export const topologyWarningSchema = z.object({
  provider: z.string(),
  message: z.string(),
});
export type TopologyWarning = z.infer<typeof topologyWarningSchema>;

export const topologySchema = z.object({
  environment: z.string(),
  namespace: z.string(),
  /** Changes whenever the map changes; the stream's patches go from one revision to the next. */
  revision: z.string(),
  generatedAt: z.string(),
  nodes: z.array(topologyNodeSchema),
  edges: z.array(topologyEdgeSchema),
  providers: z.array(topologyProviderStatusSchema),
  warnings: z.array(topologyWarningSchema),
});
export type Topology = z.infer<typeof topologySchema>;

/**
 * `namespace` is any string here so that a bad one is answered by the policy check with its own
 * code (`CG_POLICY_INVALID_NAMESPACE`), not a generic validation error. Omitted: the
 * environment's first target namespace.
 */
export const topologyQuerySchema = z.object({
  namespace: z.string().max(253).optional(),
});
export type TopologyQuery = z.infer<typeof topologyQuerySchema>;

export const topologyStreamQuerySchema = topologyQuerySchema.extend({
  /** Revision the client already holds; the stream then skips the opening snapshot when unchanged. */
  since: z.string().max(64).optional(),
});
export type TopologyStreamQuery = z.infer<typeof topologyStreamQuerySchema>;

/** Body of `POST /api/envs/:env/selector/preview`. */
export const selectorPreviewRequestSchema = z.object({
  namespace: z.string().max(253),
  labelSelector: labelSelectorSchema,
});
export type SelectorPreviewRequest = z.infer<typeof selectorPreviewRequestSchema>;

export const matchedPodSchema = z.object({
  name: z.string(),
  phase: z.string(),
  ready: z.boolean(),
  node: z.string().nullable(),
});
export type MatchedPod = z.infer<typeof matchedPodSchema>;

/** At most this many pods are listed; `total` always counts them all. */
export const SELECTOR_PREVIEW_POD_LIMIT = 200;

export const selectorPreviewResponseSchema = z.object({
  namespace: z.string(),
  labelSelector: labelSelectorSchema,
  total: z.number().int().min(0),
  pods: z.array(matchedPodSchema),
  truncated: z.boolean(),
});
export type SelectorPreviewResponse = z.infer<typeof selectorPreviewResponseSchema>;

/** Ready/desired in one word, for styling: nothing wanted, all ready, some ready, none ready. */
export type NodeHealth = 'idle' | 'healthy' | 'degraded' | 'down';

export function nodeHealth(node: Pick<TopologyNode, 'replicas'>): NodeHealth {
  const { ready, desired } = node.replicas;
  if (desired === 0) return 'idle';
  if (ready >= desired) return 'healthy';
  return ready === 0 ? 'down' : 'degraded';
}

/** The id of a node: `<Kind>/<namespace>/<name>`. */
export function topologyNodeId(kind: TopologyNodeKind, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/** What changed from one revision of a map to the next; the stream sends these after its snapshot. */
export const topologyPatchSchema = z.object({
  environment: z.string(),
  namespace: z.string(),
  fromRevision: z.string(),
  revision: z.string(),
  generatedAt: z.string(),
  nodes: z.object({ upsert: z.array(topologyNodeSchema), remove: z.array(z.string()) }),
  edges: z.object({ upsert: z.array(topologyEdgeSchema), remove: z.array(z.string()) }),
  /** Replaced whole: they are short. */
  providers: z.array(topologyProviderStatusSchema),
  warnings: z.array(topologyWarningSchema),
});
export type TopologyPatch = z.infer<typeof topologyPatchSchema>;

/**
 * Server-sent events of `GET /api/envs/:env/topology/stream` (`event:` name → `data:` JSON,
 * `id:` the revision): `snapshot` → {@link Topology} first (skipped when the client's `since`
 * or `Last-Event-ID` is the current revision), then `patch` → {@link TopologyPatch} per change,
 * each starting at the previous revision. A failing cluster watch does not end the stream: it
 * shows as a warning (`provider: 'kube'`) in the next patch and clears when the watch recovers.
 * Comment lines (`: ping`) every 15 s keep proxies from closing it.
 */
export const TOPOLOGY_STREAM_EVENTS = ['snapshot', 'patch'] as const;
export type TopologyStreamEvent = (typeof TOPOLOGY_STREAM_EVENTS)[number];
