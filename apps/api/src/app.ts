import { randomUUID } from 'node:crypto';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppConfig } from './config';
import type { Database } from './db/database';
import { AppError } from './errors';
import authRoutes from './modules/auth/auth.routes';
import runsModule from './modules/experiments/runs.module';
import healthRoutes from './modules/health/health.routes';
import policyRoutes from './modules/policy/policy.routes';
import topologyRoutes from './modules/topology/topology.routes';
import authPlugin from './plugins/auth';
import databasePlugin from './plugins/database';
import errorHandler from './plugins/error-handler';
import kubePlugin from './plugins/kube';
import metricsPlugin from './plugins/metrics';
import openapiPlugin from './plugins/openapi';
import securityHeaders from './plugins/security-headers';
import spaPlugin from './plugins/spa';

export interface BuildAppOptions {
  config: AppConfig;
  /** Share an already opened database instead of opening one from the config. */
  database?: Database;
  /** Pino options override (tests silence logs). */
  logger?: boolean | object;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Secrets and session material never reach the logs. */
const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
];

/**
 * Builds the chaosgate API: external plugins, then app plugins (database, kube, auth), then modules,
 * then the SPA and the not-found handler. Start-up order is fixed; nothing else lives here.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel, redact: REDACT },
    bodyLimit: config.bodyLimitBytes,
    // Start-up migrates the database and seeds users (argon2): slow machines need more than 10 s.
    pluginTimeout: 120_000,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // external plugins
  await app.register(errorHandler);
  await app.register(securityHeaders);
  await app.register(metricsPlugin, { config });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: () => new AppError('CG_RATE_LIMITED', 'too many attempts; retry later'),
  });
  await app.register(openapiPlugin);

  // app plugins
  await app.register(databasePlugin, { config, ...(options.database ? { database: options.database } : {}) });
  await app.register(kubePlugin, { config });
  await app.register(authPlugin, { config });

  // modules
  await app.register(healthRoutes);
  await app.register(authRoutes, { config });
  await app.register(policyRoutes);
  await app.register(runsModule, { config });
  await app.register(topologyRoutes, { config });

  await app.register(spaPlugin, { webDist: config.webDist });
  return app;
}
