import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors';

/**
 * Serves the built SPA and answers unknown routes: browser navigations get `index.html`
 * (client-side routing), everything else the JSON 404.
 */
async function spaPlugin(app: FastifyInstance, opts: { webDist: string | undefined }): Promise<void> {
  const webDist = opts.webDist;
  const hasSpa = webDist !== undefined && fs.existsSync(path.join(webDist, 'index.html'));
  if (hasSpa) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const isApi = request.url.startsWith('/api/') || request.url === '/api';
    const wantsHtml = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
    if (hasSpa && !isApi && wantsHtml) {
      return reply.type('text/html').sendFile('index.html');
    }
    throw new AppError('CG_ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
  });
}

export default fp(spaPlugin, { name: 'chaosgate-spa' });
