import { healthResponseSchema, readinessResponseSchema } from '@chaosgate/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { checkReadiness } from './health.service';

const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/healthz',
    { logLevel: 'warn', schema: { tags: ['health'], summary: 'Liveness', response: { 200: healthResponseSchema } } },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      logLevel: 'warn',
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database (and clusters, when configured) answer',
        response: { 200: readinessResponseSchema, 503: readinessResponseSchema },
      },
    },
    async (_request, reply) => {
      const readiness = await checkReadiness(app.db, app.kube);
      return reply.status(readiness.status === 'ok' ? 200 : 503).send(readiness);
    },
  );
};

export default healthRoutes;
