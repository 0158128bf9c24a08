import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A server-sent event stream over one hijacked response. */
export interface EventStream {
  /** Writes one event; `data` is sent as one JSON line. Ignored once the stream is closed. */
  send(event: string, data: unknown, id?: string): void;
  /** Writes one event whose data is already JSON (one line). */
  sendJson(event: string, json: string, id?: string): void;
  /** Calls `listener` once, when the client goes away or the stream is ended. */
  onClose(listener: () => void): void;
  end(): void;
}

export interface EventStreamOptions {
  /** A comment line this often keeps proxies from closing an idle stream (default 15 s). */
  heartbeatMs?: number;
  /** Client reconnect delay announced with `retry:` (default 3 s). */
  retryMs?: number;
  /** A client that lets this much pile up unread is cut off; it reconnects and resyncs (default 8 MiB). */
  maxBufferedBytes?: number;
}

/**
 * Takes over the response and opens a `text/event-stream`. Call only after every check has
 * passed: from here on errors can no longer become an HTTP status.
 */
export function openEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  options: EventStreamOptions = {},
): EventStream {
  const maxBuffered = options.maxBufferedBytes ?? 8 * 1024 * 1024;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    // The security headers and request id set for every reply; a hijacked reply must send them itself.
    ...(reply.getHeaders() as OutgoingHttpHeaders),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
    'x-request-id': request.id,
  });
  res.write(`retry: ${options.retryMs ?? 3_000}\n\n`);

  let closed = false;
  const listeners: (() => void)[] = [];
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const listener of listeners.splice(0)) listener();
    if (!res.writableEnded) res.end();
  };
  const write = (chunk: string) => {
    if (closed) return;
    res.write(chunk);
    if (res.writableLength > maxBuffered) {
      request.log.warn({ buffered: res.writableLength }, 'event stream client too slow; closing');
      close();
    }
  };
  const sendJson = (event: string, json: string, id?: string) =>
    write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${json}\n\n`);
  const heartbeat = setInterval(() => write(': ping\n\n'), options.heartbeatMs ?? 15_000);
  request.raw.on('close', close);
  res.on('close', close);

  return {
    send: (event, data, id) => sendJson(event, JSON.stringify(data), id),
    sendJson,
    onClose(listener) {
      if (closed) listener();
      else listeners.push(listener);
    },
    end: close,
  };
}
