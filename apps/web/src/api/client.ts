import {
  CSRF_HEADER,
  type CsrfResponse,
  csrfResponseSchema,
  type EnvironmentListResponse,
  environmentListResponseSchema,
  type LoginRequest,
  type LoginResponse,
  loginResponseSchema,
  type MeResponse,
  meResponseSchema,
} from '@chaosgate/shared';
import type { z } from 'zod';
import { ApiError, apiErrorFromResponse, NO_RESPONSE_STATUS } from './api-error';

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const MUTATING_METHODS: ReadonlySet<HttpMethod> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface RequestOptions<T> {
  /** JSON body; serialised and sent with `content-type: application/json`. */
  body?: unknown;
  /** Schema the 2xx body must match. Omit for endpoints answering 204. */
  schema?: z.ZodType<T>;
  signal?: AbortSignal;
}

export interface ApiClientOptions {
  /** Defaults to the global `fetch`; tests pass a fake. */
  fetch?: typeof fetch;
  /** Prefix for every path; empty means same origin as the page. */
  baseUrl?: string;
}

export type AuthRequiredListener = (error: ApiError) => void;

/**
 * The single fetch wrapper for the chaosgate API: JSON in and out, same-origin cookies, the
 * CSRF token on every mutating request, and every failure turned into an {@link ApiError}.
 */
export function createApiClient(options: ApiClientOptions = {}) {
  const baseUrl = options.baseUrl ?? '';
  let csrfToken: string | null = null;
  const authRequiredListeners = new Set<AuthRequiredListener>();

  async function send(method: HttpMethod, path: string, init: RequestOptions<unknown>) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (MUTATING_METHODS.has(method) && csrfToken) headers[CSRF_HEADER] = csrfToken;
    const doFetch = options.fetch ?? globalThis.fetch;
    try {
      return await doFetch(`${baseUrl}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
      });
    } catch (cause) {
      // A caller that aborts wants its own AbortError back, not a network failure.
      if (init.signal?.aborted) throw cause;
      const message = cause instanceof Error ? cause.message : 'Network request failed';
      throw new ApiError(NO_RESPONSE_STATUS, 'CG_CLIENT_NETWORK', message);
    }
  }

  async function readJson(response: Response): Promise<unknown> {
    const text = await response.text();
    if (text === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }

  /** Sends one request and returns the body parsed by `schema` (or `undefined` without one). */
  async function request<T = undefined>(method: HttpMethod, path: string, init: RequestOptions<T> = {}): Promise<T> {
    const response = await send(method, path, init);
    const body = await readJson(response);
    if (!response.ok) {
      const error = apiErrorFromResponse(response.status, body);
      if (error.code === 'CG_AUTH_REQUIRED') {
        for (const listener of authRequiredListeners) listener(error);
      }
      throw error;
    }
    if (!init.schema) return undefined as T;
    const parsed = init.schema.safeParse(body);
    if (!parsed.success) {
      throw new ApiError(
        response.status,
        'CG_CLIENT_BAD_RESPONSE',
        `Response of ${method} ${path} does not match the API contract`,
        parsed.error.issues,
      );
    }
    return parsed.data;
  }

  return {
    request,

    /** Token sent in the CSRF header from now on; `null` stops sending it. */
    setCsrfToken(token: string | null): void {
      csrfToken = token;
    },

    /** Called whenever any request answers `CG_AUTH_REQUIRED`; returns an unsubscribe. */
    onAuthRequired(listener: AuthRequiredListener): () => void {
      authRequiredListeners.add(listener);
      return () => authRequiredListeners.delete(listener);
    },

    /** A fresh CSRF token (bound to the session when there is one). */
    getCsrf(signal?: AbortSignal): Promise<CsrfResponse> {
      return request('GET', '/api/auth/csrf', { schema: csrfResponseSchema, signal });
    },

    login(credentials: LoginRequest): Promise<LoginResponse> {
      return request('POST', '/api/auth/login', { body: credentials, schema: loginResponseSchema });
    },

    logout(): Promise<void> {
      return request('POST', '/api/auth/logout');
    },

    getMe(signal?: AbortSignal): Promise<MeResponse> {
      return request('GET', '/api/me', { schema: meResponseSchema, signal });
    },

    listEnvironments(signal?: AbortSignal): Promise<EnvironmentListResponse> {
      return request('GET', '/api/envs', { schema: environmentListResponseSchema, signal });
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The client the app uses: same origin as the page. */
export const api: ApiClient = createApiClient();
