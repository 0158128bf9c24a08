import { applyTopologyPatch, type Topology, topologyPatchSchema, topologySchema } from '@chaosgate/shared';
import { type MaybeRefOrGetter, onScopeDispose, ref, shallowRef, toValue, watch } from 'vue';
import { type TopologyApi, topologyApi, topologyStreamPath } from '../api/topology';

/** `EventSource.CLOSED`, without needing the global at import time. */
const STREAM_CLOSED = 2;

/** What a stream event does to the map in hand: a new map, a resync, or nothing (malformed). */
export type TopologyStreamOutcome = { type: 'map'; topology: Topology } | { type: 'resync' } | { type: 'ignore' };

/**
 * Applies one server-sent event of the topology stream to the map in hand. A `snapshot`
 * replaces it; a `patch` applies only on top of the revision it starts from, otherwise the
 * client missed something and must resync.
 */
export function applyTopologyStreamEvent(current: Topology | null, name: string, data: string): TopologyStreamOutcome {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { type: 'ignore' };
  }
  if (name === 'snapshot') {
    const parsed = topologySchema.safeParse(json);
    return parsed.success ? { type: 'map', topology: parsed.data } : { type: 'ignore' };
  }
  if (name === 'patch') {
    const parsed = topologyPatchSchema.safeParse(json);
    if (!parsed.success) return { type: 'ignore' };
    const next = current ? applyTopologyPatch(current, parsed.data) : null;
    return next ? { type: 'map', topology: next } : { type: 'resync' };
  }
  return { type: 'ignore' };
}

export interface UseTopologyOptions {
  api?: TopologyApi;
  /** Opens the event stream; tests pass a fake. */
  openStream?: (url: string) => EventSource;
  /** Wait before asking again after the stream was refused (default 3 s). */
  retryMs?: number;
}

/**
 * The live map of an environment's namespace: fetched once, then kept current by the server's
 * event stream. Refetches when the environment or namespace changes; errors land in `error`.
 */
export function useTopology(
  environment: MaybeRefOrGetter<string | null | undefined>,
  namespace: MaybeRefOrGetter<string | null | undefined>,
  options: UseTopologyOptions = {},
) {
  const api = options.api ?? topologyApi;
  const openStream = options.openStream ?? ((url: string) => new EventSource(url));
  const topology = shallowRef<Topology | null>(null);
  const loading = ref(false);
  const error = shallowRef<unknown>(null);
  /** True while the stream is connected, i.e. the map on screen follows the cluster. */
  const live = ref(false);
  let stream: EventSource | null = null;
  let request: AbortController | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;

  function disconnect(): void {
    clearTimeout(retry);
    request?.abort();
    request = null;
    stream?.close();
    stream = null;
    live.value = false;
  }

  function connect(env: string, ns: string, since: string, mine: number): void {
    const source = openStream(topologyStreamPath(env, ns, since));
    stream = source;
    const handle = (name: string) => (event: Event) => {
      if (mine !== generation) return;
      const outcome = applyTopologyStreamEvent(topology.value, name, (event as MessageEvent<string>).data);
      if (outcome.type === 'map') topology.value = outcome.topology;
      else if (outcome.type === 'resync') void load();
    };
    source.addEventListener('snapshot', handle('snapshot'));
    source.addEventListener('patch', handle('patch'));
    source.addEventListener('open', () => {
      if (mine === generation) live.value = true;
    });
    source.addEventListener('error', () => {
      if (mine !== generation) return;
      live.value = false;
      // CLOSED means the server refused the stream (session gone, policy changed): ask again
      // with a plain request, which reports why; otherwise the browser reconnects by itself.
      if (source.readyState === STREAM_CLOSED) retry = setTimeout(() => void load(), options.retryMs ?? 3_000);
    });
  }

  /** Fetches the map and (re)opens the stream. */
  async function load(): Promise<void> {
    disconnect();
    const mine = ++generation;
    const env = toValue(environment);
    const ns = toValue(namespace);
    if (!env || !ns) {
      topology.value = null;
      error.value = null;
      return;
    }
    if (topology.value && (topology.value.environment !== env || topology.value.namespace !== ns)) {
      topology.value = null;
    }
    loading.value = true;
    error.value = null;
    const controller = new AbortController();
    request = controller;
    try {
      const fetched = await api.getTopology(env, ns, controller.signal);
      if (mine !== generation) return;
      topology.value = fetched;
      connect(env, ns, fetched.revision, mine);
    } catch (e) {
      if (mine !== generation || controller.signal.aborted) return;
      error.value = e;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  watch(
    () => [toValue(environment), toValue(namespace)],
    () => void load(),
    { immediate: true },
  );
  onScopeDispose(() => {
    generation += 1;
    disconnect();
  });

  return { topology, loading, error, live, reload: load };
}
