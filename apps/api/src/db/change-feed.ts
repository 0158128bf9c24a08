import type { PGliteInterface } from '@electric-sql/pglite';
import pg from 'pg';

/** The channel the `change_notifications` migration's triggers notify, with the table's name. */
export const CHANGES_CHANNEL = 'chaosgate_changes';

/**
 * Told the name of each table whose rows changed (in any replica, or by hand), or `null` when the
 * feed starts, stops or reconnects: whatever was cached before may then be stale.
 */
export type ChangeListener = (table: string | null) => void;

/**
 * Change notifications of the database, for caches that must never outlive what they copy. While
 * `live` is false (not yet listening, or the connection is lost) nothing may be served from a cache.
 */
export interface ChangeFeed {
  readonly live: boolean;
  /** Starts listening on first use; returns the function that unsubscribes. */
  subscribe(listener: ChangeListener): () => void;
  close(): Promise<void>;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 30_000;

/** Listeners and the `live` flag, shared by both implementations. */
function listenerSet() {
  const listeners = new Set<ChangeListener>();
  return {
    listeners,
    emit(table: string | null) {
      for (const listener of listeners) listener(table);
    },
  };
}

/**
 * PostgreSQL: one dedicated connection (LISTEN cannot share a pooled one) that reconnects with
 * backoff. Every loss and every reconnect tells listeners to drop what they cached, because the
 * notifications sent meanwhile are gone.
 */
export function createPostgresChangeFeed(
  connectionString: string,
  onConnectionError?: (err: Error) => void,
): ChangeFeed {
  const { listeners, emit } = listenerSet();
  let client: pg.Client | null = null;
  let live = false;
  let started = false;
  let closed = false;
  let retryMs = RETRY_MIN_MS;
  let retryTimer: NodeJS.Timeout | undefined;

  function lose(lost: pg.Client, err?: Error): void {
    if (client !== lost) return;
    client = null;
    if (err) onConnectionError?.(err);
    lost.removeAllListeners('notification');
    lost.end().catch(() => undefined);
    if (live) {
      live = false;
      emit(null);
    }
    if (closed) return;
    retryTimer = setTimeout(connect, retryMs);
    retryTimer.unref();
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  }

  async function connect(): Promise<void> {
    if (closed) return;
    const next = new pg.Client({ connectionString });
    client = next;
    next.on('error', (err) => lose(next, err));
    next.on('end', () => lose(next));
    next.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL) emit(message.payload ?? null);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (err) {
      lose(next, err as Error);
      return;
    }
    if (client !== next) return;
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    retryMs = RETRY_MIN_MS;
    live = true;
    emit(null);
  }

  return {
    get live() {
      return live;
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!started) {
        started = true;
        void connect();
      }
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const current = client;
      client = null;
      live = false;
      listeners.clear();
      await current?.end().catch(() => undefined);
    },
  };
}

/** Embedded PGlite: one process, one connection; its notifications arrive after each query. */
export function createPgliteChangeFeed(db: PGliteInterface): ChangeFeed {
  const { listeners, emit } = listenerSet();
  let live = false;
  let closed = false;
  let listening: Promise<(() => Promise<void>) | null> | null = null;

  return {
    get live() {
      return live;
    },
    subscribe(listener) {
      listeners.add(listener);
      listening ??= db
        .listen(CHANGES_CHANNEL, (table) => emit(table))
        .then(
          (unlisten) => {
            if (closed) return null;
            live = true;
            emit(null);
            return unlisten;
          },
          () => null,
        );
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      live = false;
      listeners.clear();
      // The instance is closed right after; unlistening first would only race that.
      await listening;
    },
  };
}
