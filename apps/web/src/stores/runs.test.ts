import type { RunDto } from '@chaosgate/shared';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/api-error';
import { emptyRunFilters, runListQuery, useRunsStore } from './runs';

const fakeApi = vi.hoisted(() => ({ list: vi.fn(), get: vi.fn() }));
vi.mock('../api/runs', () => ({ runsApi: fakeApi }));

function run(id: string, overrides: Partial<RunDto> = {}): RunDto {
  return {
    id,
    name: id,
    environment: 'dev',
    namespace: 'chaos-dev',
    kind: 'PodChaos',
    action: 'pod-kill',
    status: 'completed',
    createdBy: 'dev',
    approvedBy: null,
    manifestHash: 'a'.repeat(64),
    reason: null,
    createdAt: '2026-12-04T10:00:00.000Z',
    updatedAt: '2026-12-04T10:00:00.000Z',
    submittedAt: null,
    approvedAt: null,
    rejectedAt: null,
    startedAt: null,
    finishedAt: null,
    crName: null,
    targets: [],
    durationSeconds: null,
    ...overrides,
  };
}

describe('runListQuery', () => {
  it('sends only the filters that are set, trimmed, with the page size and cursor', () => {
    expect(runListQuery(emptyRunFilters())).toEqual({ limit: 25 });
    expect(
      runListQuery(
        { environment: 'dev', status: 'running', createdBy: ' dev ', namespace: '', kind: 'PodChaos' },
        'c1',
      ),
    ).toEqual({ limit: 25, environment: 'dev', status: 'running', createdBy: 'dev', kind: 'PodChaos', cursor: 'c1' });
  });
});

describe('useRunsStore', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.resetAllMocks();
  });

  it('loads the first page and follows the cursor, without repeating runs', async () => {
    fakeApi.list
      .mockResolvedValueOnce({ items: [run('r3'), run('r2')], nextCursor: 'c1' })
      .mockResolvedValueOnce({ items: [run('r2'), run('r1')], nextCursor: null });
    const store = useRunsStore();
    await store.load({ ...emptyRunFilters(), environment: 'dev' });
    expect(store.items.map((r) => r.id)).toEqual(['r3', 'r2']);
    await store.loadMore();
    expect(store.items.map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
    expect(store.nextCursor).toBeNull();
    expect(fakeApi.list.mock.calls[1]?.[0]).toEqual({ limit: 25, environment: 'dev', cursor: 'c1' });
    await store.loadMore();
    expect(fakeApi.list).toHaveBeenCalledTimes(2);
  });

  it('drops the answer of a request that new filters replaced', async () => {
    let answerOld: (value: unknown) => void = () => {};
    fakeApi.list
      .mockImplementationOnce(() => new Promise((resolve) => (answerOld = resolve)))
      .mockResolvedValueOnce({ items: [run('new')], nextCursor: null });
    const store = useRunsStore();
    const first = store.load({ ...emptyRunFilters(), status: 'running' });
    await store.load({ ...emptyRunFilters(), status: 'aborted' });
    answerOld({ items: [run('old')], nextCursor: 'x' });
    await first;
    expect(store.items.map((r) => r.id)).toEqual(['new']);
    expect(store.loading).toBe(false);
  });

  it('keeps the error for the page to show', async () => {
    fakeApi.list.mockRejectedValue(new ApiError(503, 'CG_UNAVAILABLE', 'not ready'));
    const store = useRunsStore();
    await store.load();
    expect(store.error).toMatchObject({ code: 'CG_UNAVAILABLE' });
    expect(store.loaded).toBe(false);
  });

  it('updates a listed run in place', async () => {
    fakeApi.list.mockResolvedValue({ items: [run('r1', { status: 'approved' })], nextCursor: null });
    const store = useRunsStore();
    await store.load();
    store.upsert(run('r1', { status: 'running' }));
    store.upsert(run('unknown'));
    expect(store.items.map((r) => [r.id, r.status])).toEqual([['r1', 'running']]);
  });

  it('refreshes only the runs that can still change', async () => {
    fakeApi.list.mockResolvedValue({
      items: [run('r2', { status: 'running' }), run('r1', { status: 'completed' })],
      nextCursor: null,
    });
    fakeApi.get.mockResolvedValue({ ...run('r2', { status: 'aborted' }), yaml: 'kind: PodChaos' });
    const store = useRunsStore();
    await store.load();
    await store.refreshActive();
    expect(fakeApi.get).toHaveBeenCalledTimes(1);
    expect(fakeApi.get).toHaveBeenCalledWith('r2');
    expect(store.items.map((r) => [r.id, r.status])).toEqual([
      ['r2', 'aborted'],
      ['r1', 'completed'],
    ]);
    expect(store.items[0]).not.toHaveProperty('yaml');
  });
});
