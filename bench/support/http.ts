/** A signed-in HTTP client of a running chaosgate, as a browser would hold it. */
export interface HttpSession {
  baseUrl: string;
  /** `cookie` and the CSRF header, for every request. */
  headers: Record<string, string>;
  get(path: string): Promise<Response>;
  post(path: string, body: unknown): Promise<Response>;
}

function cookiesOf(response: Response, jar: Map<string, string>): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const at = pair.indexOf('=');
    if (at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
}

/** Signs in over HTTP (CSRF token first, then the login form) and returns the session. */
export async function signInOverHttp(baseUrl: string, username: string, password: string): Promise<HttpSession> {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrfResponse = await fetch(`${baseUrl}/api/auth/csrf`);
  cookiesOf(csrfResponse, jar);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { cookie: cookie(), 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (login.status !== 200) throw new Error(`sign-in as ${username} answered ${login.status}: ${await login.text()}`);
  cookiesOf(login, jar);
  const { csrfToken: token } = (await login.json()) as { csrfToken: string };
  const headers = { cookie: cookie(), 'x-csrf-token': token };
  return {
    baseUrl,
    headers,
    get: (path) => fetch(`${baseUrl}${path}`, { headers }),
    post: (path, body) =>
      fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}
