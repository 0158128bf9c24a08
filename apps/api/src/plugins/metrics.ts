import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AppConfig } from '../config';
import { AppError } from '../errors';

/** What a cache reports about itself (see `db/change-cache.ts`). */
export type CacheStats = () => { hits: number; misses: number; size: number };

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus registry: modules add their own metrics to it. */
    metrics: Registry;
    /** Reports a cache's lookups and size under `chaosgate_cache_*{cache="<name>"}`. */
    reportCache(name: string, stats: CacheStats): void;
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Prometheus metrics at `GET /metrics`: the process's own, HTTP requests by route pattern (never
 * the raw URL, so ids do not multiply the series) and whatever the modules register. With
 * `CHAOSGATE_METRICS_TOKEN` set, a scrape must bring it as a bearer token.
 */
async function metricsPlugin(app: FastifyInstance, opts: { config: AppConfig }): Promise<void> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'chaosgate_' });
  const requests = new Histogram({
    name: 'chaosgate_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.decorate('metrics', registry);

  const caches = new Map<string, CacheStats>();
  new Counter({
    name: 'chaosgate_cache_lookups_total',
    help: 'Lookups of the in-memory caches, answered from memory (hit) or from the database (miss)',
    labelNames: ['cache', 'result'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [cache, stats] of caches) {
        const { hits, misses } = stats();
        this.inc({ cache, result: 'hit' }, hits);
        this.inc({ cache, result: 'miss' }, misses);
      }
    },
  });
  new Gauge({
    name: 'chaosgate_cache_entries',
    help: 'Entries held by each in-memory cache',
    labelNames: ['cache'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [cache, stats] of caches) this.set({ cache }, stats().size);
    },
  });
  app.decorate('reportCache', (name: string, stats: CacheStats) => {
    caches.set(name, stats);
  });

  app.addHook('onResponse', (request, reply, done) => {
    requests.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });

  const token = opts.config.metricsToken;
  const expected = token ? digest(`Bearer ${token}`) : null;
  app.get('/metrics', { logLevel: 'warn', schema: { hide: true } }, async (request, reply) => {
    if (expected) {
      const given = request.headers.authorization ?? '';
      if (!timingSafeEqual(digest(given), expected)) {
        throw new AppError('CG_AUTH_REQUIRED', 'scraping the metrics needs the bearer token (CHAOSGATE_METRICS_TOKEN)');
      }
    }
    const body = await registry.metrics();
    return reply.type(registry.contentType).send(body);
  });
}

export default fp(metricsPlugin, { name: 'chaosgate-metrics' });
