import { type KubeConfig, Watch } from '@kubernetes/client-node';
import type { AppError } from '../errors';
import { kubeHttpError, parseKubeStatus, toKubeError } from './kube-errors';
import type { KubeObject, WatchEvent, WatchEventType } from './kube-types';

/**
 * How a watch ended on its own (never reported after the caller stopped it):
 * - `closed`: the server ended the stream normally (its timeout); resume from the last resourceVersion;
 * - `gone`: 410, the resourceVersion is too old (compacted); re-list, then watch again;
 * - `failed`: anything else (connection refused or dropped, 403…), as an `AppError`.
 */
export type WatchEnd = { reason: 'closed' } | { reason: 'gone' } | { reason: 'failed'; error: AppError };

/** What to watch and where changes go. */
export interface WatchOptions<T extends KubeObject = KubeObject> {
  /** Start after this version (from a list); omitted: the server's "any" semantics (synthetic ADDED events). */
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** The server ends the watch after this long (default 25 s, under the client's 30 s idle timeout). */
  timeoutSeconds?: number;
  onEvent(event: WatchEvent<T>): void;
  onEnd(end: WatchEnd): void;
}

/** Stops a watch; idempotent. */
export type StopWatch = () => void;

const EVENT_TYPES = new Set<string>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK']);

/**
 * Watches the collection at `path` with the kubeconfig's credentials. Events arrive in server
 * order; exactly one `onEnd` follows unless the watch is stopped first.
 */
export function startWatch<T extends KubeObject>(
  kc: KubeConfig,
  path: string,
  what: string,
  options: WatchOptions<T>,
): StopWatch {
  let stopped = false;
  let ended = false;
  let controller: AbortController | undefined;

  const end = (result: WatchEnd) => {
    if (stopped || ended) return;
    ended = true;
    controller?.abort();
    options.onEnd(result);
  };

  const onLine = (type: string, object: unknown) => {
    if (stopped || ended) return;
    if (type === 'ERROR') {
      const status = parseKubeStatus(object);
      const code = status?.code ?? 500;
      end(code === 410 ? { reason: 'gone' } : { reason: 'failed', error: kubeHttpError(code, status, what) });
      return;
    }
    if (EVENT_TYPES.has(type)) options.onEvent({ type: type as WatchEventType, object: object as T });
  };

  const onDone = (err: unknown) => {
    if (err === null || err === undefined) return end({ reason: 'closed' });
    const status = (err as { statusCode?: unknown }).statusCode;
    if (status === 410) return end({ reason: 'gone' });
    end({ reason: 'failed', error: toKubeError(err, what) });
  };

  new Watch(kc)
    .watch(
      path,
      {
        resourceVersion: options.resourceVersion,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        allowWatchBookmarks: true,
        timeoutSeconds: options.timeoutSeconds ?? 25,
      },
      onLine,
      onDone,
    )
    .then(
      (abort) => {
        controller = abort;
        if (stopped || ended) abort.abort();
      },
      (err: unknown) => end({ reason: 'failed', error: toKubeError(err, what) }),
    );

  return () => {
    stopped = true;
    controller?.abort();
  };
}
