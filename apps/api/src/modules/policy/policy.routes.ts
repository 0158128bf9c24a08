import {
  apiErrorBodySchema,
  environmentListResponseSchema,
  environmentParamsSchema,
  environmentSchema,
} from '@chaosgate/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createPolicyRepository } from './policy.repo';
import { createPolicyService } from './policy.service';

const policyRoutes: FastifyPluginAsyncZod = async (app) => {
  const policy = createPolicyService({ repo: createPolicyRepository(app.db.prisma) });
  const errors = { 400: apiErrorBodySchema, 401: apiErrorBodySchema, 404: apiErrorBodySchema };

  app.get(
    '/api/envs',
    {
      preHandler: app.authenticate,
      schema: {
        tags: ['policy'],
        summary: 'Environments and their policies',
        response: { 200: environmentListResponseSchema, ...errors },
      },
    },
    async () => ({ environments: await policy.listEnvironments() }),
  );

  app.get(
    '/api/envs/:env',
    {
      preHandler: app.authenticate,
      schema: {
        tags: ['policy'],
        summary: 'One environment and its policy',
        params: environmentParamsSchema,
        response: { 200: environmentSchema, ...errors },
      },
    },
    async (request) => policy.getEnvironment(request.params.env),
  );
};

export default policyRoutes;
