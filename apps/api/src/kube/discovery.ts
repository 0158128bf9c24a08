import { AppError } from '../errors';
import { CHAOS_MESH_GROUP, groupVersionPath, parseApiVersion, type ResourceRef } from './resource-refs';
import type { KubeTransport } from './transport';

/** A kind the API server serves, as discovery describes it. */
export interface DiscoveredKind extends ResourceRef {
  verbs: string[];
  shortNames: string[];
}

/** API discovery with a TTL cache: which kinds a group version serves, and their plurals. */
export interface Discovery {
  /** Every kind of the preferred version of `chaos-mesh.org` (empty when Chaos Mesh is not installed). */
  chaosKinds(options?: { refresh?: boolean }): Promise<DiscoveredKind[]>;
  /** The ref of `kind` in `apiVersion`; `CG_KUBE_UNKNOWN_KIND` when the server does not serve it. */
  resolve(apiVersion: string, kind: string): Promise<ResourceRef>;
  /** The ref of a Chaos Mesh kind (`PodChaos`) in the group's preferred version. */
  resolveChaosKind(kind: string): Promise<ResourceRef>;
}

export interface DiscoveryOptions {
  /** How long discovery answers are trusted (default five minutes). */
  ttlMs?: number;
  /** A lookup miss re-asks the server when the cached answer is older than this (default 10 s). */
  missRefreshMs?: number;
  now?: () => number;
}

interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
}

interface CacheEntry<T> {
  at: number;
  value: Promise<T>;
}

function unknownKind(apiVersion: string, kind: string): AppError {
  return new AppError('CG_KUBE_UNKNOWN_KIND', `the cluster does not serve kind "${kind}" in "${apiVersion}"`, {
    apiVersion,
    kind,
  });
}

export function createDiscovery(transport: KubeTransport, options: DiscoveryOptions = {}): Discovery {
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const missRefreshMs = options.missRefreshMs ?? 10_000;
  const now = options.now ?? Date.now;
  const groupVersions = new Map<string, CacheEntry<DiscoveredKind[] | null>>();
  const preferred = new Map<string, CacheEntry<string | null>>();

  /** Caches the promise (so concurrent callers share one request) and forgets failures. */
  function cached<T>(cache: Map<string, CacheEntry<T>>, key: string, maxAgeMs: number, load: () => Promise<T>) {
    const hit = cache.get(key);
    if (hit && now() - hit.at < maxAgeMs) return hit;
    const entry = { at: now(), value: load() };
    cache.set(key, entry);
    entry.value.catch(() => {
      if (cache.get(key) === entry) cache.delete(key);
    });
    return entry;
  }

  /** null when the server does not serve the group version at all. */
  async function fetchKinds(group: string, version: string): Promise<DiscoveredKind[] | null> {
    try {
      const list = await transport.json<{ resources?: ApiResource[] }>({
        method: 'GET',
        path: groupVersionPath(group, version),
        what: `discover ${group || 'core'}/${version}`,
      });
      return (list.resources ?? [])
        .filter((r) => !r.name.includes('/'))
        .map((r) => ({
          group,
          version,
          plural: r.name,
          kind: r.kind,
          namespaced: r.namespaced,
          verbs: r.verbs ?? [],
          shortNames: r.shortNames ?? [],
        }));
    } catch (err) {
      if (err instanceof AppError && err.code === 'CG_KUBE_NOT_FOUND') return null;
      throw err;
    }
  }

  async function fetchPreferredVersion(group: string): Promise<string | null> {
    try {
      const apiGroup = await transport.json<{
        preferredVersion?: { version: string };
        versions?: { version: string }[];
      }>({ method: 'GET', path: `/apis/${group}`, what: `discover ${group}` });
      return apiGroup.preferredVersion?.version ?? apiGroup.versions?.[0]?.version ?? null;
    } catch (err) {
      if (err instanceof AppError && err.code === 'CG_KUBE_NOT_FOUND') return null;
      throw err;
    }
  }

  const kindsOf = (group: string, version: string, maxAgeMs = ttlMs) =>
    cached(groupVersions, `${group}/${version}`, maxAgeMs, () => fetchKinds(group, version));

  async function resolve(apiVersion: string, kind: string): Promise<ResourceRef> {
    const { group, version } = parseApiVersion(apiVersion);
    let entry = kindsOf(group, version);
    let found = (await entry.value)?.find((k) => k.kind === kind);
    if (!found && now() - entry.at >= missRefreshMs) {
      // A CRD may have been installed since we last asked.
      entry = kindsOf(group, version, 0);
      found = (await entry.value)?.find((k) => k.kind === kind);
    }
    if (!found) throw unknownKind(apiVersion, kind);
    return {
      group: found.group,
      version: found.version,
      plural: found.plural,
      kind: found.kind,
      namespaced: found.namespaced,
    };
  }

  async function chaosVersion(refresh: boolean): Promise<string | null> {
    return cached(preferred, CHAOS_MESH_GROUP, refresh ? 0 : ttlMs, () => fetchPreferredVersion(CHAOS_MESH_GROUP))
      .value;
  }

  return {
    async chaosKinds(opts = {}) {
      const version = await chaosVersion(opts.refresh ?? false);
      if (version === null) return [];
      return (await kindsOf(CHAOS_MESH_GROUP, version, opts.refresh ? 0 : ttlMs).value) ?? [];
    },
    resolve,
    async resolveChaosKind(kind) {
      const version = await chaosVersion(false);
      if (version === null) throw unknownKind(CHAOS_MESH_GROUP, kind);
      return resolve(`${CHAOS_MESH_GROUP}/${version}`, kind);
    },
  };
}
