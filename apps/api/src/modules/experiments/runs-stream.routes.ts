import type { OutgoingHttpHeaders } from 'node:http';
import { apiErrorBodySchema, runParamsSchema } from '@chaosgate/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RunEventBus } from './run-events';
import { createRunStream } from './run-stream';
import type { RunRepository } from './runs.repo';
import type { RunService } from './runs.service';

export interface RunStreamOptions {
  runs: RunService;
  repo: RunRepository;
  bus: RunEventBus;
  /** How often a stream re-reads its run (catches changes made by other replicas). */
  pollMs?: number;
  heartbeatMs?: number;
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * `GET /api/runs/:id/stream`: server-sent events of one run. `run` (RunDto) when the run
 * changes, `timeline` (one event, with its sequence as the SSE id so a reconnect resumes after
 * it), `records` (pods and conditions), and a heartbeat comment every 15 s.
 */
const runStreamRoutes: FastifyPluginAsyncZod<RunStreamOptions> = async (app, opts) => {
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const close of [...open]) close();
  });

  app.get(
    '/api/runs/:id/stream',
    {
      preHandler: app.authenticate,
      schema: {
        tags: ['runs'],
        summary: 'Live updates of one run (text/event-stream: run, timeline, records)',
        params: runParamsSchema,
        response: { 401: apiErrorBodySchema, 404: apiErrorBodySchema },
      },
    },
    async (request, reply) => {
      const run = await opts.runs.getRunDto(request.params.id);
      const header = request.headers['last-event-id'];
      const lastEventId = typeof header === 'string' && /^\d{1,19}$/.test(header) ? BigInt(header) : null;
      reply.hijack();
      // The security headers and request id set for every reply; a hijacked reply sends them itself.
      reply.raw.writeHead(200, { ...(reply.getHeaders() as OutgoingHttpHeaders), ...SSE_HEADERS });
      const stream = createRunStream(reply.raw, run.id, lastEventId, { repo: opts.repo, log: request.log });
      const poll = setInterval(() => void stream.refresh(), opts.pollMs ?? 1000);
      const heartbeat = setInterval(stream.heartbeat, opts.heartbeatMs ?? 15_000);
      const unsubscribe = opts.bus.subscribe(run.id, () => void stream.refresh());
      const close = () => {
        clearInterval(poll);
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(close);
        if (!reply.raw.writableEnded) reply.raw.end();
      };
      open.add(close);
      request.raw.on('close', close);
      reply.raw.write('retry: 3000\n\n');
      await stream.refresh();
    },
  );
};

export default runStreamRoutes;
