import { isTerminal, type RunDto, type RunListQuery, type RunStatus, runDtoSchema } from '@chaosgate/shared';
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { runsApi } from '../api/runs';

/** The filters of the runs list; an empty string means "any". */
export interface RunFilters {
  environment: string;
  status: RunStatus | '';
  createdBy: string;
  namespace: string;
  kind: string;
}

export const RUNS_PAGE_SIZE = 25;

export function emptyRunFilters(): RunFilters {
  return { environment: '', status: '', createdBy: '', namespace: '', kind: '' };
}

/** The list query for a set of filters: only the filters that are set. */
export function runListQuery(filters: RunFilters, cursor?: string): RunListQuery {
  const query: RunListQuery = { limit: RUNS_PAGE_SIZE };
  if (filters.environment) query.environment = filters.environment;
  if (filters.status) query.status = filters.status;
  if (filters.createdBy.trim()) query.createdBy = filters.createdBy.trim();
  if (filters.namespace.trim()) query.namespace = filters.namespace.trim();
  if (filters.kind) query.kind = filters.kind;
  if (cursor) query.cursor = cursor;
  return query;
}

/**
 * The runs list: one page at a time in keyset order ("load more" follows `nextCursor`). A new
 * filter starts over and cancels whatever page was still loading, so an old answer never
 * lands under new filters.
 */
export const useRunsStore = defineStore('runs', () => {
  const filters = ref<RunFilters>(emptyRunFilters());
  const items = shallowRef<RunDto[]>([]);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const loadingMore = ref(false);
  const loaded = ref(false);
  const error = shallowRef<unknown>(null);
  let controller: AbortController | null = null;

  function begin(): AbortController {
    controller?.abort();
    controller = new AbortController();
    return controller;
  }

  /** Loads the first page for `next` filters (or the current ones again). */
  async function load(next?: RunFilters): Promise<void> {
    if (next) filters.value = { ...next };
    const request = begin();
    loading.value = true;
    loadingMore.value = false;
    error.value = null;
    try {
      const page = await runsApi.list(runListQuery(filters.value), request.signal);
      if (request.signal.aborted) return;
      items.value = page.items;
      nextCursor.value = page.nextCursor;
      loaded.value = true;
    } catch (e) {
      if (!request.signal.aborted) error.value = e;
    } finally {
      if (controller === request) loading.value = false;
    }
  }

  /** Appends the next page; runs already listed (moved up meanwhile) are not repeated. */
  async function loadMore(): Promise<void> {
    if (!nextCursor.value || loading.value || loadingMore.value) return;
    const request = begin();
    loadingMore.value = true;
    error.value = null;
    try {
      const page = await runsApi.list(runListQuery(filters.value, nextCursor.value), request.signal);
      if (request.signal.aborted) return;
      const known = new Set(items.value.map((r) => r.id));
      items.value = [...items.value, ...page.items.filter((r) => !known.has(r.id))];
      nextCursor.value = page.nextCursor;
    } catch (e) {
      if (!request.signal.aborted) error.value = e;
    } finally {
      if (controller === request) loadingMore.value = false;
    }
  }

  /** Puts a run someone just changed (submitted, executed, aborted) into the list. */
  function upsert(run: RunDto): void {
    const index = items.value.findIndex((r) => r.id === run.id);
    items.value = index === -1 ? items.value : items.value.with(index, run);
  }

  /**
   * Fetches the listed runs that can still change (at most `max`, newest first) and puts their
   * current state in the list, so statuses move without reloading the pages already loaded.
   */
  async function refreshActive(max = 10): Promise<void> {
    const active = items.value.filter((r) => !isTerminal(r.status)).slice(0, max);
    const fresh = await Promise.allSettled(active.map((r) => runsApi.get(r.id)));
    for (const result of fresh) {
      if (result.status === 'fulfilled') upsert(runDtoSchema.parse(result.value));
    }
  }

  return { filters, items, nextCursor, loading, loadingMore, loaded, error, load, loadMore, upsert, refreshActive };
});
