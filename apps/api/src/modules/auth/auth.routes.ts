import {
  apiErrorBodySchema,
  csrfResponseSchema,
  loginRequestSchema,
  loginResponseSchema,
  meResponseSchema,
} from '@chaosgate/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppConfig } from '../../config';
import { currentUser, SESSION_COOKIE } from '../../plugins/auth';
import type { RequestMeta } from './auth.service';

export function requestMeta(request: FastifyRequest): RequestMeta {
  const ua = request.headers['user-agent'];
  return { requestId: request.id, ip: request.ip, userAgent: typeof ua === 'string' ? ua.slice(0, 256) : null };
}

const authRoutes: FastifyPluginAsyncZod<{ config: AppConfig }> = async (app, { config }) => {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies } as const;
  const errors = { 400: apiErrorBodySchema, 401: apiErrorBodySchema, 403: apiErrorBodySchema };

  app.get(
    '/api/auth/csrf',
    {
      schema: {
        tags: ['auth'],
        summary: 'Get a CSRF token for mutating requests',
        response: { 200: csrfResponseSchema },
      },
    },
    async (_request, reply) => ({ csrfToken: reply.generateCsrf() }),
  );

  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: config.loginRateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Sign in as a local user',
        body: loginRequestSchema,
        response: { 200: loginResponseSchema, ...errors, 429: apiErrorBodySchema },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const session = await app.authService.signIn(username, password, requestMeta(request));
      reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions, expires: session.expiresAt });
      return { user: session.user, csrfToken: reply.generateCsrf() };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      preHandler: app.authenticate,
      schema: { tags: ['auth'], summary: 'Sign out', response: { 204: z.null(), ...errors } },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const token = request.cookies[SESSION_COOKIE] ?? '';
      await app.authService.signOut(token, currentUser(request), requestMeta(request));
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      preHandler: app.authenticate,
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user',
        response: { 200: meResponseSchema, 401: apiErrorBodySchema },
      },
    },
    async (request) => ({ user: currentUser(request) }),
  );
};

export default authRoutes;
