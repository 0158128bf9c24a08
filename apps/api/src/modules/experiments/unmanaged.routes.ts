import {
  apiErrorBodySchema,
  environmentParamsSchema,
  stopUnmanagedRequestSchema,
  stopUnmanagedResponseSchema,
  unmanagedListResponseSchema,
} from '@chaosgate/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { currentUser } from '../../plugins/auth';
import type { UnmanagedService } from './unmanaged.service';

const error = apiErrorBodySchema;
const tags = ['runs'];

/** Chaos objects chaosgate did not create: listed for everyone, stopped by SRE or on-call. */
const unmanagedRoutes: FastifyPluginAsyncZod<{ unmanaged: UnmanagedService }> = async (app, { unmanaged }) => {
  app.get(
    '/api/envs/:env/unmanaged',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        summary: "Chaos objects in the environment's chaos namespace that chaosgate did not create",
        params: environmentParamsSchema,
        response: { 200: unmanagedListResponseSchema, 400: error, 401: error, 404: error, 503: error },
      },
    },
    async (request) => unmanaged.list(request.params.env),
  );

  app.post(
    '/api/envs/:env/unmanaged/stop',
    {
      preHandler: app.requireRole('sre', 'oncall'),
      schema: {
        tags,
        summary: 'Delete one chaos object chaosgate did not create',
        params: environmentParamsSchema,
        body: stopUnmanagedRequestSchema,
        response: {
          200: stopUnmanagedResponseSchema,
          400: error,
          401: error,
          403: error,
          404: error,
          409: error,
          422: error,
          503: error,
        },
      },
    },
    async (request) =>
      unmanaged.stop(
        request.params.env,
        request.body.kind,
        request.body.name,
        currentUser(request).username,
        request.id,
      ),
  );
};

export default unmanagedRoutes;
