import { type Topology, topologySchema } from '@chaosgate/shared';

const serialized = new WeakMap<Topology, string>();

/**
 * The JSON of a map, checked against the contract once and then reused: a map is immutable
 * and shared by every request and stream until the next revision, so 2,000 nodes are not
 * validated and stringified again for each reader.
 */
export function topologyJson(topology: Topology): string {
  let json = serialized.get(topology);
  if (json === undefined) {
    json = JSON.stringify(topologySchema.parse(topology));
    serialized.set(topology, json);
  }
  return json;
}
