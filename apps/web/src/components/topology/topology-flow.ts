import {
  EDGE_PROVIDERS,
  type EdgeProvider,
  type TopologyEdge,
  type TopologyNode,
  type TopologyNodeKind,
} from '@chaosgate/shared';
import type { Edge, Node } from '@vue-flow/core';
import { DEFAULT_LAYOUT, type Positions } from './topology-layout';
import { PROVIDER_STYLE } from './topology-style';

/** Performance marks around the layout and the first render of a map (read by bench/topology). */
export const PERF_MARKS = {
  layoutStart: 'topology:layout-start',
  layoutEnd: 'topology:layout-end',
  rendered: 'topology:rendered',
} as const;

/** What the canvas hands each node card: the map's node and how it is shown right now. */
export interface TopologyNodeData {
  node: TopologyNode;
  selected: boolean;
  /** Matches the name search (only meaningful while a search is active). */
  matched: boolean;
  /** A search is active and this node does not match it. */
  dimmed: boolean;
  /** Providers with edges arriving at / leaving this node: only those get a handle. */
  handles: { in: readonly EdgeProvider[]; out: readonly EdgeProvider[] };
}

/** How the user looks at the map: which kinds, which name search, what is selected. */
export interface TopologyViewState {
  kinds: ReadonlySet<TopologyNodeKind>;
  search: string;
  selected: ReadonlySet<string>;
}

/** The id of the arrowhead drawn at the end of a provider's edges. */
export function arrowMarkerId(provider: TopologyEdge['provider']): string {
  return `cg-topology-arrow-${provider}`;
}

/** Whether a node's name (or `namespace/name`) contains the search text, ignoring case. */
export function matchesSearch(node: Pick<TopologyNode, 'name' | 'namespace'>, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (needle === '') return true;
  return node.name.toLowerCase().includes(needle) || `${node.namespace}/${node.name}`.includes(needle);
}

/**
 * Vue Flow nodes for the map: every node at its laid-out position, hidden when its kind is
 * filtered out, dimmed when a search is active and it does not match.
 */
/** For each node, the providers whose edges arrive at it and leave it, in provider order. */
export function handlesOf(edges: readonly TopologyEdge[]): Map<string, TopologyNodeData['handles']> {
  const used = new Map<string, { in: Set<EdgeProvider>; out: Set<EdgeProvider> }>();
  const entry = (id: string) => {
    let e = used.get(id);
    if (!e) {
      e = { in: new Set(), out: new Set() };
      used.set(id, e);
    }
    return e;
  };
  for (const edge of edges) {
    entry(edge.source).out.add(edge.provider);
    entry(edge.target).in.add(edge.provider);
  }
  const result = new Map<string, TopologyNodeData['handles']>();
  for (const [id, e] of used) {
    result.set(id, { in: EDGE_PROVIDERS.filter((p) => e.in.has(p)), out: EDGE_PROVIDERS.filter((p) => e.out.has(p)) });
  }
  return result;
}

const NO_HANDLES: TopologyNodeData['handles'] = { in: [], out: [] };

export function toFlowNodes(
  nodes: readonly TopologyNode[],
  positions: Positions,
  view: TopologyViewState,
  handles: ReadonlyMap<string, TopologyNodeData['handles']> = new Map(),
): Node<TopologyNodeData>[] {
  const searching = view.search.trim() !== '';
  return nodes.map((node) => {
    const matched = searching && matchesSearch(node, view.search);
    return {
      id: node.id,
      type: 'topology',
      position: positions.get(node.id) ?? { x: 0, y: 0 },
      hidden: !view.kinds.has(node.kind),
      draggable: false,
      selectable: false,
      connectable: false,
      focusable: true,
      ariaLabel: `${node.kind} ${node.name}`,
      // The card's fixed size (TopologyNodeCard.vue), given up front: Vue Flow then renders only
      // the nodes in view instead of mounting every node to measure it first.
      dimensions: { width: DEFAULT_LAYOUT.nodeWidth, height: DEFAULT_LAYOUT.nodeHeight },
      data: {
        node,
        selected: view.selected.has(node.id),
        matched,
        dimmed: searching && !matched,
        handles: handles.get(node.id) ?? NO_HANDLES,
      },
    };
  });
}

/**
 * Vue Flow edges: smoothstep with an arrowhead, drawn per provider (colour, dash, width) from
 * the provider's own handle so parallel edges stay apart; hidden with either end.
 */
export function toFlowEdges(edges: readonly TopologyEdge[], visible: ReadonlySet<string>): Edge<TopologyEdge>[] {
  return edges.map((edge) => {
    const style = PROVIDER_STYLE[edge.provider];
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      sourceHandle: `out-${edge.provider}`,
      targetHandle: `in-${edge.provider}`,
      type: 'smoothstep',
      animated: style.animated ?? false,
      hidden: !visible.has(edge.source) || !visible.has(edge.target),
      selectable: false,
      focusable: false,
      // A marker id of our own (see TopologyMarkers.vue): Vue Flow's marker objects cost per edge.
      markerEnd: arrowMarkerId(edge.provider),
      style: {
        stroke: style.color,
        strokeWidth: style.width,
        ...(style.dash ? { strokeDasharray: style.dash } : {}),
      },
      data: edge,
    };
  });
}
