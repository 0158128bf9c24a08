import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import { loadChaosCrdCatalog } from '../../chaos-schema/crd-catalog';
import { type ChaosSchemaValidator, createChaosSchemaValidator } from '../../chaos-schema/schema-validator';
import type { AppConfig } from '../../config';
import { createChangeCache } from '../../db/change-cache';
import { createAuditRepository } from '../audit/audit.repo';
import { createPolicyRepository } from '../policy/policy.repo';
import { createPolicyService } from '../policy/policy.service';
import { createComposerService } from './composer.service';
import { createCrSource } from './cr-source';
import { createPodCache } from './pod-cache';
import { createRunEventBus } from './run-events';
import { createRunExecutor } from './run-executor';
import { type RunLoop, startRunLoop } from './run-loop';
import { createRunReconciler } from './run-reconciler';
import { createRunSupervisor } from './run-supervisor';
import { createRunTransitions } from './run-transitions';
import { createRunRepository } from './runs.repo';
import runsRoutes from './runs.routes';
import { createRunService } from './runs.service';
import runStreamRoutes from './runs-stream.routes';
import unmanagedRoutes from './unmanaged.routes';
import { createUnmanagedService } from './unmanaged.service';

export interface RunsModuleOptions {
  config: AppConfig;
  /** Supervisor tick (default 1 s). */
  tickMs?: number;
  /** Periodic reconciliation (default 60 s). */
  reconcileEveryMs?: number;
}

/** How long a replica's supervision lease on a running run lasts without renewal. */
const LEASE_TTL_MS = 15_000;

let schemas: Promise<ChaosSchemaValidator> | undefined;
/** The CRD schemas, loaded once per process on first use. */
function chaosSchemas(): Promise<ChaosSchemaValidator> {
  schemas ??= loadChaosCrdCatalog().then(createChaosSchemaValidator);
  schemas.catch(() => {
    schemas = undefined;
  });
  return schemas;
}

/** Follow-up work (recovery notes) the module waits for when the app closes. */
function backgroundWork(app: FastifyInstance) {
  let closing = false;
  const pending = new Set<Promise<unknown>>();
  app.addHook('preClose', async () => {
    closing = true;
    await Promise.allSettled([...pending]);
  });
  return {
    run(work: Promise<unknown>): void {
      const tracked = work.catch((err: unknown) => app.log.warn({ err }, 'run follow-up failed'));
      pending.add(tracked);
      void tracked.finally(() => pending.delete(tracked));
    },
    isClosing: () => closing,
  };
}

/** `chaosgate_runs{environment,status}`: how many runs each environment has in each status. */
function reportRunCounts(app: FastifyInstance): void {
  const sql = app.db.sql;
  new Gauge({
    name: 'chaosgate_runs',
    help: 'Experiment runs by environment and status',
    labelNames: ['environment', 'status'] as const,
    registers: [app.metrics],
    async collect() {
      const rows = await sql.query<{ environment: string; status: string; count: number }>(
        `SELECT "environment", "status"::text AS "status", count(*)::int AS "count"
         FROM "experiment_runs" GROUP BY 1, 2`,
      );
      this.reset();
      for (const row of rows) this.set({ environment: row.environment, status: row.status }, row.count);
    },
  });
}

/** Builds the module's repositories and services; `wake` reaches the supervisor once it runs. */
function wireServices(app: FastifyInstance, opts: RunsModuleOptions, wake: (runId: string) => void) {
  const prisma = app.db.prisma;
  const repo = createRunRepository(prisma, app.db.sql);
  const audit = createAuditRepository(prisma);
  const policy = createPolicyService({ repo: createPolicyRepository(prisma) });
  const transitions = createRunTransitions({ prisma, runs: repo, audit });
  const pods = createPodCache();
  app.addHook('onClose', async () => pods.close());
  const background = backgroundWork(app);
  const replicaId = `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const executor = createRunExecutor({
    runs: repo,
    transitions,
    kube: app.kube,
    pods,
    replicaId,
    wake,
    leaseTtlMs: LEASE_TTL_MS,
    background: background.run,
    isClosing: background.isClosing,
  });
  const composer = createComposerService({
    policy,
    kube: app.kube,
    schemas: chaosSchemas,
    forbiddenNamespaces: opts.config.forbiddenNamespaces,
    pods,
  });
  const runs = createRunService({ prisma, runs: repo, audit, policy, composer, executor });
  return { repo, audit, policy, transitions, executor, composer, runs, replicaId };
}

type Services = ReturnType<typeof wireServices>;

/** Starts the supervisor and reconciler when the app is ready; stops them before it closes. */
function superviseRuns(app: FastifyInstance, opts: RunsModuleOptions, s: Services, notify: (id: string) => void) {
  let loop: RunLoop | null = null;
  const crs = createCrSource(app.kube, () => loop?.tickNow());
  const supervisor = createRunSupervisor({
    runs: s.repo,
    transitions: s.transitions,
    executor: s.executor,
    policy: s.policy,
    crs,
    replicaId: s.replicaId,
    leaseTtlMs: LEASE_TTL_MS,
    log: app.log,
    notify,
  });
  const reconciler = createRunReconciler({ ...s, runs: s.repo, kube: app.kube, log: app.log });
  app.addHook('onReady', async () => {
    loop = startRunLoop({
      db: app.db,
      supervisor,
      reconciler,
      log: app.log,
      tickMs: opts.tickMs ?? 1000,
      reconcileEveryMs: opts.reconcileEveryMs ?? 60_000,
    });
  });
  app.addHook('preClose', async () => {
    await loop?.stop();
    loop = null;
    crs.close();
  });
  return (runId: string) => loop?.wake(runId);
}

/**
 * The experiment-runs module: composer validation and preview, runs and their state machine,
 * the executor, the supervisor (watch mapping, probes) and reconciler, run streams and the
 * unmanaged chaos objects. Background work starts once the app is ready, and only when a
 * cluster is configured.
 */
export default async function runsModule(app: FastifyInstance, opts: RunsModuleOptions): Promise<void> {
  const bus = createRunEventBus();
  const listPages = createChangeCache<Buffer>({
    feed: app.db.changes,
    tables: ['experiment_runs'],
    max: 1000,
    ttlMs: 60_000,
    maxSize: 32 * 1024 * 1024,
    sizeOf: (page) => page.length,
  });
  app.addHook('onClose', async () => listPages.close());
  app.reportCache('runs_list', listPages.stats);
  reportRunCounts(app);
  // Whatever this replica changes in a run reaches its list before anyone hears of the change.
  const publish = (runId: string) => {
    listPages.invalidate();
    bus.publish(runId);
  };
  let wakeSupervisor: (runId: string) => void = () => {};
  const services = wireServices(app, opts, (runId) => {
    publish(runId);
    wakeSupervisor(runId);
  });
  await app.register(runsRoutes, { composer: services.composer, runs: services.runs, listPages });
  await app.register(runStreamRoutes, { runs: services.runs, repo: services.repo, bus });
  const unmanaged = createUnmanagedService({ kube: app.kube, policy: services.policy, audit: services.audit });
  await app.register(unmanagedRoutes, { unmanaged });
  if (app.kube.enabled) wakeSupervisor = superviseRuns(app, opts, services, publish);
}
