import dagre from '@dagrejs/dagre';

/** Top-left corner of a node on the canvas. */
export interface Point {
  x: number;
  y: number;
}

export type Positions = ReadonlyMap<string, Point>;

export interface LayoutEdge {
  source: string;
  target: string;
}

export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  /** Gap between nodes of one rank, and between ranks (left to right). */
  nodeGap: number;
  rankGap: number;
  /** Gap between separate groups of connected nodes. */
  groupGap: number;
  /** Groups are packed in rows up to about this width. */
  rowWidth: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = {
  nodeWidth: 208,
  nodeHeight: 64,
  nodeGap: 20,
  rankGap: 44,
  groupGap: 56,
  rowWidth: 2000,
};

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Groups of connected nodes (edges taken as undirected), each sorted, in order of their first id. */
export function connectedGroups(ids: readonly string[], edges: readonly LayoutEdge[]): string[][] {
  const parent = new Map(ids.map((id) => [id, id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(id, root);
    return root;
  };
  for (const { source, target } of edges) {
    if (!parent.has(source) || !parent.has(target)) continue;
    const a = find(source);
    const b = find(target);
    if (a === b) continue;
    // The smaller id becomes the root, so groups do not depend on the order of the edges.
    const [low, high] = a < b ? [a, b] : [b, a];
    parent.set(high, low);
  }
  const groups = new Map<string, string[]>();
  for (const id of [...ids].sort(byId)) {
    const root = find(id);
    const group = groups.get(root);
    if (group) group.push(id);
    else groups.set(root, [id]);
  }
  return [...groups.values()];
}

interface Shape {
  /** Positions by index in the group's sorted ids. */
  points: Point[];
  width: number;
  height: number;
}

/**
 * Layouts by the group's structure (edges as pairs of indexes into its sorted ids) and options.
 * dagre's result depends on nothing else, so groups of the same shape (a Service in front of a
 * Deployment, the same small application deployed many times) are laid out once.
 */
const shapes = new Map<string, Shape>();
const MAX_SHAPES = 2_000;

/** Layered left-to-right layout of one group with dagre, shifted so its top-left is (0, 0). */
function layoutGroup(ids: readonly string[], edges: readonly LayoutEdge[], options: LayoutOptions) {
  const index = new Map(ids.map((id, i) => [id, i]));
  const key = `${JSON.stringify(options)}|${ids.length}|${edges.map((e) => `${index.get(e.source)}>${index.get(e.target)}`).join(',')}`;
  let shape = shapes.get(key);
  if (!shape) {
    shape = dagreShape(ids, edges, options);
    if (shapes.size >= MAX_SHAPES) shapes.clear();
    shapes.set(key, shape);
  }
  const positions = new Map<string, Point>();
  ids.forEach((id, i) => {
    positions.set(id, shape.points[i] as Point);
  });
  return { positions, width: shape.width, height: shape.height };
}

function dagreShape(ids: readonly string[], edges: readonly LayoutEdge[], options: LayoutOptions): Shape {
  if (ids.length === 1) return { points: [{ x: 0, y: 0 }], width: options.nodeWidth, height: options.nodeHeight };
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: options.nodeGap, ranksep: options.rankGap, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  // Insertion order is part of dagre's input: sorted ids make the same graph lay out the same way.
  for (const id of ids) graph.setNode(id, { width: options.nodeWidth, height: options.nodeHeight });
  for (const edge of edges) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  for (const id of ids) {
    const node = graph.node(id);
    minX = Math.min(minX, (node.x ?? 0) - options.nodeWidth / 2);
    minY = Math.min(minY, (node.y ?? 0) - options.nodeHeight / 2);
  }
  let width = 0;
  let height = 0;
  const points = ids.map((id) => {
    const node = graph.node(id);
    const point = {
      x: Math.round((node.x ?? 0) - options.nodeWidth / 2 - minX),
      y: Math.round((node.y ?? 0) - options.nodeHeight / 2 - minY),
    };
    width = Math.max(width, point.x + options.nodeWidth);
    height = Math.max(height, point.y + options.nodeHeight);
    return point;
  });
  return { points, width, height };
}

type GroupLayout = ReturnType<typeof layoutGroup>;

/** Places groups in rows from `origin`, largest first; returns the absolute positions. */
function packGroups(groups: GroupLayout[], origin: Point, options: LayoutOptions): Map<string, Point> {
  const positions = new Map<string, Point>();
  let x = origin.x;
  let y = origin.y;
  let rowHeight = 0;
  for (const group of groups) {
    if (x > origin.x && x + group.width > origin.x + options.rowWidth) {
      x = origin.x;
      y += rowHeight + options.groupGap;
      rowHeight = 0;
    }
    for (const [id, p] of group.positions) positions.set(id, { x: x + p.x, y: y + p.y });
    x += group.width + options.groupGap;
    rowHeight = Math.max(rowHeight, group.height);
  }
  return positions;
}

function edgesWithin(ids: readonly string[], edges: readonly LayoutEdge[]): LayoutEdge[] {
  const inside = new Set(ids);
  const seen = new Set<string>();
  const result: LayoutEdge[] = [];
  for (const edge of edges) {
    const key = `${edge.source}\u0000${edge.target}`;
    if (edge.source === edge.target || !inside.has(edge.source) || !inside.has(edge.target) || seen.has(key)) continue;
    seen.add(key);
    result.push(edge);
  }
  return result.sort((a, b) => byId(a.source, b.source) || byId(a.target, b.target));
}

/** A fresh layout: each group laid out by dagre, groups packed in rows, largest first. */
export function freshLayout(
  ids: readonly string[],
  edges: readonly LayoutEdge[],
  options: LayoutOptions = DEFAULT_LAYOUT,
): Map<string, Point> {
  const groups = connectedGroups(ids, edges).map((group) => layoutGroup(group, edgesWithin(group, edges), options));
  groups.sort((a, b) => b.positions.size - a.positions.size);
  return packGroups(groups, { x: 0, y: 0 }, options);
}

/** Undirected neighbours of every node, sorted, so that searches visit them in a fixed order. */
function adjacency(edges: readonly LayoutEdge[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    const list = map.get(a);
    if (list) list.push(b);
    else map.set(a, [b]);
  };
  for (const { source, target } of edges) {
    link(source, target);
    link(target, source);
  }
  for (const list of map.values()) list.sort(byId);
  return map;
}

/** The placed node closest to `start` along edges (breadth-first), or undefined. */
function nearestPlaced(start: string, neighbours: Map<string, string[]>, placed: Positions): string | undefined {
  const seen = new Set([start]);
  const queue = [start];
  for (let i = 0; i < queue.length; i += 1) {
    for (const next of neighbours.get(queue[i] as string) ?? []) {
      if (seen.has(next)) continue;
      if (placed.has(next)) return next;
      seen.add(next);
      queue.push(next);
    }
  }
  return undefined;
}

function overlaps(p: Point, placed: Iterable<Point>, options: LayoutOptions): boolean {
  for (const q of placed) {
    if (
      Math.abs(p.x - q.x) < options.nodeWidth + options.nodeGap &&
      Math.abs(p.y - q.y) < options.nodeHeight + options.nodeGap
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Positions for a graph that changed. Nodes already placed keep their place; a new node joins
 * its group where dagre would put it relative to a neighbour that was already there, moved
 * down until it overlaps nothing; groups that are entirely new go below everything. Same
 * input (graph and previous positions) gives the same positions; without previous positions
 * this is {@link freshLayout}.
 */
export function stableLayout(
  ids: readonly string[],
  edges: readonly LayoutEdge[],
  previous: Positions | null,
  options: LayoutOptions = DEFAULT_LAYOUT,
): Map<string, Point> {
  const kept = new Map<string, Point>();
  for (const id of [...ids].sort(byId)) {
    const p = previous?.get(id);
    if (p) kept.set(id, p);
  }
  if (kept.size === 0) return freshLayout(ids, edges, options);
  if (kept.size === ids.length) return kept;

  const positions = new Map(kept);
  const newGroups: GroupLayout[] = [];
  for (const group of connectedGroups(ids, edges)) {
    const added = group.filter((id) => !kept.has(id));
    if (added.length === 0) continue;
    const within = edgesWithin(group, edges);
    const fresh = layoutGroup(group, within, options);
    if (added.length === group.length) {
      newGroups.push(fresh);
      continue;
    }
    const neighbours = adjacency(within);
    for (const id of added) {
      const anchor = nearestPlaced(id, neighbours, positions);
      const origin = { x: 0, y: 0 };
      const from = anchor === undefined ? origin : (fresh.positions.get(anchor) ?? origin);
      const to = anchor === undefined ? origin : (positions.get(anchor) ?? origin);
      const at = fresh.positions.get(id) ?? { x: 0, y: 0 };
      const point = { x: to.x + at.x - from.x, y: to.y + at.y - from.y };
      while (overlaps(point, positions.values(), options)) point.y += options.nodeHeight + options.nodeGap;
      positions.set(id, point);
    }
  }
  if (newGroups.length > 0) {
    let minX = Number.POSITIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (const p of positions.values()) {
      minX = Math.min(minX, p.x);
      maxY = Math.max(maxY, p.y);
    }
    newGroups.sort((a, b) => b.positions.size - a.positions.size);
    const origin = { x: minX, y: maxY + options.nodeHeight + options.groupGap };
    for (const [id, p] of packGroups(newGroups, origin, options)) positions.set(id, p);
  }
  return positions;
}
