import { randomUUID } from 'node:crypto';
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
const CLOSE_WAIT_MS = 1_000;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** The listeners and how to tell them, shared by both implementations. */
function listenerSet() {
  const listeners = new Set<ChangeListener>();
  return {
    listeners,
    emit(table: string | null) {
      for (const listener of listeners) listener(table);
    },
  };
}

export interface PostgresChangeFeedOptions {
  connectionString: string;
  /** Sends a notification on the channel the way other replicas' changes travel (the app's pool). */
  notify: (payload: string) => Promise<void>;
  onConnectionError?: (err: Error) => void;
  /** How often the feed proves that notifications still reach it (default 15 s). */
  probeEveryMs?: number;
  /** How long a probe may take to come back before the connection counts as lost (default 5 s). */
  probeTimeoutMs?: number;
}

/** Payloads of the feeds' own probes; they are not table names and reach no listener. */
const PROBE_PREFIX = 'probe:';

/**
 * PostgreSQL: one dedicated connection (LISTEN cannot share a pooled one) that reconnects with
 * backoff. Every loss and every reconnect tells listeners to drop what they cached, because the
 * notifications sent meanwhile are gone. The feed is live only while its own probes, sent through
 * the pool like any replica's change, come back: a half-open connection, or a pooler that does not
 * forward LISTEN, never leaves caches trusted for longer than one probe.
 */
export function createPostgresChangeFeed(options: PostgresChangeFeedOptions): ChangeFeed {
  const { connectionString, onConnectionError } = options;
  const probeEveryMs = options.probeEveryMs ?? 15_000;
  const probeTimeoutMs = options.probeTimeoutMs ?? 5_000;
  const { listeners, emit } = listenerSet();
  let client: pg.Client | null = null;
  let live = false;
  let started = false;
  let closed = false;
  let retryMs = RETRY_MIN_MS;
  let retryTimer: NodeJS.Timeout | undefined;
  let probeTimer: NodeJS.Timeout | undefined;
  let awaited: string | null = null;

  function lose(lost: pg.Client, err?: Error): void {
    if (client !== lost) return;
    client = null;
    clearTimeout(probeTimer);
    awaited = null;
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

  /** Sends a probe and gives it `probeTimeoutMs` to come back on `on`. */
  function probe(on: pg.Client): void {
    if (client !== on) return;
    const payload = `${PROBE_PREFIX}${randomUUID()}`;
    awaited = payload;
    probeTimer = setTimeout(
      () => lose(on, new Error(`no change notification came back within ${probeTimeoutMs} ms`)),
      probeTimeoutMs,
    );
    probeTimer.unref();
    options.notify(payload).catch((err: unknown) => lose(on, err as Error));
  }

  function heard(on: pg.Client, payload: string | undefined): void {
    if (!payload?.startsWith(PROBE_PREFIX)) {
      emit(payload ?? null);
      return;
    }
    if (payload !== awaited || client !== on) return; // another replica's probe
    awaited = null;
    clearTimeout(probeTimer);
    if (!live) {
      live = true;
      retryMs = RETRY_MIN_MS;
      emit(null);
    }
    probeTimer = setTimeout(() => probe(on), probeEveryMs);
    probeTimer.unref();
  }

  async function connect(): Promise<void> {
    if (closed) return;
    const next = new pg.Client({ connectionString });
    client = next;
    next.on('error', (err) => lose(next, err));
    next.on('end', () => lose(next));
    next.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL) heard(next, message.payload);
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
    probe(next);
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
      clearTimeout(probeTimer);
      const current = client;
      client = null;
      live = false;
      listeners.clear();
      // A connection that went quiet never answers the goodbye: shutdown waits a second at most.
      if (current) await Promise.race([current.end().catch(() => undefined), delay(CLOSE_WAIT_MS)]);
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
