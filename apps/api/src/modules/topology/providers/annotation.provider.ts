import { DEPENDS_ON_ANNOTATION, namespaceNameSchema } from '@chaosgate/shared';
import type { ProvidedEdge } from '../topology.model';
import { nodeIdOf, type TopologyContext, type TopologyObject } from '../topology-context';
import type { EdgeProviderDefinition } from './edge-provider';

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** One entry of the annotation: `name` or `namespace/name`; null when malformed. */
export function parseDependency(entry: string, ownNamespace: string): { namespace: string; name: string } | null {
  const parts = entry.trim().split('/');
  if (parts.length > 2) return null;
  const [first = '', second] = parts;
  const namespace = second === undefined ? ownNamespace : first;
  const name = second ?? first;
  if (!namespaceNameSchema.safeParse(namespace).success || !NAME.test(name) || name.length > 253) return null;
  return { namespace, name };
}

function dependenciesOf(object: TopologyObject, context: TopologyContext) {
  const raw = object.annotations[DEPENDS_ON_ANNOTATION];
  const edges: ProvidedEdge[] = [];
  let unresolved = 0;
  if (!raw) return { edges, unresolved };
  for (const entry of raw.split(',')) {
    if (entry.trim() === '') continue;
    const dependency = parseDependency(entry, object.namespace);
    const target =
      dependency && dependency.namespace === context.snapshot.namespace
        ? context.resolveName(dependency.namespace, dependency.name)
        : undefined;
    if (!target) {
      unresolved += 1;
      continue;
    }
    if (context.isSelfReference(object, target)) continue;
    edges.push({ source: nodeIdOf(object), target, evidence: `${DEPENDS_ON_ANNOTATION}: ${entry.trim()}` });
  }
  return { edges, unresolved };
}

/**
 * Declared dependencies: the `chaosgate.dev/depends-on` annotation on a workload or Service
 * (see {@link DEPENDS_ON_ANNOTATION}). A name resolves to the Service of that name in the
 * namespace, else to the workload; names that match nothing here count as unresolved.
 */
export const annotationProvider: EdgeProviderDefinition = {
  name: 'annotation',
  find(context) {
    const edges: ProvidedEdge[] = [];
    let unresolved = 0;
    for (const object of [...context.snapshot.workloads, ...context.snapshot.services]) {
      const found = dependenciesOf(object, context);
      edges.push(...found.edges);
      unresolved += found.unresolved;
    }
    return { name: 'annotation', enabled: true, edges, unresolved };
  },
};
