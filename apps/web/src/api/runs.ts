import {
  type ComposeRequest,
  type CreateRunRequest,
  type PreviewResponse,
  previewResponseSchema,
  type RunDetailDto,
  type RunDto,
  type RunListQuery,
  type RunListResponse,
  runDetailDtoSchema,
  runDtoSchema,
  runListResponseSchema,
  type StopUnmanagedRequest,
  type StopUnmanagedResponse,
  stopUnmanagedResponseSchema,
  type UnmanagedListResponse,
  unmanagedListResponseSchema,
  type ValidateResponse,
  validateResponseSchema,
} from '@chaosgate/shared';
import { type ApiClient, api as defaultClient } from './client';

/** `/api/runs?…` with the filters that are set; empty ones are left out. */
export function runListPath(query: RunListQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `/api/runs?${search}` : '/api/runs';
}

/** Where the browser listens for a run's live updates (server-sent events). */
export function runStreamPath(id: string): string {
  return `/api/runs/${encodeURIComponent(id)}/stream`;
}

/** The experiment-runs endpoints, typed by the shared contract. */
export function createRunsApi(client: ApiClient = defaultClient) {
  const runPath = (id: string) => `/api/runs/${encodeURIComponent(id)}`;
  const unmanagedPath = (env: string) => `/api/envs/${encodeURIComponent(env)}/unmanaged`;

  return {
    /** Checks a composed experiment; always answers, listing problems by JSON path. */
    validate(request: ComposeRequest, signal?: AbortSignal): Promise<ValidateResponse> {
      return client.request('POST', '/api/runs/validate', { body: request, schema: validateResponseSchema, signal });
    },

    /** The exact manifest the server would apply, with the hash a submit must carry. */
    preview(request: ComposeRequest, signal?: AbortSignal): Promise<PreviewResponse> {
      return client.request('POST', '/api/runs/preview', { body: request, schema: previewResponseSchema, signal });
    },

    create(request: CreateRunRequest): Promise<RunDto> {
      return client.request('POST', '/api/runs', { body: request, schema: runDtoSchema });
    },

    execute(id: string, previewHash: string): Promise<RunDto> {
      return client.request('POST', `${runPath(id)}/execute`, { body: { previewHash }, schema: runDtoSchema });
    },

    abort(id: string, reason?: string): Promise<RunDto> {
      return client.request('POST', `${runPath(id)}/abort`, { body: reason ? { reason } : {}, schema: runDtoSchema });
    },

    list(query: RunListQuery, signal?: AbortSignal): Promise<RunListResponse> {
      return client.request('GET', runListPath(query), { schema: runListResponseSchema, signal });
    },

    get(id: string, signal?: AbortSignal): Promise<RunDetailDto> {
      return client.request('GET', runPath(id), { schema: runDetailDtoSchema, signal });
    },

    listUnmanaged(environment: string, signal?: AbortSignal): Promise<UnmanagedListResponse> {
      return client.request('GET', unmanagedPath(environment), { schema: unmanagedListResponseSchema, signal });
    },

    stopUnmanaged(environment: string, object: StopUnmanagedRequest): Promise<StopUnmanagedResponse> {
      return client.request('POST', `${unmanagedPath(environment)}/stop`, {
        body: object,
        schema: stopUnmanagedResponseSchema,
      });
    },
  };
}

export type RunsApi = ReturnType<typeof createRunsApi>;

export const runsApi: RunsApi = createRunsApi();
