import type { LabelMap, SelectorPreviewResponse } from '@chaosgate/shared';
import { computed, type MaybeRefOrGetter, onScopeDispose, ref, shallowRef, toValue, watch } from 'vue';
import { type TopologyApi, topologyApi } from '../api/topology';

/** A selected node's selector, keyed by the node's id. */
export interface BlastRadiusTarget {
  id: string;
  selector: LabelMap;
}

/**
 * Pods hit by several selectors together (an experiment per selector): distinct pod names.
 * `exact` is false when a preview listed only part of its pods.
 */
export function unionOfPods(results: Iterable<SelectorPreviewResponse>): { count: number; exact: boolean } {
  const names = new Set<string>();
  let exact = true;
  for (const result of results) {
    for (const pod of result.pods) names.add(pod.name);
    if (result.truncated) exact = false;
  }
  return { count: names.size, exact };
}

/**
 * The blast radius of the selected nodes, asked of the server (it matches against the live
 * pod cache): one preview per selector, refreshed when the selection or the map changes.
 */
export function useTopologyBlastRadius(
  environment: MaybeRefOrGetter<string | null | undefined>,
  namespace: MaybeRefOrGetter<string | null | undefined>,
  targets: MaybeRefOrGetter<readonly BlastRadiusTarget[]>,
  /** Changes whenever the map does, so that pods that came or went are counted. */
  revision: MaybeRefOrGetter<string | null | undefined>,
  options: { api?: TopologyApi } = {},
) {
  const api = options.api ?? topologyApi;
  const results = shallowRef<ReadonlyMap<string, SelectorPreviewResponse>>(new Map());
  const loading = ref(false);
  const error = shallowRef<unknown>(null);
  let controller: AbortController | null = null;

  async function load(): Promise<void> {
    controller?.abort();
    const env = toValue(environment);
    const ns = toValue(namespace);
    const wanted = toValue(targets).filter((t) => Object.keys(t.selector).length > 0);
    if (!env || !ns || wanted.length === 0) {
      results.value = new Map();
      loading.value = false;
      return;
    }
    const mine = new AbortController();
    controller = mine;
    loading.value = true;
    error.value = null;
    try {
      const answers = await Promise.all(
        wanted.map((t) =>
          api.previewSelector(env, { namespace: ns, labelSelector: { matchLabels: { ...t.selector } } }, mine.signal),
        ),
      );
      if (mine.signal.aborted) return;
      results.value = new Map(wanted.map((t, i) => [t.id, answers[i] as SelectorPreviewResponse]));
    } catch (e) {
      if (mine.signal.aborted) return;
      error.value = e;
    } finally {
      if (controller === mine) loading.value = false;
    }
  }

  watch(
    () => JSON.stringify([toValue(environment), toValue(namespace), toValue(targets), toValue(revision)]),
    () => void load(),
    { immediate: true },
  );
  onScopeDispose(() => controller?.abort());

  const union = computed(() => unionOfPods(results.value.values()));
  return { results, loading, error, union, reload: load };
}
