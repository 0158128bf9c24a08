import { TOPOLOGY_NODE_KINDS, type TopologyNodeKind } from '@chaosgate/shared';
import { useLocalStorage } from '@vueuse/core';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

export const TOPOLOGY_NAMESPACE_STORAGE_KEY = 'chaosgate.topology.namespaces';

/**
 * What the user looks at on the map: the namespace per environment (kept across visits), the
 * kind filter, the name search and the selected nodes (shift-click adds to the selection).
 */
export const useTopologyStore = defineStore('topology', () => {
  const namespaces = useLocalStorage<Record<string, string>>(TOPOLOGY_NAMESPACE_STORAGE_KEY, {});
  const kinds = ref<TopologyNodeKind[]>([...TOPOLOGY_NODE_KINDS]);
  const search = ref('');
  const selectedIds = ref<string[]>([]);

  const hasFilter = computed(() => kinds.value.length < TOPOLOGY_NODE_KINDS.length || search.value.trim() !== '');

  /** The namespace shown for `environment`: the remembered one while it is still a target, else the first. */
  function namespaceFor(environment: string, targets: readonly string[]): string | null {
    const remembered = namespaces.value[environment];
    return remembered && targets.includes(remembered) ? remembered : (targets[0] ?? null);
  }

  function setNamespace(environment: string, namespace: string): void {
    namespaces.value = { ...namespaces.value, [environment]: namespace };
    selectedIds.value = [];
  }

  /** A click selects one node; a shift-click adds it to the selection or takes it out again. */
  function select(id: string, additive: boolean): void {
    if (!additive) {
      selectedIds.value = [id];
      return;
    }
    selectedIds.value = selectedIds.value.includes(id)
      ? selectedIds.value.filter((s) => s !== id)
      : [...selectedIds.value, id];
  }

  function clearSelection(): void {
    selectedIds.value = [];
  }

  /** Drops selected nodes that are gone from the map (deleted in the cluster). */
  function keepOnly(existing: ReadonlySet<string>): void {
    if (selectedIds.value.some((id) => !existing.has(id))) {
      selectedIds.value = selectedIds.value.filter((id) => existing.has(id));
    }
  }

  function resetFilters(): void {
    kinds.value = [...TOPOLOGY_NODE_KINDS];
    search.value = '';
  }

  return {
    namespaces,
    kinds,
    search,
    selectedIds,
    hasFilter,
    namespaceFor,
    setNamespace,
    select,
    clearSelection,
    keepOnly,
    resetFilters,
  };
});
