import type { LoginRequest, Role, User } from '@chaosgate/shared';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, isApiError } from '../api';

/**
 * Who is signed in, and the CSRF token that goes with their session. The session itself is
 * an http-only cookie the browser keeps; this store only mirrors what the API says about it.
 */
export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null);
  const csrfToken = ref<string | null>(null);
  /** True once the API has answered whether a session exists (signed in or not). */
  const restored = ref(false);
  let restoring: Promise<User | null> | null = null;

  const isSignedIn = computed(() => user.value !== null);
  const roles = computed<readonly Role[]>(() => user.value?.roles ?? []);

  function setCsrfToken(token: string | null): void {
    csrfToken.value = token;
    api.setCsrfToken(token);
  }

  async function refreshCsrfToken(): Promise<void> {
    setCsrfToken((await api.getCsrf()).csrfToken);
  }

  /** Forgets the user locally, e.g. when the API reports the session gone. */
  function clear(): void {
    user.value = null;
    setCsrfToken(null);
  }

  async function loadSession(): Promise<User | null> {
    try {
      user.value = (await api.getMe()).user;
      // The token handed out before sign-in is not bound to this session; get one that is.
      await refreshCsrfToken();
    } catch (error) {
      if (!isApiError(error, 'CG_AUTH_REQUIRED')) throw error;
      clear();
    }
    restored.value = true;
    return user.value;
  }

  /**
   * Asks the API whether the browser holds a session (after a reload). Resolves to the user or
   * `null`; rejects with an ApiError for anything but "not signed in", leaving `restored` false
   * so the next navigation asks again.
   */
  function restore(): Promise<User | null> {
    restoring ??= loadSession().finally(() => {
      restoring = null;
    });
    return restoring;
  }

  async function signIn(credentials: LoginRequest): Promise<User> {
    await refreshCsrfToken();
    let result: Awaited<ReturnType<typeof api.login>>;
    try {
      result = await api.login(credentials);
    } catch (error) {
      // The CSRF secret cookie can be replaced meanwhile (another tab signed in or out); one
      // retry with a fresh token settles that, a second failure is real.
      if (!isApiError(error, 'CG_AUTH_CSRF_INVALID')) throw error;
      await refreshCsrfToken();
      result = await api.login(credentials);
    }
    user.value = result.user;
    setCsrfToken(result.csrfToken);
    restored.value = true;
    return result.user;
  }

  async function signOut(): Promise<void> {
    try {
      await api.logout();
    } catch (error) {
      // A session that already ended is the outcome signing out wants.
      if (!isApiError(error, 'CG_AUTH_REQUIRED')) throw error;
    }
    clear();
  }

  return { user, csrfToken, restored, isSignedIn, roles, restore, signIn, signOut, clear };
});
