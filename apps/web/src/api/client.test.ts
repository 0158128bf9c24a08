import { describe, expect, it } from 'vitest';
import { ApiError, NO_RESPONSE_STATUS } from './api-error';
import { createApiClient } from './client';

interface RecordedRequest {
  url: string;
  init: RequestInit;
}

/** A fake `fetch` answering every call with `respond()` and recording what it was asked. */
function fakeFetch(respond: () => Response | Promise<Response>) {
  const requests: RecordedRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    requests.push({ url: String(input), init });
    return respond();
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

const user = { id: 'u1', username: 'sre', displayName: 'Site Reliability', roles: ['sre'] };

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('api client errors', () => {
  it('turns an error body into an ApiError with status, code, message and details', async () => {
    const { fetch } = fakeFetch(() =>
      json(401, {
        error: { code: 'CG_AUTH_INVALID_CREDENTIALS', message: 'Invalid credentials', details: { n: 1 } },
      }),
    );
    const error = await rejection(createApiClient({ fetch }).login({ username: 'sre', password: 'x' }));
    expect(error).toMatchObject({
      status: 401,
      code: 'CG_AUTH_INVALID_CREDENTIALS',
      message: 'Invalid credentials',
      details: { n: 1 },
    });
  });

  it('keeps a code the client does not know yet', async () => {
    const { fetch } = fakeFetch(() => json(409, { error: { code: 'CG_SOMETHING_NEW', message: 'new rule' } }));
    const error = await rejection(createApiClient({ fetch }).getMe());
    expect(error.code).toBe('CG_SOMETHING_NEW');
    expect(error.status).toBe(409);
  });

  it('reports a non-JSON error page as CG_CLIENT_BAD_RESPONSE with its status', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    const error = await rejection(createApiClient({ fetch }).listEnvironments());
    expect(error.status).toBe(502);
    expect(error.code).toBe('CG_CLIENT_BAD_RESPONSE');
  });

  it('reports an empty error body as CG_CLIENT_BAD_RESPONSE', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 500 }));
    const error = await rejection(createApiClient({ fetch }).getMe());
    expect(error).toMatchObject({ status: 500, code: 'CG_CLIENT_BAD_RESPONSE' });
  });

  it('reports a failed connection as CG_CLIENT_NETWORK with status 0', async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError('fetch failed');
    });
    const error = await rejection(createApiClient({ fetch }).getCsrf());
    expect(error).toMatchObject({ status: NO_RESPONSE_STATUS, code: 'CG_CLIENT_NETWORK' });
  });

  it('rethrows the abort of a caller that cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const { fetch } = fakeFetch(() => {
      throw new DOMException('aborted', 'AbortError');
    });
    await expect(createApiClient({ fetch }).getMe(controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('rejects a 2xx body that breaks the contract', async () => {
    const { fetch } = fakeFetch(() => json(200, { user: { id: 'u1' } }));
    const error = await rejection(createApiClient({ fetch }).getMe());
    expect(error).toMatchObject({ status: 200, code: 'CG_CLIENT_BAD_RESPONSE' });
    expect(error.details).toBeInstanceOf(Array);
  });

  it('tells auth-required listeners about a 401 CG_AUTH_REQUIRED', async () => {
    const { fetch } = fakeFetch(() => json(401, { error: { code: 'CG_AUTH_REQUIRED', message: 'Sign in first' } }));
    const client = createApiClient({ fetch });
    const seen: string[] = [];
    client.onAuthRequired((e) => seen.push(e.code));
    await rejection(client.listEnvironments());
    expect(seen).toEqual(['CG_AUTH_REQUIRED']);
  });
});

describe('api client requests', () => {
  it('sends the CSRF token on mutating requests only, with same-origin credentials', async () => {
    const { fetch, requests } = fakeFetch(() => json(200, { user, csrfToken: 'next-token' }));
    const client = createApiClient({ fetch });
    client.setCsrfToken('token-1');
    await client.login({ username: 'sre', password: 'secret' });
    const [login] = requests;
    expect(login?.url).toBe('/api/auth/login');
    expect(login?.init).toMatchObject({ method: 'POST', credentials: 'same-origin' });
    expect(login?.init.headers).toMatchObject({
      'x-csrf-token': 'token-1',
      'content-type': 'application/json',
    });
    expect(JSON.parse(String(login?.init.body))).toEqual({ username: 'sre', password: 'secret' });

    const reads = fakeFetch(() => json(200, { user }));
    const reader = createApiClient({ fetch: reads.fetch });
    reader.setCsrfToken('token-1');
    await reader.getMe();
    expect(reads.requests[0]?.init.headers).not.toHaveProperty('x-csrf-token');
  });

  it('returns the parsed body of a 2xx response', async () => {
    const { fetch } = fakeFetch(() => json(200, { user, csrfToken: 'next-token' }));
    const result = await createApiClient({ fetch }).login({ username: 'sre', password: 'secret' });
    expect(result).toEqual({ user, csrfToken: 'next-token' });
  });

  it('resolves a 204 without a body', async () => {
    const { fetch, requests } = fakeFetch(() => new Response(null, { status: 204 }));
    const client = createApiClient({ fetch });
    client.setCsrfToken('token-2');
    await expect(client.logout()).resolves.toBeUndefined();
    expect(requests[0]?.init.headers).toMatchObject({ 'x-csrf-token': 'token-2' });
    expect(requests[0]?.init.headers).not.toHaveProperty('content-type');
  });
});
