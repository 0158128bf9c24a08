import type { Topology, TopologyPatch } from './topology';

function byId<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}

function diffById<T extends { id: string }>(before: readonly T[], after: readonly T[]) {
  const previous = byId(before);
  const next = byId(after);
  const upsert = after.filter((item) => {
    const old = previous.get(item.id);
    return old === undefined || JSON.stringify(old) !== JSON.stringify(item);
  });
  const remove = before.filter((item) => !next.has(item.id)).map((item) => item.id);
  return { upsert, remove };
}

/** The patch that turns `before` into `after`; empty node and edge lists when nothing changed. */
export function diffTopology(before: Topology, after: Topology): TopologyPatch {
  return {
    environment: after.environment,
    namespace: after.namespace,
    fromRevision: before.revision,
    revision: after.revision,
    generatedAt: after.generatedAt,
    nodes: diffById(before.nodes, after.nodes),
    edges: diffById(before.edges, after.edges),
    providers: after.providers,
    warnings: after.warnings,
  };
}

/** True when the patch changes no node, no edge, no provider and no warning. */
export function isEmptyTopologyPatch(patch: TopologyPatch, before: Topology): boolean {
  return (
    patch.nodes.upsert.length === 0 &&
    patch.nodes.remove.length === 0 &&
    patch.edges.upsert.length === 0 &&
    patch.edges.remove.length === 0 &&
    JSON.stringify(patch.providers) === JSON.stringify(before.providers) &&
    JSON.stringify(patch.warnings) === JSON.stringify(before.warnings)
  );
}

function applyById<T extends { id: string }>(
  items: readonly T[],
  upsert: readonly T[],
  remove: readonly string[],
): T[] {
  const map = byId(items);
  for (const id of remove) map.delete(id);
  for (const item of upsert) map.set(item.id, item);
  return [...map.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Applies a patch to the map it was computed from. Returns `null` when the patch does not start
 * at `state.revision` (a patch was missed): the caller must take a fresh snapshot instead.
 */
export function applyTopologyPatch(state: Topology, patch: TopologyPatch): Topology | null {
  if (patch.fromRevision !== state.revision || patch.namespace !== state.namespace) return null;
  return {
    ...state,
    revision: patch.revision,
    generatedAt: patch.generatedAt,
    nodes: applyById(state.nodes, patch.nodes.upsert, patch.nodes.remove),
    edges: applyById(state.edges, patch.edges.upsert, patch.edges.remove),
    providers: patch.providers,
    warnings: patch.warnings,
  };
}
