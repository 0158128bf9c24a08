import { AppError } from '../errors';
import { toKubeError } from './kube-errors';
import type { KubeList, KubeObject, WatchEvent } from './kube-types';
import type { StopWatch, WatchEnd } from './watch';
import { applyWatchEvent, emptyStore, type ObjectStore, storeFromList } from './watch-reducer';

/** The two calls an informer needs, bound to one collection (kind, namespace, selector). */
export interface ListWatch<T extends KubeObject> {
  list(): Promise<KubeList<T>>;
  watch(options: {
    resourceVersion: string;
    onEvent(event: WatchEvent<T>): void;
    onEnd(end: WatchEnd): void;
  }): StopWatch;
}

/**
 * A change of the informer's store. Object changes are reported once each, whether they came
 * from the watch or from comparing a re-list with the previous store; `SYNCED` follows every
 * successful (re-)list; `ERROR` reports a failure that will be retried after `retryInMs`.
 */
export type InformerChange<T extends KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }
  | { type: 'SYNCED'; resourceVersion: string }
  | { type: 'ERROR'; error: AppError; retryInMs: number };

/** A live, locally cached view of one collection. */
export interface Informer<T extends KubeObject> {
  /** Lists, then watches; resolves once the store holds the first list, rejects if that list fails. */
  start(): Promise<void>;
  /** Stops watching and retrying; idempotent. */
  stop(): void;
  /** The current store (an immutable value; replaced on every change). */
  readonly store: ObjectStore<T>;
  /** The objects in the store. */
  items(): T[];
  /** One object by `namespace/name` (or `name` when cluster-scoped). */
  get(key: string): T | undefined;
  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (change: InformerChange<T>) => void): () => void;
  /** How many lists and watches it has issued (a re-list shows up as `lists > 1`). */
  readonly stats: { readonly lists: number; readonly watches: number };
}

export interface InformerOptions {
  /** Retry delays after failures: doubling from `initialMs` up to `maxMs` (defaults 500 ms, 30 s). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Names the collection in error messages. */
  what?: string;
}

/** A watch that ends this soon after it started counts as a failure (no tight re-watch loop). */
const MIN_HEALTHY_WATCH_MS = 1000;

/**
 * An informer in the client-go style: list, then watch from the list's resourceVersion; resume
 * the watch when the server closes it; re-list on 410 Gone; re-list with backoff when the
 * connection drops or a call fails. Events are applied by the pure `applyWatchEvent`.
 */
export function createInformer<T extends KubeObject>(source: ListWatch<T>, options: InformerOptions = {}): Informer<T> {
  const initialMs = options.backoff?.initialMs ?? 500;
  const maxMs = options.backoff?.maxMs ?? 30_000;
  const listeners = new Set<(change: InformerChange<T>) => void>();
  const stats = { lists: 0, watches: 0 };
  let store: ObjectStore<T> = emptyStore();
  const what = options.what ?? 'watch';
  let stopped = false;
  /** Failed calls in a row; drives the backoff and resets on a successful list. */
  let failures = 0;
  /** 410s in a row without a healthy watch in between: only the first re-lists at once. */
  let goneInARow = 0;
  let stopWatch: StopWatch | undefined;
  let timer: NodeJS.Timeout | undefined;

  const unavailable = (why: string) => new AppError('CG_KUBE_UNAVAILABLE', `${what}: ${why}`);
  const emit = (change: InformerChange<T>) => {
    for (const listener of listeners) listener(change);
  };

  function replaceStore(next: ObjectStore<T>): void {
    const previous = store;
    store = next;
    for (const [key, object] of next.items) {
      const before = previous.items.get(key);
      if (!before) emit({ type: 'ADDED', object });
      else if (before.metadata.resourceVersion !== object.metadata.resourceVersion) emit({ type: 'MODIFIED', object });
    }
    for (const [key, object] of previous.items) {
      if (!next.items.has(key)) emit({ type: 'DELETED', object });
    }
    emit({ type: 'SYNCED', resourceVersion: next.resourceVersion });
  }

  function schedule(work: () => void, delayMs: number): void {
    clearTimeout(timer);
    timer = setTimeout(work, delayMs);
  }

  function retryLater(error: AppError): void {
    const retryInMs = Math.min(maxMs, initialMs * 2 ** failures);
    failures += 1;
    emit({ type: 'ERROR', error, retryInMs });
    schedule(() => void relist(), retryInMs);
  }

  function watch(): void {
    const startedAt = Date.now();
    stats.watches += 1;
    stopWatch = source.watch({
      resourceVersion: store.resourceVersion,
      onEvent(event) {
        const next = applyWatchEvent(store, event);
        if (next === store) return;
        store = next;
        goneInARow = 0;
        if (event.type !== 'BOOKMARK') emit({ type: event.type, object: event.object });
      },
      onEnd(end) {
        if (stopped) return;
        const healthy = Date.now() - startedAt >= MIN_HEALTHY_WATCH_MS;
        if (healthy) goneInARow = 0;
        if (end.reason === 'failed') return retryLater(end.error);
        if (end.reason === 'gone') {
          goneInARow += 1;
          return goneInARow === 1 ? void relist() : retryLater(unavailable('the resourceVersion keeps expiring'));
        }
        if (healthy) return watch();
        retryLater(unavailable('the server closed the watch at once'));
      },
    });
  }

  async function relist(): Promise<void> {
    if (stopped) return;
    stopWatch?.();
    stats.lists += 1;
    let list: KubeList<T>;
    try {
      list = await source.list();
    } catch (err) {
      if (!stopped) retryLater(toKubeError(err, what));
      return;
    }
    if (stopped) return;
    failures = 0;
    replaceStore(storeFromList(list));
    watch();
  }

  return {
    async start() {
      stats.lists += 1;
      try {
        const list = await source.list();
        if (stopped) return;
        replaceStore(storeFromList(list));
      } catch (err) {
        stopped = true;
        throw toKubeError(err, what);
      }
      watch();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      stopWatch?.();
      listeners.clear();
    },
    get store() {
      return store;
    },
    items: () => [...store.items.values()],
    get: (key) => store.items.get(key),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats,
  };
}
