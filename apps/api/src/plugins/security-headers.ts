import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/** Pages a browser renders: the SPA, its assets and the API docs. */
const DOCUMENT: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    directives: {
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
    },
  },
};

/**
 * JSON answers (`/api/…`, health, metrics), as the OWASP REST security cheat sheet has them: never
 * framed, never sniffed, never cached (they carry a user's data), and nothing a document needs.
 */
const API: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] },
  },
  xFrameOptions: { action: 'deny' },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

const JSON_PATHS = /^\/(?:api\/|healthz|readyz|metrics)/;

/**
 * The headers helmet sets for `options`, computed once: with no per-request directive (no CSP
 * nonce) they are the same for every response.
 */
export function helmetHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (err?: unknown) => {
    failure = err;
  });
  if (failure) throw failure;
  return headers;
}

/**
 * Helmet's security headers and the request id on every response, errors included: the full set
 * for documents, the REST set for JSON. Running the helmet middleware per request (as Fastify's
 * wrapper does, rebuilding it each time) cost more than a third of a small request's CPU; the
 * headers never change, so they are computed once.
 */
async function securityHeaders(app: FastifyInstance): Promise<void> {
  const document = helmetHeaders(DOCUMENT);
  const api = { ...helmetHeaders(API), 'cache-control': 'no-store' };
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(JSON_PATHS.test(request.url) ? api : document);
    reply.header('x-request-id', request.id);
    done();
  });
}

export default fp(securityHeaders, { name: 'chaosgate-security-headers' });
