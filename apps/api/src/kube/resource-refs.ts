/**
 * Resource references: everything needed to build an API path for a kind. Core and apps kinds
 * are stable and named here; chaos kinds come from API discovery (`discovery.ts`).
 */

/** Where a kind lives in the API: `group` is `''` for the core group. */
export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

/** The API group of every Chaos Mesh kind. */
export const CHAOS_MESH_GROUP = 'chaos-mesh.org';

const core = (plural: string, kind: string, namespaced = true): ResourceRef => ({
  group: '',
  version: 'v1',
  plural,
  kind,
  namespaced,
});
const apps = (plural: string, kind: string): ResourceRef => ({
  group: 'apps',
  version: 'v1',
  plural,
  kind,
  namespaced: true,
});

/** Core (`v1`) kinds chaosgate reads or writes. */
export const CORE_REFS = {
  pods: core('pods', 'Pod'),
  services: core('services', 'Service'),
  configMaps: core('configmaps', 'ConfigMap'),
  secrets: core('secrets', 'Secret'),
  serviceAccounts: core('serviceaccounts', 'ServiceAccount'),
  events: core('events', 'Event'),
  namespaces: core('namespaces', 'Namespace', false),
  nodes: core('nodes', 'Node', false),
} as const satisfies Record<string, ResourceRef>;

/** Workload kinds of the `apps/v1` group (the topology's nodes). */
export const APPS_REFS = {
  deployments: apps('deployments', 'Deployment'),
  statefulSets: apps('statefulsets', 'StatefulSet'),
  daemonSets: apps('daemonsets', 'DaemonSet'),
  replicaSets: apps('replicasets', 'ReplicaSet'),
} as const satisfies Record<string, ResourceRef>;

/** `group/version`, or just `version` for the core group. */
export function apiVersionOf(ref: Pick<ResourceRef, 'group' | 'version'>): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

/** Splits an object's `apiVersion` into group and version (`v1` → core group). */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The discovery path of a group version: `/api/v1` or `/apis/<group>/<version>`. */
export function groupVersionPath(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/**
 * The REST path of a collection (no `name`) or of one object. `namespace` null means all
 * namespaces for a namespaced kind; it is ignored for cluster-scoped kinds.
 */
export function resourcePath(ref: ResourceRef, namespace: string | null, name?: string, subresource?: string): string {
  let path = groupVersionPath(ref.group, ref.version);
  if (ref.namespaced && namespace !== null) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${ref.plural}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource !== undefined) path += `/${subresource}`;
  return path;
}

/** `Kind namespace/name` for messages and logs. */
export function describeObject(ref: Pick<ResourceRef, 'kind'>, namespace: string | null, name?: string): string {
  const where = namespace ? `${namespace}/` : '';
  return name === undefined ? `${ref.kind} in ${namespace ?? 'all namespaces'}` : `${ref.kind} ${where}${name}`;
}
