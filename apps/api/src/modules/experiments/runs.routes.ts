import {
  abortRunRequestSchema,
  apiErrorBodySchema,
  composeRequestSchema,
  createRunRequestSchema,
  executeRunRequestSchema,
  previewResponseSchema,
  type RunListResponse,
  runDetailDtoSchema,
  runDtoSchema,
  runListQuerySchema,
  runListResponseSchema,
  runParamsSchema,
  validateResponseSchema,
} from '@chaosgate/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ChangeCache } from '../../db/change-cache';
import { currentUser, MUTATING_METHODS } from '../../plugins/auth';
import type { ComposerService } from './composer.service';
import type { RunService } from './runs.service';

export interface RunsRoutesOptions {
  composer: ComposerService;
  runs: RunService;
  /** Pages of the runs list by query, serialised and UTF-8 encoded, emptied whenever a run changes. */
  listPages: ChangeCache<Buffer>;
}

const error = apiErrorBodySchema;
const readErrors = { 400: error, 401: error, 404: error };
const writeErrors = {
  400: error,
  401: error,
  403: error,
  404: error,
  409: error,
  413: error,
  422: error,
  423: error,
  503: error,
};
const tags = ['runs'];

/** The experiment-runs endpoints: thin handlers over the composer and run services. */
const runsRoutes: FastifyPluginAsyncZod<RunsRoutesOptions> = async (app, { composer, runs, listPages }) => {
  const ctx = (request: Parameters<typeof currentUser>[0]) => ({ user: currentUser(request), requestId: request.id });

  // A change made by a request here is in the list the moment its response leaves, before the
  // database's change notification comes back. Not async: it runs on every list read too.
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (MUTATING_METHODS.has(request.method)) listPages.invalidate();
    done(null, payload);
  });

  app.post(
    '/api/runs/validate',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        summary: 'Check a composed experiment; problems are listed by JSON path (always 200)',
        body: composeRequestSchema,
        response: { 200: validateResponseSchema, ...writeErrors },
      },
    },
    async (request) => composer.validate(currentUser(request), request.body),
  );

  app.post(
    '/api/runs/preview',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        summary: 'The exact manifest chaosgate would apply, and its hash',
        body: composeRequestSchema,
        response: { 200: previewResponseSchema, ...writeErrors },
      },
    },
    async (request) => composer.preview(currentUser(request), request.body),
  );

  app.post(
    '/api/runs',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        summary: 'Submit a previewed experiment (auto-approved where the policy needs no approval)',
        body: createRunRequestSchema,
        response: { 201: runDtoSchema, ...writeErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await runs.createRun(ctx(request), request.body)),
  );

  app.get(
    '/api/runs',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        summary: 'Runs, newest first, filtered; keyset-paginated',
        querystring: runListQuerySchema,
        response: { 200: runListResponseSchema, ...readErrors },
      },
    },
    // Every signed-in user sees the same list, so pages are cached by query alone, already
    // serialised (through this route's response schema).
    async (request, reply) => {
      const page = await listPages.get(JSON.stringify(request.query), async () =>
        Buffer.from(String(reply.serialize(await runs.listRuns(request.query)))),
      );
      // Bytes are sent as they are: neither serialised nor encoded again.
      return reply.type('application/json; charset=utf-8').send(page as unknown as RunListResponse);
    },
  );

  app.get(
    '/api/runs/:id',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        summary: 'One run with its manifest, timeline, probe results and per-pod records',
        params: runParamsSchema,
        response: { 200: runDetailDtoSchema, ...readErrors },
      },
    },
    async (request) => runs.getRun(request.params.id),
  );

  app.post(
    '/api/runs/:id/execute',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        summary: 'Start an approved run (the preview hash must match)',
        params: runParamsSchema,
        body: executeRunRequestSchema,
        response: { 202: runDtoSchema, ...writeErrors },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await runs.executeRun(ctx(request), request.params.id, request.body.previewHash)),
  );

  app.post(
    '/api/runs/:id/abort',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        summary: 'Abort an approved or running run; its chaos object is deleted',
        params: runParamsSchema,
        body: abortRunRequestSchema,
        response: { 200: runDtoSchema, ...writeErrors },
      },
    },
    async (request) => runs.abortRun(ctx(request), request.params.id, request.body.reason),
  );
};

export default runsRoutes;
