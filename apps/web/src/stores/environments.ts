import type { Environment } from '@chaosgate/shared';
import { useLocalStorage } from '@vueuse/core';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api } from '../api';

export const SELECTED_ENVIRONMENT_STORAGE_KEY = 'chaosgate.environment';

/** Production gets the loud styling and, in later pages, the extra confirmations. */
export function isProductionEnvironment(environment: Pick<Environment, 'name'>): boolean {
  return /^prod(uction)?(-|$)/.test(environment.name);
}

/** The environments the API knows, and the one the user works in (kept across visits). */
export const useEnvironmentStore = defineStore('environments', () => {
  const environments = shallowRef<Environment[]>([]);
  const selectedName = useLocalStorage(SELECTED_ENVIRONMENT_STORAGE_KEY, '');
  const loading = ref(false);
  const loaded = ref(false);
  const error = shallowRef<unknown>(null);

  const selected = computed(() => environments.value.find((e) => e.name === selectedName.value) ?? null);

  function select(name: string): void {
    if (environments.value.some((e) => e.name === name)) selectedName.value = name;
  }

  /** Fetches the list; keeps the stored selection when it still exists, else picks the first. */
  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      environments.value = (await api.listEnvironments()).environments;
      loaded.value = true;
      if (!selected.value) selectedName.value = environments.value[0]?.name ?? '';
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }

  /** Drops the list on sign-out; the remembered selection stays for the next sign-in. */
  function reset(): void {
    environments.value = [];
    loaded.value = false;
    error.value = null;
  }

  return { environments, selected, selectedName, loading, loaded, error, select, load, reset };
});
