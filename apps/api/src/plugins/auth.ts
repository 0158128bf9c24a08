import { CSRF_HEADER, type Role, type User } from '@chaosgate/shared';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { AppConfig } from '../config';
import { createChangeCache } from '../db/change-cache';
import { getOrCreateInstanceSecret } from '../db/instance-secrets';
import { AppError } from '../errors';
import { createAuditRepository } from '../modules/audit/audit.repo';
import { createAuthRepository } from '../modules/auth/auth.repo';
import { type AuthService, type CachedSession, createAuthService } from '../modules/auth/auth.service';

export const SESSION_COOKIE = 'cg_session';
/** Methods that change something: they need the CSRF token, and they may change what is cached. */
export const MUTATING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyInstance {
    authService: AuthService;
    /** preHandler: 401 unless the request carries a live session. */
    authenticate: preHandlerAsyncHookHandler;
    /** preHandler: 401 without a session, 403 unless the user has one of `roles`. */
    requireRole(...roles: Role[]): preHandlerAsyncHookHandler;
  }
  interface FastifyRequest {
    user: User | null;
  }
}

/** Signed-in user of a request that passed `authenticate`. */
export function currentUser(request: FastifyRequest): User {
  if (!request.user) throw new AppError('CG_AUTH_REQUIRED', 'sign in first');
  return request.user;
}

/**
 * Cookie sessions and CSRF. Sessions live in the database (any replica can serve any request);
 * every mutating request must carry a CSRF token bound to a signed, http-only secret cookie.
 */
async function authPlugin(app: FastifyInstance, opts: { config: AppConfig }): Promise<void> {
  const { config } = opts;
  const cookieSecret =
    process.env.CHAOSGATE_COOKIE_SECRET ?? (await getOrCreateInstanceSecret(app.db.prisma, 'cookie'));
  await app.register(fastifyCookie, { secret: cookieSecret, hook: 'onRequest' });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'cg_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: config.secureCookies, signed: true },
    getToken: (req) => {
      const value = req.headers[CSRF_HEADER];
      return typeof value === 'string' ? value : undefined;
    },
  });

  // Every signed-in request looks its session up: kept in memory for a minute at most, and
  // dropped as soon as any session or user changes anywhere (sign-out, a disabled account).
  const sessions = createChangeCache<CachedSession>({
    feed: app.db.changes,
    tables: ['sessions', 'users'],
    max: 10_000,
    ttlMs: 60_000,
  });
  app.addHook('onClose', async () => sessions.close());
  app.reportCache('sessions', sessions.stats);
  const authService = createAuthService({
    repo: createAuthRepository(app.db.prisma),
    audit: createAuditRepository(app.db.prisma),
    sessionTtlMs: config.sessionTtlMs,
    sessions,
  });
  app.decorate('authService', authService);
  app.decorateRequest('user', null);

  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    if (!MUTATING_METHODS.has(request.method) || !request.url.startsWith('/api/')) return done();
    app.csrfProtection(request, reply, done);
  });

  const authenticate: preHandlerAsyncHookHandler = async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    const user = token ? await authService.resolveSession(token) : null;
    if (!user) throw new AppError('CG_AUTH_REQUIRED', 'sign in first');
    request.user = user;
  };
  app.decorate('authenticate', authenticate);
  app.decorate('requireRole', (...roles: Role[]): preHandlerAsyncHookHandler => {
    return async function requireRole(this: FastifyInstance, request, reply) {
      await authenticate.call(this, request, reply);
      const user = currentUser(request);
      if (!user.roles.some((r) => roles.includes(r))) {
        throw new AppError('CG_AUTH_FORBIDDEN_ROLE', `requires one of the roles: ${roles.join(', ')}`, {
          required: roles,
        });
      }
    };
  });
}

export default fp(authPlugin, { name: 'chaosgate-auth', dependencies: ['chaosgate-database', 'chaosgate-metrics'] });
