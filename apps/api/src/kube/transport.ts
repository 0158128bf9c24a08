import { IsomorphicFetchHttpLibrary, type KubeConfig, RequestContext } from '@kubernetes/client-node';
import { AppError } from '../errors';
import { kubeHttpError, kubeTransportError } from './kube-errors';

/** Query values; `undefined` entries are left out. */
export type QueryParams = Record<string, string | number | boolean | undefined>;

/** One call to the API server. */
export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: QueryParams;
  /** Sent as JSON (valid YAML too, so it also serves server-side apply). */
  body?: unknown;
  /** Defaults to `application/json` when there is a body. */
  contentType?: string;
  /** Overrides the transport's default timeout. */
  timeoutMs?: number;
  /** Names the call in error messages: `create PodChaos chaos-dev/x`. */
  what: string;
}

/** Sends requests with a kubeconfig's credentials and TLS settings; maps every failure to an `AppError`. */
export interface KubeTransport {
  /** The parsed JSON answer. */
  json<T>(request: KubeRequest): Promise<T>;
  /** The answer as text (e.g. `/readyz`). */
  text(request: KubeRequest): Promise<string>;
}

/**
 * A transport over the client library's own HTTP stack (undici with the kubeconfig's TLS
 * dispatcher and authenticators: client certificates, tokens, exec plugins, in-cluster tokens).
 */
export function createTransport(kc: KubeConfig, options: { timeoutMs: number }): KubeTransport {
  const http = new IsomorphicFetchHttpLibrary();

  async function send(request: KubeRequest): Promise<string> {
    const server = kc.getCurrentCluster()?.server ?? '';
    const url = new URL(server.replace(/\/+$/, '') + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const context = new RequestContext(url.toString(), request.method);
    context.setHeaderParam('Accept', 'application/json');
    if (request.body !== undefined) {
      context.setHeaderParam('Content-Type', request.contentType ?? 'application/json');
      context.setBody(JSON.stringify(request.body));
    }
    context.setSignal(AbortSignal.timeout(request.timeoutMs ?? options.timeoutMs));
    let status: number;
    let body: string;
    try {
      await kc.applySecurityAuthentication(context);
      const response = await http.send(context).toPromise();
      status = response.httpStatusCode;
      body = await response.body.text();
    } catch (err) {
      throw kubeTransportError(err, request.what);
    }
    if (status < 200 || status > 299) throw kubeHttpError(status, body, request.what);
    return body;
  }

  return {
    async json<T>(request: KubeRequest): Promise<T> {
      const body = await send(request);
      try {
        return JSON.parse(body) as T;
      } catch {
        throw new AppError('CG_KUBE_UNAVAILABLE', `${request.what}: the cluster's answer is not JSON`);
      }
    },
    text: send,
  };
}
