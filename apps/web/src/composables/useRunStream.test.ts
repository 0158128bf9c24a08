import type { RunDetailDto, TimelineEvent } from '@chaosgate/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick } from 'vue';
import {
  applyRunStreamEvent,
  type EventSourceLike,
  mergeFetchedDetail,
  parseRunStreamEvent,
  useRunStream,
} from './useRunStream';

const hash = 'a'.repeat(64);

function runDetail(overrides: Partial<RunDetailDto> = {}): RunDetailDto {
  return {
    id: 'run-1',
    name: 'pod-kill-order',
    environment: 'dev',
    namespace: 'chaos-dev',
    kind: 'PodChaos',
    action: 'pod-kill',
    status: 'approved',
    createdBy: 'dev',
    approvedBy: null,
    manifestHash: hash,
    reason: null,
    createdAt: '2026-12-04T10:00:00.000Z',
    updatedAt: '2026-12-04T10:00:00.000Z',
    submittedAt: '2026-12-04T10:00:00.000Z',
    approvedAt: '2026-12-04T10:00:00.000Z',
    rejectedAt: null,
    startedAt: null,
    finishedAt: null,
    crName: null,
    targets: [],
    durationSeconds: 20,
    manifest: { kind: 'PodChaos' },
    yaml: 'kind: PodChaos\n',
    hash,
    rules: { http: [], prometheus: [], intervalSeconds: 10, failureThreshold: 3 },
    timeline: [],
    probeResults: [],
    records: [],
    conditions: [],
    ...overrides,
  };
}

function timelineEvent(id: string, at: string, type: TimelineEvent['type'] = 'status'): TimelineEvent {
  return {
    id,
    runId: 'run-1',
    at,
    type,
    message: id,
    fromStatus: null,
    toStatus: null,
    actor: null,
    details: {},
  };
}

function runOf(detail: RunDetailDto, overrides: Partial<RunDetailDto>) {
  const {
    manifest,
    yaml,
    hash: _h,
    rules,
    timeline,
    probeResults,
    records,
    conditions,
    ...run
  } = {
    ...detail,
    ...overrides,
  };
  return run;
}

describe('applyRunStreamEvent', () => {
  it('takes a newer run status and drops an older one', () => {
    const detail = runDetail();
    const running = applyRunStreamEvent(detail, {
      type: 'run',
      run: runOf(detail, { status: 'running', updatedAt: '2026-12-04T10:00:05.000Z' }),
    });
    expect(running.status).toBe('running');
    expect(running.yaml).toBe(detail.yaml);

    const stale = runOf(detail, { status: 'approved', updatedAt: '2026-12-04T10:00:01.000Z' });
    expect(applyRunStreamEvent(running, { type: 'run', run: stale })).toBe(running);
  });

  it('adds each timeline event once, in time order, and ignores other runs', () => {
    let detail = runDetail({ timeline: [timelineEvent('b', '2026-12-04T10:00:02.000Z')] });
    detail = applyRunStreamEvent(detail, { type: 'timeline', event: timelineEvent('a', '2026-12-04T10:00:01.000Z') });
    detail = applyRunStreamEvent(detail, { type: 'timeline', event: timelineEvent('a', '2026-12-04T10:00:01.000Z') });
    expect(detail.timeline.map((e) => e.id)).toEqual(['a', 'b']);
    const other = { ...timelineEvent('c', '2026-12-04T10:00:03.000Z'), runId: 'run-2' };
    expect(applyRunStreamEvent(detail, { type: 'timeline', event: other })).toBe(detail);
  });

  it('replaces pod records and conditions', () => {
    const record = {
      id: 'r1',
      namespace: 'chaos-dev',
      name: 'order-1',
      phase: 'Injected',
      selectorKey: '.',
      injectedCount: 1,
      recoveredCount: 0,
      lastEvent: null,
    };
    const next = applyRunStreamEvent(runDetail(), {
      type: 'records',
      records: { records: [record], conditions: [{ type: 'AllInjected', status: 'True', reason: null }] },
    });
    expect(next.records).toEqual([record]);
    expect(next.conditions[0]?.type).toBe('AllInjected');
  });
});

describe('mergeFetchedDetail', () => {
  it('keeps timeline events the stream delivered while the fetch was on its way', () => {
    const current = runDetail({ timeline: [timelineEvent('late', '2026-12-04T10:00:09.000Z')] });
    const fetched = runDetail({ timeline: [timelineEvent('early', '2026-12-04T10:00:01.000Z')] });
    expect(mergeFetchedDetail(current, fetched).timeline.map((e) => e.id)).toEqual(['early', 'late']);
  });

  it('keeps a newer status and newer pod records seen on the stream over an older snapshot', () => {
    const record = {
      id: 'r1',
      namespace: 'chaos-dev',
      name: 'order-1',
      phase: 'Injected',
      selectorKey: '.',
      injectedCount: 1,
      recoveredCount: 0,
      lastEvent: null,
    };
    const current = runDetail({ status: 'running', updatedAt: '2026-12-04T10:00:05.000Z', records: [record] });
    const merged = mergeFetchedDetail(current, runDetail({ yaml: 'fresh' }));
    expect(merged).toMatchObject({ status: 'running', yaml: 'fresh', records: [record] });
  });

  it('takes the snapshot when it is as new as what the stream showed', () => {
    const current = runDetail({ status: 'running', records: [] });
    const fetched = runDetail({
      status: 'running',
      conditions: [{ type: 'AllInjected', status: 'True', reason: null }],
    });
    expect(mergeFetchedDetail(current, fetched)).toBe(fetched);
  });
});

describe('parseRunStreamEvent', () => {
  it('ignores malformed data and unknown events', () => {
    expect(parseRunStreamEvent('run', '{')).toBeNull();
    expect(parseRunStreamEvent('run', '{"id":1}')).toBeNull();
    expect(parseRunStreamEvent('ping', '{}')).toBeNull();
    expect(parseRunStreamEvent('records', '{"records":[],"conditions":[]}')).toEqual({
      type: 'records',
      records: { records: [], conditions: [] },
    });
  });
});

/** A controllable stand-in for the browser's EventSource. */
class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private listeners = new Map<string, Array<(event: MessageEvent<string>) => void>>();

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  emit(type: string, data: unknown): void {
    for (const listener of this.listeners.get(type) ?? []) {
      listener({ data: JSON.stringify(data) } as MessageEvent<string>);
    }
  }

  fail(): void {
    this.readyState = 2;
    this.onerror?.(new Event('error'));
  }
}

describe('useRunStream', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeEventSource.instances = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function start(get = vi.fn(async () => runDetail())) {
    const scope = effectScope();
    const stream = scope.run(() =>
      useRunStream('run-1', {
        api: { get },
        createEventSource: (url) => new FakeEventSource(url),
        reconnectDelayMs: 100,
      }),
    );
    if (!stream) throw new Error('no stream');
    return { scope, stream, get };
  }

  it('fetches the run, then applies the events of its stream', async () => {
    const { stream, scope } = start();
    await vi.runOnlyPendingTimersAsync();
    expect(stream.detail.value?.status).toBe('approved');
    const source = FakeEventSource.instances[0];
    expect(source?.url).toBe('/api/runs/run-1/stream');
    source?.open();
    expect(stream.connected.value).toBe(true);
    source?.emit('run', runOf(runDetail(), { status: 'running', updatedAt: '2026-12-04T10:00:05.000Z' }));
    await nextTick();
    expect(stream.detail.value?.status).toBe('running');
    scope.stop();
    expect(source?.closed).toBe(true);
  });

  it('reconnects after the stream closed for good and fetches what it missed', async () => {
    const { stream, get, scope } = start();
    await vi.runOnlyPendingTimersAsync();
    FakeEventSource.instances[0]?.fail();
    expect(stream.connected.value).toBe(false);
    expect(FakeEventSource.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(get).toHaveBeenCalledTimes(2);
    scope.stop();
  });

  it('fetches probe results when a probe event arrives', async () => {
    const { get, scope } = start();
    await vi.runOnlyPendingTimersAsync();
    const source = FakeEventSource.instances[0];
    source?.open();
    source?.emit('timeline', timelineEvent('p1', '2026-12-04T10:00:03.000Z', 'probe'));
    source?.emit('timeline', timelineEvent('p2', '2026-12-04T10:00:04.000Z', 'probe'));
    await vi.advanceTimersByTimeAsync(400);
    expect(get).toHaveBeenCalledTimes(2);
    scope.stop();
  });

  it('keeps the error of a failed fetch', async () => {
    const failure = new Error('offline');
    const { stream, scope } = start(
      vi.fn(async () => {
        throw failure;
      }),
    );
    await vi.runOnlyPendingTimersAsync();
    expect(stream.error.value).toBe(failure);
    scope.stop();
  });
});
