import type { KubeList, KubeObject, WatchEvent } from './kube-types';

/**
 * A watched collection as an immutable value: the objects by key and the resourceVersion the
 * store reflects. Watch events are applied by the pure `applyWatchEvent`.
 */
export interface ObjectStore<T extends KubeObject = KubeObject> {
  readonly resourceVersion: string;
  readonly items: ReadonlyMap<string, T>;
}

/** `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(object: KubeObject): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${namespace}/${name ?? ''}` : (name ?? '');
}

/** A store holding exactly what a list returned. */
export function storeFromList<T extends KubeObject>(list: KubeList<T>): ObjectStore<T> {
  return { resourceVersion: list.resourceVersion, items: new Map(list.items.map((item) => [objectKey(item), item])) };
}

/** An empty store that has seen nothing yet. */
export function emptyStore<T extends KubeObject>(): ObjectStore<T> {
  return { resourceVersion: '', items: new Map() };
}

const DECIMAL = /^\d+$/;

/**
 * Whether `candidate` is older than or equal to `current`. resourceVersions are opaque to
 * clients, but etcd-backed servers issue increasing decimal integers; anything else (or an
 * unset side) is never treated as stale.
 */
export function isStaleResourceVersion(candidate: string | undefined, current: string | undefined): boolean {
  if (!candidate || !current || !DECIMAL.test(candidate) || !DECIMAL.test(current)) return false;
  return BigInt(candidate) <= BigInt(current);
}

/**
 * Applies one watch event to a store and returns the next store, or the very same store when
 * the event is stale (its resourceVersion is not newer than the store's, e.g. an event
 * replayed after a re-list). `BOOKMARK`s only advance the resourceVersion.
 */
export function applyWatchEvent<T extends KubeObject>(state: ObjectStore<T>, event: WatchEvent<T>): ObjectStore<T> {
  const version = event.object.metadata.resourceVersion;
  if (isStaleResourceVersion(version, state.resourceVersion)) return state;
  const resourceVersion = version ?? state.resourceVersion;
  if (event.type === 'BOOKMARK') return { resourceVersion, items: state.items };
  const key = objectKey(event.object);
  const items = new Map(state.items);
  if (event.type === 'DELETED') items.delete(key);
  else items.set(key, event.object);
  return { resourceVersion, items };
}
