import {
  RUN_STREAM_EVENTS,
  type RunDetailDto,
  type RunDto,
  type RunStreamRecords,
  runDtoSchema,
  runStreamRecordsSchema,
  type TimelineEvent,
  timelineEventSchema,
} from '@chaosgate/shared';
import { type MaybeRefOrGetter, onScopeDispose, ref, shallowRef, toValue, watch } from 'vue';
import { type RunsApi, runStreamPath, runsApi } from '../api/runs';

/** One message of a run's event stream, parsed. */
export type RunStreamEvent =
  | { type: 'run'; run: RunDto }
  | { type: 'timeline'; event: TimelineEvent }
  | { type: 'records'; records: RunStreamRecords };

function time(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

function byTime(a: TimelineEvent, b: TimelineEvent): number {
  return time(a.at) - time(b.at);
}

/**
 * Applies one stream event to a run's detail and returns the new detail (or the same object
 * when nothing changed). A `run` older than what is shown is dropped, so events that arrive
 * out of order never move a run backwards; timeline events are kept once each, in time order.
 */
export function applyRunStreamEvent(detail: RunDetailDto, message: RunStreamEvent): RunDetailDto {
  switch (message.type) {
    case 'run':
      if (message.run.id !== detail.id || time(message.run.updatedAt) < time(detail.updatedAt)) return detail;
      return { ...detail, ...message.run };
    case 'timeline':
      if (message.event.runId !== detail.id || detail.timeline.some((e) => e.id === message.event.id)) return detail;
      return { ...detail, timeline: [...detail.timeline, message.event].sort(byTime) };
    case 'records':
      return { ...detail, records: message.records.records, conditions: message.records.conditions };
  }
}

/**
 * A freshly fetched detail, keeping what the stream delivered while the fetch was on its way:
 * the fetch may have been answered from a snapshot taken just before. Timeline events are
 * merged; the run and its pod records are kept from the stream when the stream's run is newer
 * (every change of the records also moves the run's `updatedAt`, and the server sends records
 * only when they change, so a stale snapshot must not overwrite them).
 */
export function mergeFetchedDetail(current: RunDetailDto | null, fetched: RunDetailDto): RunDetailDto {
  if (!current || current.id !== fetched.id) return fetched;
  const known = new Set(fetched.timeline.map((e) => e.id));
  const extra = current.timeline.filter((e) => !known.has(e.id));
  const base =
    time(current.updatedAt) > time(fetched.updatedAt)
      ? { ...fetched, ...pickRun(current), records: current.records, conditions: current.conditions }
      : fetched;
  return extra.length === 0 ? base : { ...base, timeline: [...fetched.timeline, ...extra].sort(byTime) };
}

function pickRun(detail: RunDetailDto): RunDto {
  return runDtoSchema.parse(detail);
}

/** Parses one server-sent event by its name; anything unknown or malformed is ignored. */
export function parseRunStreamEvent(name: string, data: string): RunStreamEvent | null {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  if (name === RUN_STREAM_EVENTS.run) {
    const run = runDtoSchema.safeParse(json);
    return run.success ? { type: 'run', run: run.data } : null;
  }
  if (name === RUN_STREAM_EVENTS.timeline) {
    const event = timelineEventSchema.safeParse(json);
    return event.success ? { type: 'timeline', event: event.data } : null;
  }
  if (name === RUN_STREAM_EVENTS.records) {
    const records = runStreamRecordsSchema.safeParse(json);
    return records.success ? { type: 'records', records: records.data } : null;
  }
  return null;
}

/** The part of `EventSource` the stream uses; tests pass a fake. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export interface UseRunStreamOptions {
  api?: Pick<RunsApi, 'get'>;
  createEventSource?: (url: string) => EventSourceLike;
  /** First reconnect delay after the server closed the stream; doubles up to 30 s. */
  reconnectDelayMs?: number;
}

const CLOSED = 2;
const MAX_RECONNECT_DELAY_MS = 30_000;

/**
 * A run's detail, kept live: fetched once, then updated by the run's server-sent events.
 * When the stream drops for good (EventSource gives up on an error response) it reconnects
 * with a growing delay and fetches the detail again to catch what it missed. Probe results
 * are not streamed; a probe timeline event triggers a fetch. Closes with the calling scope.
 */
export function useRunStream(id: MaybeRefOrGetter<string>, options: UseRunStreamOptions = {}) {
  const api = options.api ?? runsApi;
  const createEventSource = options.createEventSource ?? ((url: string) => new EventSource(url));
  const baseDelay = options.reconnectDelayMs ?? 1_000;

  const detail = shallowRef<RunDetailDto | null>(null);
  const error = shallowRef<unknown>(null);
  const loading = ref(false);
  const connected = ref(false);

  let source: EventSourceLike | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;
  let delay = baseDelay;
  let fetchController: AbortController | null = null;

  async function refresh(): Promise<void> {
    fetchController?.abort();
    const controller = new AbortController();
    fetchController = controller;
    const runId = toValue(id);
    loading.value = detail.value === null;
    try {
      const fetched = await api.get(runId, controller.signal);
      if (controller.signal.aborted) return;
      detail.value = mergeFetchedDetail(detail.value, fetched);
      error.value = null;
    } catch (e) {
      if (!controller.signal.aborted) error.value = e;
    } finally {
      if (fetchController === controller) loading.value = false;
    }
  }

  /** Several probe results usually land together; one fetch covers them. */
  function refreshSoon(): void {
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      void refresh();
    }, 300);
  }

  function apply(message: RunStreamEvent): void {
    if (!detail.value) return;
    detail.value = applyRunStreamEvent(detail.value, message);
    if (message.type === 'timeline' && message.event.type === 'probe') refreshSoon();
  }

  function close(): void {
    source?.close();
    source = null;
    connected.value = false;
    for (const timer of [reconnectTimer, refreshTimer]) if (timer) clearTimeout(timer);
    reconnectTimer = null;
    refreshTimer = null;
  }

  function open(): void {
    const stream = createEventSource(runStreamPath(toValue(id)));
    source = stream;
    let opened = false;
    stream.onopen = () => {
      connected.value = true;
      delay = baseDelay;
      // After a reconnect, fetch what happened while the stream was down.
      if (opened) void refresh();
      opened = true;
    };
    stream.onerror = () => {
      connected.value = false;
      // The browser retries by itself unless the stream is closed for good.
      if (stream.readyState !== CLOSED || source !== stream) return;
      source = null;
      reconnectTimer = setTimeout(() => {
        reconnectTimer = null;
        void refresh();
        open();
      }, delay);
      delay = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
    };
    for (const name of Object.values(RUN_STREAM_EVENTS)) {
      stream.addEventListener(name, (event) => {
        const message = parseRunStreamEvent(name, event.data);
        if (message) apply(message);
      });
    }
  }

  watch(
    () => toValue(id),
    () => {
      close();
      detail.value = null;
      void refresh();
      open();
    },
    { immediate: true },
  );

  onScopeDispose(() => {
    close();
    fetchController?.abort();
  });

  return { detail, error, loading, connected, refresh, close };
}
