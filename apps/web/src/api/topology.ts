import {
  type SelectorPreviewRequest,
  type SelectorPreviewResponse,
  selectorPreviewResponseSchema,
  type Topology,
  topologySchema,
} from '@chaosgate/shared';
import { type ApiClient, api as defaultClient } from './client';

const envPath = (env: string) => `/api/envs/${encodeURIComponent(env)}`;

/** Where the browser listens for a map's changes (server-sent events); `since` skips an unchanged snapshot. */
export function topologyStreamPath(env: string, namespace: string, since?: string): string {
  const params = new URLSearchParams({ namespace });
  if (since) params.set('since', since);
  return `${envPath(env)}/topology/stream?${params}`;
}

/** The topology endpoints, typed by the shared contract. */
export function createTopologyApi(client: ApiClient = defaultClient) {
  return {
    /** The service map of one namespace of an environment. */
    getTopology(env: string, namespace: string, signal?: AbortSignal): Promise<Topology> {
      const query = new URLSearchParams({ namespace });
      return client.request('GET', `${envPath(env)}/topology?${query}`, { schema: topologySchema, signal });
    },

    /** The pods a selector matches, as the server sees them: the blast radius of an experiment. */
    previewSelector(env: string, body: SelectorPreviewRequest, signal?: AbortSignal): Promise<SelectorPreviewResponse> {
      return client.request('POST', `${envPath(env)}/selector/preview`, {
        body,
        schema: selectorPreviewResponseSchema,
        signal,
      });
    },
  };
}

export type TopologyApi = ReturnType<typeof createTopologyApi>;

export const topologyApi: TopologyApi = createTopologyApi();
